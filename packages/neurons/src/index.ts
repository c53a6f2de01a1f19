// Public surface of @snn/neurons: the node classes with their option, parameter and state types,
// the pure step functions (charge, fire, reset, step), and what a custom node needs. Named exports
// only. Validation and option-resolving helpers (checkTau, resolve*Params) stay inside.
export {
  AdaptiveLIFNode,
  type AdaptiveLIFNodeOptions,
  type AdaptiveLIFParams,
  type AdaptiveLIFState,
  adaptiveLIFFire,
  adaptiveLIFReset,
  adaptiveLIFStep,
  adaptiveLIFTheta,
} from './adaptive-lif.js';
export {
  AdExNode,
  type AdExNodeOptions,
  type AdExParams,
  type AdExState,
  adexCharge,
  adexInitialState,
  adexReset,
  adexStep,
} from './adex.js';
export {
  AlphaNode,
  type AlphaNodeOptions,
  type AlphaParams,
  type AlphaState,
  alphaCharge,
  alphaReset,
  alphaStep,
} from './alpha.js';
export {
  BASE_NODE_OPTIONS,
  BaseNode,
  type BaseNodeOptions,
  fire,
  type NeuronKernelSpec,
  type NodeParams,
  resetV,
} from './base-node.js';
export type { OptionTable } from './checks.js';
export {
  CLIFNode,
  type CLIFNodeOptions,
  type CLIFParams,
  type CLIFState,
  clifCharge,
  clifStep,
} from './clif.js';
export {
  type DiehlCookCharged,
  DiehlCookNode,
  type DiehlCookNodeOptions,
  type DiehlCookParams,
  type DiehlCookState,
  diehlCookCharge,
  diehlCookFire,
  diehlCookInitialState,
  diehlCookReset,
  diehlCookStep,
} from './diehl-cook.js';
export {
  EIFNode,
  type EIFNodeOptions,
  type EIFParams,
  eifCharge,
  eifStep,
} from './eif.js';
export {
  GLIFNode,
  type GLIFNodeOptions,
  type GLIFParams,
  type GLIFState,
  glifCharge,
  glifFire,
  glifInitialState,
  glifReset,
  glifStep,
} from './glif.js';
export {
  HodgkinHuxleyNode,
  type HodgkinHuxleyNodeOptions,
  type HodgkinHuxleyParams,
  type HodgkinHuxleyState,
  hodgkinHuxleyCharge,
  hodgkinHuxleyFire,
  hodgkinHuxleyInitialState,
  hodgkinHuxleySteadyState,
  hodgkinHuxleyStep,
} from './hodgkin-huxley.js';
export { IFNode, ifCharge, ifStep } from './if.js';
export {
  IzhikevichNode,
  type IzhikevichNodeOptions,
  type IzhikevichParams,
  type IzhikevichState,
  izhikevichAdaptation,
  izhikevichCharge,
  izhikevichReset,
  izhikevichStep,
} from './izhikevich.js';
export { LIFNode, type LIFNodeOptions, type LIFParams, lifCharge, lifStep } from './lif.js';
export {
  NonSpikingLIFNode,
  type NonSpikingLIFNodeOptions,
  nonSpikingLIFStep,
} from './non-spiking-lif.js';
export {
  ParametricLIFNode,
  type ParametricLIFNodeOptions,
  type ParametricLIFParams,
  parametricLIFCharge,
  parametricLIFInitW,
  parametricLIFStep,
} from './parametric-lif.js';
export { QIFNode, type QIFNodeOptions, type QIFParams, qifCharge, qifStep } from './qif.js';
export {
  RecurrentIFNode,
  type RecurrentIFNodeOptions,
  type RecurrentIFParams,
  recurrentIFCharge,
  recurrentIFStep,
} from './recurrent-if.js';
export { fireAndReset, type MembraneState, type StepResult } from './step.js';

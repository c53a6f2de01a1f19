// Public surface of @snn/neurons. Named exports only.
export {
  AdaptiveLIFNode,
  type AdaptiveLIFNodeOptions,
  type AdaptiveLIFParams,
  type AdaptiveLIFState,
  adaptiveLIFFire,
  adaptiveLIFReset,
  adaptiveLIFStep,
  adaptiveLIFTheta,
  resolveAdaptiveLIFParams,
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
  resolveAdExParams,
} from './adex.js';
export {
  AlphaNode,
  type AlphaNodeOptions,
  type AlphaParams,
  type AlphaState,
  alphaCharge,
  alphaReset,
  alphaStep,
  resolveAlphaParams,
} from './alpha.js';
export { BaseNode, type BaseNodeOptions, fire, type NodeParams, resetV, resolveNodeParams } from './base-node.js';
export { checkBoolean, checkTau } from './checks.js';
export {
  CLIFNode,
  type CLIFNodeOptions,
  type CLIFParams,
  type CLIFState,
  clifCharge,
  clifStep,
  resolveCLIFParams,
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
  resolveDiehlCookParams,
} from './diehl-cook.js';
export {
  EIFNode,
  type EIFNodeOptions,
  type EIFParams,
  eifCharge,
  eifStep,
  resolveEIFParams,
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
  resolveGLIFParams,
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
  resolveHodgkinHuxleyParams,
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
  resolveIzhikevichParams,
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
export { QIFNode, type QIFNodeOptions, type QIFParams, qifCharge, qifStep, resolveQIFParams } from './qif.js';
export {
  RecurrentIFNode,
  type RecurrentIFNodeOptions,
  type RecurrentIFParams,
  recurrentIFCharge,
  recurrentIFStep,
} from './recurrent-if.js';
export { fireAndReset, type MembraneState, type StepResult } from './step.js';

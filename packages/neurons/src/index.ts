// Public surface of @snn/neurons: the node classes with their option, parameter and state types,
// the pure step functions (charge, fire, reset, step), and what a custom node needs. Named exports
// only. Validation and option-resolving helpers (checkTau, resolve*Params) stay inside.

// SPAIC model (issue 19)
export {
  AdaptiveCLIFNode,
  type AdaptiveCLIFNodeOptions,
  type AdaptiveCLIFParams,
  type AdaptiveCLIFState,
  adaptiveCLIFStep,
} from './adaptive-clif.js';
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
// SPAIC STDP-ready model (issue 19)
export {
  ALIFSTDPNode,
  type ALIFSTDPNodeOptions,
  type ALIFSTDPParams,
  type ALIFSTDPState,
  alifSTDPStep,
} from './alif-stdp.js';
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
// SPAIC rate and field model (issue 19)
export { CANNFieldNode, type CANNFieldNodeOptions, type CANNFieldParams, cannFieldStep } from './cann-field.js';
export type { OptionTable } from './checks.js';
export {
  CLIFNode,
  type CLIFNodeOptions,
  type CLIFParams,
  type CLIFState,
  clifCharge,
  clifStep,
} from './clif.js';
// SPAIC model (issue 19)
export { CLIF2KNode, type CLIF2KNodeOptions } from './clif2k.js';
// SPAIC model (issue 19)
export {
  CLIF3KNode,
  type CLIF3KNodeOptions,
  type CLIF3KParams,
  type CLIF3KState,
  clif3kInitialState,
  clif3kStep,
} from './clif3k.js';
// SPAIC model (issue 19)
export {
  ConstantCurrentLIFNode,
  type ConstantCurrentLIFNodeOptions,
  type ConstantCurrentLIFParams,
  type ConstantCurrentLIFState,
  constantCurrentLIFStep,
} from './constant-current-lif.js';
// SPAIC Darwin-chip model (issue 19)
export {
  DarwinALIFNode,
  type DarwinALIFNodeOptions,
  type DarwinALIFParams,
  type DarwinALIFState,
  darwinALIFStep,
} from './darwin-alif.js';
// SPAIC Darwin-chip model (issue 19)
export {
  DarwinCLIFNode,
  type DarwinCLIFNodeOptions,
  type DarwinCLIFParams,
  type DarwinCLIFState,
  darwinCLIFStep,
} from './darwin-clif.js';
// SPAIC Darwin-chip model (issue 19)
export { DarwinNode, type DarwinNodeOptions, type DarwinVInit, quantize16 } from './darwin-common.js';
// SPAIC Darwin-chip model (issue 19)
export {
  DarwinRandomNode,
  type DarwinRandomNodeOptions,
  type DarwinRandomParams,
  darwinRandomStep,
} from './darwin-random.js';
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
// SPAIC integer model (issue 19)
export {
  DiehlCookIntNode,
  type DiehlCookIntNodeOptions,
  type DiehlCookIntParams,
  type DiehlCookIntState,
  diehlCookIntInitialState,
  diehlCookIntStep,
} from './diehl-cook-int.js';
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
// SPAIC model (issue 19)
export { IFBNode, type IFBNodeOptions, type IFBParams, ifbStep } from './ifb.js';
// SPAIC integer model (issue 19)
export { shiftRightInt32 } from './int-ops.js';
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
// SPAIC integer model (issue 19)
export {
  LIFIntNode,
  type LIFIntNodeOptions,
  type LIFIntParams,
  type LIFIntState,
  lifIntInitialState,
  lifIntStep,
} from './lif-int.js';
// SPAIC model (issue 19)
export {
  LIFMNode,
  type LIFMNodeOptions,
  type LIFMParams,
  type LIFMState,
  lifmStep,
} from './lifm.js';
// SPAIC rate and field model (issue 19)
export {
  MeanFieldNode,
  type MeanFieldNodeOptions,
  type MeanFieldParams,
  meanFieldRelax,
  meanFieldStep,
  RateNode,
  type RateNodeOptions,
  type RateStepResult,
} from './mean-field.js';
// SPAIC model (issue 19)
export {
  NonSpikingIFBNode,
  type NonSpikingIFBNodeOptions,
  type NonSpikingIFBParams,
  nonSpikingIFBStep,
} from './non-spiking-ifb.js';
export {
  NonSpikingLIFNode,
  type NonSpikingLIFNodeOptions,
  nonSpikingLIFStep,
} from './non-spiking-lif.js';
// SPAIC model (issue 19)
export { NullNode, type NullNodeOptions } from './null-node.js';
export {
  ParametricLIFNode,
  type ParametricLIFNodeOptions,
  type ParametricLIFParams,
  parametricLIFCharge,
  parametricLIFInitW,
  parametricLIFStep,
} from './parametric-lif.js';
// SPAIC model (issue 19)
export {
  type PLIF2KDecays,
  PLIF2KNode,
  type PLIF2KNodeOptions,
  type PLIF2KParams,
  type PLIF2KState,
  plif2kStep,
} from './plif2k.js';
export { QIFNode, type QIFNodeOptions, type QIFParams, qifCharge, qifStep } from './qif.js';
// SPAIC model (issue 19)
export {
  QLIF_STATE_KEYS,
  type QLIFInputs,
  QLIFNode,
  type QLIFNodeOptions,
  type QLIFParams,
  type QLIFState,
  qlifStep,
} from './qlif.js';
export {
  RecurrentIFNode,
  type RecurrentIFNodeOptions,
  type RecurrentIFParams,
  recurrentIFCharge,
  recurrentIFStep,
} from './recurrent-if.js';
// Lookup by name (issue 19)
export {
  createNeuron,
  LIFSTDP_EX_OPTIONS,
  LIFSTDP_IH_OPTIONS,
  type NeuronFactories,
  type NeuronFactory,
  NeuronRegistry,
  neuronModels,
  type RegisterOptions,
  UnknownNameError,
} from './registry.js';
// SPAIC model (issue 19)
export { SELIFNode, type SELIFNodeOptions, type SELIFParams, type SELIFState, selifStep } from './selif.js';
// SPAIC rate and field model (issue 19)
export { SimpleRateNode, type SimpleRateNodeOptions, type SimpleRateParams, simpleRateStep } from './simple-rate.js';
// SPAIC model (issue 19)
export { SLIFNode, type SLIFNodeOptions, type SLIFParams, type SLIFState, slifStep } from './slif.js';
// SPAIC model (issue 19)
export {
  SpaicLIFNode,
  type SpaicLIFNodeOptions,
  type SpaicLIFParams,
  spaicLIFStep,
} from './spaic-lif.js';
// SPAIC model (issue 19)
export {
  type ExtraInputs,
  type NamedState,
  SPAIC_DT,
  SPAIC_NODE_OPTIONS,
  SPAIC_SPIKING_OPTIONS,
  type SpaicFireParams,
  SpaicNode,
  type SpaicNodeOptions,
  type SpaicSpikingOptions,
  spaicDecay,
  spaicFire,
  spaicKernelV0,
  spaicRate,
} from './spaic-node.js';
// SPAIC model (issue 19)
export {
  type SpikePropCommon,
  type SpikePropFireParams,
  SpikePropNode,
  type SpikePropNodeOptions,
  spikePropFire,
} from './spike-prop.js';
export { fireAndReset, type MembraneState, type StepResult } from './step.js';

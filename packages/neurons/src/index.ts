// Public surface of @snn/neurons. Named exports only.
export { BaseNode, type BaseNodeOptions, fire, type NodeParams, resetV, resolveNodeParams } from './base-node.js';
export { checkBoolean, checkTau } from './checks.js';
export {
  EIFNode,
  type EIFNodeOptions,
  type EIFParams,
  eifCharge,
  eifStep,
  resolveEIFParams,
} from './eif.js';
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

// Public surface of @snn/core. Named exports only.
import './backends/cpu.js';
import './gradients.js';

export { detectEnvironment, type Environment } from './backends/environment.js';
export { BACKEND_NAMES, type BackendChoice, type BackendName, type BackendProvider } from './backends/provider.js';
export {
  AUTO_ORDER,
  type BackendStatus,
  backendFromEnvironment,
  currentBackend,
  listBackends,
  registerBackendProvider,
  type UseBackendOptions,
  useBackend,
} from './backends/registry.js';
export {
  type AnyOptionTable,
  checkBoolean,
  checkFinite,
  checkInteger,
  checkMinRank,
  checkOneOf,
  checkOptions,
  checkOptionTable,
  checkPositive,
  checkRank,
  checkShape,
  checkTensor,
  checkTimeSteps,
  keysOf,
  type OptionTable,
} from './checks.js';
export {
  MultiStep,
  multiStepForward,
  resetNet,
  SeqToANN,
  Sequential,
  seqToANNForward,
  setStepMode,
} from './containers.js';
export { detach } from './detach.js';
export {
  BackendUnavailableError,
  closestName,
  DTypeError,
  describeValue,
  isSnnError,
  ShapeError,
  SNN_ERROR_BRAND,
  SnnError,
  StateError,
  UnknownOptionError,
  ValueError,
} from './errors.js';
export { applyGradients } from './kernels/adam.js';
export { AdamUpdate, type AdamUpdateAttrs } from './kernels/adam-contract.js';
export { defineKernel, hasFusedKernel, registerKernels, type SnnKernelFunc } from './kernels/define-kernel.js';
export { type LIFMultiStepOptions, type LIFMultiStepResult, lifMultiStep } from './kernels/lif-multi-step.js';
export {
  type ChargeKind,
  NeuronBackward,
  type NeuronBackwardAttrs,
  NeuronForward,
  type NeuronForwardAttrs,
  type NeuronForwardInputs,
  type NeuronKernelLayout,
  neuronKernelLayout,
  type SurrogateKind,
} from './kernels/neuron-contract.js';
export {
  type NeuronMultiStepOptions,
  type NeuronMultiStepResult,
  type NeuronState,
  type NeuronSurrogate,
  neuronMultiStep,
} from './kernels/neuron-multi-step.js';
export {
  RateCrossEntropy,
  type RateCrossEntropyAttrs,
  RateCrossEntropyBackward,
} from './kernels/rate-cross-entropy.js';
export { SumOfSquares } from './kernels/sum-of-squares.js';
export {
  type ForwardHook,
  type MemoryInit,
  type MemoryOptions,
  Module,
  type StepMode,
  stepThroughTime,
} from './module.js';
export { createRng, Rng } from './random.js';
export { repeatOverTime } from './repeat.js';
export { loadState, type SavedState, type SavedTensor, type SaveStateOptions, saveState } from './state.js';

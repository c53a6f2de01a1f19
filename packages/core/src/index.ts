// Public surface of @snn/core. Named exports only.
import './backends/cpu.js';
import './gradients.js';

export { BACKEND_NAMES, type BackendChoice, type BackendName, type BackendProvider } from './backends/provider.js';
export { type Environment, detectEnvironment } from './backends/environment.js';
export {
  AUTO_ORDER,
  type BackendStatus,
  type UseBackendOptions,
  backendFromEnvironment,
  currentBackend,
  listBackends,
  registerBackendProvider,
  useBackend,
} from './backends/registry.js';
export { BackendUnavailableError, DTypeError, ShapeError, SnnError, StateError, ValueError, describeValue } from './errors.js';
export {
  checkFinite,
  checkInteger,
  checkMinRank,
  checkOneOf,
  checkPositive,
  checkRank,
  checkShape,
  checkTensor,
  checkTimeSteps,
} from './checks.js';
export { type ForwardHook, type MemoryInit, Module, type StepMode, stepThroughTime } from './module.js';
export { MultiStep, SeqToANN, Sequential, multiStepForward, resetNet, seqToANNForward, setStepMode } from './containers.js';
export { Rng, createRng } from './random.js';
export { type SaveStateOptions, type SavedState, type SavedTensor, loadState, saveState } from './state.js';
export {
  LIFMultiStep,
  type LIFMultiStepAttrs,
  LIFMultiStepBackward,
  type LIFMultiStepBackwardAttrs,
  type LIFMultiStepBackwardInputs,
  type LIFMultiStepInputs,
} from './kernels/names.js';
export { type SnnKernelFunc, defineKernel, hasFusedKernel, registerKernels } from './kernels/define-kernel.js';
export { lifCharge, lifFireReset, lifMultiStepBackwardReference, lifMultiStepReference } from './kernels/lif-multi-step-reference.js';
export { type LIFMultiStepOptions, type LIFMultiStepResult, lifMultiStep } from './kernels/lif-multi-step.js';
export { type SaveFunc, runWithGradient } from './kernels/run-with-gradient.js';

/**
 * `@snn/core/internal`: what snn's own packages share and users do not call — the array-kernel
 * runner for backends whose tensors JavaScript can view, the tfjs-ops references of the kernel
 * contract, and the one module that touches tfjs internals. No stability promise.
 */
export { arrayAdamKernel } from './kernels/adam-array-kernel.js';
export { type AdamUpdateTensors, adamUpdateReference } from './kernels/adam-reference.js';
export { type ArrayKernelRunner, arrayNeuronKernels } from './kernels/neuron-array-kernels.js';
export { type BackwardExpressions, backwardExpressions } from './kernels/neuron-gpu-expressions.js';
export {
  expFast,
  type NeuronBackwardArrays,
  type NeuronForwardArrays,
  neuronBackwardLoop,
  neuronForwardLoop,
} from './kernels/neuron-loops.js';
export {
  type NeuronBackwardTensors,
  type NeuronForwardTensors,
  neuronBackwardReference,
  neuronCharge,
  neuronForwardReference,
  sumToShape,
} from './kernels/neuron-reference.js';
export {
  rateCrossEntropy,
  rateCrossEntropyBackwardReference,
  rateCrossEntropyReference,
} from './kernels/rate-cross-entropy.js';
export { arraySmallKernels } from './kernels/small-array-kernels.js';
export { globalNorm } from './kernels/sum-of-squares.js';
export {
  checkTfjsInternals,
  cpuFloat32,
  discardTape,
  isRecordingGradient,
  registeredVariable,
  runWithGradient,
  type SaveFunc,
  type TfjsAdamState,
  tfjsAdamState,
  untaped,
  wasmHeapMemory,
} from './kernels/tfjs-internals.js';

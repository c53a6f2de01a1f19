// Side effect: registers snn's fused kernels for tfjs's cpu backend. Listed in sideEffects.
import type { KernelBackend, TensorInfo } from '@tensorflow/tfjs-core';
import { arrayAdamKernel } from './adam-array-kernel.js';
import { registerKernels } from './define-kernel.js';
import { type ArrayKernelRunner, arrayNeuronKernels } from './neuron-array-kernels.js';
import { arraySmallKernels } from './small-array-kernels.js';
import { cpuFloat32 } from './tfjs-internals.js';

interface CpuBackend extends KernelBackend {
  makeTensorInfo(shape: number[], dtype: 'float32', values: Float32Array): TensorInfo;
}

/** On cpu, outputs are fresh typed arrays handed to the backend after the loop. */
const cpuRunner: ArrayKernelRunner = (backend, inputs, shapes, body) => {
  const ins = inputs.map((t) => (t === null ? null : cpuFloat32(backend, t)));
  const outs = shapes.map((s) => new Float32Array(s.reduce((a, b) => a * b, 1)));
  body(ins, outs);
  return outs.map((values, i) =>
    (backend as CpuBackend).makeTensorInfo([...(shapes[i] as number[])], 'float32', values),
  );
};

registerKernels([
  ...arrayNeuronKernels('cpu', cpuRunner),
  arrayAdamKernel('cpu', cpuRunner),
  ...arraySmallKernels('cpu', cpuRunner),
]);

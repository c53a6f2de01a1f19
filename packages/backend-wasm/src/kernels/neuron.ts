import { type ArrayKernelRunner, arrayAdamKernel, arrayNeuronKernels } from '@snn/core/internal';
import type { KernelBackend, KernelConfig, TensorInfo } from '@tensorflow/tfjs-core';

/** The parts of tfjs's wasm backend the neuron kernels touch (both public methods of BackendWasm). */
interface WasmBackendLike {
  makeOutput(shape: number[], dtype: 'float32'): TensorInfo;
  typedArrayFromHeap(t: TensorInfo): Float32Array | Int32Array | Uint8Array;
}

/**
 * On wasm the loops read and write the wasm heap in place: outputs are allocated first, then
 * views of every input and output are taken (an allocation may grow the heap and detach views
 * taken before it), and nothing is copied.
 */
const wasmRunner: ArrayKernelRunner = (backend: KernelBackend, inputs, shapes, body) => {
  const wasm = backend as unknown as WasmBackendLike;
  const outInfos = shapes.map((s) => wasm.makeOutput([...s], 'float32'));
  const view = (t: TensorInfo): Float32Array => {
    const a = wasm.typedArrayFromHeap(t);
    return a instanceof Float32Array ? a : Float32Array.from(a);
  };
  body(
    inputs.map((t) => (t === null ? null : view(t))),
    outInfos.map((t) => view(t)),
  );
  return outInfos;
};

/** snn's fused kernels for the wasm backend: `SnnNeuronForward`, `SnnNeuronBackward`, `SnnAdamUpdate`. */
export const wasmKernels: KernelConfig[] = [
  ...arrayNeuronKernels('wasm', wasmRunner),
  arrayAdamKernel('wasm', wasmRunner),
];

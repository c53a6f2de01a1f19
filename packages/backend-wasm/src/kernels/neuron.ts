import type { AdamUpdateAttrs, NeuronBackwardAttrs, NeuronForwardAttrs } from '@snn/core';
import {
  type ArrayKernelRunner,
  arrayAdamKernel,
  arrayNeuronKernels,
  arraySmallKernels,
  wasmHeapMemory,
} from '@snn/core/internal';
import type { KernelBackend, KernelConfig, KernelFunc, NamedTensorInfoMap, TensorInfo } from '@tensorflow/tfjs-core';
import {
  type NeuronSimdExports,
  neuronSimd,
  simdBackward,
  simdBackwardSupports,
  simdForward,
  simdForwardSupports,
} from '../simd/neuron-simd.js';

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

const sizeOf = (shape: readonly number[]): number => shape.reduce((a, b) => a * b, 1);

/** The SIMD kernels on the backend's heap, or null (no SIMD, or no memory to reach). */
function simdOf(backend: KernelBackend): { k: NeuronSimdExports; memory: WebAssembly.Memory } | null {
  const memory = wasmHeapMemory(backend); // the one tfjs internal read, kept in @snn/core
  if (memory === null) return null;
  const k = neuronSimd(memory);
  return k === null ? null : { k, memory };
}

const isF32 = (t: TensorInfo | undefined): t is TensorInfo => t !== undefined && t.dtype === 'float32';

/** Counts of kernel calls that took the SIMD path (for tests). */
export const neuronSimdCalls = { forward: 0, backward: 0, adam: 0 };

type Args = { inputs: NamedTensorInfoMap; backend: KernelBackend; attrs: NeuronForwardAttrs };
type AdamArgs = { inputs: NamedTensorInfoMap; backend: KernelBackend; attrs: AdamUpdateAttrs };

/**
 * The SIMD forward where it applies (charge if/lif with one tau value, not adaptive, float32),
 * else null so that the plain loops run.
 */
function simdForwardKernel({ inputs, backend, attrs }: Args): TensorInfo[] | null {
  const { xSeq, v0, tau } = inputs;
  if (!simdForwardSupports(attrs) || !isF32(xSeq) || !isF32(v0)) return null;
  if (attrs.charge === 'lif' && !(isF32(tau) && sizeOf(tau.shape) === 1)) return null;
  const T = xSeq.shape[0] as number;
  const stepShape = xSeq.shape.slice(1);
  const n = sizeOf(stepShape);
  if (T < 1 || n < 1 || sizeOf(v0.shape) !== n) return null;
  const simd = simdOf(backend);
  if (simd === null) return null;
  const shapes = [[...xSeq.shape], [attrs.keepSeq ? T : 1, ...stepShape]];
  if (attrs.saveH) shapes.push([...xSeq.shape]);
  let used = false;
  const out = wasmRunner(
    backend,
    [xSeq, v0, attrs.charge === 'lif' ? (tau as TensorInfo) : null],
    shapes,
    (ins, outs) => {
      const [x, v, p] = ins as [Float32Array, Float32Array, Float32Array | null];
      const views = [x, v, ...outs];
      // Views of the heap as it is now (a copy would mean a non-float32 array: not taken above).
      if (!views.every((a) => a.buffer === simd.memory.buffer)) throw new Error('SnnNeuronForward: not a heap view');
      simdForward(simd.k, attrs, T, n, {
        xSeq: x,
        v0: v,
        tau: p === null ? 1 : (p[0] as number),
        spikeSeq: outs[0] as Float32Array,
        vSeq: outs[1] as Float32Array,
        hSeq: attrs.saveH ? (outs[2] as Float32Array) : null,
      });
      used = true;
    },
  );
  if (used) neuronSimdCalls.forward++;
  return out;
}

/** The SIMD backward where it applies (as the forward, and a named surrogate), else null. */
function simdBackwardKernel({ inputs, backend, attrs: a }: Args): TensorInfo[] | null {
  const attrs = a as NeuronBackwardAttrs;
  const { hSeq, spikeSeq, gradSpikeSeq, gradVSeq, v0, tau } = inputs;
  if (!simdBackwardSupports(attrs)) return null;
  if (!isF32(hSeq) || !isF32(spikeSeq) || !isF32(gradSpikeSeq) || !isF32(gradVSeq) || !isF32(v0)) return null;
  if (attrs.charge === 'lif' && !(isF32(tau) && sizeOf(tau.shape) === 1)) return null;
  const T = hSeq.shape[0] as number;
  const n = sizeOf(hSeq.shape.slice(1));
  const gvRows = sizeOf(gradVSeq.shape) / Math.max(1, n);
  if (T < 1 || n < 1 || sizeOf(v0.shape) !== n || (gvRows !== T && gvRows !== 1)) return null;
  if (sizeOf(spikeSeq.shape) !== T * n || sizeOf(gradSpikeSeq.shape) !== T * n) return null;
  const simd = simdOf(backend);
  if (simd === null) return null;
  const ins = [hSeq, spikeSeq, gradSpikeSeq, gradVSeq, attrs.charge === 'lif' ? (tau as TensorInfo) : null];
  const out = wasmRunner(backend, ins, [[...hSeq.shape], [...v0.shape]], (views, outs) => {
    const [h, s, gS, gV, p] = views as [Float32Array, Float32Array, Float32Array, Float32Array, Float32Array | null];
    if (![h, s, gS, gV, ...outs].every((x) => x.buffer === simd.memory.buffer))
      throw new Error('SnnNeuronBackward: not a heap view');
    simdBackward(simd.k, attrs, T, n, {
      gradSpikeSeq: gS,
      gradVSeq: gV,
      hSeq: h,
      spikeSeq: s,
      tau: p === null ? 1 : (p[0] as number),
      gradXSeq: outs[0] as Float32Array,
      gradV0: outs[1] as Float32Array,
    });
  });
  neuronSimdCalls.backward++;
  return out;
}

/** The SIMD Adam update where the module loads (float32 tensors on the heap), else null. */
function simdAdamKernel({ inputs, backend, attrs }: AdamArgs): TensorInfo[] | null {
  const { value, m, v, gradient, c1, c2 } = inputs;
  if (![value, m, v, gradient, c1, c2].every(isF32)) return null;
  const simd = simdOf(backend);
  if (simd === null) return null;
  const shape = [...(value as TensorInfo).shape];
  const n = sizeOf(shape);
  neuronSimdCalls.adam++;
  return wasmRunner(backend, [value, m, v, gradient, c1, c2] as TensorInfo[], [shape, shape, shape], (ins, outs) => {
    const [x, mIn, vIn, g, b1c, b2c] = ins as Float32Array[];
    if (![x, mIn, vIn, g, ...outs].every((a) => a?.buffer === simd.memory.buffer))
      throw new Error('SnnAdamUpdate: not a heap view');
    const f = Math.fround;
    simd.k.adam(
      n,
      (x as Float32Array).byteOffset,
      (mIn as Float32Array).byteOffset,
      (vIn as Float32Array).byteOffset,
      (g as Float32Array).byteOffset,
      (outs[0] as Float32Array).byteOffset,
      (outs[1] as Float32Array).byteOffset,
      (outs[2] as Float32Array).byteOffset,
      f(attrs.beta1),
      f(attrs.beta2),
      f(1 - attrs.beta1),
      f(1 - attrs.beta2),
      (b1c as Float32Array)[0] as number,
      (b2c as Float32Array)[0] as number,
      f(attrs.epsilon),
      f(-attrs.learningRate),
    );
  });
}

/** `config` with `fast` tried first; the plain loops run where `fast` returns null. */
function withFastPath<A>(config: KernelConfig, fast: (args: A) => TensorInfo[] | null): KernelConfig {
  const loops = config.kernelFunc;
  const kernelFunc: KernelFunc = (args) => fast(args as unknown as A) ?? loops(args);
  return { ...config, kernelFunc };
}

const [neuronForward, neuronBackward] = arrayNeuronKernels('wasm', wasmRunner) as [KernelConfig, KernelConfig];

/**
 * snn's fused kernels for the wasm backend: `SnnNeuronForward`, `SnnNeuronBackward` (WebAssembly
 * SIMD for charge if/lif with one tau, not adaptive, named surrogate; core's plain loops for the
 * rest), `SnnAdamUpdate`.
 */
export const wasmKernels: KernelConfig[] = [
  withFastPath(neuronForward, simdForwardKernel),
  withFastPath(neuronBackward, simdBackwardKernel),
  withFastPath(arrayAdamKernel('wasm', wasmRunner), simdAdamKernel),
  ...arraySmallKernels('wasm', wasmRunner),
];

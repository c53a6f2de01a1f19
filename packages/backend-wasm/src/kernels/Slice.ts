import {
  getKernel,
  type KernelConfig,
  type KernelFunc,
  registerKernel,
  Slice,
  slice_util,
  type TensorInfo,
  unregisterKernel,
  util,
} from '@tensorflow/tfjs-core';

/** The parts of tfjs's wasm backend this kernel touches. */
interface WasmBackendLike {
  makeOutput(shape: number[], dtype: string): TensorInfo;
  typedArrayFromHeap(t: TensorInfo): Float32Array | Int32Array | Uint8Array;
}

type MarkedConfig = KernelConfig & { snnFastSlice?: true };

/**
 * A faster `Slice` for tfjs-backend-wasm 4.22. Its own kernel first copies the whole input out of
 * the wasm heap (`readSync`) to take a slice of it, so slicing one time step of a `[T, N]`
 * sequence costs O(T·N) (6 ms for T = 32, N = 1e5). This one copies contiguous slices straight
 * from a heap view and hands every other case to tfjs's kernel.
 *
 * Views are taken after `makeOutput`, which may grow the heap and detach earlier views.
 */
export function createWasmSlice(original: KernelFunc): MarkedConfig {
  const kernelFunc: KernelFunc = (args) => {
    const x = args.inputs.x as TensorInfo;
    const { begin, size } = args.attrs as unknown as { begin: number[]; size: number[] };
    const [begin_, size_] = slice_util.parseSliceParams(x, begin, size) as [number[], number[]];
    if (x.dtype === 'string' || !slice_util.isSliceContinous(x.shape, begin_, size_)) return original(args);
    const backend = args.backend as unknown as WasmBackendLike;
    const out = backend.makeOutput(size_, x.dtype);
    const offset = slice_util.computeFlatOffset(begin_, util.computeStrides(x.shape));
    const length = util.sizeFromShape(size_);
    const xView = backend.typedArrayFromHeap(x);
    backend.typedArrayFromHeap(out).set(xView.subarray(offset, offset + length));
    return out;
  };
  return { kernelName: Slice, backendName: 'wasm', kernelFunc, snnFastSlice: true };
}

/** tfjs's own wasm `Slice`, kept when {@link registerWasmSlice} replaced it (tests compare the two). */
let tfjsSlice: KernelConfig | undefined;

/** tfjs's own wasm `Slice` kernel, once {@link registerWasmSlice} has replaced it. */
export function tfjsWasmSlice(): KernelConfig | undefined {
  return tfjsSlice;
}

/** Replaces tfjs's wasm `Slice` with {@link createWasmSlice} (once; tfjs needs an unregister first). */
export function registerWasmSlice(): void {
  const current = getKernel(Slice, 'wasm') as MarkedConfig | undefined;
  if (current === undefined || current.snnFastSlice) return;
  tfjsSlice = current;
  unregisterKernel(Slice, 'wasm');
  registerKernel(createWasmSlice(current.kernelFunc));
}

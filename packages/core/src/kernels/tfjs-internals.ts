/**
 * Every use of tfjs internals in snn, in one place (engine methods and state, backend fields), so
 * a tfjs release that moves them breaks here, loudly: `tfjs-internals.test.ts` checks each one.
 */
import type { NamedTensorMap, Tensor, TensorInfo } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';

/** Saves tensors for the backward pass (cloned and kept by tfjs; only while a gradient is recorded). */
export type SaveFunc = (tensors: Tensor[]) => void;

interface KernelFuncParams {
  forwardFunc: (backend: unknown, save: SaveFunc) => Tensor | Tensor[];
  backwardsFunc: (dy: Tensor | Tensor[], saved: Tensor[]) => Record<string, () => Tensor>;
  inputs: NamedTensorMap;
}

interface EngineWithKernelFunc {
  runKernelFunc(params: KernelFuncParams): Tensor | Tensor[];
}

/**
 * Runs `forward` as one node of the gradient tape with a hand-written `backward`, like
 * `tf.customGrad` but with several outputs (customGrad allows one). Ops inside `forward` are not
 * recorded. `backward` receives one gradient per output (zeros for unused outputs) and returns one
 * gradient per input, in the order of `inputs`: a tensor, or a function that makes it — tfjs calls
 * only the functions of inputs that lead to what is differentiated, so work for the others is
 * never done (the input gradient of a network's first layer).
 *
 * This uses the engine's `runKernelFunc`, the method `tf.customGrad` itself is built on; the
 * golden BPTT tests of the neuron kernels fail if a tfjs release changes it.
 */
export function runWithGradient(
  inputs: Tensor[],
  forward: (save: SaveFunc) => Tensor[],
  backward: (dys: Tensor[], saved: Tensor[]) => (Tensor | (() => Tensor))[],
): Tensor[] {
  const engine = tf.engine() as unknown as EngineWithKernelFunc;
  const inputMap: NamedTensorMap = {};
  inputs.forEach((t, i) => {
    inputMap[i] = t;
  });
  const out = engine.runKernelFunc({
    inputs: inputMap,
    forwardFunc: (_backend, save) => forward(save),
    backwardsFunc: (dy, saved) => {
      const grads = backward(Array.isArray(dy) ? dy : [dy], saved);
      const gradMap: Record<string, () => Tensor> = {};
      grads.forEach((g, i) => {
        gradMap[i] = typeof g === 'function' ? g : () => g;
      });
      return gradMap;
    },
  });
  return Array.isArray(out) ? out : [out];
}

/**
 * Runs `fn` without recording its ops on the gradient tape (they would be pruned from the
 * backward anyway, but tfjs clones what each recorded op saves: a kernel per input). For values
 * computed beside a loss, such as an accuracy. The result carries no gradient.
 */
export function untaped(fn: () => Tensor): Tensor {
  const [out] = runWithGradient(
    [],
    () => [fn()],
    () => [],
  );
  return out as Tensor;
}

interface EngineWithTape {
  isTapeOn(): boolean;
}

/**
 * Whether an op run now is recorded for a gradient (inside `tf.grad`, `variableGrads`,
 * `optimizer.computeGradients`, and not inside another kernel). Reads the engine's `isTapeOn`.
 */
export function isRecordingGradient(): boolean {
  return (tf.engine() as unknown as EngineWithTape).isTapeOn();
}

/** The parts of tfjs's engine state that {@link discardTape} touches. */
interface EngineTapeState {
  activeTape?: { saved?: Tensor[] }[] | null;
  gradientDepth?: number;
}

/**
 * After a gradient computation threw (a wrong label, a shape error in the network), tfjs leaves
 * the tensors its tape saved for the backward pass behind; a successful call frees them. This
 * frees them the same way, when no outer gradient computation is still running.
 */
export function discardTape(): void {
  const state = (tf.engine() as unknown as { state?: EngineTapeState }).state;
  if (state === undefined || state.gradientDepth !== 0 || !Array.isArray(state.activeTape)) return;
  for (const node of state.activeTape) if (Array.isArray(node.saved)) tf.dispose(node.saved);
  state.activeTape = null;
}

interface CpuBackendData {
  data: { get(dataId: object): { values: ArrayLike<number> } };
}

/**
 * The values of a tensor on tfjs's cpu backend as float32 (the cpu backend may keep a float32
 * tensor made from a bool in a `Uint8Array`: that one is copied). Reads `backend.data`.
 */
export function cpuFloat32(backend: unknown, t: TensorInfo): Float32Array {
  const values = (backend as CpuBackendData).data.get(t.dataId).values;
  return values instanceof Float32Array ? values : Float32Array.from(values);
}

/**
 * The `WebAssembly.Memory` of tfjs-backend-wasm's instance (its emscripten module's
 * `asm.memory`), so that a module of snn's can import it and work on tensors in place; null
 * when `backend` is not a started wasm backend.
 */
export function wasmHeapMemory(backend: unknown): WebAssembly.Memory | null {
  const memory = (backend as { wasm?: { asm?: { memory?: unknown } } } | null)?.wasm?.asm?.memory;
  return typeof WebAssembly !== 'undefined' && memory instanceof WebAssembly.Memory ? memory : null;
}

/** Checks that the tfjs internals this module reads are where it expects; throws naming the first missing one. */
export function checkTfjsInternals(): void {
  const engine = tf.engine() as unknown as Record<string, unknown>;
  for (const name of ['runKernelFunc', 'isTapeOn']) {
    if (typeof engine[name] !== 'function') throw new Error(`tfjs internals changed: engine.${name} is not a function`);
  }
  const state = engine.state as Record<string, unknown> | undefined;
  if (state === undefined || typeof state.gradientDepth !== 'number' || !('activeTape' in state)) {
    throw new Error('tfjs internals changed: engine.state.gradientDepth / activeTape are missing');
  }
  const probe = tf.train.adam(0.1);
  tfjsAdamState(probe);
  probe.dispose();
  if (typeof (tf.engine() as unknown as { registeredVariables?: object }).registeredVariables !== 'object') {
    throw new Error('tfjs internals changed: engine.registeredVariables is missing');
  }
  if (tf.getBackend() === 'wasm' && wasmHeapMemory(tf.backend()) === null) {
    throw new Error('tfjs internals changed: the wasm backend has no wasm.asm.memory');
  }
  if (tf.getBackend() === 'cpu') {
    const b = tf.backend() as unknown as Partial<CpuBackendData>;
    if (typeof b.data?.get !== 'function') throw new Error('tfjs internals changed: the cpu backend has no data.get');
  }
}

/** The state of a tfjs `AdamOptimizer` (its private fields), for a fused update of the same state. */
export interface TfjsAdamState {
  readonly learningRate: number;
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;
  readonly accBeta1: tf.Variable;
  readonly accBeta2: tf.Variable;
  /** Slots by position of the variable in the gradient map, as tfjs keeps them. */
  readonly accumulatedFirstMoment: ({ originalName: string; variable: tf.Variable } | undefined)[];
  readonly accumulatedSecondMoment: ({ originalName: string; variable: tf.Variable } | undefined)[];
  incrementIterations(): void;
}

/**
 * The state of `optimizer` when it is tfjs's own `AdamOptimizer` (`tf.train.adam`), else null.
 * Reads its private fields `accBeta1`, `accBeta2`, `accumulatedFirstMoment`,
 * `accumulatedSecondMoment` and calls its protected `incrementIterations`.
 */
export function tfjsAdamState(optimizer: unknown): TfjsAdamState | null {
  // Exactly tfjs's class (tfjs optimizers answer `instanceof` for any optimizer; a subclass may
  // change the update).
  if (optimizer === null || typeof optimizer !== 'object' || optimizer.constructor !== tf.AdamOptimizer) return null;
  const s = optimizer as unknown as TfjsAdamState;
  const ok =
    s.accBeta1 instanceof tf.Variable &&
    s.accBeta2 instanceof tf.Variable &&
    Array.isArray(s.accumulatedFirstMoment) &&
    Array.isArray(s.accumulatedSecondMoment) &&
    typeof s.incrementIterations === 'function';
  if (!ok)
    throw new Error(
      'tfjs internals changed: AdamOptimizer no longer has accBeta1/2, accumulated moments or incrementIterations',
    );
  return s;
}

/** The variables tfjs's engine has registered by name (what optimizers look gradients up in). */
export function registeredVariable(name: string): tf.Variable | undefined {
  return (tf.engine() as unknown as { registeredVariables: Record<string, tf.Variable> }).registeredVariables[name];
}

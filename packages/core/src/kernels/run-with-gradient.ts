import type { NamedTensorMap, Tensor } from '@tensorflow/tfjs-core';
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
 * gradient per input, in the order of `inputs`.
 *
 * This uses the engine's `runKernelFunc`, the method `tf.customGrad` itself is built on; the
 * BPTT golden tests of `lif-multi-step.test.ts` fail if a tfjs release changes it.
 */
export function runWithGradient(
  inputs: Tensor[],
  forward: (save: SaveFunc) => Tensor[],
  backward: (dys: Tensor[], saved: Tensor[]) => Tensor[],
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
        gradMap[i] = () => g;
      });
      return gradMap;
    },
  });
  return Array.isArray(out) ? out : [out];
}

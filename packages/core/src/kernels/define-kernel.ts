import type { KernelBackend, KernelConfig, NamedAttrMap, NamedTensorInfoMap, TensorInfo } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';

/** A typed kernel implementation: what a backend package writes for one contract name. */
export type SnnKernelFunc<I, A> = (args: { inputs: I; backend: KernelBackend; attrs: A }) => TensorInfo | TensorInfo[];

/**
 * Builds the `KernelConfig` that `tf.registerKernel` takes, with the contract's input and
 * attribute types checked at compile time.
 *
 * @example
 * ```ts
 * export const lifMultiStepConfig = defineKernel<LIFMultiStepInputs, LIFMultiStepAttrs>(
 *   LIFMultiStep, 'wasm', lifMultiStepWasm);
 * registerKernels([lifMultiStepConfig]);
 * ```
 */
export function defineKernel<I extends NamedTensorInfoMap, A extends NamedAttrMap>(
  kernelName: string,
  backendName: string,
  kernelFunc: SnnKernelFunc<I, A>,
): KernelConfig {
  return { kernelName, backendName, kernelFunc: kernelFunc as unknown as KernelConfig['kernelFunc'] };
}

/** Registers fused kernels, skipping any already registered (so a package imported twice is harmless). */
export function registerKernels(configs: readonly KernelConfig[]): void {
  for (const c of configs) {
    if (tf.getKernel(c.kernelName, c.backendName) === undefined) tf.registerKernel(c);
  }
}

/** Whether the current backend has a fused kernel for `kernelName` (otherwise core's reference runs). */
export function hasFusedKernel(kernelName: string, backendName: string = tf.getBackend()): boolean {
  return tf.getKernel(kernelName, backendName) !== undefined;
}

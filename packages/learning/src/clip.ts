import { checkPositive, checkTensor, ValueError } from '@snn/core';
import { globalNorm as coreGlobalNorm } from '@snn/core/internal';
import type { Tensor } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';

/** What {@link clipByGlobalNorm} returns. */
export interface ClipResult {
  /** The scaled tensors, in the order given; the caller owns them. */
  readonly clipped: Tensor[];
  /** The global norm before clipping. */
  readonly globalNorm: number;
}

function checkList(fn: string, tensors: readonly Tensor[]): void {
  if (!Array.isArray(tensors)) throw new ValueError(fn, 'tensors', 'an array of tensors', tensors);
  for (const [i, t] of tensors.entries()) checkTensor(fn, `tensors[${i}]`, t);
}

/** `sqrt(Σ_i ‖g_i‖²)` as a float32 scalar tensor (0 for an empty list). */
export function globalNormTensor(tensors: readonly Tensor[]): Tensor {
  return coreGlobalNorm(tensors); // one fused kernel on cpu and wasm
}

/**
 * The global L2 norm of a list of tensors (gradients): `‖g‖ = sqrt(Σ_i Σ_j g_i[j]²)`.
 *
 * @throws ValueError unless `tensors` is an array of tensors.
 * @example
 * ```ts
 * globalNorm([tf.tensor1d([3]), tf.tensor1d([4])]); // 5
 * ```
 */
export function globalNorm(tensors: readonly Tensor[]): number {
  checkList('globalNorm', tensors);
  const norm = globalNormTensor(tensors);
  const value = norm.dataSync()[0] as number;
  norm.dispose();
  return value;
}

/**
 * Scales a list of tensors (gradients) together so that their global norm is at most `clipNorm`
 * (TensorFlow's `clip_by_global_norm`; tfjs-core has none):
 *
 * `g_i ← g_i · clipNorm / max(‖g‖, clipNorm)`,  `‖g‖ = sqrt(Σ_i ‖g_i‖²)`
 *
 * Below the bound nothing changes; above it every tensor is scaled by the same factor, so the
 * direction of the update is kept. A non-finite norm (a NaN or infinite gradient) is returned
 * as it is and the tensors are copied unscaled; {@link trainStep} refuses such a step.
 *
 * @param tensors - the tensors to clip; not disposed.
 * @param clipNorm - the bound, a finite number > 0.
 * @returns The clipped tensors (new; the caller owns them) and the norm before clipping.
 * @throws ValueError when `clipNorm` is not a finite number > 0 or `tensors` is not an array of tensors.
 * @example
 * ```ts
 * const { clipped, globalNorm } = clipByGlobalNorm([tf.tensor1d([3]), tf.tensor1d([4])], 1);
 * // globalNorm 5; clipped [0.6], [0.8]
 * ```
 */
export function clipByGlobalNorm(tensors: readonly Tensor[], clipNorm: number): ClipResult {
  const fn = 'clipByGlobalNorm';
  checkPositive(fn, 'clipNorm', clipNorm);
  checkList(fn, tensors);
  const norm = globalNormTensor(tensors);
  const value = norm.dataSync()[0] as number;
  const clipped = tf.tidy(() => {
    if (!Number.isFinite(value) || value <= clipNorm) return tensors.map((t) => tf.clone(t));
    const factor = tf.div(clipNorm, norm);
    return tensors.map((t) => tf.mul(t, factor));
  });
  norm.dispose();
  return { clipped, globalNorm: value };
}

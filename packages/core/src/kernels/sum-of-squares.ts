import type { Scalar, Tensor } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';
import { hasFusedKernel } from './define-kernel.js';

/**
 * `Σ_i Σ_j x_i[j]²` over any number of float32 tensors (inputs `x0`, `x1`, …) as one kernel:
 * a global gradient norm without a square, a sum and an add per tensor. Output: `[]`.
 */
export const SumOfSquares = 'SnnSumOfSquares';

/**
 * `sqrt(Σ_i ‖x_i‖²)`, the global L2 norm of float32 tensors, as a scalar tensor (0 for none):
 * the fused kernel of the current backend when registered, else tfjs ops. Not differentiable.
 */
export function globalNorm(tensors: readonly Tensor[]): Scalar {
  return tf.tidy(() => {
    if (tensors.length === 0) return tf.scalar(0);
    if (hasFusedKernel(SumOfSquares) && tensors.every((t) => t.dtype === 'float32')) {
      const inputs = Object.fromEntries(tensors.map((t, i) => [`x${i}`, t]));
      const out = tf.engine().runKernel(SumOfSquares, inputs, {}) as Tensor | Tensor[];
      return tf.sqrt(Array.isArray(out) ? (out[0] as Tensor) : out);
    }
    const sums = tensors.map((g) => tf.sum(tf.square(g.dtype === 'float32' ? g : tf.cast(g, 'float32'))));
    return tf.sqrt(sums.length === 1 ? (sums[0] as Tensor) : tf.addN(sums));
  }) as Scalar;
}

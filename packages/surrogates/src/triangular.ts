import { checkPositive } from '@snn/core';
import * as tf from '@tensorflow/tfjs-core';
import { atLeast } from './internal.js';
import { defineSurrogate, type Surrogate } from './surrogate.js';

/**
 * Triangular surrogate as snnTorch defines it (`snntorch.surrogate.triangular`): the derivative
 * of the tent `threshold·(1 − |x|)`, i.e. a gradient of `+threshold` below the firing threshold
 * and `−threshold` at and above it.
 *
 * ```
 * g'(x) = threshold    for x < 0
 *         −threshold   for x ≥ 0
 * ```
 *
 * Mind the sign: unlike every other surrogate here, this gradient is negative where the neuron
 * fires and does not vanish far from the threshold. That is what snnTorch computes, kept for
 * parity. For a triangle-shaped (non-negative, compact) gradient use {@link piecewiseQuadratic}.
 * Spiking mode only, as in snnTorch. The forward is this package's `Θ(x) = (x ≥ 0)`; snnTorch's
 * is `x > 0`.
 *
 * @param threshold - Magnitude of the gradient, default 1 (snnTorch's default; it is not the
 *   neuron's threshold, which the neuron subtracts before calling the surrogate).
 * @throws ValueError when `threshold` is not a finite number > 0.
 * @example
 * ```ts
 * const s = triangular(); // g'(−0.5) = 1, g'(0.5) = −1
 * ```
 */
export function triangular(threshold = 1): Surrogate {
  checkPositive('triangular', 'threshold', threshold);
  return defineSurrogate({
    name: 'triangular',
    params: { threshold },
    grad: (x) => tf.where(atLeast(x, 0), tf.fill(x.shape, -threshold), tf.fill(x.shape, threshold)),
  });
}

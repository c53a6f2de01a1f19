import { checkPositive } from '@snn/core';
import * as tf from '@tensorflow/tfjs-core';
import { atMost } from './internal.js';
import { defineSurrogate, type Surrogate, type SurrogateOptions, spikingOption } from './surrogate.js';

/**
 * Piecewise quadratic surrogate (SpikingJelly `PiecewiseQuadratic`, Esser et al. 2016): a
 * triangle-shaped gradient of half-width `1/α` and height `α`.
 *
 * ```
 * g'(x) = α − α²·|x|   for |x| ≤ 1/α,   0 otherwise
 * g(x)  = 0                              for x < −1/α
 *         −(α²/2)·x²·sgn(x) + α·x + 1/2  for |x| ≤ 1/α
 *         1                              for x > 1/α
 * ```
 *
 * @param alpha - Inverse half-width of the triangle, default 1.
 * @param options - `spiking` (default true): Heaviside forward, or `g` itself when false.
 * @throws UnknownOptionError for an option other than `spiking`; ValueError for a `spiking` that is not a boolean.
 * @throws ValueError when `alpha` is not a finite number > 0.
 * @example
 * ```ts
 * const dx = tf.grad((x) => tf.sum(piecewiseQuadratic(2).apply(x)))(tf.tensor([-1, 0, 0.25]));
 * // [0, 2, 1]
 * ```
 */
export function piecewiseQuadratic(alpha = 1, options: SurrogateOptions = {}): Surrogate {
  const spiking = spikingOption('piecewiseQuadratic', options);
  checkPositive('piecewiseQuadratic', 'alpha', alpha);
  const width = 1 / alpha;
  return defineSurrogate(
    {
      name: 'piecewiseQuadratic',
      params: { alpha },
      grad: (x) => {
        const ax = tf.abs(x);
        return tf.where(atMost(ax, width), tf.add(tf.mul(ax, -(alpha * alpha)), alpha), tf.zerosLike(x));
      },
      primitive: (x) => {
        const quad = tf.mul(tf.mul(tf.square(x), -(alpha * alpha) / 2), tf.sign(x));
        const mid = tf.add(tf.add(quad, tf.mul(x, alpha)), 0.5);
        const notAbove = tf.where(atMost(tf.abs(x), width), mid, tf.zerosLike(x));
        return tf.where(atMost(x, width), notAbove, tf.onesLike(x));
      },
    },
    spiking,
  );
}

import { checkPositive } from '@snn/core';
import * as tf from '@tensorflow/tfjs-core';
import { signNonZero } from './internal.js';
import { defineSurrogate, heaviside, type Surrogate, type SurrogateOptions, spikingOption } from './surrogate.js';

/**
 * Piecewise exponential surrogate (SpikingJelly `PiecewiseExp`, Shrestha & Orchard 2018, SLAYER):
 * a Laplace-shaped gradient.
 *
 * ```
 * g'(x) = (α/2)·exp(−α·|x|)
 * g(x)  = exp(α·x)/2        for x < 0
 *         1 − exp(−α·x)/2   for x ≥ 0
 * ```
 *
 * @param alpha - Decay rate, default 1.
 * @param options - `spiking` (default true): Heaviside forward, or `g` itself when false.
 * @throws UnknownOptionError for an option other than `spiking`; ValueError for a `spiking` that is not a boolean.
 * @throws ValueError when `alpha` is not a finite number > 0.
 * @example
 * ```ts
 * const s = piecewiseExp(2); // g'(0) = 1
 * ```
 */
export function piecewiseExp(alpha = 1, options: SurrogateOptions = {}): Surrogate {
  const spiking = spikingOption('piecewiseExp', options);
  checkPositive('piecewiseExp', 'alpha', alpha);
  return defineSurrogate(
    {
      name: 'piecewiseExp',
      params: { alpha },
      grad: (x) => tf.mul(tf.exp(tf.mul(tf.abs(x), -alpha)), alpha / 2),
      primitive: (x) => {
        const step = heaviside(x);
        const sign = signNonZero(x);
        const half = tf.div(tf.exp(tf.mul(tf.mul(sign, x), -alpha)), 2);
        return tf.sub(step, tf.mul(half, sign));
      },
    },
    spiking,
  );
}

import { checkPositive } from '@snn/core';
import * as tf from '@tensorflow/tfjs-core';
import { atLeast } from './internal.js';
import { defineSurrogate, type Surrogate, type SurrogateOptions, spikingOption } from './surrogate.js';

/**
 * S2NN surrogate (SpikingJelly `S2NN`, Suetake et al. 2023): sigmoid-shaped below the threshold,
 * a `1/(x+1)` tail above it.
 *
 * ```
 * g'(x) = α·s·(1 − s),  s = sigmoid(α·x)   for x < 0
 *         β / (x + 1)                      for x ≥ 0
 * g(x)  = sigmoid(α·x)                     for x < 0
 *         β·ln(|x + 1| + 1e-5) + 1/2       for x ≥ 0
 * ```
 *
 * @param alpha - Steepness of the sigmoid part, default 4.
 * @param beta - Scale of the tail, default 1.
 * @param options - `spiking` (default true): Heaviside forward, or `g` itself when false.
 * @throws UnknownOptionError for an option other than `spiking`; ValueError for a `spiking` that is not a boolean.
 * @throws ValueError when `alpha` or `beta` is not a finite number > 0.
 * @example
 * ```ts
 * const s = s2nn(4, 1);
 * ```
 */
export function s2nn(alpha = 4, beta = 1, options: SurrogateOptions = {}): Surrogate {
  const spiking = spikingOption('s2nn', options);
  checkPositive('s2nn', 'alpha', alpha);
  checkPositive('s2nn', 'beta', beta);
  return defineSurrogate(
    {
      name: 's2nn',
      params: { alpha, beta },
      grad: (x) => {
        const s = tf.sigmoid(tf.mul(x, alpha));
        const below = tf.mul(tf.mul(s, alpha), tf.sub(1, s));
        return tf.where(atLeast(x, 0), tf.div(beta, tf.add(x, 1)), below);
      },
      primitive: (x) => {
        const above = tf.add(tf.mul(tf.log(tf.add(tf.abs(tf.add(x, 1)), 1e-5)), beta), 0.5);
        return tf.where(atLeast(x, 0), above, tf.sigmoid(tf.mul(x, alpha)));
      },
    },
    spiking,
  );
}

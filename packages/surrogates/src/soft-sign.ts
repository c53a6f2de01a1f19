import { checkPositive } from '@snn/core';
import * as tf from '@tensorflow/tfjs-core';
import { defineSurrogate, type Surrogate, type SurrogateOptions, spikingOption } from './surrogate.js';

/**
 * Soft sign surrogate (SpikingJelly `SoftSign`).
 *
 * ```
 * g'(x) = 1 / (2α·(1/α + |x|)²)
 * g(x)  = (softsign(α·x) + 1) / 2,   softsign(u) = u / (1 + |u|)
 * ```
 *
 * @param alpha - Steepness, default 2 (`g'(0) = α/2`).
 * @param options - `spiking` (default true): Heaviside forward, or `g` itself when false.
 * @throws UnknownOptionError for an option other than `spiking`; ValueError for a `spiking` that is not a boolean.
 * @throws ValueError when `alpha` is not a finite number > 0.
 * @example
 * ```ts
 * const s = softSign(); // alpha 2
 * ```
 */
export function softSign(alpha = 2, options: SurrogateOptions = {}): Surrogate {
  const spiking = spikingOption('softSign', options);
  checkPositive('softSign', 'alpha', alpha);
  return defineSurrogate(
    {
      name: 'softSign',
      params: { alpha },
      grad: (x) => tf.div(1, tf.mul(tf.square(tf.add(tf.abs(x), 1 / alpha)), 2 * alpha)),
      primitive: (x) => {
        const u = tf.mul(x, alpha);
        return tf.div(tf.add(tf.div(u, tf.add(tf.abs(u), 1)), 1), 2);
      },
    },
    spiking,
  );
}

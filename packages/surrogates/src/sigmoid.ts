import { checkPositive } from '@snn/core';
import * as tf from '@tensorflow/tfjs-core';
import { defineSurrogate, type Surrogate, type SurrogateOptions, spikingOption } from './surrogate.js';

/**
 * Sigmoid surrogate (SpikingJelly `Sigmoid`).
 *
 * ```
 * g'(x) = α·s·(1 − s),  s = sigmoid(α·x)
 * g(x)  = sigmoid(α·x)
 * ```
 *
 * @param alpha - Steepness, default 4 (`g'(0) = α/4`).
 * @param options - `spiking` (default true): Heaviside forward, or `g` itself when false.
 * @throws UnknownOptionError for an option other than `spiking`; ValueError for a `spiking` that is not a boolean.
 * @throws ValueError when `alpha` is not a finite number > 0.
 * @example
 * ```ts
 * const dx = tf.grad((x) => tf.sum(sigmoid(4).apply(x)))(tf.tensor([-1, 0, 1]));
 * ```
 */
export function sigmoid(alpha = 4, options: SurrogateOptions = {}): Surrogate {
  const spiking = spikingOption('sigmoid', options);
  checkPositive('sigmoid', 'alpha', alpha);
  return defineSurrogate(
    {
      name: 'sigmoid',
      params: { alpha },
      grad: (x) => {
        const s = tf.sigmoid(tf.mul(x, alpha));
        return tf.mul(tf.mul(s, tf.sub(1, s)), alpha);
      },
      primitive: (x) => tf.sigmoid(tf.mul(x, alpha)),
    },
    spiking,
  );
}

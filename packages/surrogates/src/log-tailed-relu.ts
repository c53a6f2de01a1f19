import { checkFinite } from '@snn/core';
import * as tf from '@tensorflow/tfjs-core';
import { atMost } from './internal.js';
import { defineSurrogate, type Surrogate, type SurrogateOptions, spikingOption } from './surrogate.js';

/**
 * Log-tailed ReLU surrogate (SpikingJelly `LogTailedReLU`, Cai et al. 2017).
 *
 * ```
 * g'(x) = α     for x ≤ 0
 *         1     for 0 < x ≤ 1
 *         1/x   for x > 1
 * g(x)  = α·x        for x ≤ 0
 *         x          for 0 < x ≤ 1
 *         ln(x) + 1  for x > 1
 * ```
 *
 * The primitive is the intended one (SpikingJelly master's): SpikingJelly 0.0.0.0.14 returns NaN
 * for every `x ≤ 0` there. It is unbounded and not a step; it is meant for spiking mode.
 *
 * @param alpha - Slope below the threshold, default 0.
 * @param options - `spiking` (default true): Heaviside forward, or `g` itself when false.
 * @throws UnknownOptionError for an option other than `spiking`; ValueError for a `spiking` that is not a boolean.
 * @throws ValueError when `alpha` is not a finite number.
 * @example
 * ```ts
 * const s = logTailedReLU(0.1);
 * ```
 */
export function logTailedReLU(alpha = 0, options: SurrogateOptions = {}): Surrogate {
  const spiking = spikingOption('logTailedReLU', options);
  checkFinite('logTailedReLU', 'alpha', alpha);
  return defineSurrogate(
    {
      name: 'logTailedReLU',
      params: { alpha },
      grad: (x) =>
        tf.where(atMost(x, 0), tf.fill(x.shape, alpha), tf.where(atMost(x, 1), tf.onesLike(x), tf.div(1, x))),
      primitive: (x) => {
        // ln(max(x, 1)): finite everywhere, so no NaN leaks into autograd through the unused branch.
        const tail = tf.add(tf.log(tf.maximum(x, 1)), 1);
        return tf.where(atMost(x, 1), tf.where(atMost(x, 0), tf.mul(x, alpha), x), tail);
      },
    },
    spiking,
  );
}

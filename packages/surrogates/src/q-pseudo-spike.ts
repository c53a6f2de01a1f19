import * as tf from '@tensorflow/tfjs-core';
import { checkGreater, signNonZero } from './internal.js';
import { defineSurrogate, heaviside, type Surrogate, type SurrogateOptions, spikingOption } from './surrogate.js';

/**
 * q-PseudoSpike surrogate (SpikingJelly `QPseudoSpike`, Sun et al. 2022): a gradient with a
 * heavy, tunable tail.
 *
 * ```
 * g'(x) = (1 + 2·|x|/(α − 1))^(−α)
 * g(x)  = 1 − (1/2)·(1 + 2·x/(α − 1))^(1 − α)   for x ≥ 0
 *         (1/2)·(1 − 2·x/(α − 1))^(1 − α)       for x < 0
 * ```
 *
 * @param alpha - Tail factor, a number > 1, default 2 (larger: thinner tail).
 * @param options - `spiking` (default true): Heaviside forward, or `g` itself when false.
 * @throws UnknownOptionError for an option other than `spiking`; ValueError for a `spiking` that is not a boolean.
 * @throws ValueError when `alpha` is not a finite number > 1.
 * @example
 * ```ts
 * const s = qPseudoSpike(3);
 * ```
 */
export function qPseudoSpike(alpha = 2, options: SurrogateOptions = {}): Surrogate {
  const spiking = spikingOption('qPseudoSpike', options);
  checkGreater('qPseudoSpike', 'alpha', alpha, 1);
  const k = 2 / (alpha - 1);
  return defineSurrogate(
    {
      name: 'qPseudoSpike',
      params: { alpha },
      grad: (x) => tf.pow(tf.add(tf.mul(tf.abs(x), k), 1), -alpha),
      primitive: (x) => {
        // With s = sgn(x) a constant, 1 + k·x·s = 1 + k·|x| ≥ 1: the power never sees a negative base.
        const sign = signNonZero(x);
        const half = tf.mul(tf.pow(tf.add(tf.mul(tf.mul(x, k), sign), 1), 1 - alpha), 0.5);
        return tf.sub(heaviside(x), tf.mul(sign, half));
      },
    },
    spiking,
  );
}

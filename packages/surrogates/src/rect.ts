import { checkPositive } from '@snn/core';
import * as tf from '@tensorflow/tfjs-core';
import { atLeast } from './internal.js';
import { defineSurrogate, type Surrogate, type SurrogateOptions, spikingOption } from './surrogate.js';

/**
 * Rectangular surrogate (SpikingJelly master `Rect`): a box of height `α` and width `1/α`.
 *
 * ```
 * g'(x) = α   for |x| < 1/(2α),   0 otherwise
 * g(x)  = clamp(α·x + 1/2, 0, 1)
 * ```
 *
 * In non-spiking mode the gradient is the clamp's, which includes both ends `|x| = 1/(2α)`.
 *
 * @param alpha - Height of the box, default 1.
 * @param options - `spiking` (default true): Heaviside forward, or `g` itself when false.
 * @throws UnknownOptionError for an option other than `spiking`; ValueError for a `spiking` that is not a boolean.
 * @throws ValueError when `alpha` is not a finite number > 0.
 * @example
 * ```ts
 * const s = rect(2); // g' = 2 on |x| < 0.25
 * ```
 */
export function rect(alpha = 1, options: SurrogateOptions = {}): Surrogate {
  const spiking = spikingOption('rect', options);
  checkPositive('rect', 'alpha', alpha);
  return defineSurrogate(
    {
      name: 'rect',
      params: { alpha },
      grad: (x) => tf.where(atLeast(tf.abs(x), 0.5 / alpha), tf.zerosLike(x), tf.fill(x.shape, alpha)),
      primitive: (x) => tf.clipByValue(tf.add(tf.mul(x, alpha), 0.5), 0, 1),
    },
    spiking,
  );
}

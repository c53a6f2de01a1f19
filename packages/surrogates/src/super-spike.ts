import { checkPositive } from '@snn/core';
import * as tf from '@tensorflow/tfjs-core';
import { defineSurrogate, type Surrogate } from './surrogate.js';

/**
 * SuperSpike surrogate (SpikingJelly master `SuperSpike`, Zenke & Ganguli 2018).
 *
 * ```
 * g'(x) = α / (1 + |x|)²
 * ```
 *
 * Spiking mode only: SpikingJelly master defines no primitive. {@link fastSigmoid} is the same
 * shape with a slope inside the square instead of a scale outside it.
 *
 * @param alpha - Scale, default 1.
 * @throws ValueError when `alpha` is not a finite number > 0.
 * @example
 * ```ts
 * const s = superSpike(2);
 * ```
 */
export function superSpike(alpha = 1): Surrogate {
  checkPositive('superSpike', 'alpha', alpha);
  return defineSurrogate({
    name: 'superSpike',
    params: { alpha },
    grad: (x) => tf.div(alpha, tf.square(tf.add(tf.abs(x), 1))),
  });
}

import * as tf from '@tensorflow/tfjs-core';
import { defineSurrogate, type Surrogate } from './surrogate.js';

/**
 * Straight-through estimator (snnTorch `straight_through_estimator`, Bengio et al. 2013): the
 * gradient passes through the step unchanged.
 *
 * ```
 * g'(x) = 1
 * ```
 *
 * Spiking mode only, as in snnTorch; {@link deterministicPass} is the same gradient with an
 * identity primitive (SpikingJelly master).
 *
 * @example
 * ```ts
 * const s = straightThrough();
 * ```
 */
export function straightThrough(): Surrogate {
  return defineSurrogate({
    name: 'straightThrough',
    params: {},
    grad: (x) => tf.onesLike(x),
  });
}

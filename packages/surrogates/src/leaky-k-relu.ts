import { checkFinite } from '@snn/core';
import * as tf from '@tensorflow/tfjs-core';
import { defineSurrogate, heaviside, type Surrogate, type SurrogateOptions, spikingOption } from './surrogate.js';

/**
 * Leaky k-ReLU surrogate (SpikingJelly `LeakyKReLU`): a gradient of `k` at and above the
 * threshold and `leak` below it.
 *
 * ```
 * g'(x) = k      for x ≥ 0,   leak   for x < 0
 * g(x)  = k·x    for x ≥ 0,   leak·x for x < 0
 * ```
 *
 * @param leak - Gradient below the threshold, default 0.
 * @param k - Gradient at and above the threshold, default 1.
 * @param options - `spiking` (default true): Heaviside forward, or `g` itself when false.
 * @throws UnknownOptionError for an option other than `spiking`; ValueError for a `spiking` that is not a boolean.
 * @throws ValueError when `leak` or `k` is not a finite number.
 * @example
 * ```ts
 * const s = leakyKReLU(0.1, 2);
 * ```
 */
export function leakyKReLU(leak = 0, k = 1, options: SurrogateOptions = {}): Surrogate {
  const spiking = spikingOption('leakyKReLU', options);
  checkFinite('leakyKReLU', 'leak', leak);
  checkFinite('leakyKReLU', 'k', k);
  // Θ(x) comes from a comparison: autograd treats the slope as a constant.
  const slope = (x: tf.Tensor) => {
    const above = heaviside(x);
    return tf.add(tf.mul(tf.sub(1, above), leak), tf.mul(above, k));
  };
  return defineSurrogate(
    {
      name: 'leakyKReLU',
      params: { leak, k },
      grad: slope,
      primitive: (x) => tf.mul(slope(x), x),
    },
    spiking,
  );
}

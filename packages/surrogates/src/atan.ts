import { checkPositive } from '@snn/core';
import * as tf from '@tensorflow/tfjs-core';
import { defineSurrogate, type Surrogate, type SurrogateOptions, spikingOption } from './surrogate.js';

/**
 * Arctangent surrogate (SpikingJelly `ATan`, Fang et al. 2021).
 *
 * ```
 * g'(x) = (α/2) / (1 + (π/2·α·x)²)
 * g(x)  = atan(π/2·α·x)/π + 1/2
 * ```
 *
 * @param alpha - Steepness, default 2 (`g'(0) = α/2`).
 * @param options - `spiking` (default true): Heaviside forward, or `g` itself when false.
 * @throws UnknownOptionError for an option other than `spiking`; ValueError for a `spiking` that is not a boolean.
 * @throws ValueError when `alpha` is not a finite number > 0.
 * @example
 * ```ts
 * const node = new LIFNode({ surrogate: atan(2) }); // from @snn/neurons
 * ```
 */
export function atan(alpha = 2, options: SurrogateOptions = {}): Surrogate {
  const spiking = spikingOption('atan', options);
  checkPositive('atan', 'alpha', alpha);
  return defineSurrogate(
    {
      name: 'atan',
      params: { alpha },
      grad: (x) => tf.div(alpha / 2, tf.add(1, tf.square(tf.mul(x, (Math.PI / 2) * alpha)))),
      primitive: (x) => tf.add(tf.div(tf.atan(tf.mul(x, (Math.PI / 2) * alpha)), Math.PI), 0.5),
    },
    spiking,
  );
}

import { checkPositive } from '@snn/core';
import * as tf from '@tensorflow/tfjs-core';
import { defineSurrogate, type Surrogate, type SurrogateOptions, spikingOption } from './surrogate.js';

/**
 * Gaussian-error-function surrogate (SpikingJelly `Erf`): a Gaussian gradient.
 *
 * ```
 * g'(x) = (α/√π)·exp(−(α·x)²)
 * g(x)  = erfc(−α·x)/2 = (1 + erf(α·x))/2
 * ```
 *
 * The primitive is computed as `(1 + erf(αx))/2` with tfjs's `erf` (absolute error about 1e-7):
 * far in the lower tail, where `g < 1e-6`, it is accurate in absolute terms but not relative ones.
 *
 * @param alpha - Steepness, default 2 (`g'(0) = α/√π`).
 * @param options - `spiking` (default true): Heaviside forward, or `g` itself when false.
 * @throws UnknownOptionError for an option other than `spiking`; ValueError for a `spiking` that is not a boolean.
 * @throws ValueError when `alpha` is not a finite number > 0.
 * @example
 * ```ts
 * const s = erf(4);
 * ```
 */
export function erf(alpha = 2, options: SurrogateOptions = {}): Surrogate {
  const spiking = spikingOption('erf', options);
  checkPositive('erf', 'alpha', alpha);
  return defineSurrogate(
    {
      name: 'erf',
      params: { alpha },
      grad: (x) => tf.mul(tf.exp(tf.neg(tf.square(tf.mul(x, alpha)))), alpha / Math.sqrt(Math.PI)),
      primitive: (x) => tf.div(tf.add(tf.erf(tf.mul(x, alpha)), 1), 2),
    },
    spiking,
  );
}

import { checkPositive } from '@snn/core';
import * as tf from '@tensorflow/tfjs-core';
import { signNonZero } from './internal.js';
import { defineSurrogate, type Surrogate, type SurrogateOptions, spikingOption } from './surrogate.js';

/**
 * Nonzero-sign log-abs surrogate (SpikingJelly `NonzeroSignLogAbs`).
 *
 * ```
 * g'(x) = 1 / (1/α + |x|)
 * g(x)  = sgn(x)·ln(α·|x| + 1),   sgn(0) = +1
 * ```
 *
 * The primitive is not a step (it is unbounded); it is meant for spiking mode. In SpikingJelly
 * 0.0.0.0.14 the backward of this class raises an error; this is the intended gradient, the one
 * SpikingJelly master computes.
 *
 * @param alpha - Steepness, default 1 (`g'(0) = α`).
 * @param options - `spiking` (default true): Heaviside forward, or `g` itself when false.
 * @throws UnknownOptionError for an option other than `spiking`; ValueError for a `spiking` that is not a boolean.
 * @throws ValueError when `alpha` is not a finite number > 0.
 * @example
 * ```ts
 * const s = nonzeroSignLogAbs(2);
 * ```
 */
export function nonzeroSignLogAbs(alpha = 1, options: SurrogateOptions = {}): Surrogate {
  const spiking = spikingOption('nonzeroSignLogAbs', options);
  checkPositive('nonzeroSignLogAbs', 'alpha', alpha);
  return defineSurrogate(
    {
      name: 'nonzeroSignLogAbs',
      params: { alpha },
      grad: (x) => tf.div(1, tf.add(tf.abs(x), 1 / alpha)),
      primitive: (x) => {
        const sign = signNonZero(x);
        return tf.mul(sign, tf.log(tf.add(tf.mul(tf.mul(sign, alpha), x), 1)));
      },
    },
    spiking,
  );
}

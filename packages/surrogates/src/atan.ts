import { checkPositive } from '@snn/core';
import * as tf from '@tensorflow/tfjs-core';
import { defineSurrogate, type Surrogate } from './surrogate.js';

/**
 * Arctangent surrogate (SpikingJelly `ATan`): `g(x) = atan(π/2·α·x)/π + 1/2`,
 * `g'(x) = (α/2) / (1 + (π/2·α·x)²)`.
 * @param alpha - Steepness, default 2.
 * @throws ValueError when alpha is not a finite number > 0.
 */
export function atan(alpha = 2, options: { spiking?: boolean } = {}): Surrogate {
  checkPositive('atan', 'alpha', alpha);
  return defineSurrogate(
    {
      name: 'atan',
      params: { alpha },
      grad: (x) => tf.div(alpha / 2, tf.add(1, tf.square(tf.mul(x, (Math.PI / 2) * alpha)))),
      primitive: (x) => tf.add(tf.div(tf.atan(tf.mul(x, (Math.PI / 2) * alpha)), Math.PI), 0.5),
    },
    options.spiking ?? true,
  );
}

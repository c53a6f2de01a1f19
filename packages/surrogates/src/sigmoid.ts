import { checkPositive } from '@snn/core';
import * as tf from '@tensorflow/tfjs-core';
import { defineSurrogate, type Surrogate } from './surrogate.js';

/**
 * Sigmoid surrogate (SpikingJelly `Sigmoid`): `g(x) = sigmoid(αx)`, `g'(x) = α·s·(1 − s)` with
 * `s = sigmoid(αx)`.
 * @param alpha - Steepness, default 4.
 * @param options.spiking - Heaviside forward (default) or the primitive.
 * @throws ValueError when alpha is not a finite number > 0.
 */
export function sigmoid(alpha = 4, options: { spiking?: boolean } = {}): Surrogate {
  checkPositive('sigmoid', 'alpha', alpha);
  return defineSurrogate(
    {
      name: 'sigmoid',
      params: { alpha },
      grad: (x) => {
        const s = tf.sigmoid(tf.mul(x, alpha));
        return tf.mul(tf.mul(s, tf.sub(1, s)), alpha);
      },
      primitive: (x) => tf.sigmoid(tf.mul(x, alpha)),
    },
    options.spiking ?? true,
  );
}

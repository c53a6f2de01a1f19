import { checkPositive } from '@snn/core';
import * as tf from '@tensorflow/tfjs-core';
import { defineSurrogate, type Surrogate } from './surrogate.js';

/**
 * Fake numerical gradient (SpikingJelly `FakeNumericalGradient`, Wang et al. 2023): the slope of
 * the secant from the origin to the step, clipped at `α`.
 *
 * ```
 * g'(x) = min(sgn(x)/x, α) = min(1/|x|, α),   α at x = 0
 * ```
 *
 * There is no primitive: this surrogate has no `spiking: false` mode. `1/|x|` is used rather than
 * `sgn(x)/x` so that `x = −0` also gives `α`.
 *
 * @param alpha - Clip value (and the gradient at 0), default 0.3.
 * @throws ValueError when `alpha` is not a finite number > 0.
 * @example
 * ```ts
 * const s = fakeNumericalGradient(0.3);
 * ```
 */
export function fakeNumericalGradient(alpha = 0.3): Surrogate {
  checkPositive('fakeNumericalGradient', 'alpha', alpha);
  return defineSurrogate({
    name: 'fakeNumericalGradient',
    params: { alpha },
    grad: (x) => tf.minimum(tf.div(1, tf.abs(x)), alpha),
  });
}

import { checkPositive } from '@snn/core';
import * as tf from '@tensorflow/tfjs-core';
import { defineSurrogate, type Surrogate } from './surrogate.js';

/**
 * Fast sigmoid surrogate (snnTorch `fast_sigmoid`, the SuperSpike gradient of Zenke & Ganguli
 * 2018): the derivative of the fast sigmoid `x / (1 + k·|x|)`.
 *
 * ```
 * g'(x) = 1 / (k·|x| + 1)²
 * ```
 *
 * Spiking mode only, as in snnTorch (the fast sigmoid itself spans only `±1/k`, so it is no
 * stand-in for the step). The forward is this package's `Θ(x) = (x ≥ 0)`; snnTorch's is `x > 0`.
 *
 * @param slope - `k`, default 25 (snnTorch's default).
 * @throws ValueError when `slope` is not a finite number > 0.
 * @example
 * ```ts
 * const s = fastSigmoid(25);
 * ```
 */
export function fastSigmoid(slope = 25): Surrogate {
  checkPositive('fastSigmoid', 'slope', slope);
  return defineSurrogate({
    name: 'fastSigmoid',
    params: { slope },
    grad: (x) => tf.div(1, tf.square(tf.add(tf.mul(tf.abs(x), slope), 1))),
  });
}

import { checkInteger, checkPositive } from '@snn/core';
import type { Tensor } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';
import { defineSurrogate, type Surrogate, type SurrogateOptions, spikingOption } from './surrogate.js';

/**
 * Square-wave Fourier series surrogate (SpikingJelly `SquarewaveFourierSeries`): the first `n − 1`
 * odd harmonics of a square wave of period `tPeriod`, with `ω = 2π / tPeriod`.
 *
 * ```
 * g'(x) = (4/tPeriod) · Σ_{i=1}^{n−1} cos((2i−1)·ω·x)
 * g(x)  = 1/2 + (2/π) · Σ_{i=1}^{n−1} sin((2i−1)·ω·x) / (2i−1)
 * ```
 *
 * Both are periodic: the surrogate is meant for `|x| < tPeriod/4`. As in SpikingJelly, each
 * argument is formed as the float32 number `(2i−1)·ω` times `x`.
 *
 * @param n - Number of terms plus one (an integer ≥ 2), default 2 (a single cosine).
 * @param tPeriod - Period of the square wave (SpikingJelly's `T_period`), default 8.
 * @param options - `spiking` (default true): Heaviside forward, or `g` itself when false.
 * @throws UnknownOptionError for an option other than `spiking`; ValueError for a `spiking` that is not a boolean.
 * @throws ValueError when `n` is not an integer ≥ 2 or `tPeriod` is not a finite number > 0.
 * @example
 * ```ts
 * const s = squarewaveFourierSeries(4, 6);
 * ```
 */
export function squarewaveFourierSeries(n = 2, tPeriod = 8, options: SurrogateOptions = {}): Surrogate {
  const spiking = spikingOption('squarewaveFourierSeries', options);
  const fn = 'squarewaveFourierSeries';
  checkInteger(fn, 'n', n, 2);
  checkPositive(fn, 'tPeriod', tPeriod);
  const omega = (Math.PI * 2) / tPeriod;
  const series = (x: Tensor, term: (i: number) => (x: Tensor) => Tensor): Tensor => {
    let sum = tf.zerosLike(x);
    for (let i = 1; i < n; i++) sum = tf.add(sum, term(i)(x));
    return sum;
  };
  return defineSurrogate(
    {
      name: fn,
      params: { n, tPeriod },
      grad: (x) =>
        tf.mul(
          series(x, (i) => (v) => tf.cos(tf.mul(v, (2 * i - 1) * omega))),
          4 / tPeriod,
        ),
      primitive: (x) =>
        tf.add(
          tf.mul(
            series(x, (i) => (v) => tf.div(tf.sin(tf.mul(v, (2 * i - 1) * omega)), 2 * i - 1)),
            2 / Math.PI,
          ),
          0.5,
        ),
    },
    spiking,
  );
}

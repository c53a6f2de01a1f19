/**
 * Rate coding: at every step each element spikes with a probability given by its intensity
 * (SpikingJelly's PoissonEncoder, a Bernoulli draw per step), or by a firing rate in Hz.
 */
import type { Tensor } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';
import { checkInteger, checkMinRank, checkOptions, checkPositive, checkRange } from './checks.js';
import { drawUniform, RANDOM_OPTIONS, type RandomOptions, type RandomSource, resolveRandom } from './random.js';

/**
 * Options of {@link poissonEncode}: `seed` (a fresh stream) or `rng` (a shared source), at most
 * one; with neither, the package's default stream.
 */
export interface PoissonEncodeOptions extends RandomOptions {}

/** Options of {@link poissonRateEncode}. */
export interface PoissonRateEncodeOptions extends RandomOptions {
  /** Time step in ms (default 1). */
  readonly dt?: number;
}

const POISSON_OPTIONS = [...RANDOM_OPTIONS];
const POISSON_RATE_OPTIONS = ['dt', ...RANDOM_OPTIONS];

/**
 * `[T, ...shape]` spikes `u < p`, `u` drawn time-major from `source` before any tensor is made
 * (a source that fails leaves nothing behind); `p()` gives float32 probabilities in [0, 1].
 */
function bernoulliSteps(
  fn: string,
  shape: readonly number[],
  T: number,
  source: RandomSource,
  p: () => Tensor,
): Tensor {
  const u = drawUniform(fn, source, T * shape.reduce((a, b) => a * b, 1));
  return tf.tidy(() => tf.cast(tf.less(tf.tensor(u, [T, ...shape], 'float32'), p()), 'float32'));
}

/**
 * Rate coding with intensities: for every step `t` and element `i`,
 * `S[t, i] = 1 if u[t, i] < x[i] else 0` with a fresh `u ~ U[0, 1)`, so `P(S = 1) = x` and the
 * spike count over `T` steps is Binomial(T, x). (SpikingJelly calls this the Poisson encoder;
 * it is a Bernoulli draw per step.) `x = 0` never fires, `x = 1` fires at every step.
 * Draws are time-major: the same seed gives step 0 of every element first, then step 1, ...
 *
 * @param x - Intensities `[B, ...]`, every one in [0, 1] (values outside are an error, not clamped).
 * @param T - Number of time steps, an integer >= 1.
 * @param options - `seed` (a fresh stream) or `rng` (a shared source such as `@snn/core`'s `Rng`).
 * @returns Spikes `[T, B, ...]`, float32 0/1.
 * @throws EncodingValueError when `T` is not an integer >= 1, an intensity is outside [0, 1] or
 * NaN, both `seed` and `rng` are given, or an option name is unknown (EncodingOptionError).
 * @throws EncodingShapeError when `x` is a scalar.
 * @example
 * ```ts
 * const x = tf.tensor2d([[0.1, 0.9]]);           // [B=1, N=2]
 * const s = poissonEncode(x, 100, { seed: 42 });  // [100, 1, 2]
 * tf.sum(s, 0).print();                           // about [[10, 90]]
 * ```
 */
export function poissonEncode(x: Tensor, T: number, options?: PoissonEncodeOptions): Tensor {
  const fn = 'poissonEncode';
  const o = checkOptions(fn, options, POISSON_OPTIONS);
  checkMinRank(fn, 'x', x, 1, '[B, ...]');
  checkInteger(fn, 'T', T, 1);
  checkRange(fn, 'x', x, 0, 1);
  const source = resolveRandom(fn, o);
  return bernoulliSteps(fn, x.shape, T, source, () => tf.cast(x, 'float32'));
}

/**
 * The same function as {@link poissonEncode}, under the name of what it draws: one Bernoulli
 * trial per element and step with success probability `x`.
 * @example
 * ```ts
 * const s = bernoulliEncode(tf.tensor2d([[0.5]]), 10, { seed: 1 });   // [10, 1, 1]
 * ```
 */
export const bernoulliEncode: typeof poissonEncode = poissonEncode;

/**
 * Poisson spike trains from firing rates in physical units: per step of `dt` ms an element with
 * rate `r` Hz spikes with probability `p = r · dt / 1000` (the Bernoulli approximation of a
 * Poisson process, exact in the mean: the expected count over `T` steps is `r · T · dt / 1000`).
 *
 * @param rate - Firing rates in Hz `[B, ...]`, each in [0, 1000 / dt] (so that `p <= 1`).
 * @param T - Number of time steps, an integer >= 1.
 * @param options - `dt` in ms (default 1); `seed` (a fresh stream) or `rng` (a shared source).
 * @returns Spikes `[T, B, ...]`, float32 0/1.
 * @throws EncodingValueError when `T` or `dt` is invalid, a rate is negative, NaN or above
 * `1000 / dt`, both `seed` and `rng` are given, or an option name is unknown (EncodingOptionError).
 * @example
 * ```ts
 * const rate = tf.tensor2d([[20, 100]]);                              // Hz
 * const s = poissonRateEncode(rate, 1000, { dt: 1, seed: 7 });        // 1 s of 1-ms steps
 * tf.sum(s, 0).print();                                              // about [[20, 100]]
 * ```
 */
export function poissonRateEncode(rate: Tensor, T: number, options?: PoissonRateEncodeOptions): Tensor {
  const fn = 'poissonRateEncode';
  const o = checkOptions(fn, options, POISSON_RATE_OPTIONS);
  checkMinRank(fn, 'rate', rate, 1, '[B, ...]');
  checkInteger(fn, 'T', T, 1);
  const dt = checkPositive(fn, 'dt', o.dt ?? 1);
  checkRange(fn, 'rate', rate, 0, 1000 / dt);
  const source = resolveRandom(fn, o);
  return bernoulliSteps(fn, rate.shape, T, source, () => tf.minimum(tf.mul(tf.cast(rate, 'float32'), dt / 1000), 1));
}

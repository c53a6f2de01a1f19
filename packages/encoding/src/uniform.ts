/**
 * Uniform (regular-interval) coding, SPAIC's `UniformEncoding` (`'uniform'`): each element fires
 * periodically, the stronger the shorter the period. SPAIC documents it only by name; the
 * semantics are read from its source (see the README, "SPAIC names").
 */
import type { Tensor } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';
import { checkAllFinite, checkInteger, checkMinRank, checkOptions, checkPositive } from './checks.js';

/** Options of {@link uniformEncode}. */
export interface UniformEncodeOptions {
  /** The time step (default 1). */
  readonly dt?: number;
  /** The time the periods are scaled to (default `T · dt`, the window; SPAIC's `max_time`). */
  readonly maxTime?: number;
  /** Scales every period (default 1; SPAIC's `amp`), > 0. */
  readonly amp?: number;
  /** Added to the range so the strongest element keeps a period > 0 (default 0.05; SPAIC's `bias`), > 0. */
  readonly bias?: number;
}

const UNIFORM_OPTIONS = ['dt', 'maxTime', 'amp', 'bias'] as const;

/**
 * Uniform coding (SPAIC's `UniformEncoding`): with `hi`, `lo` the largest and smallest element of
 * the whole input (all samples, as SPAIC normalises), element `x` fires every `P` steps,
 * `P = ceil(amp · maxTime · (bias + hi − x) / ((bias + hi − lo) · dt))` — at the steps `t` with
 * `(t + 1) mod P = 0` — so the largest element fires about every `amp · maxTime · bias / ((bias + hi − lo) · dt)`
 * steps (every step by default) and the period grows linearly as `x` falls. Elements equal to `lo`
 * get `10 · maxTime / dt` more steps of period: silent within `maxTime`. Computed in float32 in
 * SPAIC's order, so the periods (a `ceil`) are SPAIC's.
 * @param x - Intensities `[B, ...]`, finite, any scale.
 * @param T - Steps, an integer >= 1.
 * @param options - `dt` (default 1), `maxTime` (default `T · dt`), `amp` (default 1), `bias` (default 0.05).
 * @returns Spikes `[T, B, ...]`, float32 0/1.
 * @throws EncodingValueError for a non-finite element, a bad `T` or option; EncodingShapeError when `x` is a scalar.
 * @example
 * ```ts
 * const s = uniformEncode(tf.tensor2d([[0, 0.5, 1]]), 10);
 * // 1 fires every step, 0.5 every 6th (t = 5), 0 never
 * ```
 */
export function uniformEncode(x: Tensor, T: number, options?: UniformEncodeOptions): Tensor {
  const fn = 'uniformEncode';
  const o = checkOptions(fn, options, UNIFORM_OPTIONS);
  checkMinRank(fn, 'x', x, 1, '[B, ...]');
  checkInteger(fn, 'T', T, 1);
  const dt = checkPositive(fn, 'dt', o.dt ?? 1);
  const maxTime = checkPositive(fn, 'maxTime', o.maxTime ?? T * dt);
  const amp = checkPositive(fn, 'amp', o.amp ?? 1);
  const bias = checkPositive(fn, 'bias', o.bias ?? 0.05);
  checkAllFinite(fn, 'x', x);
  if (x.size === 0) return tf.zeros([T, ...x.shape]);
  return tf.tidy(() => {
    const v = tf.cast(x, 'float32');
    const hi = tf.max(v);
    const lo = tf.min(v);
    // SPAIC's order: amp·maxTime (a double, then float32) times (bias + hi − x), over (bias + hi − lo)·dt
    const numerator = tf.mul(tf.sub(tf.add(bias, hi), v), amp * maxTime);
    const denominator = tf.mul(tf.sub(tf.add(bias, hi), lo), dt);
    const silent = tf.div(tf.mul(tf.mul(tf.cast(tf.equal(v, lo), 'float32'), 10), maxTime), dt);
    const period = tf.add(tf.ceil(tf.div(numerator, denominator)), silent);
    const steps = tf.reshape(tf.range(1, T + 1, 1, 'float32'), [T, ...x.shape.map(() => 1)]);
    return tf.cast(tf.equal(tf.mod(steps, tf.expandDims(period, 0)), 0), 'float32');
  });
}

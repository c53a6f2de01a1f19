/**
 * Latency (time-to-first-spike) coding: every element fires exactly once, stronger inputs earlier.
 * Linear and log schedules follow SpikingJelly's LatencyEncoder; relative latency maps each
 * sample's own range onto the window.
 */
import type { Tensor } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';
import {
  checkAllFinite,
  checkInteger,
  checkMinRank,
  checkOneOf,
  checkOptions,
  checkRange,
  roundHalfEven,
} from './checks.js';
import { CyclicEncoder } from './cyclic-encoder.js';

/** How intensity maps to spike time: `'linear'` or `'log'` (SpikingJelly's `enc_function`). */
export type LatencyFunction = 'linear' | 'log';

/** Options of the latency encoders. */
export interface LatencyOptions {
  /** `'linear'` (default) or `'log'`. */
  readonly encFunction?: LatencyFunction;
}

const FUNCTIONS: readonly LatencyFunction[] = ['linear', 'log'];
const LATENCY_OPTIONS = ['encFunction'] as const;
/** Largest `T - 1` for which `exp(T - 1) - 1` is finite in float32. */
const MAX_FLOAT32_EXPONENT = 88;

/**
 * Spike times of latency coding, in steps `0 .. T-1` (float32, integer-valued):
 * - `'linear'`: `t_f = round((T − 1) · (1 − x))`
 * - `'log'`: `t_f = round((T − 1) − ln(α · x + 1))` with `α = e^(T−1) − 1`, so `x = 1` fires at 0
 *   and `x = 0` at `T − 1`.
 *
 * `round` is half to even (as `torch.round`). Arithmetic is float32 in SpikingJelly's order; for
 * `T > 89`, where `α` overflows float32, the log is taken as `ln(α) + ln(x + 1/α)` instead.
 *
 * @param x - Intensities `[B, ...]` in [0, 1] (values outside are an error).
 * @param T - Number of time steps, an integer >= 1.
 * @param options - `encFunction`: `'linear'` (default) or `'log'`.
 * @returns Spike times `[B, ...]`.
 * @throws EncodingValueError for `T < 1`, an unknown `encFunction`, or an intensity outside [0, 1];
 * EncodingOptionError for an unknown option name.
 * @throws EncodingShapeError when `x` is a scalar.
 * @example
 * ```ts
 * latencySpikeTimes(tf.tensor1d([1, 0.5, 0]), 5).print();   // [0, 2, 4]
 * ```
 */
export function latencySpikeTimes(x: Tensor, T: number, options?: LatencyOptions): Tensor {
  return spikeTimes('latencySpikeTimes', x, T, options);
}

function spikeTimes(fn: string, x: Tensor, T: number, options: LatencyOptions | undefined): Tensor {
  const o = checkOptions(fn, options, LATENCY_OPTIONS);
  checkMinRank(fn, 'x', x, 1, '[B, ...]');
  checkInteger(fn, 'T', T, 1);
  const f = checkOneOf(fn, 'encFunction', o.encFunction ?? 'linear', FUNCTIONS);
  checkRange(fn, 'x', x, 0, 1);
  return tf.tidy(() => {
    const xf = tf.cast(x, 'float32');
    if (f === 'linear') return roundHalfEven(tf.mul(tf.sub(1, xf), T - 1));
    const alpha = Math.exp(T - 1) - 1;
    // Past float32's range, ln(αx + 1) = ln(α) + ln(x + 1/α), kept >= 0 (1/α underflows to 0).
    const logTerm =
      T - 1 <= MAX_FLOAT32_EXPONENT
        ? tf.log(tf.add(tf.mul(xf, alpha), 1))
        : tf.maximum(tf.add(tf.log(tf.add(xf, 1 / alpha)), Math.log(alpha)), 0);
    return roundHalfEven(tf.sub(T - 1, logTerm));
  });
}

/** `[T, ...]` one-hot in time: `S[t, i] = 1` iff `t == times[i]` (times outside 0..T-1 never fire). */
export function timesToTrain(times: Tensor, T: number): Tensor {
  return tf.tidy(() => {
    const steps = tf.reshape(tf.range(0, T, 1, 'float32'), [T, ...times.shape.map(() => 1)]);
    return tf.cast(tf.equal(steps, tf.expandDims(times, 0)), 'float32');
  });
}

/**
 * Latency coding of a whole train: each element fires once, at its {@link latencySpikeTimes}
 * time: `S[t, i] = 1` iff `t == t_f[i]`.
 *
 * @param x - Intensities `[B, ...]` in [0, 1].
 * @param T - Number of time steps, an integer >= 1.
 * @param options - `encFunction`: `'linear'` (default) or `'log'`.
 * @returns Spikes `[T, B, ...]`, float32 0/1, exactly one spike per element.
 * @throws EncodingValueError, EncodingShapeError as {@link latencySpikeTimes}.
 * @example
 * ```ts
 * const s = latencyEncode(tf.tensor2d([[1, 0.5, 0]]), 5);   // [5, 1, 3]
 * // element 0 fires at t = 0, element 1 at t = 2, element 2 at t = 4
 * ```
 */
export function latencyEncode(x: Tensor, T: number, options?: LatencyOptions): Tensor {
  const times = spikeTimes('latencyEncode', x, T, options);
  const out = timesToTrain(times, T);
  times.dispose();
  return out;
}

/**
 * SpikingJelly's stateful LatencyEncoder: the first `forward(x)` after a reset computes the
 * whole latency train of `x`; call `k` returns its step `k mod T`. Later inputs are ignored
 * until `reset()`.
 *
 * @example
 * ```ts
 * const enc = new LatencyEncoder(8, { encFunction: 'log' });
 * for (let t = 0; t < 8; t++) tf.dispose(enc.forward(x));   // x: [B, ...] in [0, 1]
 * enc.reset();
 * ```
 */
export class LatencyEncoder extends CyclicEncoder {
  /** The spike-time function. */
  readonly encFunction: LatencyFunction;

  /**
   * @param T - Number of time steps (the period), an integer >= 1.
   * @param options - `encFunction`: `'linear'` (default) or `'log'`.
   * @throws EncodingValueError for a bad `T` or `encFunction`; EncodingOptionError for an unknown option name.
   */
  constructor(
    readonly T: number,
    options?: LatencyOptions,
  ) {
    super();
    const o = checkOptions('LatencyEncoder', options, LATENCY_OPTIONS);
    checkInteger('LatencyEncoder', 'T', T, 1);
    this.encFunction = checkOneOf('LatencyEncoder', 'encFunction', o.encFunction ?? 'linear', FUNCTIONS);
  }

  protected override encodeTrain(x: Tensor): Tensor {
    const times = spikeTimes('LatencyEncoder.forward', x, this.T, { encFunction: this.encFunction });
    const out = timesToTrain(times, this.T);
    times.dispose();
    return out;
  }
}

/**
 * Relative latency coding (as SPAIC's Relative_Latency): each sample is scaled to its own range,
 * `x̂ = (x − min_b) / (max_b − min_b)` over all elements of sample `b`, and fires at
 * `t_f = round((T − 1) · (1 − x̂))` (half to even). So in every sample the largest element
 * fires at step 0 and the smallest at `T − 1`, whatever the absolute scale. A sample whose
 * elements are all equal fires them all at step 0.
 *
 * @param x - Values `[B, ...]`, any finite numbers (rank >= 2: the first axis is the batch).
 * @param T - Number of time steps, an integer >= 1.
 * @returns Spikes `[T, B, ...]`, float32 0/1, exactly one spike per element.
 * @throws EncodingValueError for `T < 1` or a non-finite value.
 * @throws EncodingShapeError when `x` has rank < 2.
 * @example
 * ```ts
 * const s = relativeLatencyEncode(tf.tensor2d([[2, 4, 6], [10, 10, 30]]), 5);
 * // sample 0 fires at [4, 2, 0]; sample 1 at [4, 4, 0]
 * ```
 */
export function relativeLatencyEncode(x: Tensor, T: number): Tensor {
  const fn = 'relativeLatencyEncode';
  checkMinRank(fn, 'x', x, 2, '[B, ...]');
  checkInteger(fn, 'T', T, 1);
  checkAllFinite(fn, 'x', x);
  if (x.size === 0) return tf.zeros([T, ...x.shape]); // no values, no spikes (and no [B, -1] to infer)
  const times = tf.tidy(() => {
    const B = x.shape[0] as number;
    const flat = tf.reshape(tf.cast(x, 'float32'), [B, -1]);
    const lo = tf.min(flat, 1, true);
    const range = tf.sub(tf.max(flat, 1, true), lo);
    const flatRange = tf.equal(range, 0);
    const scaled = tf.where(
      tf.broadcastTo(flatRange, flat.shape),
      tf.onesLike(flat),
      tf.div(tf.sub(flat, lo), tf.where(flatRange, tf.onesLike(range), range)),
    );
    return tf.reshape(roundHalfEven(tf.mul(tf.sub(1, scaled), T - 1)), x.shape);
  });
  const out = timesToTrain(times, T);
  times.dispose();
  return out;
}

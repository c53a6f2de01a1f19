/**
 * From spike times to spike trains (as SPAIC's SingleSpikeToBinary and MultipleSpikeToBinary):
 * the times that {@link GaussianTuning} or a timing-based model produces become a binary
 * `[T, B, ...]` train that clock-driven layers take.
 */
import type { Tensor } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';
import { checkInteger, checkMinRank, checkOptions, checkPositive, checkRange, roundHalfEven } from './checks.js';

/** Options of the spike-time converters. */
export interface SpikeTimeOptions {
  /** The time step, in the units of the times (default 1: times are step indices). */
  readonly dt?: number;
}

const SPIKE_TIME_OPTIONS = ['dt'] as const;

/**
 * Step indices of `times`: `round(t / dt)` (half to even), the last step for `t = T·dt`, and −1
 * for negative times (no spike). Times above `T·dt` or NaN are an error.
 */
function toSteps(fn: string, times: Tensor, T: number, dt: number): Tensor {
  checkRange(fn, 'times', times, Number.NEGATIVE_INFINITY, T * dt, `a time <= T·dt = ${T * dt} (or < 0 for no spike)`);
  return tf.tidy(() => {
    const t = tf.cast(times, 'float32');
    const steps = tf.minimum(roundHalfEven(tf.div(t, dt)), T - 1);
    return tf.where(tf.less(t, 0), tf.fill(t.shape, -1, 'float32'), steps);
  });
}

/** `[T, ...steps.shape]`: 1 where `t == steps`. */
function oneHotInTime(steps: Tensor, T: number): Tensor {
  return tf.tidy(() => {
    const range = tf.reshape(tf.range(0, T, 1, 'float32'), [T, ...steps.shape.map(() => 1)]);
    return tf.equal(range, tf.expandDims(steps, 0));
  });
}

/**
 * One spike time per neuron to a binary train: neuron `i` fires at step `round(times[i] / dt)`
 * (half to even); a negative time means no spike (the −1 of {@link GaussianTuning}). Times lie in
 * `[0, T·dt]`; `T·dt` itself (the end of the window) falls in the last step.
 *
 * @param times - Spike times `[B, ...]`, in the units of `dt`.
 * @param T - Number of time steps, an integer >= 1.
 * @param options - `dt` (default 1).
 * @returns Spikes `[T, B, ...]`, float32 0/1, at most one per neuron.
 * @throws EncodingValueError for `T < 1`, a bad `dt`, or a time above `T·dt` or NaN;
 * EncodingOptionError for an unknown option name.
 * @throws EncodingShapeError when `times` is a scalar.
 * @example
 * ```ts
 * const s = singleSpikeToBinary(tf.tensor2d([[0, 3, -1]]), 4);   // [4, 1, 3]
 * // neuron 0 fires at step 0, neuron 1 at step 3, neuron 2 never
 * ```
 */
export function singleSpikeToBinary(times: Tensor, T: number, options?: SpikeTimeOptions): Tensor {
  const fn = 'singleSpikeToBinary';
  const o = checkOptions(fn, options, SPIKE_TIME_OPTIONS);
  checkMinRank(fn, 'times', times, 1, '[B, ...]');
  checkInteger(fn, 'T', T, 1);
  const dt = checkPositive(fn, 'dt', o.dt ?? 1);
  const steps = toSteps(fn, times, T, dt);
  const out = tf.tidy(() => tf.cast(oneHotInTime(steps, T), 'float32'));
  steps.dispose();
  return out;
}

/**
 * Several spike times per neuron to a binary train. The last axis of `times` lists up to `K`
 * times for each neuron, padded with negative numbers (no spike); neuron `i` fires at every step
 * `round(times[i, k] / dt)`. Two times in the same step give one spike (the train is binary).
 *
 * @param times - Spike times `[B, ..., K]` (rank >= 2), in the units of `dt`, negative for padding.
 * @param T - Number of time steps, an integer >= 1.
 * @param options - `dt` (default 1).
 * @returns Spikes `[T, B, ...]` (the last axis of `times` removed), float32 0/1.
 * @throws EncodingValueError for `T < 1`, a bad `dt`, or a time above `T·dt` or NaN;
 * EncodingOptionError for an unknown option name.
 * @throws EncodingShapeError when `times` has rank < 2.
 * @example
 * ```ts
 * const times = tf.tensor3d([[[0, 2], [1, -1]]]);   // [B=1, N=2, K=2]
 * const s = multipleSpikeToBinary(times, 3);         // [3, 1, 2]: neuron 0 at 0 and 2, neuron 1 at 1
 * ```
 */
export function multipleSpikeToBinary(times: Tensor, T: number, options?: SpikeTimeOptions): Tensor {
  const fn = 'multipleSpikeToBinary';
  const o = checkOptions(fn, options, SPIKE_TIME_OPTIONS);
  checkMinRank(fn, 'times', times, 2, '[B, ..., K]');
  checkInteger(fn, 'T', T, 1);
  const dt = checkPositive(fn, 'dt', o.dt ?? 1);
  const steps = toSteps(fn, times, T, dt);
  const out = tf.tidy(() => tf.cast(tf.any(oneHotInTime(steps, T), -1), 'float32'));
  steps.dispose();
  return out;
}

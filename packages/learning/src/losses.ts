import { checkOptions, checkPositive, ValueError } from '@snn/core';
import { rateCrossEntropy } from '@snn/core/internal';
import type { Scalar, Tensor } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';
import { firstSpikeTime } from './first-spike.js';
import { checkLabels, checkOutputSeq, targetMatrix } from './labels.js';
import { keysOf } from './options.js';

/**
 * A loss as {@link trainStep} and {@link evaluate} call it: network outputs and labels in, a
 * scalar out (the caller owns it). Every loss of this package fits; options are bound with a
 * closure: `(out, y) => mseCountLoss(out, y, { correctRate: 1 })`.
 */
export type LossFn = (outputs: Tensor, labels: Tensor) => Scalar;

/** Options of {@link rateCrossEntropyLoss}. */
export interface RateCrossEntropyOptions {
  /**
   * Multiplies the rates before the softmax (an inverse temperature). Default 1. Rates lie in
   * [0, 1], so with scale 1 the best possible loss for C classes is `ln(1 + (C − 1)/e)`; a
   * larger scale lets the softmax grow confident. `scale = T` is cross-entropy on spike counts
   * (snnTorch's `ce_count_loss`).
   */
  readonly scale?: number;
}

/** The keys of {@link RateCrossEntropyOptions}. */
export const RATE_CROSS_ENTROPY_OPTION_KEYS = keysOf<RateCrossEntropyOptions>()(['scale']);

/** Options of {@link mseCountLoss}. */
export interface MSECountOptions {
  /** Target firing rate of the correct class, in [0, 1]. Default 0.8 (snnTorch's default is 1). */
  readonly correctRate?: number;
  /** Target firing rate of every other class, in [0, 1]. Default 0.2 (snnTorch's default is 0). */
  readonly incorrectRate?: number;
}

/** The keys of {@link MSECountOptions}. */
export const MSE_COUNT_OPTION_KEYS = keysOf<MSECountOptions>()(['correctRate', 'incorrectRate']);

/** Options of {@link firstSpikeTimeLoss}. */
export interface FirstSpikeTimeLossOptions {
  /** Multiplies the negative first-spike times before the softmax: logits `−scale·t̂`. Default 1. */
  readonly scale?: number;
}

/** The keys of {@link FirstSpikeTimeLossOptions}. */
export const FIRST_SPIKE_TIME_LOSS_OPTION_KEYS = keysOf<FirstSpikeTimeLossOptions>()(['scale']);

function checkRate(fn: string, arg: string, value: number): number {
  if (!(typeof value === 'number' && Number.isFinite(value) && value >= 0 && value <= 1)) {
    throw new ValueError(fn, arg, 'a number in [0, 1]', value);
  }
  return value;
}

/** `−(1/B) Σ_b Σ_c y[b, c] · log softmax(z[b])_c` for float32 `[B, C]` logits and targets. */
function softmaxCrossEntropy(logits: Tensor, targets: Tensor): Scalar {
  return tf.tidy(() => tf.neg(tf.mean(tf.sum(tf.mul(targets, tf.logSoftmax(logits)), 1))) as Scalar);
}

/**
 * Softmax cross-entropy on the firing rate.
 *
 * `r[b, c] = (1/T) Σ_t S[t, b, c]`,  `z = scale · r`,
 * `L = −(1/B) Σ_b Σ_c y[b, c] · log softmax(z[b])_c`
 *
 * where `y` is the one-hot row of the label (or the given `[B, C]` distribution).
 *
 * @param spikeSeq - float32 `[T, B, C]`: output spikes (any real outputs work; their time mean is used).
 * @param labels - int32 `[B]` class indices, or float32 `[B, C]` one-hot / soft labels (rows sum to 1).
 * @returns A scalar; the caller owns it.
 * @throws ShapeError when `spikeSeq` is not `[T, B, C]` or `labels` is neither `[B]` nor `[B, C]`;
 *   ValueError for T = 0, a class index outside `0..C−1`, a non-integer index, a row of `[B, C]`
 *   labels that is negative or does not sum to 1, or a `scale` that is not a finite number > 0;
 *   UnknownOptionError for an option name it does not know;
 *   DTypeError for non-float32 outputs.
 * @example
 * ```ts
 * const loss = rateCrossEntropyLoss(spikeSeq, tf.tensor1d([2, 0], 'int32'), { scale: 8 });
 * ```
 */
export function rateCrossEntropyLoss(spikeSeq: Tensor, labels: Tensor, options: RateCrossEntropyOptions = {}): Scalar {
  const fn = 'rateCrossEntropyLoss';
  checkOptions(fn, options, RATE_CROSS_ENTROPY_OPTION_KEYS);
  const [, B, C] = checkOutputSeq(fn, 'spikeSeq', spikeSeq);
  const scale = checkPositive(fn, 'scale', options.scale ?? 1);
  checkLabels(fn, labels, B, C, 'distribution');
  // One node of the tape; one kernel each way where the backend has core's fused kernels.
  return tf.tidy(() => rateCrossEntropy(spikeSeq, targetMatrix(labels, C), scale));
}

/**
 * Mean squared error on spike counts against target counts (snnTorch's `mse_count_loss`, after
 * SLAYER).
 *
 * `n[b, c] = Σ_t S[t, b, c]`;  `on = ⌊T · correctRate⌋`,  `off = ⌊T · incorrectRate⌋` (truncated to
 * whole spikes, as snnTorch's `int(num_steps * rate)`);
 * `target[b, c] = off + (on − off) · y[b, c]`;
 * `L = (1 / (B·C)) Σ_{b,c} (n[b, c] − target[b, c])² / T`
 *
 * That is snnTorch's reduction: the mean over batch and classes (`nn.MSELoss()`), then divided by
 * the number of steps. With `[B, C]` labels the target interpolates between `off` and `on`.
 *
 * @param spikeSeq - float32 `[T, B, C]` output spikes.
 * @param labels - int32 `[B]` class indices, or float32 `[B, C]` values in [0, 1] (one-hot).
 * @param options - `correctRate` (default 0.8) and `incorrectRate` (default 0.2), each in [0, 1].
 * @returns A scalar; the caller owns it.
 * @throws ShapeError, ValueError, DTypeError as {@link rateCrossEntropyLoss}; ValueError for a
 *   rate outside [0, 1] or `[B, C]` labels outside [0, 1].
 * @example
 * ```ts
 * const loss = mseCountLoss(spikeSeq, labels, { correctRate: 0.8, incorrectRate: 0.2 });
 * ```
 */
export function mseCountLoss(spikeSeq: Tensor, labels: Tensor, options: MSECountOptions = {}): Scalar {
  const fn = 'mseCountLoss';
  checkOptions(fn, options, MSE_COUNT_OPTION_KEYS);
  const [T, B, C] = checkOutputSeq(fn, 'spikeSeq', spikeSeq);
  const on = Math.trunc(T * checkRate(fn, 'correctRate', options.correctRate ?? 0.8));
  const off = Math.trunc(T * checkRate(fn, 'incorrectRate', options.incorrectRate ?? 0.2));
  checkLabels(fn, labels, B, C, 'unit');
  return tf.tidy(() => {
    const target = tf.add(off, tf.mul(targetMatrix(labels, C), on - off));
    return tf.div(tf.mean(tf.squaredDifference(tf.sum(spikeSeq, 0), target)), T) as Scalar;
  });
}

/**
 * Mean squared error between the firing rate and the one-hot label (SpikingJelly's tutorials:
 * `F.mse_loss(out_fr, label_onehot)`).
 *
 * `r[b, c] = (1/T) Σ_t S[t, b, c]`,  `L = (1 / (B·C)) Σ_{b,c} (r[b, c] − y[b, c])²`
 *
 * @param spikeSeq - float32 `[T, B, C]` output spikes.
 * @param labels - int32 `[B]` class indices, or float32 `[B, C]` targets in [0, 1].
 * @returns A scalar; the caller owns it.
 * @throws ShapeError, ValueError, DTypeError as {@link mseCountLoss}.
 * @example
 * ```ts
 * const loss = rateMSELoss(spikeSeq, labels);
 * ```
 */
export function rateMSELoss(spikeSeq: Tensor, labels: Tensor): Scalar {
  const fn = 'rateMSELoss';
  const [, B, C] = checkOutputSeq(fn, 'spikeSeq', spikeSeq);
  checkLabels(fn, labels, B, C, 'unit');
  return tf.tidy(() => tf.mean(tf.squaredDifference(tf.mean(spikeSeq, 0), targetMatrix(labels, C))) as Scalar);
}

/**
 * Cross-entropy on negative first-spike times: the correct class should fire first.
 *
 * `t̂[b, c]` = {@link firstSpikeTime} (0-based step of the first spike, T for none; differentiable),
 * `z = −scale · t̂`,  `L = −(1/B) Σ_b Σ_c y[b, c] · log softmax(z[b])_c`
 *
 * Unlike snnTorch's `ce_temporal_loss`, whose first-spike time passes a fixed −1 gradient at the
 * first spike only, the soft time here gives every step up to the first spike a gradient, and a
 * silent neuron is at T (not T − 1), one step behind a spike at the last step.
 *
 * @param spikeSeq - float32 `[T, B, C]` output spikes in {0, 1}.
 * @param labels - int32 `[B]` class indices, or float32 `[B, C]` one-hot / soft labels.
 * @param options - `scale` (default 1): logits per step of spike time.
 * @returns A scalar; the caller owns it.
 * @throws ShapeError, ValueError, DTypeError as {@link rateCrossEntropyLoss}.
 * @example
 * ```ts
 * const loss = firstSpikeTimeLoss(spikeSeq, labels, { scale: 0.5 });
 * ```
 */
export function firstSpikeTimeLoss(spikeSeq: Tensor, labels: Tensor, options: FirstSpikeTimeLossOptions = {}): Scalar {
  const fn = 'firstSpikeTimeLoss';
  checkOptions(fn, options, FIRST_SPIKE_TIME_LOSS_OPTION_KEYS);
  const [, B, C] = checkOutputSeq(fn, 'spikeSeq', spikeSeq);
  const scale = checkPositive(fn, 'scale', options.scale ?? 1);
  checkLabels(fn, labels, B, C, 'distribution');
  return tf.tidy(() => softmaxCrossEntropy(tf.mul(firstSpikeTime(spikeSeq), -scale), targetMatrix(labels, C)));
}

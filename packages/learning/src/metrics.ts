import { checkOneOf, checkOptions, checkTensor, ShapeError } from '@snn/core';
import type { Tensor } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';
import { firstSpikeTime } from './first-spike.js';
import { checkLabels, checkOutputSeq, labelClasses } from './labels.js';
import { keysOf } from './options.js';

/**
 * How outputs become a class: `'rate'` (the neuron that fired most, i.e. arg-max of the rate;
 * the usual readout) or `'firstSpike'` (the neuron that fired first, arg-min of
 * {@link firstSpikeTime}; for networks trained with {@link firstSpikeTimeLoss}).
 */
export type Decode = 'rate' | 'firstSpike';

/** Options of {@link predictClasses} and {@link accuracy}. */
export interface DecodeOptions {
  /** Default `'rate'`. */
  readonly decode?: Decode;
}

/** The keys of {@link DecodeOptions}. */
export const DECODE_OPTION_KEYS = keysOf<DecodeOptions>()(['decode']);

/** `[B, C]` class scores whose arg-max is the prediction; checks the outputs first. */
function classScores(fn: string, outputs: Tensor, decode: Decode): Tensor {
  checkTensor(fn, 'outputs', outputs);
  if (outputs.rank === 3) {
    checkOutputSeq(fn, 'outputs', outputs);
    return decode === 'rate' ? tf.sum(outputs, 0) : tf.neg(firstSpikeTime(outputs));
  }
  if (outputs.rank === 2 && decode === 'rate') return tf.clone(outputs);
  const expected = decode === 'rate' ? 'rank 3 ([T, B, C] spikes) or 2 ([B, C] scores)' : 'rank 3 ([T, B, C] spikes)';
  throw new ShapeError(fn, 'outputs', expected, outputs.shape);
}

/**
 * The predicted class of each sample, int32 `[B]`.
 *
 * `[T, B, C]` outputs: `argmax_c Σ_t S[t, b, c]` (decode `'rate'`) or `argmin_c t̂[b, c]` (decode
 * `'firstSpike'`). `[B, C]` outputs are taken as scores: `argmax_c`. Ties go to the lowest class
 * index (so a sample whose output neurons are all silent is predicted as class 0).
 *
 * @param outputs - float32 `[T, B, C]` spikes, or `[B, C]` scores (rate decoding only).
 * @returns int32 `[B]`; the caller owns it.
 * @throws ShapeError for other ranks or empty axes; ValueError for an unknown `decode`;
 *   UnknownOptionError for an option name it does not know.
 * @example
 * ```ts
 * const predicted = predictClasses(net.forward(xSeq)); // [B]
 * ```
 */
export function predictClasses(outputs: Tensor, options: DecodeOptions = {}): Tensor {
  const fn = 'predictClasses';
  checkOptions(fn, options, DECODE_OPTION_KEYS);
  const decode = checkOneOf(fn, 'decode', options.decode ?? 'rate', ['rate', 'firstSpike'] as const);
  return tf.tidy(() => tf.argMax(classScores(fn, outputs, decode), 1));
}

/**
 * Number of samples whose predicted class ({@link predictClasses}) equals the label's class
 * (the index, or the arg-max of a `[B, C]` row). Checks outputs and labels.
 * @returns int32 scalar; the caller owns it.
 */
export function correctCount(fn: string, outputs: Tensor, labels: Tensor, decode: Decode): Tensor {
  checkTensor(fn, 'outputs', outputs);
  if (outputs.rank !== 2 && outputs.rank !== 3) {
    throw new ShapeError(fn, 'outputs', 'rank 3 ([T, B, C] spikes) or 2 ([B, C] scores)', outputs.shape);
  }
  const [B, C] = outputs.shape.slice(-2) as [number, number];
  checkLabels(fn, labels, B, C, 'unit');
  return tf.tidy(() => {
    const predicted = tf.argMax(classScores(fn, outputs, decode), 1);
    return tf.sum(tf.cast(tf.equal(predicted, labelClasses(labels)), 'int32'));
  });
}

/**
 * Fraction of samples classified correctly, in [0, 1]: predictions as {@link predictClasses},
 * the label's class as its index or the arg-max of its `[B, C]` row.
 *
 * @param outputs - float32 `[T, B, C]` spikes, or `[B, C]` scores (rate decoding only).
 * @param labels - int32 `[B]` class indices, or float32 `[B, C]` one-hot / soft labels.
 * @throws ShapeError, ValueError, DTypeError for outputs and labels as the losses do.
 * @example
 * ```ts
 * const acc = accuracy(net.forward(xSeq), labels); // e.g. 0.875
 * ```
 */
export function accuracy(outputs: Tensor, labels: Tensor, options: DecodeOptions = {}): number {
  const fn = 'accuracy';
  checkOptions(fn, options, DECODE_OPTION_KEYS);
  const decode = checkOneOf(fn, 'decode', options.decode ?? 'rate', ['rate', 'firstSpike'] as const);
  const count = correctCount(fn, outputs, labels, decode);
  const correct = count.dataSync()[0] as number;
  count.dispose();
  return correct / (labels.shape[0] as number);
}

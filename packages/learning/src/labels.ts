import { checkRank, checkTensor, checkTimeSteps, DTypeError, ShapeError, ValueError } from '@snn/core';
import type { Tensor } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';

/**
 * What a row of `[B, C]` labels must hold: `'distribution'` (non-negative, each row sums to 1:
 * one-hot or soft labels, for cross-entropy) or `'unit'` (every value in [0, 1], for the MSE losses).
 */
export type TargetKind = 'distribution' | 'unit';

/** Tolerance on the row sums of `[B, C]` distribution labels. */
const ROW_SUM_TOLERANCE = 1e-4;

/**
 * Checks a `[T, B, C]` output sequence: a float32 tensor of rank 3 with T ≥ 1, B ≥ 1 and C ≥ 1.
 * @returns `[T, B, C]`.
 */
export function checkOutputSeq(fn: string, arg: string, x: Tensor): [number, number, number] {
  checkRank(fn, arg, x, 3, '[T, B, C]');
  checkTimeSteps(fn, arg, x);
  if (x.dtype !== 'float32') throw new DTypeError(fn, arg, 'float32', x.dtype);
  const [T, B, C] = x.shape as [number, number, number];
  if (B === 0 || C === 0) throw new ShapeError(fn, arg, 'B ≥ 1 samples and C ≥ 1 classes ([T, B, C])', x.shape);
  return [T, B, C];
}

/**
 * Checks class labels against `batch` samples and `classes` classes, reading them once.
 * Accepted: rank 1 `[B]` class indices (int32, or float32 holding integers) in `0 .. C − 1`;
 * rank 2 `[B, C]` float32 targets (one-hot or soft) as `kind` requires.
 */
export function checkLabels(fn: string, labels: Tensor, batch: number, classes: number, kind: TargetKind): void {
  checkTensor(fn, 'labels', labels);
  if (labels.rank === 1) {
    if (labels.shape[0] !== batch) {
      throw new ShapeError(fn, 'labels', `shape [${batch}] (one class index per sample)`, labels.shape);
    }
    if (labels.dtype !== 'int32' && labels.dtype !== 'float32') {
      throw new DTypeError(fn, 'labels', 'int32 (class indices)', labels.dtype);
    }
    const values = labels.dataSync();
    for (let i = 0; i < values.length; i++) {
      const v = values[i] as number;
      if (!(Number.isInteger(v) && v >= 0 && v < classes)) {
        throw new ValueError(fn, `labels[${i}]`, `a class index in 0..${classes - 1}`, v);
      }
    }
    return;
  }
  if (labels.rank !== 2) {
    throw new ShapeError(fn, 'labels', `rank 1 ([B] class indices) or 2 ([B, C] targets), B = ${batch}`, labels.shape);
  }
  if (labels.shape[0] !== batch || labels.shape[1] !== classes) {
    throw new ShapeError(fn, 'labels', `shape [${batch}, ${classes}] ([B, C] targets)`, labels.shape);
  }
  if (labels.dtype !== 'float32') throw new DTypeError(fn, 'labels', 'float32 ([B, C] targets)', labels.dtype);
  const values = labels.dataSync();
  for (let b = 0; b < batch; b++) {
    let sum = 0;
    for (let c = 0; c < classes; c++) {
      const v = values[b * classes + c] as number;
      if (!(Number.isFinite(v) && v >= 0 && (kind === 'distribution' || v <= 1))) {
        const range = kind === 'distribution' ? 'a finite number ≥ 0' : 'a number in [0, 1]';
        throw new ValueError(fn, `labels[${b}][${c}]`, range, v);
      }
      sum += v;
    }
    if (kind === 'distribution' && Math.abs(sum - 1) > ROW_SUM_TOLERANCE) {
      throw new ValueError(fn, `labels[${b}] (sum of the row)`, '1 (one-hot or a probability distribution)', sum);
    }
  }
}

/**
 * Labels as a float32 `[B, C]` target matrix: class indices become one-hot rows, `[B, C]` labels
 * are returned as a copy. Assumes {@link checkLabels} passed. The caller owns the result.
 */
export function targetMatrix(labels: Tensor, classes: number): Tensor {
  return tf.tidy(() =>
    labels.rank === 1 ? tf.cast(tf.oneHot(tf.cast(labels, 'int32'), classes), 'float32') : tf.clone(labels),
  );
}

/**
 * The class of each sample, int32 `[B]`: the index itself for `[B]` labels, the arg-max of each
 * row (lowest index on ties) for `[B, C]` labels. Assumes {@link checkLabels} passed.
 */
export function labelClasses(labels: Tensor): Tensor {
  return tf.tidy(() => (labels.rank === 1 ? tf.cast(labels, 'int32') : tf.argMax(labels, 1)));
}

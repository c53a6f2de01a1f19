import { checkFinite, checkInteger, checkRank, checkTensor, ShapeError, ValueError } from '@snn/core';
import type { Tensor } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';

/** Class labels: an int32 (or integer-valued float32) tensor `[B]`, or numbers. */
export type Labels = Tensor | ArrayLike<number>;

function checkLabels(fn: string, label: Labels, batch: number, numClasses: number): Int32Array {
  let values: ArrayLike<number>;
  if (typeof label === 'object' && label !== null && 'dataId' in label) {
    checkTensor(fn, 'label', label);
    checkRank(fn, 'label', label, 1, '[B]');
    values = label.dataSync() as Float32Array | Int32Array;
  } else if (label !== null && typeof label === 'object' && typeof (label as ArrayLike<number>).length === 'number') {
    values = label as ArrayLike<number>;
  } else {
    throw new ValueError(fn, 'label', 'a tensor [B] or an array of class indices', label);
  }
  if (values.length !== batch) {
    throw new ShapeError(fn, 'label', `${batch} labels (one per row of vMax)`, [values.length]);
  }
  const out = new Int32Array(batch);
  for (let b = 0; b < batch; b++) {
    const c = values[b] as number;
    if (!(Number.isInteger(c) && c >= 0 && c < numClasses)) {
      throw new ValueError(fn, `label[${b}]`, `a class index in [0, ${numClasses})`, c);
    }
    out[b] = c;
  }
  return out;
}

function checkLossArgs(fn: string, vMax: Tensor, vThreshold: number, label: Labels, numClasses: number): Int32Array {
  checkRank(fn, 'vMax', vMax, 2, '[B, numClasses]');
  checkFinite(fn, 'vThreshold', vThreshold);
  checkInteger(fn, 'numClasses', numClasses, 1);
  if (vMax.shape[1] !== numClasses) {
    throw new ShapeError(fn, 'vMax', `shape [B, ${numClasses}] (numClasses = ${numClasses})`, vMax.shape);
  }
  return checkLabels(fn, label, vMax.shape[0] as number, numClasses);
}

function wrong(vMax: Tensor, vThreshold: number, labels: Int32Array, numClasses: number): Tensor {
  const fired = tf.cast(tf.greaterEqual(vMax, vThreshold), 'float32');
  // wasm's float32 oneHot is wrong, and tf.oneHot refuses one class (every label is then 0).
  const target =
    numClasses === 1
      ? tf.ones([labels.length, 1])
      : tf.cast(tf.oneHot(tf.tensor1d(labels, 'int32'), numClasses), 'float32');
  return tf.abs(tf.sub(fired, target)); // 0/1: != without NotEqual, which has no gradient in tfjs
}

/**
 * Which decisions are wrong: `(v_max >= vThreshold) != one_hot(label)`, as float32 0/1
 * `[B, numClasses]`: the neuron of the right class did not reach the threshold, or another did.
 * @throws As {@link tempotronMSELoss}.
 */
export function tempotronWrongMask(vMax: Tensor, vThreshold: number, label: Labels, numClasses: number): Tensor {
  const labels = checkLossArgs('tempotronWrongMask', vMax, vThreshold, label, numClasses);
  return tf.tidy(() => wrong(vMax, vThreshold, labels, numClasses));
}

/**
 * SpikingJelly's `Tempotron.mse_loss`: the squared distance of each wrongly deciding neuron's
 * peak from the threshold, summed and divided by the batch size,
 *
 * `loss = Σ_{b,o} ((v_max[b,o] − vThreshold) · wrong[b,o])² / B`,
 * `wrong = (v_max >= vThreshold) != one_hot(label)`.
 *
 * Minimising it raises the peak of the label's neuron to the threshold and pushes the other
 * neurons' peaks below it; the gradient reaches the weights only through the time of each peak.
 *
 * @param vMax - Peaks `[B, numClasses]` (`forward(x, 'vMax')`).
 * @param vThreshold - The threshold.
 * @param label - Class of each sample, `[B]` integers in `[0, numClasses)`.
 * @param numClasses - Number of classes = output neurons.
 * @returns A scalar tensor the caller owns.
 * @throws ShapeError when `vMax` is not `[B, numClasses]` or the labels are not B long.
 * @throws ValueError for a label outside `[0, numClasses)` or a non-finite threshold.
 * @example
 * ```ts
 * const loss = tempotronMSELoss(net.forward(x, 'vMax'), 1, labels, 10);
 * ```
 */
export function tempotronMSELoss(vMax: Tensor, vThreshold: number, label: Labels, numClasses: number): Tensor {
  const labels = checkLossArgs('tempotronMSELoss', vMax, vThreshold, label, numClasses);
  const batch = vMax.shape[0] as number;
  return tf.tidy(() => {
    const miss = tf.mul(tf.sub(vMax, vThreshold), wrong(vMax, vThreshold, labels, numClasses));
    const squares = tf.square(miss);
    // A sum over no elements reads uninitialised memory on wasm: sum a lone 0 instead (still a
    // function of vMax, so gradients reach it).
    if (batch === 0) return tf.sum(tf.concat([tf.reshape(squares, [-1]), tf.zeros([1])]));
    return tf.div(tf.sum(squares), batch);
  });
}

import { ShapeError } from '@snn/core';
import { describeBackends } from '@snn/core/testing';
import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import { accuracy, predictClasses } from './metrics.js';

/** T = 3, B = 3, C = 3. Counts [[1, 2, 0], [0, 0, 0], [3, 0, 3]]; first spikes [[1, 0, 3], [3, 3, 3], [0, 3, 0]]. */
const S = [
  [
    [0, 1, 0],
    [0, 0, 0],
    [1, 0, 1],
  ],
  [
    [1, 1, 0],
    [0, 0, 0],
    [1, 0, 1],
  ],
  [
    [0, 0, 0],
    [0, 0, 0],
    [1, 0, 1],
  ],
];

describeBackends('predictClasses and accuracy', () => {
  it('reads the class as the arg-max of the rate; ties (and silence) go to the lowest index', () => {
    tf.tidy(() => {
      const s = tf.tensor3d(S);
      expect(Array.from(predictClasses(s).dataSync())).toEqual([1, 0, 0]);
      expect(predictClasses(s).dtype).toBe('int32');
      expect(Array.from(predictClasses(s, { decode: 'firstSpike' }).dataSync())).toEqual([1, 0, 0]);
      const late = tf.tensor3d([[[0, 0]], [[0, 1]], [[1, 1]]]); // class 0: 1 spike at t = 2; class 1: 2 spikes from t = 1
      expect(Array.from(predictClasses(late).dataSync())).toEqual([1]);
      const early = tf.tensor3d([[[1, 0]], [[0, 1]], [[0, 1]]]); // class 0 first, class 1 more
      expect(Array.from(predictClasses(early).dataSync())).toEqual([1]);
      expect(Array.from(predictClasses(early, { decode: 'firstSpike' }).dataSync())).toEqual([0]);
      // [B, C] scores.
      expect(Array.from(predictClasses(tf.tensor2d([[0.1, 0.7, 0.2]])).dataSync())).toEqual([1]);
    });
  });

  it('accuracy: fraction correct, with index, one-hot or soft labels', () => {
    tf.tidy(() => {
      const s = tf.tensor3d(S);
      expect(accuracy(s, tf.tensor1d([1, 0, 0], 'int32'))).toBe(1);
      expect(accuracy(s, tf.tensor1d([1, 2, 2], 'int32'))).toBeCloseTo(1 / 3, 12);
      expect(accuracy(s, tf.cast(tf.oneHot(tf.tensor1d([1, 0, 2], 'int32'), 3), 'float32'))).toBeCloseTo(2 / 3, 12);
      const soft = tf.tensor2d([
        [0.2, 0.5, 0.3],
        [0.1, 0.1, 0.8],
        [0.6, 0.2, 0.2],
      ]);
      expect(accuracy(s, soft)).toBeCloseTo(2 / 3, 12);
      expect(accuracy(tf.tensor2d([[3, 1]]), tf.tensor1d([0], 'int32'))).toBe(1);
    });
  });

  it('names wrong outputs, labels and decode', () => {
    tf.tidy(() => {
      const s = tf.tensor3d(S);
      expect(() => predictClasses(tf.zeros([3]))).toThrow(ShapeError);
      expect(() => predictClasses(tf.zeros([2, 3]), { decode: 'firstSpike' })).toThrow(
        "predictClasses: 'outputs' must have rank 3 ([T, B, C] spikes), got shape [2, 3]",
      );
      expect(() => predictClasses(s, { decode: 'count' as never })).toThrow(
        "predictClasses: 'decode' must be one of 'rate', 'firstSpike', got 'count'",
      );
      expect(() => accuracy(s, tf.tensor1d([0, 1], 'int32'))).toThrow(
        "accuracy: 'labels' must have shape [3] (one class index per sample), got shape [2]",
      );
      expect(() => accuracy(s, tf.tensor1d([0, 1, 3], 'int32'))).toThrow(/'labels\[2\]' must be a class index in 0..2/);
      expect(() => accuracy(tf.zeros([2, 2, 2, 2]), tf.tensor1d([0, 1], 'int32'))).toThrow(ShapeError);
    });
  });

  it('leaks no tensors', () => {
    const s = tf.tensor3d(S);
    const y = tf.tensor1d([1, 0, 0], 'int32');
    const before = tf.memory().numTensors;
    accuracy(s, y);
    accuracy(s, y, { decode: 'firstSpike' });
    predictClasses(s).dispose();
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([s, y]);
  });
});

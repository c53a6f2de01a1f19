// Importing @snn/core registers its cpu backend, which describeBackends switches to.
import '@snn/core';
import { describeBackends } from '@snn/core/testing';
import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import { EncodingShapeError, EncodingValueError } from './errors.js';
import { rankOrderEncode } from './rank-order.js';

/** Spike step of each element (−1: none) from a [T, B, N] train. */
function firingSteps(s: tf.Tensor): number[][] {
  const a = s.arraySync() as number[][][];
  const [T, B, N] = s.shape as [number, number, number];
  return Array.from({ length: B }, (_, b) =>
    Array.from({ length: N }, (_, i) => {
      for (let t = 0; t < T; t++) if (a[t]?.[b]?.[i] === 1) return t;
      return -1;
    }),
  );
}

describeBackends('rankOrderEncode', () => {
  it('fires strongest first, one spike per element, zeros never', () => {
    tf.tidy(() => {
      const s = rankOrderEncode(tf.tensor2d([[0.2, 0.9, 0, 0.5]]), 3);
      expect(firingSteps(s)).toEqual([[2, 0, -1, 1]]);
    });
  });

  it('ties share a step; ranks spread over T when T < N', () => {
    tf.tidy(() => {
      const x = tf.tensor2d([
        [0.5, 0.5, 0.1, 0.9],
        [1, 2, 3, 4],
      ]);
      expect(firingSteps(rankOrderEncode(x, 4))).toEqual([
        [1, 1, 3, 0],
        [3, 2, 1, 0],
      ]);
      // T = 2, N = 4: ranks 0,1 → step 0; ranks 2,3 → step 1
      expect(firingSteps(rankOrderEncode(x, 2))).toEqual([
        [0, 0, 1, 0],
        [1, 1, 0, 0],
      ]);
    });
  });

  it('keeps the input shape [B, ...] after T', () => {
    tf.tidy(() => {
      const s = rankOrderEncode(tf.ones([2, 3, 2]), 5);
      expect(s.shape).toEqual([5, 2, 3, 2]);
      expect(tf.sum(s).dataSync()[0]).toBe(12);
    });
  });

  it('rejects non-finite values, T <= 0, rank < 2', () => {
    tf.tidy(() => {
      expect(() => rankOrderEncode(tf.tensor2d([[1, Number.NaN]]), 4)).toThrow(
        "rankOrderEncode: 'x[1]' must be a finite number, got NaN",
      );
      expect(() => rankOrderEncode(tf.tensor2d([[1]]), 0)).toThrow(EncodingValueError);
      expect(() => rankOrderEncode(tf.tensor1d([1]), 4)).toThrow(EncodingShapeError);
    });
  });
});

import { repeatOverTime, ValueError } from '@snn/core';
import { describeBackends, expectClose, expectNoLeak } from '@snn/core/testing';
import type { Tensor } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';

describeBackends('repeatOverTime', () => {
  it('repeats [B, ...] over a new time axis, with the sum over time as its gradient', () => {
    tf.tidy(() => {
      const x = tf.tensor2d([
        [1, 2, 3],
        [4, 5, 6],
      ]);
      const xSeq = repeatOverTime(x, 3);
      expect(xSeq.shape).toEqual([3, 2, 3]);
      expectClose(xSeq, [1, 2, 3, 4, 5, 6, 1, 2, 3, 4, 5, 6, 1, 2, 3, 4, 5, 6]);
      const weights = tf.tensor3d([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17], [3, 2, 3]);
      const g = tf.grad((a: Tensor) => tf.sum(tf.mul(repeatOverTime(a, 3), weights)))(x);
      expectClose(g, [
        [18, 21, 24],
        [27, 30, 33],
      ]);
    });
  });

  it('rejects bad input by name and keeps tf.memory() flat', () => {
    const x = tf.ones([2, 2]);
    expect(() => repeatOverTime(x, 0)).toThrow("repeatOverTime: 'T' must be an integer >= 1, got 0");
    expect(() => repeatOverTime([1, 2] as unknown as Tensor, 2)).toThrow(ValueError);
    expectNoLeak(() => tf.dispose(repeatOverTime(x, 4)), 20);
    x.dispose();
    expect(() => repeatOverTime(x, 2)).toThrow(/must be a tensor that is not disposed/);
  });
});

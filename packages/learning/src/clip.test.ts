import { describeBackends, expectClose } from '@snn/core/testing';
import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import { clipByGlobalNorm, globalNorm } from './clip.js';

describeBackends('clipByGlobalNorm', () => {
  it('globalNorm is the L2 norm of all values together', () => {
    tf.tidy(() => {
      expect(globalNorm([tf.tensor1d([3]), tf.tensor2d([[4, 0]])])).toBeCloseTo(5, 6);
      expect(globalNorm([])).toBe(0);
    });
  });

  it('scales every tensor by clipNorm / ‖g‖ above the bound, keeping the direction', () => {
    tf.tidy(() => {
      const g = [tf.tensor1d([3, 0]), tf.tensor2d([[0, 4]])]; // ‖g‖ = 5
      const { clipped, globalNorm: norm } = clipByGlobalNorm(g, 1);
      expect(norm).toBeCloseTo(5, 6);
      expectClose(clipped[0] as tf.Tensor, [0.6, 0]);
      expectClose(clipped[1] as tf.Tensor, [[0, 0.8]]);
      expect(globalNorm(clipped)).toBeCloseTo(1, 6);
      expect(clipped[1]?.shape).toEqual([1, 2]);
    });
  });

  it('bounds the norm of random gradients and leaves small ones unchanged', () => {
    tf.tidy(() => {
      for (const bound of [0.1, 1, 10, 100]) {
        const g = [tf.randomNormal([5, 7], 0, 1, 'float32', 3), tf.randomNormal([11], 0, 2, 'float32', 4)];
        const norm = globalNorm(g);
        const { clipped } = clipByGlobalNorm(g, bound);
        const after = globalNorm(clipped);
        expect(after).toBeLessThanOrEqual(bound * (1 + 1e-6));
        if (norm <= bound) {
          expectClose(clipped[0] as tf.Tensor, g[0] as tf.Tensor);
          expectClose(clipped[1] as tf.Tensor, g[1] as tf.Tensor);
        } else expect(after).toBeCloseTo(bound, 4);
      }
    });
  });

  it('returns new tensors, does not dispose its inputs and leaks nothing', () => {
    const g = [tf.tensor1d([3, 4])];
    const before = tf.memory().numTensors;
    const { clipped } = clipByGlobalNorm(g, 100);
    expect(clipped[0]).not.toBe(g[0]);
    tf.dispose(clipped);
    tf.dispose(clipByGlobalNorm(g, 1).clipped);
    expect(tf.memory().numTensors).toBe(before);
    expect(g[0]?.isDisposed).toBe(false);
    tf.dispose(g);
  });

  it('names a wrong bound or list', () => {
    tf.tidy(() => {
      expect(() => clipByGlobalNorm([tf.scalar(1)], 0)).toThrow(
        "clipByGlobalNorm: 'clipNorm' must be a finite number > 0, got 0",
      );
      expect(() => clipByGlobalNorm([tf.scalar(1)], Number.POSITIVE_INFINITY)).toThrow(/'clipNorm'/);
      expect(() => clipByGlobalNorm([1 as never], 1)).toThrow(
        "clipByGlobalNorm: 'tensors[0]' must be a tf.Tensor, got 1",
      );
      expect(() => globalNorm(tf.scalar(1) as never)).toThrow(/'tensors' must be an array of tensors/);
    });
  });
});

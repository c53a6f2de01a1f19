// Importing @snn/core registers its cpu backend, which describeBackends switches to.
import '@snn/core';
import { describeBackends } from '@snn/core/testing';
import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import { EncodingShapeError, EncodingValueError } from './errors.js';
import { GaussianTuning } from './gaussian-tuning.js';
import { multipleSpikeToBinary, singleSpikeToBinary } from './spike-times.js';

describeBackends('spike times to binary', () => {
  it('singleSpikeToBinary: one spike at round(t / dt); negative = none; t = T·dt in the last step', () => {
    tf.tidy(() => {
      const s = singleSpikeToBinary(tf.tensor2d([[0, 3, -1, 4]]), 4);
      expect(s.shape).toEqual([4, 1, 4]);
      expect(s.arraySync()).toEqual([[[1, 0, 0, 0]], [[0, 0, 0, 0]], [[0, 0, 0, 0]], [[0, 1, 0, 1]]]);
      // dt = 0.1 ms: 0.7 ms is step 7 (robust to 0.7 / 0.1 = 6.9999…); 0.25 rounds half to even → 2
      const u = singleSpikeToBinary(tf.tensor2d([[0.7, 0.25, 0.35]]), 10, { dt: 0.1 });
      expect(Array.from(tf.argMax(u, 0).dataSync())).toEqual([7, 2, 4]);
    });
  });

  it('turns GaussianTuning spike times into a train (−1 stays silent)', () => {
    const gt = new GaussianTuning(1, 5, 0, 1);
    tf.tidy(() => {
      const times = gt.encode(tf.tensor3d([[[0.3]]]), 10); // [1, 1, 1, 5]
      const s = singleSpikeToBinary(times, 10);
      const t = Array.from(times.dataSync());
      expect(Array.from(tf.sum(s, 0).dataSync())).toEqual(t.map((v) => (v >= 0 ? 1 : 0)));
    });
    gt.dispose();
  });

  it('multipleSpikeToBinary: every listed time spikes; padding and duplicates do not add', () => {
    tf.tidy(() => {
      const times = tf.tensor3d([
        [
          [0, 2, 2],
          [1, -1, -1],
        ],
      ]); // [B=1, N=2, K=3]
      const s = multipleSpikeToBinary(times, 3);
      expect(s.shape).toEqual([3, 1, 2]);
      expect(s.arraySync()).toEqual([[[1, 0]], [[0, 1]], [[1, 0]]]);
      // [B=1, K=2] → [3, 1]; dt = 0.5: 0.5 is step 1, 1.5 = T·dt is the end of the window → last step
      const ms = multipleSpikeToBinary(tf.tensor2d([[0.5, 1.5]]), 3, { dt: 0.5 });
      expect(ms.arraySync()).toEqual([[0], [1], [1]]);
    });
  });

  it('rejects times beyond T·dt, NaN, bad T and dt, wrong rank', () => {
    tf.tidy(() => {
      expect(() => singleSpikeToBinary(tf.tensor1d([5]), 4)).toThrow(
        "singleSpikeToBinary: 'times[0]' must be a time <= T·dt = 4 (or < 0 for no spike), got 5",
      );
      expect(() => singleSpikeToBinary(tf.tensor1d([Number.NaN]), 4)).toThrow(EncodingValueError);
      expect(() => singleSpikeToBinary(tf.tensor1d([1]), 0)).toThrow(EncodingValueError);
      expect(() => singleSpikeToBinary(tf.tensor1d([1]), 4, { dt: -1 })).toThrow(EncodingValueError);
      expect(() => singleSpikeToBinary(tf.scalar(1), 4)).toThrow(EncodingShapeError);
      expect(() => multipleSpikeToBinary(tf.tensor1d([1, 2]), 4)).toThrow(
        "multipleSpikeToBinary: 'times' must have rank >= 2 ([B, ..., K]), got shape [2]",
      );
      expect(() => multipleSpikeToBinary(tf.tensor2d([[1, 9]]), 4)).toThrow(EncodingValueError);
    });
  });
});

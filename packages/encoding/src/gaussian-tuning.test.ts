import { readFileSync } from 'node:fs';
// Importing @snn/core registers its cpu backend, which describeBackends switches to.
import '@snn/core';
import { describeBackends, expectClose, expectNoLeak } from '@snn/core/testing';
import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import { EncodingShapeError, EncodingValueError } from './errors.js';
import { GaussianTuning, gaussianTuningEncode } from './gaussian-tuning.js';

interface TuningCase {
  params: { n: number; m: number; x_min: number[]; x_max: number[]; max_spike_time: number };
  inputs: { x: number[][][] };
  outputs: { spike_times: number[][][][]; mu: number[][]; sigma2: number[][] };
}
const golden: TuningCase = JSON.parse(
  readFileSync(new URL('../test/golden/encoders.json', import.meta.url), 'utf8'),
).cases.find((c: { name: string }) => c.name === 'GaussianTuning_n3_m6');

describeBackends('GaussianTuning', () => {
  const { n, m, x_min: xMin, x_max: xMax, max_spike_time: maxSpikeTime } = golden.params;

  it('matches SpikingJelly: GaussianTuning_n3_m6 (mu, sigma2, spike times)', () => {
    const gt = new GaussianTuning(n, m, xMin, xMax);
    expectClose(gt.mu, golden.outputs.mu);
    expectClose(gt.sigma2, golden.outputs.sigma2);
    tf.tidy(() => {
      const x = tf.tensor3d(golden.inputs.x);
      const times = gt.encode(x, maxSpikeTime);
      expect(times.shape).toEqual([2, n, 4, m]);
      expect(Array.from(times.dataSync())).toEqual(golden.outputs.spike_times.flat(3));
      const once = gaussianTuningEncode(x, { m, xMin, xMax, maxSpikeTime });
      expect(Array.from(once.dataSync())).toEqual(golden.outputs.spike_times.flat(3));
    });
    gt.dispose();
  });

  it('fires the neuron whose centre is at x at time 0; far neurons do not fire (−1)', () => {
    const gt = new GaussianTuning(1, 5, 0, 1);
    tf.tidy(() => {
      const centres = Array.from(gt.mu.dataSync());
      const x = tf.tensor3d([[[centres[2] as number]]]);
      const t = Array.from(gt.encode(x, 20).dataSync());
      expect(t[2]).toBe(0);
      expect(t[0]).toBe(-1);
      expect(t[4]).toBe(-1);
      expect(t[1]).toBe(t[3]); // symmetric
    });
    gt.dispose();
  });

  it('a number bound applies to every feature', () => {
    const a = new GaussianTuning(2, 4, 0, 2);
    const b = new GaussianTuning(2, 4, [0, 0], [2, 2]);
    expect(Array.from(a.mu.dataSync())).toEqual(Array.from(b.mu.dataSync()));
    a.dispose();
    b.dispose();
  });

  it('does not leak', () => {
    const gt = new GaussianTuning(n, m, xMin, xMax);
    const x = tf.tensor3d(golden.inputs.x);
    expectNoLeak(() => tf.dispose(gt.encode(x, maxSpikeTime)), 100);
    expectNoLeak(() => tf.dispose(gaussianTuningEncode(x, { m, xMin, xMax, maxSpikeTime })), 50);
    const before = tf.memory().numTensors;
    gt.dispose();
    expect(tf.memory().numTensors).toBe(before - 2);
    x.dispose();
  });

  it('rejects x_min >= x_max, m < 3, bounds of the wrong length, wrong rank or n, bad maxSpikeTime, NaN', () => {
    expect(() => new GaussianTuning(2, 5, [0, 1], [1, 1])).toThrow(
      "GaussianTuning: 'xMax[1]' must be a number > xMin[1] (1), got 1",
    );
    expect(() => new GaussianTuning(1, 5, 2, 1)).toThrow(EncodingValueError);
    expect(() => new GaussianTuning(1, 2, 0, 1)).toThrow("GaussianTuning: 'm' must be an integer >= 3, got 2");
    expect(() => new GaussianTuning(0, 5, 0, 1)).toThrow(EncodingValueError);
    expect(() => new GaussianTuning(3, 5, [0, 0], [1, 1, 1])).toThrow(
      "GaussianTuning: 'xMin' must be a number or an array of 3 numbers (one per feature), got [0, 0]",
    );
    expect(() => new GaussianTuning(1, 5, Number.NaN, 1)).toThrow(EncodingValueError);
    const gt = new GaussianTuning(3, 6, 0, 1);
    tf.tidy(() => {
      expect(() => gt.encode(tf.tensor2d([[0.1, 0.2, 0.3]]), 10)).toThrow(
        "GaussianTuning.encode: 'x' must have rank 3 ([B, n, k]), got shape [1, 3]",
      );
      expect(() => gt.encode(tf.zeros([1, 2, 4]), 10)).toThrow(
        "GaussianTuning.encode: 'x' must have shape [B, 3, k] (n = 3 features), got shape [1, 2, 4]",
      );
      expect(() => gt.encode(tf.zeros([1, 3, 4]), 0)).toThrow(EncodingValueError);
      expect(() => gt.encode(tf.fill([1, 3, 1], Number.NaN), 10)).toThrow(
        "GaussianTuning.encode: 'x[0]' must be a finite number, got NaN",
      );
      expect(() => gaussianTuningEncode(tf.zeros([2, 3]), { m: 5, xMin: 0, xMax: 1, maxSpikeTime: 5 })).toThrow(
        EncodingShapeError,
      );
      expect(() => gaussianTuningEncode(tf.zeros([1, 1, 2]), { m: 5, xMin: 1, xMax: 1, maxSpikeTime: 5 })).toThrow(
        "gaussianTuningEncode: 'xMax[0]' must be a number > xMin[0] (1), got 1",
      );
    });
    gt.dispose();
  });
});

import { readFileSync } from 'node:fs';
// Importing @snn/core registers its cpu backend, which describeBackends switches to.
import '@snn/core';
import { describeBackends, expectNoLeak } from '@snn/core/testing';
import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import { EncodingShapeError, EncodingValueError } from './errors.js';
import { LatencyEncoder, latencyEncode, latencySpikeTimes, relativeLatencyEncode } from './latency.js';

interface LatencyCase {
  name: string;
  params: { T: number; enc_function: 'linear' | 'log' };
  inputs: { x: number[][] };
  outputs: { spike: number[][][]; t_f: number[][] };
}
const cases: LatencyCase[] = JSON.parse(
  readFileSync(new URL('../test/golden/encoders.json', import.meta.url), 'utf8'),
).cases.filter((c: { name: string }) => c.name.startsWith('LatencyEncoder_'));

describeBackends('latency encoders', () => {
  it('has the golden cases', () => {
    expect(cases.map((c) => c.name)).toEqual([
      'LatencyEncoder_linear_T8',
      'LatencyEncoder_log_T8',
      'LatencyEncoder_linear_T5',
    ]);
  });

  it.each(cases.map((c) => [c.name, c] as const))('matches SpikingJelly: %s', (_name, c) => {
    const { T, enc_function: encFunction } = c.params;
    tf.tidy(() => {
      const x = tf.tensor2d(c.inputs.x);
      // spike times
      expect(Array.from(latencySpikeTimes(x, T, { encFunction }).dataSync())).toEqual(c.outputs.t_f.flat());
      // whole train
      const train = latencyEncode(x, T, { encFunction });
      expect(train.shape).toEqual([T, ...x.shape]);
      expect(Array.from(train.dataSync())).toEqual(c.outputs.spike.flat(2));
      // stateful, single-step, as SpikingJelly was driven: T calls with the same x, then periodic
      const enc = new LatencyEncoder(T, { encFunction });
      for (let round = 0; round < 2; round++) {
        for (let t = 0; t < T; t++) {
          expect(Array.from(enc.forward(x).dataSync()), `step ${t}`).toEqual(c.outputs.spike[t]?.flat());
        }
      }
      enc.dispose();
    });
  });

  it('rounds half to even (T = 5: 0.5 → 0, 1.5 → 2, 2.5 → 2, 3.5 → 4)', () => {
    tf.tidy(() => {
      const x = tf.tensor1d([1 - 0.5 / 4, 1 - 1.5 / 4, 1 - 2.5 / 4, 1 - 3.5 / 4]);
      expect(Array.from(latencySpikeTimes(x, 5).dataSync())).toEqual([0, 2, 2, 4]);
    });
  });

  it('fires each element exactly once, stronger earlier; T = 1 fires everything at step 0', () => {
    tf.tidy(() => {
      const x = tf.tensor2d([[0, 0.25, 0.5, 0.75, 1]]);
      for (const encFunction of ['linear', 'log'] as const) {
        const s = latencyEncode(x, 10, { encFunction });
        expect(Array.from(tf.sum(s, 0).dataSync())).toEqual([1, 1, 1, 1, 1]);
        const t = Array.from(latencySpikeTimes(x, 10, { encFunction }).dataSync());
        for (let i = 1; i < t.length; i++) expect(t[i]).toBeLessThanOrEqual(t[i - 1] as number);
        expect(t[0]).toBe(9);
        expect(t[4]).toBe(0);
      }
      expect(Array.from(latencyEncode(x, 1).dataSync())).toEqual([1, 1, 1, 1, 1]);
    });
  });

  it('log coding stays finite for a long window (T = 200, where e^(T-1) overflows float32)', () => {
    tf.tidy(() => {
      const t = Array.from(latencySpikeTimes(tf.tensor1d([0, 1e-30, 0.5, 1]), 200, { encFunction: 'log' }).dataSync());
      expect(t.every(Number.isFinite)).toBe(true);
      expect(t[0]).toBe(199);
      expect(t[3]).toBe(0);
      expect(t[2]).toBe(Math.round(199 - (199 + Math.log(0.5)))); // ≈ ln 2 → 1
    });
  });

  it('LatencyEncoder ignores later inputs until reset()', () => {
    const a = tf.tensor2d([[1, 0]]);
    const b = tf.tensor2d([[0, 1]]);
    const enc = new LatencyEncoder(3);
    const first = enc.forward(a);
    expect(Array.from(first.dataSync())).toEqual([1, 0]);
    const second = enc.forward(b); // still a's train
    expect(Array.from(second.dataSync())).toEqual([0, 0]);
    expect(enc.step).toBe(2);
    enc.reset();
    expect(enc.step).toBe(0);
    const third = enc.forward(b);
    expect(Array.from(third.dataSync())).toEqual([0, 1]);
    tf.dispose([a, b, first, second, third]);
    enc.dispose();
  });

  it('LatencyEncoder keeps tf.memory() flat over 1,000 steps and resets', () => {
    const x = tf.tensor2d([[0.1, 0.6, 0.9]]);
    const enc = new LatencyEncoder(16, { encFunction: 'log' });
    expectNoLeak(() => tf.dispose(enc.forward(x)), 1000);
    expectNoLeak(() => {
      enc.reset();
      tf.dispose(enc.forward(x));
    }, 200);
    const before = tf.memory().numTensors;
    enc.dispose();
    expect(tf.memory().numTensors).toBe(before - 1); // the cached train
    x.dispose();
  });

  it('rejects intensities outside [0, 1], T <= 0, unknown functions, scalars', () => {
    tf.tidy(() => {
      const ok = tf.tensor2d([[0.5]]);
      expect(() => latencyEncode(tf.tensor2d([[0.5, 1.5]]), 4)).toThrow(
        "latencyEncode: 'x[1]' must be a number in [0, 1], got 1.5",
      );
      expect(() => latencySpikeTimes(tf.tensor1d([-0.5]), 4)).toThrow(EncodingValueError);
      expect(() => latencyEncode(ok, 0)).toThrow("latencyEncode: 'T' must be an integer >= 1, got 0");
      expect(() => latencyEncode(ok, 4, { encFunction: 'exp' as never })).toThrow(
        "latencyEncode: 'encFunction' must be one of 'linear', 'log', got 'exp'",
      );
      expect(() => latencyEncode(tf.scalar(0.5), 4)).toThrow(EncodingShapeError);
      expect(() => new LatencyEncoder(-1)).toThrow("LatencyEncoder: 'T' must be an integer >= 1, got -1");
      const enc = new LatencyEncoder(4);
      expect(() => enc.forward(tf.tensor1d([2]))).toThrow(
        "LatencyEncoder.forward: 'x[0]' must be a number in [0, 1], got 2",
      );
      expect(enc.cached).toBeUndefined(); // a throw leaves the encoder unchanged
      expect(enc.step).toBe(0);
    });
  });
});

describeBackends('relativeLatencyEncode', () => {
  it("maps each sample's own range onto the window (max at 0, min at T − 1)", () => {
    tf.tidy(() => {
      const x = tf.tensor2d([
        [2, 4, 6],
        [10, 10, 30],
        [-1, -3, -2],
        [5, 5, 5],
      ]);
      const s = relativeLatencyEncode(x, 5);
      expect(s.shape).toEqual([5, 4, 3]);
      // spike times = argmax over time
      const times = Array.from(tf.argMax(s, 0).dataSync());
      expect(times).toEqual([4, 2, 0, 4, 4, 0, 0, 4, 2, 0, 0, 0]);
      expect(Array.from(tf.sum(s, 0).dataSync())).toEqual(new Array(12).fill(1));
    });
  });

  it('is invariant to the scale and offset of each sample', () => {
    tf.tidy(() => {
      const a = tf.tensor2d([[0.1, 0.45, 0.3, 0.9, 0.2]]); // no time near a .5 tie
      const b = tf.add(tf.mul(a, 40), 7);
      expect(Array.from(relativeLatencyEncode(b, 8).dataSync())).toEqual(
        Array.from(relativeLatencyEncode(a, 8).dataSync()),
      );
    });
  });

  it('encodes an empty batch (or empty samples) as no spikes, on every backend', () => {
    tf.tidy(() => {
      for (const shape of [
        [0, 4],
        [2, 0],
        [0, 3, 0],
      ]) {
        const s = relativeLatencyEncode(tf.zeros(shape), 3);
        expect(s.shape).toEqual([3, ...shape]);
        expect(s.size).toBe(0);
      }
    });
  });

  it('rejects non-finite values, T <= 0 and rank < 2', () => {
    tf.tidy(() => {
      expect(() => relativeLatencyEncode(tf.tensor2d([[1, Number.POSITIVE_INFINITY]]), 4)).toThrow(
        "relativeLatencyEncode: 'x[1]' must be a finite number, got Infinity",
      );
      expect(() => relativeLatencyEncode(tf.tensor2d([[1, 2]]), 0)).toThrow(EncodingValueError);
      expect(() => relativeLatencyEncode(tf.tensor1d([1, 2]), 4)).toThrow(
        "relativeLatencyEncode: 'x' must have rank >= 2 ([B, ...]), got shape [2]",
      );
    });
  });
});

// Latency (linear and log, small and large T) and delta encoding against float64 re-implementations
// of their documented formulas, on batches and shapes where a wrong axis or a wrong first step
// shows. Written for mutation testing (`pnpm mutation`, issue 17).
import '@snn/core'; // registers the cpu backend
import { describeBackends } from '@snn/core/testing';
import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import { DeltaEncoder, deltaEncode } from './delta.js';
import { EncodingShapeError } from './errors.js';
import { latencySpikeTimes } from './latency.js';

/** Round half to even, in float64. */
function roundHalfEven(x: number): number {
  const f = Math.floor(x);
  const frac = x - f;
  return frac > 0.5 || (frac === 0.5 && f % 2 !== 0) ? f + 1 : f;
}

describeBackends('latencySpikeTimes against float64', () => {
  const xs = Array.from({ length: 101 }, (_, i) => i / 100);

  /** Expected times; points whose time is within 1e-3 of a rounding boundary are left out. */
  function expectTimes(T: number, encFunction: 'linear' | 'log', exact: (x: number) => number): void {
    const got = tf.tidy(() =>
      Array.from(latencySpikeTimes(tf.tensor2d(xs, [1, xs.length]), T, { encFunction }).dataSync()),
    );
    let compared = 0;
    for (const [i, x] of xs.entries()) {
      const t = exact(x);
      if (Math.abs(t - Math.floor(t) - 0.5) < 1e-3) continue;
      expect(got[i], `${encFunction}, T = ${T}, x = ${x}: time ${t}`).toBe(roundHalfEven(t));
      compared++;
    }
    expect(compared).toBeGreaterThan(90);
  }

  it.each([2, 3, 5, 8, 20])('linear, T = %i: (1 − x)·(T − 1), rounded half to even', (T) => {
    expectTimes(T, 'linear', (x) => (1 - x) * (T - 1));
  });

  it.each([2, 3, 5, 8, 20, 89, 90, 150])('log, T = %i: T − 1 − ln(α·x + 1), α = e^(T−1) − 1', (T) => {
    // α·x + 1 in float64 is fine up to T ≈ 700; ln(α·x + 1) = ln(α) + ln(x + 1/α) beyond.
    const alpha = Math.exp(T - 1) - 1;
    expectTimes(T, 'log', (x) => T - 1 - Math.log(alpha * x + 1));
  });
}, ['cpu']);

describeBackends('delta encoding against float64', () => {
  // [T = 4, B = 3, 2]: every axis a different size, a first step far from 0.
  const T = 4;
  const B = 3;
  const C = 2;
  const xs = [
    [
      [5, -5],
      [0.5, 0.05],
      [-2, 2],
    ],
    [
      [5.3, -5],
      [0.2, 0.05],
      [-1.8, 1.7],
    ],
    [
      [5.3, -4.85],
      [0.35, 0.5],
      [-1.8, 1.75],
    ],
    [
      [4, -4.85],
      [0.35, 0.44],
      [-1.9, 1.9],
    ],
  ];

  /** [T, B, 2, C]: on = Δ ≥ θ, off = Δ ≤ −θ, Δ from the previous step (or `initial`, or itself). */
  function expected(threshold: number, initial: number | undefined): number[][][][] {
    return xs.map((row, t) =>
      row.map((sample, b) => {
        const prev = t > 0 ? ((xs[t - 1] as number[][])[b] as number[]) : sample.map((x) => initial ?? x);
        const d = sample.map((x, c) => Math.fround(x) - Math.fround(prev[c] as number));
        return [d.map((v) => (v >= threshold ? 1 : 0)), d.map((v) => (v <= -threshold ? 1 : 0))];
      }),
    );
  }

  it.each([
    [0.1, undefined],
    [0.25, undefined],
    [0.1, 0],
    [1, 3],
  ] as const)('deltaEncode (threshold %s, initial %s) and DeltaEncoder step by step', (threshold, initial) => {
    const options = initial === undefined ? { threshold } : { threshold, initial };
    const want = expected(threshold, initial);
    tf.tidy(() => {
      const y = deltaEncode(tf.tensor3d(xs), options);
      expect(y.shape).toEqual([T, B, 2, C]);
      expect(y.arraySync()).toEqual(want);
    });
    const enc = new DeltaEncoder(options);
    for (let t = 0; t < T; t++) {
      const y = tf.tidy(() => enc.forward(tf.tensor2d(xs[t] as number[][])));
      expect(y.arraySync(), `step ${t}`).toEqual(want[t]);
      y.dispose();
    }
    enc.dispose();
  });

  it('DeltaEncoder: reset forgets the previous input; a new shape is refused', () => {
    const enc = new DeltaEncoder({ threshold: 0.5 });
    enc.reset(); // nothing to forget yet
    const first = tf.tensor1d([3, -3]);
    tf.dispose(enc.forward(first));
    expect(() => enc.forward(tf.tensor2d([[3, -3]]))).toThrow(EncodingShapeError);
    expect(() => enc.forward(tf.tensor1d([3, -3, 0]))).toThrow(EncodingShapeError);
    // [2, 2] broadcasts against [2] but is not the same shape.
    expect(() =>
      enc.forward(
        tf.tensor2d([
          [3, -3],
          [3, -3],
        ]),
      ),
    ).toThrow(EncodingShapeError);
    enc.reset();
    // After a reset the first step compares with itself again: no spikes ([B, 2] for a [B] input).
    const y = enc.forward(tf.tensor1d([9, -9, 1]));
    expect(y.arraySync()).toEqual([
      [0, 0],
      [0, 0],
      [0, 0],
    ]);
    tf.dispose([first, y]);
    enc.dispose();
  });
}, ['cpu']);

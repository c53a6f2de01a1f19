/**
 * The complex decoders against hand-worked values and float64 references written from the
 * formulas (plain loops, not tensors), plus bad input, options and leaks. SPAIC's own numbers for
 * count, phase and latency are in spaic-decoders.test.ts.
 */
// Importing @snn/core registers its cpu backend, which describeBackends switches to.
import '@snn/core';
import { describeBackends, expectClose } from '@snn/core/testing';
import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import {
  type ComplexSpikes,
  ComplexTrajectoryDecoder,
  decodeComplexCount,
  decodeComplexLatency,
  decodeComplexPhase,
  decodeComplexTimingDistance,
  decodeComplexTrajectory,
} from './complex-decoders.js';
import { EncodingShapeError, EncodingValueError } from './errors.js';

/** A reproducible stream in [0, 1) for test data (a 32-bit LCG; any fixed numbers would do). */
function stream(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/** Complex spikes of `shape` (time first): fires with probability `p`, offsets in [0, 1) where it fires. */
function makeRecord(shape: number[], p: number, seed: number): { real: number[]; imag: number[] } {
  const next = stream(seed);
  const n = shape.reduce((a, b) => a * b, 1);
  const real: number[] = [];
  const imag: number[] = [];
  for (let i = 0; i < n; i++) {
    const fires = next() < p;
    real.push(fires ? 1 : 0);
    imag.push(fires ? Math.fround(next()) : 0);
  }
  return { real, imag };
}

const toTensors = (r: { real: number[]; imag: number[] }, shape: number[]): ComplexSpikes => ({
  real: tf.tensor(r.real, shape),
  imag: tf.tensor(r.imag, shape),
});

/** Index of element (t, b, f) in a time-first record with B samples of F features. */
const at = (t: number, b: number, f: number, B: number, F: number) => (t * B + b) * F + f;

describeBackends('complex decoders', () => {
  it('decodeComplexCount: hand-worked, −Σ (t − imag)/T over the first maxSpikes spikes, + 1e−6', () => {
    tf.tidy(() => {
      // T = 4, B = 1, N = 2. Neuron 0 fires at t = 0 (offset 0.5) and t = 2 (offset 0.25);
      // neuron 1 at t = 1, 2, 3 (offsets 0).
      const real = tf.tensor3d([[[1, 0]], [[0, 1]], [[1, 1]], [[0, 1]]]);
      const imag = tf.tensor3d([[[0.5, 0]], [[0, 0]], [[0.25, 0]], [[0, 0]]]);
      // neuron 0: −(0 − 0.5)/4 − (2 − 0.25)/4 = 0.125 − 0.4375; neuron 1: −(1 + 2 + 3)/4
      const { value, prediction } = decodeComplexCount({ real, imag });
      expectClose(value, [[-0.3125 + 1e-6, -1.5 + 1e-6]]);
      expect(Array.from(prediction.dataSync())).toEqual([0]);
      // with maxSpikes 2 neuron 1 counts t = 1, 2 only: −(1 + 2)/4
      expectClose(decodeComplexCount({ real, imag }, { maxSpikes: 2 }).value, [[-0.3125 + 1e-6, -0.75 + 1e-6]]);
      // SPAIC's cap: by default the first 4 spikes of a neuron, the 5th and 6th are dropped
      const six = tf.ones([6, 1, 1]);
      expectClose(decodeComplexCount({ real: six, imag: tf.zeros([6, 1, 1]) }).value, [[-(0 + 1 + 2 + 3) / 6 + 1e-6]]);
      // a silent neuron: 1e−6; a negative real part is not a spike
      const quiet = { real: tf.tensor3d([[[0, -1]]]), imag: tf.tensor3d([[[0.3, 0.3]]]) };
      expectClose(decodeComplexCount(quiet).value, [[1e-6, 1e-6]]);
    });
  });

  it('decodeComplexCount: the gradient in imag is kept/T (differentiable in the offsets)', () => {
    tf.tidy(() => {
      const real = tf.tensor3d([[[1, 0]], [[1, 1]], [[1, 0]]]);
      const grad = tf.grad((imag: tf.Tensor) => tf.sum(decodeComplexCount({ real, imag }, { maxSpikes: 2 }).value))(
        tf.zeros([3, 1, 2]),
      );
      // neuron 0 fires at 0, 1, 2 but counts 0, 1; neuron 1 at 1
      expectClose(grad, [[[1 / 3, 0]], [[1 / 3, 1 / 3]], [[0, 0]]]);
      // the spikes enter as a mask only (a comparison in SPAIC): zero gradient, not an error
      const dReal = tf.grad((re: tf.Tensor) => tf.sum(decodeComplexCount({ real: re, imag: tf.zerosLike(re) }).value))(
        real,
      );
      expect(Array.from(dReal.dataSync())).toEqual([0, 0, 0, 0, 0, 0]);
    });
  });

  it('decodeComplexPhase: float64 reference, rank 4 (the mean runs over all features of a sample)', () => {
    const shape = [5, 2, 2, 3];
    const [T, B] = shape as [number, number];
    const F = 6;
    const r = makeRecord(shape, 0.4, 11);
    for (const dt of [1, 0.25]) {
      const expected: number[] = [];
      for (let b = 0; b < B; b++) {
        const abs = (t: number, f: number) => Math.hypot(r.real[at(t, b, f, B, F)]!, r.imag[at(t, b, f, B, F)]!);
        const mean = Array.from(
          { length: T },
          (_, t) => Array.from({ length: F }, (_, f) => abs(t, f)).reduce((a, c) => a + c) / F,
        );
        const z = mean.map(Math.exp).reduce((a, c) => a + c);
        const ref = mean.map((m) => (Math.exp(m) / z) * dt);
        for (let f = 0; f < F; f++) {
          let sum = 0;
          for (let t = 0; t < T; t++) sum += (ref[t]! * r.real[at(t, b, f, B, F)]!) / (abs(t, f) + 1);
          expected.push(sum);
        }
      }
      tf.tidy(() => {
        const { value, prediction } = decodeComplexPhase(toTensors(r, shape), { dt });
        expect(value.shape).toEqual([2, 2, 3]);
        expectClose(value, expected);
        const argmax = (row: number[]) => row.indexOf(Math.max(...row));
        expect(Array.from(prediction.dataSync())).toEqual([argmax(expected.slice(0, F)), argmax(expected.slice(F))]);
      });
    }
  });

  it('decodeComplexLatency: float64 reference, the latest-left spike of each sample as the reference', () => {
    const shape = [7, 3, 4];
    const [T, B, F] = shape as [number, number, number];
    const r = makeRecord(shape, 0.35, 5);
    const expected: number[] = [];
    for (const tauCount of [5, 2]) {
      expected.length = 0;
      for (let b = 0; b < B; b++) {
        const left = (t: number, f: number) =>
          r.real[at(t, b, f, B, F)]! > 0 ? T - (t - r.imag[at(t, b, f, B, F)]!) : 0;
        let m = Number.NEGATIVE_INFINITY;
        for (let t = 0; t < T; t++) for (let f = 0; f < F; f++) m = Math.max(m, left(t, f));
        for (let f = 0; f < F; f++) {
          let count = 0;
          let sum = 0;
          for (let t = 0; t < T; t++) {
            const re = r.real[at(t, b, f, B, F)]!;
            count += re;
            if (re > 0) sum += Math.exp(-count / tauCount) * re * Math.exp((left(t, f) - m) / T);
          }
          expected.push(sum);
        }
      }
      tf.tidy(() => {
        const { value } = decodeComplexLatency(toTensors(r, shape), { tauCount });
        expectClose(value, expected);
      });
    }
    // SPAIC's gradient: the reference m and the running count are detached, so
    // ∂Σvalue/∂imag[t] = exp(−count/tauCount) · real · exp((left − m)/T) / T where real > 0, and
    // ∂Σvalue/∂real[t] = exp(−count/tauCount) · exp((left − m)/T) there (spk has no gradient)
    const gradImag: number[] = [];
    const gradReal: number[] = [];
    for (let t = 0; t < T; t++) {
      for (let b = 0; b < B; b++) {
        const left = (tt: number, f: number) =>
          r.real[at(tt, b, f, B, F)]! > 0 ? T - (tt - r.imag[at(tt, b, f, B, F)]!) : 0;
        let m = Number.NEGATIVE_INFINITY;
        for (let tt = 0; tt < T; tt++) for (let f = 0; f < F; f++) m = Math.max(m, left(tt, f));
        for (let f = 0; f < F; f++) {
          let count = 0;
          for (let tt = 0; tt <= t; tt++) count += r.real[at(tt, b, f, B, F)]!;
          const re = r.real[at(t, b, f, B, F)]!;
          const g = re > 0 ? Math.exp(-count / 5) * Math.exp((left(t, f) - m) / T) : 0;
          gradImag.push((g * re) / T);
          gradReal.push(g);
        }
      }
    }
    tf.tidy(() => {
      const { real, imag } = toTensors(r, shape);
      const [dReal, dImag] = tf.grads((re: tf.Tensor, im: tf.Tensor) =>
        tf.sum(decodeComplexLatency({ real: re, imag: im }).value),
      )([real, imag]) as [tf.Tensor, tf.Tensor];
      expectClose(dImag, gradImag);
      expectClose(dReal, gradReal);
    });
    // one spike per neuron, no offsets: the earlier neuron scores higher
    tf.tidy(() => {
      const real = tf.tensor3d([[[0, 1]], [[1, 0]], [[0, 0]]]);
      const { prediction } = decodeComplexLatency({ real, imag: tf.zerosLike(real) });
      expect(Array.from(prediction.dataSync())).toEqual([1]);
    });
  });

  it('decodeComplexTimingDistance: float64 reference (filters, same-padded correlation, mean squared error)', () => {
    const shape = [9, 2, 3];
    const [T, B, N] = shape as [number, number, number];
    const r = makeRecord(shape, 0.3, 21);
    const target = makeRecord(shape, 0.3, 22).real;
    for (const [dt, filterTime] of [
      [1, 10],
      [0.5, 4],
    ] as const) {
      const du = (6 * dt) / filterTime;
      const K = Math.ceil((6 + du) / du); // torch.arange(0, 6 + du, du)'s length
      const f = Array.from({ length: K }, (_, k) => Math.exp(-((k * du - 2) ** 2)));
      const g = Array.from({ length: K }, (_, k) => 0.5 * (k * du - 2) * Math.exp(-((k * du - 1) ** 2)) * du * 0.01);
      const before = Math.floor((K - 1) / 2);
      const correlate = (x: (t: number) => number, w: number[], s: number) => {
        let sum = 0;
        for (let k = 0; k < K; k++) {
          const t = s + k - before;
          if (t >= 0 && t < T) sum += x(t) * w[k]!;
        }
        return sum;
      };
      const rate: number[] = [];
      const targetRate: number[] = [];
      for (let b = 0; b < B; b++) {
        for (let i = 0; i < N; i++) {
          for (let s = 0; s < T; s++) {
            rate.push(
              correlate((t) => r.real[at(t, b, i, B, N)]!, f, s) - correlate((t) => r.imag[at(t, b, i, B, N)]!, g, s),
            );
            targetRate.push(correlate((t) => target[at(t, b, i, B, N)]!, f, s));
          }
        }
      }
      const loss = rate.reduce((a, v, i) => a + (v - targetRate[i]!) ** 2, 0) / rate.length;
      tf.tidy(() => {
        const out = decodeComplexTimingDistance(toTensors(r, shape), tf.tensor(target, shape), { dt, filterTime });
        expect(out.rate.shape).toEqual([B, N, T]);
        expectClose(out.rate, rate, { atol: 1e-5 });
        expectClose(out.targetRate, targetRate, { atol: 1e-5 });
        expect(out.value.shape).toEqual([]);
        expectClose(out.value, [loss], { rtol: 1e-4 });
      });
    }
    // the default filter for dt = 1, filterTime = 10: 11 taps (u = 0, 0.6, ..., 6), peak at u = 2 ≈ tap 3
    tf.tidy(() => {
      const one = tf.tensor3d([[[0]], [[0]], [[0]], [[0]], [[0]], [[0]], [[1]], [[0]], [[0]], [[0]], [[0]], [[0]]]);
      const { targetRate } = decodeComplexTimingDistance({ real: one, imag: tf.zerosLike(one) }, one);
      // out[s] = Σ_k x[s + k − 5] f[k]: the spike at t = 6 is seen at s = 6 − k + 5 with weight f[k]
      const expected = Array.from({ length: 12 }, (_, s) => {
        const k = 6 - s + 5;
        return k >= 0 && k < 11 ? Math.exp(-((k * 0.6 - 2) ** 2)) : 0;
      });
      expectClose(targetRate, expected);
    });
  });

  it('decodeComplexTrajectory: the closed form Σ_spikes w·exp(−τ·dt/τ_d)·sin(2π·τ·dt/τ_r), τ = t − t_spike + imag', () => {
    const shape = [12, 2, 4];
    const [T, B, N] = shape as [number, number, number];
    const r = makeRecord(shape, 0.3, 3);
    const tauD = [20, 5, 8, 30];
    // neuron 3's rotation 2π/1.5 > π: torch's β^s takes the principal argument, 2π − rotation
    const tauR = [40, 12, 7, 1.5];
    const weight = [1, -0.5, 2, 0.7];
    for (const dt of [1, 0.5]) {
      const expected: number[] = [];
      for (let b = 0; b < B; b++) {
        for (let g = 0; g < 2; g++) {
          for (let t = 0; t < T; t++) {
            let sum = 0;
            for (let i = 2 * g; i < 2 * g + 2; i++) {
              const rot = (2 * Math.PI * dt) / tauR[i]!;
              const arg = Math.atan2(Math.sin(-rot), Math.cos(-rot));
              for (let k = 0; k <= t; k++) {
                const re = r.real[at(k, b, i, B, N)]!;
                if (re === 0) continue;
                const s = r.imag[at(k, b, i, B, N)]!;
                // Re(i · β^(t−k) · β^s) = −sin(arg·s − rot·(t − k)) · |β|^(t−k+s)
                sum += weight[i]! * re * Math.exp((-(t - k + s) * dt) / tauD[i]!) * -Math.sin(arg * s - rot * (t - k));
              }
            }
            expected.push(sum);
          }
        }
      }
      tf.tidy(() => {
        const { value } = decodeComplexTrajectory(toTensors(r, shape), {
          tauD: tf.tensor1d(tauD),
          tauR: tf.tensor1d(tauR),
          weight: tf.tensor1d(weight),
          groups: 2,
          dt,
        });
        expect(value.shape).toEqual([B, 2, T]);
        expectClose(value, expected, { atol: 1e-5 });
      });
    }
    // numbers for all neurons broadcast; groups = 1 sums them all
    tf.tidy(() => {
      const rec = toTensors(r, shape);
      const all = decodeComplexTrajectory(rec, { tauD: 10, tauR: 20, weight: 2 }).value;
      const perNeuron = decodeComplexTrajectory(rec, { tauD: 10, tauR: 20, weight: 1, groups: N }).value;
      expect(all.shape).toEqual([B, 1, T]);
      expectClose(all, tf.mul(tf.sum(perNeuron, 1, true), 2), { atol: 1e-5 });
    });
  });

  it('ComplexTrajectoryDecoder: draws its parameters as SPAIC does, once, reproducibly from a seed', () => {
    const a = new ComplexTrajectoryDecoder(50, { seed: 4, dt: 0.5, groups: 5 });
    const b = new ComplexTrajectoryDecoder(50, { seed: 4, dt: 0.5, groups: 5 });
    const c = new ComplexTrajectoryDecoder(50, { seed: 5 });
    try {
      expect(Array.from(a.weight.dataSync())).toEqual(Array.from(b.weight.dataSync()));
      expect(Array.from(a.tauD.dataSync())).not.toEqual(Array.from(c.tauD.dataSync()));
      const tauD = Array.from(a.tauD.dataSync());
      const tauR = Array.from(a.tauR.dataSync());
      const w = Array.from(a.weight.dataSync());
      expect(tauD.every((v) => v >= 20 && v < 40)).toBe(true);
      expect(tauR.every((v) => v >= 10 && v < 60)).toBe(true);
      expect(w.every(Number.isFinite) && w.some((v) => v < 0) && w.some((v) => v > 0)).toBe(true);
      tf.tidy(() => {
        const shape = [6, 2, 50];
        const rec = toTensors(makeRecord(shape, 0.2, 9), shape);
        const viaClass = a.decode(rec).value;
        const viaFunction = decodeComplexTrajectory(rec, {
          tauD: a.tauD,
          tauR: a.tauR,
          weight: a.weight,
          groups: 5,
          dt: 0.5,
        }).value;
        expect(viaClass.shape).toEqual([2, 5, 6]);
        expect(Array.from(viaClass.dataSync())).toEqual(Array.from(viaFunction.dataSync()));
      });
      // given parameters are kept as they are
      const given = new ComplexTrajectoryDecoder(3, { tauD: 7, tauR: tf.tensor1d([1, 2, 3]), weight: 1 });
      expect(Array.from(given.tauD.dataSync())).toEqual([7, 7, 7]);
      expect(Array.from(given.tauR.dataSync())).toEqual([1, 2, 3]);
      given.dispose();
    } finally {
      a.dispose();
      b.dispose();
      c.dispose();
    }
  });

  it('bad input is a named error and leaves the tensor count unchanged', () => {
    // Every input is made before the calls, so the count around each refused call must not move.
    const ok = { real: tf.zeros([3, 1, 4]), imag: tf.zeros([3, 1, 4]) };
    const target = tf.zeros([3, 1, 4]);
    const wide = tf.zeros([3, 1, 5]);
    const rank2 = tf.zeros([3, 4]);
    const empty = tf.zeros([0, 1, 2]);
    const nanImag = tf.tensor3d([[[0, Number.NaN, 0, 0]], [[0, 0, 0, 0]], [[0, 0, 0, 0]]]);
    const narrow = tf.zeros([3, 1, 3]);
    const infinite = tf.fill([3, 1, 4], Number.POSITIVE_INFINITY);
    const rank4 = tf.zeros([3, 1, 2, 2]);
    const zeroTau = tf.tensor1d([1, 2, 0, 4]);
    const square = tf.ones([2, 2]);
    const nanWeight = tf.tensor1d([1, Number.NaN, 1, 1]);
    const three = tf.ones([3]);
    const six = tf.zeros([3, 1, 6]);
    const dec = new ComplexTrajectoryDecoder(4, { seed: 1, groups: 2 });
    const params = { tauD: 10, tauR: 20, weight: 1 };
    const cases: [() => unknown, new (...args: never[]) => Error, string?][] = [
      [
        () => decodeComplexCount(ok.real as never),
        EncodingValueError,
        "decodeComplexCount: 'spikes' must be an object { real, imag } of two tensors [T, B, N, ...], got a float32 tensor of shape [3, 1, 4]",
      ],
      [() => decodeComplexPhase(null as never), EncodingValueError],
      [
        () => decodeComplexLatency({ real: ok.real, imag: wide }),
        EncodingShapeError,
        "decodeComplexLatency: 'spikes.imag' must have the shape of spikes.real ([3, 1, 4]), got shape [3, 1, 5]",
      ],
      [
        () => decodeComplexCount({ real: rank2, imag: rank2 }),
        EncodingShapeError,
        "decodeComplexCount: 'spikes.real' must have rank >= 3 ([T, B, N, ...]), got shape [3, 4]",
      ],
      [
        () => decodeComplexCount({ real: empty, imag: empty }),
        EncodingValueError,
        "decodeComplexCount: 'spikes.real.shape[0] (T)' must be at least 1 time step, got 0",
      ],
      [
        () => decodeComplexPhase({ real: ok.real, imag: nanImag }),
        EncodingValueError,
        "decodeComplexPhase: 'spikes.imag[1]' must be a finite number, got NaN",
      ],
      [() => decodeComplexCount({ real: ok.real, imag: [1] as never }), EncodingValueError],
      [
        () => decodeComplexCount(ok, { maxSpikes: 0 }),
        EncodingValueError,
        "decodeComplexCount: 'maxSpikes' must be an integer >= 1, got 0",
      ],
      [
        () => decodeComplexPhase(ok, { dt: 0 }),
        EncodingValueError,
        "decodeComplexPhase: 'dt' must be a finite number > 0, got 0",
      ],
      [() => decodeComplexLatency(ok, { tauCount: -1 }), EncodingValueError],
      [() => decodeComplexTimingDistance(ok, target, { filterTime: Number.NaN }), EncodingValueError],
      [
        () => decodeComplexTimingDistance(ok, narrow),
        EncodingShapeError,
        "decodeComplexTimingDistance: 'target' must have the shape of spikes.real ([3, 1, 4]), got shape [3, 1, 3]",
      ],
      [() => decodeComplexTimingDistance(ok, infinite), EncodingValueError],
      [() => decodeComplexTimingDistance(ok, 'target' as never), EncodingValueError],
      [
        () => decodeComplexTrajectory({ real: rank4, imag: rank4 }, params),
        EncodingShapeError,
        "decodeComplexTrajectory: 'spikes.real' must have rank 3 ([T, B, N]), got shape [3, 1, 2, 2]",
      ],
      [
        () => decodeComplexTrajectory(ok, { ...params, groups: 3 }),
        EncodingShapeError,
        "decodeComplexTrajectory: 'spikes.real' must have a neuron count N that is a multiple of groups (3), got shape [3, 1, 4]",
      ],
      [() => decodeComplexTrajectory(ok, { ...params, tauD: 0 }), EncodingValueError],
      [
        () => decodeComplexTrajectory(ok, { ...params, tauR: zeroTau }),
        EncodingValueError,
        "decodeComplexTrajectory: 'tauR[2]' must be a finite number > 0, got 0",
      ],
      [
        () => decodeComplexTrajectory(ok, { ...params, weight: square }),
        EncodingShapeError,
        "decodeComplexTrajectory: 'weight' must have shape [4] (one per neuron), got shape [2, 2]",
      ],
      [() => decodeComplexTrajectory(ok, { ...params, weight: nanWeight }), EncodingValueError],
      [() => decodeComplexTrajectory(ok, undefined as never), EncodingValueError],
      [
        () => new ComplexTrajectoryDecoder(0),
        EncodingValueError,
        "ComplexTrajectoryDecoder: 'num' must be an integer >= 1, got 0",
      ],
      [
        () => new ComplexTrajectoryDecoder(4, { groups: 3 }),
        EncodingValueError,
        "ComplexTrajectoryDecoder: 'groups' must be a divisor of num (4), got 3",
      ],
      [() => new ComplexTrajectoryDecoder(4, { tauD: 1, tauR: three }), EncodingShapeError],
      [() => new ComplexTrajectoryDecoder(4, { tauD: 1, tauR: 2, weight: nanWeight, seed: 1 }), EncodingValueError],
      [() => new ComplexTrajectoryDecoder(4, { seed: 1.5 }), EncodingValueError],
      [
        () => dec.decode({ real: six, imag: six }),
        EncodingShapeError,
        "ComplexTrajectoryDecoder.decode: 'spikes.real' must have [T, B, 4], got shape [3, 1, 6]",
      ],
    ];
    for (const [call, type, message] of cases) {
      const before = tf.memory().numTensors;
      let thrown: unknown;
      try {
        call();
      } catch (e) {
        thrown = e;
      }
      expect(thrown, String(call)).toBeInstanceOf(type);
      if (message !== undefined) expect((thrown as Error).message).toBe(message);
      expect(tf.memory().numTensors, String(call)).toBe(before);
    }
    dec.dispose();
    expect(() => dec.decode(ok)).toThrow(
      "ComplexTrajectoryDecoder.decode: 'this' must be a decoder that is not disposed, got 'a disposed decoder'",
    );
    tf.dispose([ok.real, ok.imag, target, wide, rank2, empty, nanImag, narrow, infinite, rank4, zeroTau]);
    tf.dispose([square, nanWeight, three, six]);
  });

  it('leaks nothing', () => {
    const shape = [6, 2, 4];
    const rec = toTensors(makeRecord(shape, 0.4, 1), shape);
    const target = tf.ones(shape);
    const tauR = tf.fill([4], 20);
    const dec = new ComplexTrajectoryDecoder(4, { seed: 2, groups: 2 });
    const before = tf.memory().numTensors;
    for (let i = 0; i < 5; i++) {
      for (const decode of [decodeComplexCount, decodeComplexPhase, decodeComplexLatency]) {
        const d = decode(rec);
        tf.dispose([d.value, d.prediction]);
      }
      const d = decodeComplexTimingDistance(rec, target);
      tf.dispose([d.value, d.rate, d.targetRate]);
      decodeComplexTrajectory(rec, { tauD: 10, tauR, weight: 1, groups: 2 }).value.dispose();
      dec.decode(rec).value.dispose();
    }
    expect(tf.memory().numTensors).toBe(before);
    dec.dispose();
    expect(tf.memory().numTensors).toBe(before - 3);
    tf.dispose([rec.real, rec.imag, target, tauR]);
  });
});

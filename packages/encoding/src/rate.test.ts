import { readFileSync } from 'node:fs';
import { createRng } from '@snn/core';
import { describeBackends } from '@snn/core/testing';
import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import { EncodingShapeError, EncodingValueError } from './errors.js';
import { createRandom } from './random.js';
import { bernoulliEncode, poissonEncode, poissonRateEncode } from './rate.js';

interface PoissonCase {
  inputs: { p: number[] };
  outputs: { mean_rate: number[]; binomial_standard_error: number[] };
  params: { trials: number };
}
const golden: PoissonCase = JSON.parse(
  readFileSync(new URL('../test/golden/encoders.json', import.meta.url), 'utf8'),
).cases.find((c: { name: string }) => c.name === 'PoissonEncoder_rates');

/** Spikes per element of `[T, B, N]` averaged over T and B, per N. */
function ratesOf(spikes: tf.Tensor): number[] {
  return tf.tidy(() => Array.from(tf.mean(spikes, [0, 1]).dataSync()));
}

describeBackends('poissonEncode', () => {
  const P = golden.inputs.p.map(Math.fround);
  const T = 1000;
  const B = 100; // 1e5 draws per intensity

  it('over 1e5 draws per intensity, the rate is within 3σ of the intensity and matches the golden rates', () => {
    const x = tf.tile(tf.tensor2d([P]), [B, 1]); // [B, 12]
    const spikes = poissonEncode(x, T, { seed: 2024 });
    expect(spikes.shape).toEqual([T, B, P.length]);
    const rates = ratesOf(spikes);
    const n = T * B;
    const report: string[] = [];
    P.forEach((p, i) => {
      const rate = rates[i] as number;
      const sigma = Math.sqrt((p * (1 - p)) / n);
      if (p === 0 || p === 1) {
        expect(rate).toBe(p); // exact at the ends
        return;
      }
      const z = (rate - p) / sigma;
      expect(Math.abs(z), `p = ${p}: rate ${rate}`).toBeLessThan(3);
      // Golden: SpikingJelly's rate over 10,000 trials; the difference of two estimates.
      const g = golden.outputs.mean_rate[i] as number;
      const sigmaDiff = Math.sqrt((p * (1 - p)) / golden.params.trials + (p * (1 - p)) / n);
      const zg = (rate - g) / sigmaDiff;
      expect(Math.abs(zg), `p = ${p}: rate ${rate} vs SpikingJelly's ${g}`).toBeLessThan(3);
      report.push(`p=${p.toFixed(4)} rate=${rate.toFixed(5)} z=${z.toFixed(2)} zGolden=${zg.toFixed(2)}`);
    });
    console.info(`poissonEncode, ${n} draws per intensity:\n  ${report.join('\n  ')}`);
    tf.dispose([x, spikes]);
  });

  it('the spike count per element over T steps has the Binomial(T, p) variance', () => {
    const p = 0.3;
    const x = tf.fill([2000], p);
    const spikes = poissonEncode(tf.reshape(x, [1, 2000]), 50, { seed: 11 });
    const counts = tf.tidy(() => Array.from(tf.sum(spikes, 0).dataSync()));
    const mean = counts.reduce((a, b) => a + b, 0) / counts.length;
    const variance = counts.reduce((a, c) => a + (c - mean) ** 2, 0) / (counts.length - 1);
    expect(Math.abs(variance / (50 * p * (1 - p)) - 1)).toBeLessThan(0.1);
    tf.dispose([x, spikes]);
  });

  it('same seed gives the same spikes (u < x with u from the seed, time-major) on every backend', () => {
    const xs = [0.1, 0.5, 0.9, 0.33, 0.0, 1.0];
    const x = tf.tensor2d([xs]);
    const a = poissonEncode(x, 20, { seed: 77 });
    const b = poissonEncode(x, 20, { rng: createRandom(77) });
    const ref = createRandom(77);
    const expected = Array.from(
      { length: 20 * xs.length },
      (_, i) => +(ref.nextFloat() < Math.fround(xs[i % xs.length] as number)),
    );
    expect(Array.from(a.dataSync())).toEqual(expected);
    expect(Array.from(b.dataSync())).toEqual(expected);
    // A number as `rng` is still a seed (the option's shape before `seed` existed).
    const legacy = poissonEncode(x, 20, { rng: 77 });
    expect(Array.from(legacy.dataSync())).toEqual(expected);
    const c = poissonEncode(x, 20, { seed: 78 });
    expect(Array.from(c.dataSync())).not.toEqual(expected);
    tf.dispose([x, a, b, c, legacy]);
  });

  it("takes @snn/core's Rng as its random source", () => {
    const x = tf.tensor2d([[0.2, 0.7, 0.5]]);
    const s = poissonEncode(x, 30, { rng: createRng(5) });
    const ref = createRng(5);
    const expected = Array.from(
      { length: 90 },
      (_, i) => +(ref.nextFloat() < Math.fround([0.2, 0.7, 0.5][i % 3] as number)),
    );
    expect(Array.from(s.dataSync())).toEqual(expected);
    tf.dispose([x, s]);
  });

  it('a shared source moves on: two calls differ, and equal one call of 2T steps', () => {
    const x = tf.tensor2d([[0.5, 0.5]]);
    const rng = createRandom(3);
    const a = poissonEncode(x, 10, { rng });
    const b = poissonEncode(x, 10, { rng });
    const both = poissonEncode(x, 20, { seed: 3 });
    expect(Array.from(a.dataSync()).concat(Array.from(b.dataSync()))).toEqual(Array.from(both.dataSync()));
    expect(Array.from(a.dataSync())).not.toEqual(Array.from(b.dataSync()));
    tf.dispose([x, a, b, both]);
  });

  it('bernoulliEncode is the same function', () => {
    expect(bernoulliEncode).toBe(poissonEncode);
  });

  it('keeps any input dtype and shape [B, ...]', () => {
    const x = tf.tensor3d([[[1], [0]]], undefined, 'int32');
    const s = poissonEncode(x, 4, { seed: 1 });
    expect(s.shape).toEqual([4, 1, 2, 1]);
    expect(s.dtype).toBe('float32');
    expect(Array.from(s.dataSync())).toEqual([1, 0, 1, 0, 1, 0, 1, 0]);
    tf.dispose([x, s]);
  });

  it('rejects intensities outside [0, 1] and NaN (no clamp), T <= 0, scalars', () => {
    const high = tf.tensor2d([[0.5, 1.2]]);
    const neg = tf.tensor2d([[-0.1]]);
    const nan = tf.tensor2d([[Number.NaN]]);
    const ok = tf.tensor2d([[0.5]]);
    const scalar = tf.scalar(0.5);
    expect(() => poissonEncode(high, 5)).toThrow("poissonEncode: 'x[1]' must be a number in [0, 1], got 1.2");
    expect(() => poissonEncode(neg, 5)).toThrow(EncodingValueError);
    expect(() => poissonEncode(nan, 5)).toThrow("poissonEncode: 'x[0]' must be a number in [0, 1], got NaN");
    expect(() => poissonEncode(ok, 0)).toThrow("poissonEncode: 'T' must be an integer >= 1, got 0");
    expect(() => poissonEncode(ok, -3)).toThrow(EncodingValueError);
    expect(() => poissonEncode(ok, 2.5)).toThrow(EncodingValueError);
    expect(() => poissonEncode(scalar, 5)).toThrow(EncodingShapeError);
    expect(() => poissonEncode([0.5] as never, 5)).toThrow("poissonEncode: 'x' must be a tf.Tensor, got [0.5]");
    tf.dispose([high, neg, nan, ok, scalar]);
  });

  it('does not leak, on success or on error', () => {
    const x = tf.tensor2d([[0.2, 0.8]]);
    const bad = tf.tensor2d([[2]]);
    const before = tf.memory().numTensors;
    for (let i = 0; i < 50; i++) tf.dispose(poissonEncode(x, 8, { seed: i }));
    for (let i = 0; i < 5; i++) expect(() => poissonEncode(bad, 8)).toThrow(EncodingValueError);
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([x, bad]);
  });
});

describeBackends('poissonRateEncode', () => {
  it('rate r Hz at dt ms fires with probability r·dt/1000 (1e5+ draws within 3σ)', () => {
    const rates = [5, 50, 200, 500];
    const dt = 0.5;
    const B = 250;
    const T = 2000; // 5e5 draws per rate
    const r = tf.tile(tf.tensor2d([rates]), [B, 1]);
    const s = poissonRateEncode(r, T, { dt, seed: 99 });
    const observed = ratesOf(s);
    const n = T * B;
    rates.forEach((rate, i) => {
      const p = (rate * dt) / 1000;
      const z = ((observed[i] as number) - p) / Math.sqrt((p * (1 - p)) / n);
      expect(Math.abs(z), `${rate} Hz`).toBeLessThan(3);
    });
    tf.dispose([r, s]);
  });

  it('rejects negative rates, rates above 1000/dt Hz, bad dt and T', () => {
    const ok = tf.tensor2d([[10]]);
    const neg = tf.tensor2d([[-1]]);
    const tooHigh = tf.tensor2d([[600]]);
    expect(() => poissonRateEncode(neg, 10)).toThrow(EncodingValueError);
    expect(() => poissonRateEncode(tooHigh, 10, { dt: 2 })).toThrow(
      "poissonRateEncode: 'rate[0]' must be a number in [0, 500], got 600",
    );
    expect(() => poissonRateEncode(ok, 10, { dt: 0 })).toThrow(
      "poissonRateEncode: 'dt' must be a finite number > 0, got 0",
    );
    expect(() => poissonRateEncode(ok, 0)).toThrow(EncodingValueError);
    tf.dispose([ok, neg, tooHigh]);
  });
});

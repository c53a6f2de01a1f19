// Importing @snn/core registers its cpu backend, which describeBackends switches to.
import '@snn/core';
import { describeBackends, expectClose, expectNoLeak } from '@snn/core/testing';
import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import { EncodingValueError } from './errors.js';
import {
  ConstantCurrentGenerator,
  constantCurrent,
  PoissonGenerator,
  poissonSpikeTrain,
  SinusoidalCurrentGenerator,
  sinusoidalCurrent,
} from './generators.js';
import { createRandom } from './random.js';

describeBackends('generators', () => {
  it('poissonSpikeTrain: T = duration / dt steps, mean rate within 3σ of r (1e5+ draws)', () => {
    const dt = 0.5;
    const s = poissonSpikeTrain({ rate: 40, duration: 1000, dt, shape: [2, 100], seed: 17 }); // 2000 × 200 draws
    expect(s.shape).toEqual([2000, 2, 100]);
    const p = (40 * dt) / 1000;
    const n = s.size;
    const rate = tf.tidy(() => tf.mean(s).dataSync()[0] as number);
    const z = (rate - p) / Math.sqrt((p * (1 - p)) / n);
    console.info(
      `poissonSpikeTrain 40 Hz, dt 0.5 ms, ${n} draws: p = ${rate.toFixed(5)} (expected ${p}), z = ${z.toFixed(2)}`,
    );
    expect(Math.abs(z)).toBeLessThan(3);
    s.dispose();
  });

  it('poissonSpikeTrain takes a rate per neuron; same seed, same train; different seeds differ', () => {
    const rate = tf.tensor1d([0, 1000, 100]);
    const a = poissonSpikeTrain({ rate, duration: 50, seed: 4 });
    const b = poissonSpikeTrain({ rate, duration: 50, rng: createRandom(4) });
    const c = poissonSpikeTrain({ rate, duration: 50, seed: 5 });
    expect(a.shape).toEqual([50, 3]);
    const sums = tf.tidy(() => Array.from(tf.sum(a, 0).dataSync()));
    expect(sums[0]).toBe(0);
    expect(sums[1]).toBe(50); // 1000 Hz at 1 ms: every step
    expect(Array.from(b.dataSync())).toEqual(Array.from(a.dataSync()));
    expect(Array.from(c.dataSync())).not.toEqual(Array.from(a.dataSync()));
    tf.dispose([rate, a, b, c]);
  });

  it('PoissonGenerator: step() and generate(T) continue one stream; reset() restarts time', () => {
    const gen = new PoissonGenerator({ rate: 300, shape: [1, 4], seed: 8 });
    const first = gen.step();
    expect(first.shape).toEqual([1, 4]);
    const rest = gen.generate(9);
    expect(rest.shape).toEqual([9, 1, 4]);
    expect(gen.time).toBe(10);
    const whole = poissonSpikeTrain({ rate: 300, duration: 10, shape: [1, 4], seed: 8 });
    expect([...first.dataSync(), ...rest.dataSync()]).toEqual(Array.from(whole.dataSync()));
    gen.reset();
    expect(gen.time).toBe(0);
    tf.dispose([first, rest, whole]);
    gen.dispose();
  });

  it('constantCurrent: A inside [start, stop), 0 outside', () => {
    tf.tidy(() => {
      const i = constantCurrent({ amplitude: 1.5, duration: 5, dt: 1, start: 1, stop: 3 });
      expect(Array.from(i.dataSync())).toEqual([0, 1.5, 1.5, 0, 0]);
      const per = constantCurrent({ amplitude: tf.tensor1d([1, -2]), duration: 2 });
      expect(per.arraySync()).toEqual([
        [1, -2],
        [1, -2],
      ]);
    });
    const gen = new ConstantCurrentGenerator({ amplitude: 2, shape: [2], dt: 0.5, stop: 1 });
    const seen = [0, 1, 2].map(() => {
      const s = gen.step();
      const v = Array.from(s.dataSync());
      s.dispose();
      return v;
    });
    expect(seen).toEqual([
      [2, 2],
      [2, 2],
      [0, 0],
    ]);
    gen.dispose();
  });

  it('sinusoidalCurrent: c + A sin(2π f t / 1000 + φ), t = k·dt ms', () => {
    tf.tidy(() => {
      const f = 10; // Hz: period 100 ms
      const i = sinusoidalCurrent({ amplitude: 2, frequency: f, phase: 0.3, offset: 1, duration: 200, dt: 0.5 });
      const expected = Array.from(
        { length: 400 },
        (_, k) => 1 + 2 * Math.sin((2 * Math.PI * f * k * 0.5) / 1000 + 0.3),
      );
      expect(i.shape).toEqual([400, 1]);
      expectClose(i, expected, { atol: 1e-6 });
    });
    const gen = new SinusoidalCurrentGenerator({ amplitude: 1, frequency: 250, shape: [1, 2] });
    const values = [0, 1, 2, 3, 4].map(() => {
      const s = gen.step();
      const v = s.dataSync()[0] as number;
      s.dispose();
      return v;
    });
    expectClose(values, [0, 1, 0, -1, 0], { atol: 1e-6 }); // quarter period per 1-ms step
    gen.reset();
    const again = gen.generate(5);
    expectClose(again, [0, 0, 1, 1, 0, 0, -1, -1, 0, 0], { atol: 1e-6 });
    again.dispose();
    gen.dispose();
  });

  it('stateful generators keep tf.memory() flat over 1,000 steps', () => {
    const amp = tf.tensor1d([1, 2, 3]);
    const gens = [
      new PoissonGenerator({ rate: amp, seed: 1 }),
      new ConstantCurrentGenerator({ amplitude: amp }),
      new SinusoidalCurrentGenerator({ amplitude: amp, frequency: 5 }),
    ];
    for (const g of gens) expectNoLeak(() => tf.dispose(g.step()), 1000);
    const before = tf.memory().numTensors;
    for (const g of gens) g.dispose();
    expect(tf.memory().numTensors).toBe(before - 3); // each kept a copy of the amount
    amp.dispose();
  });

  it('rejects bad rates, dt, duration, window, frequency and shape', () => {
    expect(() => poissonSpikeTrain({ rate: -1, duration: 10 })).toThrow(EncodingValueError);
    expect(() => poissonSpikeTrain({ rate: 3000, duration: 10 })).toThrow(
      "poissonSpikeTrain: 'rate' must be a rate in [0, 1000] Hz, got 3000",
    );
    expect(() => new PoissonGenerator({ rate: 600, dt: 2 })).toThrow(EncodingValueError);
    tf.tidy(() => {
      expect(() => poissonSpikeTrain({ rate: tf.tensor1d([10, 2000]), duration: 10 })).toThrow(
        "poissonSpikeTrain: 'rate[1]' must be a rate in [0, 1000] Hz (at most one spike per step), got 2000",
      );
    });
    expect(() => poissonSpikeTrain({ rate: 10, duration: 0 })).toThrow(
      "poissonSpikeTrain: 'duration' must be a finite number > 0, got 0",
    );
    expect(() => poissonSpikeTrain({ rate: 10, duration: 0.2, dt: 1 })).toThrow(EncodingValueError);
    expect(() => constantCurrent({ amplitude: 1, duration: 10, dt: 0 })).toThrow(EncodingValueError);
    expect(() => constantCurrent({ amplitude: 1, duration: 10, start: 5, stop: 5 })).toThrow(
      "constantCurrent: 'stop' must be a time > start (5 ms), got 5",
    );
    expect(() => constantCurrent({ amplitude: Number.NaN, duration: 10 })).toThrow(EncodingValueError);
    expect(() => sinusoidalCurrent({ amplitude: 1, frequency: -1, duration: 10 })).toThrow(
      "sinusoidalCurrent: 'frequency' must be a finite number >= 0, got -1",
    );
    expect(() => constantCurrent({ amplitude: 1, duration: 10, shape: [2.5] })).toThrow(EncodingValueError);
    const gen = new ConstantCurrentGenerator({ amplitude: 1 });
    expect(() => gen.generate(0)).toThrow("ConstantCurrentGenerator.generate: 'T' must be an integer >= 1, got 0");
    gen.dispose();
  });
});

import { describeBackends } from '@snn/core/testing';
import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import { simulate } from './simulation.js';

describeBackends('quickstart simulation', (backend) => {
  it('fires at plausible rates, reproducibly for a seed, without leaking tensors', () => {
    const before = tf.memory().numTensors;
    const a = simulate(backend, { steps: 200, seed: 7, neurons: 20 });
    expect(tf.memory().numTensors).toBe(before);
    const b = simulate(backend, { steps: 200, seed: 7, neurons: 20 });
    expect(Array.from(b.ratesHz)).toEqual(Array.from(a.ratesHz));
    const mean = a.ratesHz.reduce((s, r) => s + r, 0) / a.ratesHz.length;
    expect(mean).toBeGreaterThan(10);
    expect(mean).toBeLessThan(150);
    expect(a.inputRateHz).toBeGreaterThan(20);
    expect(a.inputRateHz).toBeLessThan(35); // rates drawn in 5–50 Hz: mean 27.5
    const c = simulate(backend, { steps: 200, seed: 8, neurons: 20 });
    expect(Array.from(c.ratesHz)).not.toEqual(Array.from(a.ratesHz));
  });

  it('rejects a bad step count by name', () => {
    expect(() => simulate(backend, { steps: 0, seed: 1 })).toThrow("simulate: 'steps' must be an integer >= 1, got 0");
  });
});

describeBackends('quickstart recording', (backend) => {
  it('records spikes and v of every step with a Monitor, matching the counted rates', () => {
    const before = tf.memory().numTensors;
    const r = simulate(backend, { steps: 50, seed: 3, neurons: 6, record: true });
    expect(tf.memory().numTensors).toBe(before);
    expect(r.recording?.spike.shape).toEqual([50, 1, 6]);
    expect(r.recording?.v.shape).toEqual([50, 1, 6]);
    const counts = new Array(6).fill(0);
    r.recording?.spike.data.forEach((s, i) => {
      counts[i % 6] += s;
    });
    expect(counts.map((c) => c / 0.05)).toEqual(Array.from(r.ratesHz));
  });
});

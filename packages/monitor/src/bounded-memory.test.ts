import { describeBackends } from '@snn/core/testing';
import { LIFNode } from '@snn/neurons';
import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import { Monitor } from './monitor.js';

const STEPS = 10_000;
const NEURONS = 1_000;

describeBackends('Monitor, keep: reduce, 10,000 steps of 1,000 neurons', () => {
  it('keeps host memory bounded and tf.memory().numTensors flat', () => {
    const lif = new LIFNode({ tau: 2, checkFiniteInput: false });
    const mon = new Monitor(lif, ['spike', 'v'], { keep: 'reduce' });
    // neuron n gets a constant drive 1.2 + n/1000: each fires at its own regular rate
    const x = tf.tidy(() => tf.reshape(tf.add(1.2, tf.div(tf.range(0, NEURONS), NEURONS)), [1, NEURONS]));
    tf.dispose(lif.forward(x));
    const tensors = tf.memory().numTensors;
    const bytes: number[] = [];
    const counts = new Set<number>();
    for (let t = 1; t < STEPS; t++) {
      tf.dispose(lif.forward(x));
      counts.add(tf.memory().numTensors); // after every step, folds included
      if (t >= 1000 && t % 500 === 0) bytes.push(mon.byteLength);
    }
    expect(counts).toEqual(new Set([tensors]));
    // two float64 sums of 1,000 elements each, allocated at the first fold and never again
    expect(new Set(bytes)).toEqual(new Set([2 * NEURONS * 8]));
    expect(mon.recordedSteps).toBe(STEPS);
    // LIF with tau 2 from v = 0 under a constant drive x: v_k = x (1 - 2^-k), reset to 0 on reaching 1.
    // x = 1.2 fires every 3rd step (0.6, 0.9, 1.05), x = 1.7 every 2nd (0.85, 1.275), x >= 2 every step.
    const counts0 = mon.spikeCounts();
    expect(counts0[0]).toBe(Math.floor(STEPS / 3));
    expect(counts0[500]).toBe(STEPS / 2);
    expect(counts0[999]).toBe(STEPS);
    const rates = mon.firingRates();
    expect(rates[0]).toBeCloseTo(Math.floor(STEPS / 3) / STEPS, 12);
    expect(rates[500]).toBe(0.5);
    // recorded v is after the reset: x = 1.2 gives 0.6, 0.9, 0 per cycle (plus one 0.6 at the end)
    const meanV = mon.mean('v');
    expect(meanV[0]).toBeCloseTo((Math.floor(STEPS / 3) * 1.5 + 0.6) / STEPS, 5);
    expect(meanV[500]).toBeCloseTo(((STEPS / 2) * 0.85) / STEPS, 5);
    expect(meanV[999]).toBe(0);
    mon.dispose();
    x.dispose();
    lif.dispose();
  });
});

describeBackends('Monitor, keep: reduce, counts equal to reading every step', () => {
  it('sums spikes and potentials exactly as a per-step host read does', () => {
    const lif = new LIFNode({ tau: 2 });
    const mon = new Monitor(lif, ['spike', 'v'], { keep: 'reduce', flushEvery: 7 });
    const x = tf.tidy(() => tf.reshape(tf.linspace(0.9, 3, 24), [2, 12]));
    const counts = new Float64Array(24);
    const vSum = new Float64Array(24);
    const steps = 50;
    for (let t = 0; t < steps; t++) {
      const s = lif.forward(x);
      const sv = s.dataSync();
      const vv = lif.getMemory('v').dataSync();
      for (let i = 0; i < 24; i++) {
        counts[i] = (counts[i] as number) + (sv[i] as number);
        vSum[i] = (vSum[i] as number) + (vv[i] as number);
      }
      s.dispose();
    }
    expect(Array.from(mon.spikeCounts())).toEqual(Array.from(counts));
    expect(counts.some((c) => c === 0)).toBe(true); // x = 0.9 never reaches 1
    const mean = mon.mean('v');
    for (let i = 0; i < 24; i++) expect(mean[i]).toBeCloseTo((vSum[i] as number) / steps, 6);
    expect(mon.summary('spike').steps).toBe(steps);
    mon.dispose();
    x.dispose();
    lif.dispose();
  });
});

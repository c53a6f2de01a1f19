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
    const rates = mon.firingRates();
    expect(rates.length).toBe(NEURONS);
    expect(rates[0]).toBeGreaterThan(0);
    expect(rates[NEURONS - 1]).toBeGreaterThan(rates[0] as number); // stronger drive, faster firing
    const meanV = mon.mean('v');
    expect(meanV.every((v) => v >= 0 && v < 1)).toBe(true);
    mon.dispose();
    x.dispose();
    lif.dispose();
  });
});

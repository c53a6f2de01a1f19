import { describeBackends } from '@snn/core/testing';
import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import { bernoulliInput, buildSeedNetwork } from './seed.js';

describeBackends('network-demo: the seed example', () => {
  it('runs 500 steps of Input(100) → LIF(1000) with recurrent inhibition and records spikes and voltages', () => {
    const { net, spikes, voltages } = buildSeedNetwork({ seed: 0 });
    const x = bernoulliInput(500, 1, 100, 0.1, 1);
    const before = tf.memory().numTensors;
    net.run({ inputs: { X: x }, time: 500 });
    expect(tf.memory().numTensors).toBe(before);
    const s = spikes?.toArray('s');
    const v = voltages?.toArray('v');
    expect(s?.shape).toEqual([500, 1, 1000]);
    expect(v?.shape).toEqual([500, 1, 1000]);
    let total = 0;
    for (const k of s?.data ?? []) total += k;
    // Mean drive 100 · 0.1 · 0.05 = 0.5 mV per ms, less ≈ 0.27 mV per ms of recurrent inhibition:
    // about 11 Hz per neuron (seed 0: 5,330 spikes).
    const rate = total / (500 * 1000);
    expect(rate).toBeGreaterThan(0.008);
    expect(rate).toBeLessThan(0.014);
    let vmin = Number.POSITIVE_INFINITY;
    let vmax = Number.NEGATIVE_INFINITY;
    for (const k of v?.data ?? []) {
      vmin = Math.min(vmin, k);
      vmax = Math.max(vmax, k);
    }
    expect(vmax).toBeLessThan(-52); // a spike resets to −65 within the step
    expect(vmin).toBeGreaterThan(-90);
    tf.dispose(x);
    net.dispose();
  });
});

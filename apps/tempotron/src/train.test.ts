import { ValueError } from '@snn/core';
import { describeBackends } from '@snn/core/testing';
import { loadEmbeddedMNIST, take } from '@snn/datasets';
import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import { encodeImages, resolveConfig, trainTempotron, voltageOf } from './train.js';

describeBackends('tempotron app', () => {
  it('trains on a tiny subset, reproducibly for a seed, without leaking tensors', async () => {
    const data = await loadEmbeddedMNIST();
    const train = take(data.train, 64);
    const test = take(data.test, 40);
    const config = { m: 5, T: 30, epochs: 2, batchSize: 32, lr: 1e-3, seed: 3 };
    const before = tf.memory().numTensors;
    const batches: number[] = [];
    const a = trainTempotron(train, test, config, { onBatch: (_, done) => batches.push(done) });
    expect(batches).toEqual([1, 2, 1, 2]);
    expect(a.epochs).toHaveLength(2);
    expect(a.accuracy).toBeGreaterThanOrEqual(0);
    expect(a.accuracy).toBeLessThanOrEqual(1);
    expect(a.thresholdAccuracy).toBeLessThanOrEqual(a.accuracy + 1e-12);
    expect(a.samplesPerSecond).toBeGreaterThan(0);
    expect(a.net.inFeatures).toBe(784 * 5);
    const trace = voltageOf(a.net, a.encoder, test, 0);
    expect(trace.shape).toEqual([30, 10]);
    expect(trace.label).toBe(test.labels[0]);
    const b = trainTempotron(train, test, config);
    expect(b.epochs.map((e) => e.loss)).toEqual(a.epochs.map((e) => e.loss));
    expect(b.accuracy).toBe(a.accuracy);
    for (const r of [a, b]) {
      r.net.dispose();
      r.encoder.dispose();
    }
    expect(tf.memory().numTensors).toBe(before);
  });

  it('encodes each pixel into m spike times, −1 where a tuning neuron stays silent', async () => {
    const data = await loadEmbeddedMNIST();
    const { GaussianTuning } = await import('@snn/encoding');
    const enc = new GaussianTuning(1, 4, 0, 1);
    const x = encodeImages(enc, data.test.images.subarray(0, 2 * 784), 2, 20);
    expect(x.shape).toEqual([2, 784 * 4]);
    const values = x.dataSync();
    expect(values.every((t) => t === -1 || (Number.isInteger(t) && t >= 0 && t < 20))).toBe(true);
    expect(values.some((t) => t === -1)).toBe(true);
    tf.dispose(x);
    enc.dispose();
  });
});

it('rejects bad settings by name', () => {
  expect(() => resolveConfig({ m: 2 })).toThrow("trainTempotron: 'm' must be an integer >= 3, got 2");
  expect(() => resolveConfig({ lr: 0 })).toThrow(ValueError);
  expect(resolveConfig()).toEqual({ m: 16, T: 100, epochs: 6, batchSize: 64, lr: 1e-3, seed: 0 });
});

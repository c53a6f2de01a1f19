import { describeBackends } from '@snn/core/testing';
import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import { hiddenRatesByClass, recordDigit } from './inspect.js';
import { trainQuickstart } from './train.js';

describeBackends('quickstart training', () => {
  it('trains on a small part of the subset, learns something, and leaks no tensors', async () => {
    const before = tf.memory().numTensors;
    const batches: number[] = [];
    const result = await trainQuickstart({
      epochs: 2,
      seed: 1,
      hidden: 64,
      limit: 1024,
      learningRate: 5e-3,
      onBatch: (p) => batches.push(p.loss),
    });
    expect(result.trainSamples).toBe(1024);
    expect(result.testSamples).toBe(256);
    expect(result.history).toHaveLength(2);
    expect(batches).toHaveLength(32);
    expect(batches.at(-1)).toBeLessThan(batches[0] as number);
    expect(result.accuracy).toBeGreaterThan(0.6); // chance is 0.1; 0.79 seen on cpu
    expect(result.samplesPerSecond).toBeGreaterThan(0);

    const digit = recordDigit(result.net, result.test, 3);
    expect(digit.hiddenSpikes.shape).toEqual([8, 1, 64]);
    expect(digit.outputV.shape).toEqual([8, 1, 10]);
    expect(digit.label).toBe(result.test.labels[3]);
    const rates = hiddenRatesByClass(result.net, result.test);
    expect(rates).toHaveLength(10);
    expect(rates[0]).toHaveLength(64);
    expect(rates.flat().every((r) => r >= 0 && r <= 1)).toBe(true);

    result.net.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('trains with Poisson encoding too', async () => {
    const result = await trainQuickstart({ epochs: 1, seed: 2, hidden: 16, limit: 128, encoding: 'poisson' });
    expect(result.history[0]?.trainLoss).toBeGreaterThan(0);
    result.net.dispose();
  });
});

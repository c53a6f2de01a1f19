import { ValueError } from '@snn/core';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { loadEmbeddedMNIST } from './embedded-mnist.js';
import { computeMeanStd, MNIST_MEAN_STD, normalize, normalizeDataset } from './normalize.js';

describe('computeMeanStd', () => {
  it('gives the mean and population std', () => {
    const s = computeMeanStd([0, 1, 2, 3]);
    expect(s.mean).toBe(1.5);
    expect(s.std).toBeCloseTo(Math.sqrt(1.25), 12);
    expect(computeMeanStd(Float32Array.of(2, 2, 2))).toEqual({ mean: 2, std: 0 });
  });

  it("is close to MNIST's 0.1307 / 0.3081 on the embedded training set", async () => {
    const { train } = await loadEmbeddedMNIST();
    const s = computeMeanStd(train);
    expect(Math.abs(s.mean - MNIST_MEAN_STD.mean)).toBeLessThan(0.005);
    expect(Math.abs(s.std - MNIST_MEAN_STD.std)).toBeLessThan(0.005);
  });

  it('rejects empty and non-finite input', () => {
    expect(() => computeMeanStd([])).toThrow("computeMeanStd: 'x' must be at least one value, got 0");
    expect(() => computeMeanStd([1, Number.NaN])).toThrow(ValueError);
  });
});

describe('normalize', () => {
  it('maps a typed array to (x − mean) / std in a new array', () => {
    const x = Float32Array.of(0, 0.5, 1);
    const z = normalize(x, { mean: 0.5, std: 0.25 });
    expect(Array.from(z)).toEqual([-2, 0, 2]);
    expect(Array.from(x)).toEqual([0, 0.5, 1]);
  });

  it('maps a tensor to a new float32 tensor without leaking', () => {
    const x = tf.tensor2d([[0, 0.5, 1]]);
    const before = tf.memory().numTensors;
    const z = normalize(x, { mean: 0.5, std: 0.25 });
    expect(tf.memory().numTensors).toBe(before + 1);
    expect(z.shape).toEqual([1, 3]);
    expect(Array.from(z.dataSync())).toEqual([-2, 0, 2]);
    tf.dispose([x, z]);
  });

  it('gives a dataset of mean 0 and std 1 with its own statistics', async () => {
    const { test } = await loadEmbeddedMNIST();
    const z = normalizeDataset(test, computeMeanStd(test));
    const s = computeMeanStd(z);
    expect(Math.abs(s.mean)).toBeLessThan(1e-6);
    expect(s.std).toBeCloseTo(1, 5);
    expect(z.labels).toBe(test.labels);
    expect(test.images[0]).toBe(0); // the input is unchanged
  });

  it('rejects std <= 0 and a non-finite mean', () => {
    const x = Float32Array.of(1);
    expect(() => normalize(x, { mean: 0, std: 0 })).toThrow(
      "normalize: 'stats.std' must be a finite number > 0, got 0",
    );
    expect(() => normalize(x, { mean: Number.NaN, std: 1 })).toThrow(ValueError);
    expect(() => normalize([1] as unknown as Float32Array, MNIST_MEAN_STD)).toThrow(/'x' must be a Float32Array/);
  });
});

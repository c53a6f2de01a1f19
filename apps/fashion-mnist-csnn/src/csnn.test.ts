import { existsSync } from 'node:fs';
import { createRng, ShapeError, useBackend, ValueError } from '@snn/core';
import { describeBackends, expectClose } from '@snn/core/testing';
import { DEBIAN_FASHION_MNIST_DIR, type ImageDataset, loadFashionMNIST, take } from '@snn/datasets';
import { rateMSELoss, trainStep } from '@snn/learning';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { CSNN } from './model.js';
import { trainCSNN } from './train.js';

/** A tiny learnable stand-in for Fashion-MNIST: class k lights up row band k of the image, plus noise. */
function synthetic(n: number, seed: number): ImageDataset {
  const rng = createRng(seed);
  const images = rng.fillUniform(new Float32Array(n * 784), 0, 0.3);
  const labels = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const k = i % 10;
    labels[i] = k;
    for (let r = 2 * k + 4; r < 2 * k + 7; r++) images.fill(1, i * 784 + r * 28 + 4, i * 784 + r * 28 + 24);
  }
  return { images, labels, size: n, imageShape: [1, 28, 28], numClasses: 10 };
}

describeBackends('CSNN', () => {
  it('maps [B, 1, 28, 28] images to [T, B, 10] output spikes (0/1)', () => {
    const net = new CSNN({ channels: 2, timeSteps: 3, seed: 1 });
    const x = createRng(2).uniform([2, 1, 28, 28]);
    const y = net.forward(x);
    expect(y.shape).toEqual([3, 2, 10]);
    const values = Array.from(y.dataSync());
    expect(values.every((v) => v === 0 || v === 1)).toBe(true);
    tf.dispose([x, y]);
    net.dispose();
  });

  it("gives the same spikes with 'conv-once' and 'repeat' encoding", () => {
    const x = createRng(3).uniform([4, 1, 28, 28]);
    // The spikes of the first and second LIF layers (the output layer of an untrained net is mostly silent).
    const runs = (['conv-once', 'repeat'] as const).map((encoding) => {
      const net = new CSNN({ channels: 3, encoding, seed: 5 });
      const hidden: tf.Tensor[] = [];
      for (const i of [0, 4]) {
        net.body.layers[i]?.onForward((_m, _x, y) => {
          hidden.push(tf.keep(tf.clone(y)));
        });
      }
      const y = net.forward(x);
      net.dispose();
      return [...hidden, y];
    });
    const [a, b] = runs as [tf.Tensor[], tf.Tensor[]];
    expect(a).toHaveLength(3);
    for (const [i, t] of a.entries()) expectClose(t, b[i] as tf.Tensor);
    const spikes = (t: tf.Tensor) => tf.tidy(() => tf.sum(t).dataSync()[0] as number);
    expect(spikes(a[0] as tf.Tensor)).toBeGreaterThan(0);
    expect(spikes(a[1] as tf.Tensor)).toBeGreaterThan(0);
    tf.dispose([x, ...a, ...b]);
  });

  it("takes [B, 28, 28, 1] images with layout 'nhwc'", () => {
    const net = new CSNN({ channels: 2, layout: 'nhwc', seed: 1 });
    const x = tf.zeros([2, 28, 28, 1]);
    const y = net.forward(x);
    expect(y.shape).toEqual([4, 2, 10]);
    tf.dispose([x, y]);
    net.dispose();
  });
});

describe('CSNN arguments', () => {
  it('rejects wrong image shapes and bad options', () => {
    const net = new CSNN({ channels: 2 });
    const x = tf.zeros([2, 28, 28, 1]);
    expect(() => net.forward(x)).toThrow(ShapeError);
    expect(() => net.forward(x)).toThrow(/\[B, 1, 28, 28\]/);
    tf.dispose(x);
    net.dispose();
    expect(() => new CSNN({ channels: 0 })).toThrow(ValueError);
    expect(() => new CSNN({ encoding: 'poisson' as never })).toThrow(/encoding/);
  });
});

describe('trainCSNN (smoke, wasm)', () => {
  beforeAll(async () => {
    await useBackend('wasm', { log: null });
  });

  it('trains a few steps, leaks no tensors and reports every metric', () => {
    const before = tf.memory().numTensors;
    const batches: number[] = [];
    const { net, metrics, steps } = trainCSNN({
      train: synthetic(48, 1),
      test: synthetic(20, 2),
      model: { channels: 4 },
      epochs: 1,
      batchSize: 16,
      learningRate: 5e-3,
      seed: 3,
      onBatch: (b) => batches.push(b.batch),
    });
    expect(batches).toEqual([1, 2, 3]);
    expect(steps.loss).toHaveLength(3);
    for (const l of steps.loss) expect(Number.isFinite(l)).toBe(true);
    for (const key of ['accuracy', 'bestAccuracy', 'testLoss', 'trainSeconds', 'evalSeconds', 'samplesPerSecond']) {
      const v = metrics[key as keyof typeof metrics] as number;
      expect(Number.isFinite(v), key).toBe(true);
    }
    expect(metrics.accuracy).toBeGreaterThanOrEqual(0);
    expect(metrics.accuracy).toBeLessThanOrEqual(1);
    expect(metrics.samplesPerSecond).toBeGreaterThan(0);
    expect(metrics.backend).toBe('wasm');
    expect(metrics.trainSamples).toBe(48);
    expect(metrics.testSamples).toBe(20);
    expect(metrics.settings).toMatchObject({ channels: 4, timeSteps: 4, epochs: 1, batchSize: 16, loss: 'mse' });
    expect(metrics.epochs).toHaveLength(1);
    net.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('lowers the loss on a fixed batch', () => {
    const net = new CSNN({ channels: 4, seed: 7 });
    const data = synthetic(20, 4);
    const x = tf.tensor(data.images, [20, 1, 28, 28]);
    const y = tf.tensor1d(data.labels, 'int32');
    const optimizer = tf.train.adam(1e-2);
    const losses: number[] = [];
    for (let i = 0; i < 10; i++) {
      losses.push(trainStep({ net, optimizer, inputs: x, labels: y, loss: rateMSELoss }).loss);
    }
    expect(losses.at(-1) as number).toBeLessThan(losses[0] as number);
    tf.dispose([x, y]);
    optimizer.dispose();
    net.dispose();
  });

  const haveFashion = existsSync(DEBIAN_FASHION_MNIST_DIR);
  it.skipIf(!haveFashion)(
    `trains on the first Fashion-MNIST images${haveFashion ? '' : ` (skipped: ${DEBIAN_FASHION_MNIST_DIR} is absent; apt-get install dataset-fashion-mnist)`}`,
    async () => {
      const { train, test } = await loadFashionMNIST({ layout: 'nchw' });
      const { net, metrics } = trainCSNN({
        train: take(train, 64),
        test: take(test, 32),
        model: { channels: 4 },
        epochs: 1,
        batchSize: 32,
      });
      expect(metrics.epochs[0]?.trainLoss).toBeGreaterThan(0);
      expect(Number.isFinite(metrics.testLoss)).toBe(true);
      expect(metrics.testSamples).toBe(32);
      net.dispose();
    },
  );
});

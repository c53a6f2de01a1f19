import { createRng, ValueError } from '@snn/core';
import { expectNoLeak } from '@snn/core/testing';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { batchCount, batches, shuffleDataset } from './batching.js';
import { type ImageDataset, subset, take, withLayout } from './dataset.js';
import { loadEmbeddedMNIST } from './embedded-mnist.js';

/** n samples of 3 values each; sample i holds [i, i + 0.25, i + 0.5] and label i % 10. */
function toy(n: number): ImageDataset {
  const images = new Float32Array(n * 3);
  for (let i = 0; i < n; i++) images.set([i, i + 0.25, i + 0.5], i * 3);
  return {
    images,
    labels: Int32Array.from({ length: n }, (_, i) => i % 10),
    size: n,
    imageShape: [3],
    numClasses: 10,
  };
}

const order = (it: Iterable<{ indices: Int32Array }>): number[] => [...it].flatMap((b) => Array.from(b.indices));

describe('batches', () => {
  it('covers every sample exactly once per epoch, in order without shuffle', () => {
    const ds = toy(10);
    const seen = [...batches(ds, 4, { as: 'arrays' })];
    expect(seen.map((b) => b.size)).toEqual([4, 4, 2]);
    expect(order(seen)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(seen[2]!.shape).toEqual([2, 3]);
    expect(Array.from(seen[2]!.images)).toEqual([8, 8.25, 8.5, 9, 9.25, 9.5]);
    expect(Array.from(seen[2]!.labels)).toEqual([8, 9]);
  });

  it('covers every sample once when shuffled, and batch contents follow the indices', () => {
    const ds = toy(103);
    const seen = [...batches(ds, 16, { shuffle: true, seed: 5, as: 'arrays' })];
    const idx = order(seen);
    expect(idx).not.toEqual([...idx].sort((a, b) => a - b));
    expect([...idx].sort((a, b) => a - b)).toEqual(Array.from({ length: 103 }, (_, i) => i));
    for (const b of seen) {
      b.indices.forEach((i, k) => {
        expect(b.images[k * 3]).toBe(i);
        expect(b.labels[k]).toBe(i % 10);
      });
    }
  });

  it('gives the same order for the same seed and another for another seed', () => {
    const ds = toy(50);
    const a = order(batches(ds, 8, { shuffle: true, seed: 42, as: 'arrays' }));
    const b = order(batches(ds, 8, { shuffle: true, seed: 42, as: 'arrays' }));
    const c = order(batches(ds, 8, { shuffle: true, seed: 43, as: 'arrays' }));
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
  });

  it('draws a new, reproducible order per epoch from a shared rng', () => {
    const ds = toy(40);
    const epochs = (seed: number): number[][] => {
      const rng = createRng(seed);
      return [0, 1, 2].map(() => order(batches(ds, 7, { shuffle: true, rng, as: 'arrays' })));
    };
    const [e0, e1] = epochs(3);
    expect(e0).not.toEqual(e1);
    expect(epochs(3)).toEqual(epochs(3));
  });

  it('drops the last partial batch with dropLast', () => {
    const ds = toy(10);
    const seen = [...batches(ds, 4, { dropLast: true, shuffle: true, seed: 1, as: 'arrays' })];
    expect(seen.map((b) => b.size)).toEqual([4, 4]);
    expect(new Set(order(seen)).size).toBe(8);
    expect(batchCount(10, 4)).toBe(3);
    expect(batchCount(10, 4, { dropLast: true })).toBe(2);
    expect(batchCount(8, 4, { dropLast: true })).toBe(2);
    expect(batchCount(0, 4)).toBe(0);
    expect([...batches(toy(3), 4, { dropLast: true })]).toEqual([]);
  });

  it('yields tensors float32 [B, ...imageShape] and int32 [B] that the caller disposes', async () => {
    const { test } = await loadEmbeddedMNIST({ layout: 'nchw' });
    const before = tf.memory().numTensors;
    let n = 0;
    for (const b of batches(test, 256, { shuffle: true, seed: 0 })) {
      expect(b.images.dtype).toBe('float32');
      expect(b.images.shape).toEqual([b.size, 1, 28, 28]);
      expect(b.labels.dtype).toBe('int32');
      expect(b.labels.shape).toEqual([b.size]);
      expect(Array.from(b.labels.dataSync())).toEqual(Array.from(b.indices, (i) => test.labels[i]));
      n += b.size;
      tf.dispose([b.images, b.labels]);
    }
    expect(n).toBe(2000);
    expect(tf.memory().numTensors).toBe(before);
    expectNoLeak(() => {
      for (const b of batches(take(test, 64), 16)) tf.dispose([b.images, b.labels]);
    }, 5);
  });

  it('is lazy: breaking out early makes no more tensors', () => {
    const before = tf.memory().numTensors;
    for (const b of batches(toy(100), 10)) {
      tf.dispose([b.images, b.labels]);
      break;
    }
    expect(tf.memory().numTensors).toBe(before);
  });

  it('normalises each batch when asked, leaving the dataset as it was', () => {
    const ds = toy(4);
    const copy = ds.images.slice();
    const [b] = [...batches(ds, 4, { normalize: { mean: 1, std: 2 }, as: 'arrays' })];
    expect(Array.from(b!.images.subarray(0, 6))).toEqual([-0.5, -0.375, -0.25, 0, 0.125, 0.25]);
    expect(ds.images).toEqual(copy);
  });

  it('rejects bad arguments at the call, with ValueError', () => {
    const ds = toy(4);
    expect(() => batches(ds, 0)).toThrow("batches: 'batchSize' must be an integer >= 1, got 0");
    expect(() => batches(ds, 2.5)).toThrow(ValueError);
    expect(() => batches(ds, 2, { shuffle: true })).toThrow(/'seed' must be an integer \(or an 'rng'\)/);
    expect(() => batches(ds, 2, { seed: 1 })).toThrow(/'shuffle' must be true when a seed or rng is given/);
    expect(() => batches(ds, 2, { shuffle: true, seed: 1, rng: createRng(1) })).toThrow(ValueError);
    expect(() => batches(ds, 2, { normalize: { mean: 0, std: 0 } })).toThrow(/'normalize'/);
    expect(() => batches(ds, 2, { as: 'lists' as 'arrays' })).toThrow(/'as'/);
    expect(() => batches({ ...ds, size: 5 }, 2)).toThrow(/dataset.labels/);
  });
});

describe('shuffleDataset, subset and take', () => {
  it('shuffles reproducibly, keeping samples and labels together', () => {
    const ds = toy(20);
    const a = shuffleDataset(ds, 9);
    expect(a.images).toEqual(shuffleDataset(ds, 9).images);
    expect(Array.from(a.labels)).not.toEqual(Array.from(ds.labels));
    for (let k = 0; k < a.size; k++) expect(a.labels[k]).toBe((a.images[k * 3] as number) % 10);
    expect(shuffleDataset(ds, createRng(9)).images).toEqual(a.images);
  });

  it('subsets by index and takes a prefix', () => {
    const ds = { ...toy(6), sourceIndices: Int32Array.of(10, 11, 12, 13, 14, 15) };
    const s = subset(ds, [5, 0]);
    expect(Array.from(s.images)).toEqual([5, 5.25, 5.5, 0, 0.25, 0.5]);
    expect(Array.from(s.sourceIndices!)).toEqual([15, 10]);
    expect(() => subset(ds, [6])).toThrow("subset: 'indices[0]' must be an integer in [0, 6), got 6");
    const t = take(ds, 2);
    expect(t.size).toBe(2);
    expect(Array.from(t.labels)).toEqual([0, 1]);
    expect(take(ds, 100).size).toBe(6);
  });
});

it('withLayout names a bad layout or a missing image size', async () => {
  const { test } = await loadEmbeddedMNIST();
  expect(() => withLayout(test, 'nchwx' as 'nchw', { height: 28, width: 28 })).toThrow(
    "withLayout: 'layout' must be one of 'flat', 'nchw', 'nhwc', got 'nchwx'",
  );
  expect(() => withLayout(test, 'nchw', undefined as unknown as { height: number; width: number })).toThrow(
    "withLayout: 'image' must be { height, width, channels? }",
  );
  expect(withLayout(test, 'nchw', { height: 28, width: 28 }).imageShape).toEqual([1, 28, 28]);
});

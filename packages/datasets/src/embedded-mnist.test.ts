import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { ValueError } from '@snn/core';
import { expectNoLeak } from '@snn/core/testing';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { classCounts, type ImageDataset, toTensors } from './dataset.js';
import { fromValues, scanDigitFile } from './embedded-digits.js';
import {
  EMBEDDED_MNIST_CLASS_COUNTS,
  embeddedMNISTSplit,
  loadEmbeddedMNIST,
  loadEmbeddedMNISTAll,
  type TrainTest,
} from './embedded-mnist.js';
import { DatasetFormatError } from './errors.js';

const COUNTS = [1001, 1127, 991, 1032, 980, 863, 1014, 1070, 944, 978];
const OFFSETS = COUNTS.map((_, c) => COUNTS.slice(0, c).reduce((a, b) => a + b, 0));

let split: TrainTest;
beforeAll(async () => {
  split = await loadEmbeddedMNIST();
});

/** Byte-for-byte equality of typed arrays (vitest's deep equality takes seconds on millions of values). */
function same(a: ArrayBufferView, b: ArrayBufferView): boolean {
  return (
    Buffer.compare(
      new Uint8Array(a.buffer, a.byteOffset, a.byteLength),
      new Uint8Array(b.buffer, b.byteOffset, b.byteLength),
    ) === 0
  );
}

function digitOf(index: number): number {
  let c = 9;
  while ((OFFSETS[c] as number) > index) c--;
  return c;
}

describe('loadEmbeddedMNIST (default split)', () => {
  it('has 8,000 train and 2,000 test digits: images float32 [N, 784] in [0, 1], labels int32 [N]', () => {
    const { train, test } = split;
    for (const [ds, n] of [
      [train, 8000],
      [test, 2000],
    ] as [ImageDataset, number][]) {
      expect(ds.size).toBe(n);
      expect(ds.imageShape).toEqual([784]);
      expect(ds.numClasses).toBe(10);
      expect(ds.images).toBeInstanceOf(Float32Array);
      expect(ds.images.length).toBe(n * 784);
      expect(ds.labels).toBeInstanceOf(Int32Array);
      expect(ds.labels.length).toBe(n);
      let min = Infinity;
      let max = -Infinity;
      for (const v of ds.images) {
        min = Math.min(min, v);
        max = Math.max(max, v);
      }
      expect(min).toBe(0);
      expect(max).toBe(1);
    }
  });

  it('is stratified: exactly 200 test digits per class, the rest of each class in train', () => {
    expect(EMBEDDED_MNIST_CLASS_COUNTS).toEqual(COUNTS);
    expect(classCounts(split.test)).toEqual(new Array(10).fill(200));
    expect(classCounts(split.train)).toEqual(COUNTS.map((c) => c - 200));
  });

  it('has disjoint train and test sets that together are all 10,000 digits', () => {
    const seen = new Uint8Array(10_000);
    for (const ds of [split.train, split.test]) for (const i of ds.sourceIndices!) seen[i]! += 1;
    expect(seen.every((v) => v === 1)).toBe(true);
  });

  it('labels each digit with the class of the file it came from', () => {
    for (const ds of [split.train, split.test]) {
      ds.sourceIndices!.forEach((src, k) => {
        if (ds.labels[k] !== digitOf(src)) expect.fail(`sample ${k} (source ${src}) has label ${ds.labels[k]}`);
      });
    }
  });

  it('is not sorted by class', () => {
    expect(new Set(split.train.labels.subarray(0, 50)).size).toBeGreaterThanOrEqual(8);
    expect(new Set(split.test.labels.subarray(0, 50)).size).toBeGreaterThanOrEqual(8);
  });

  it('is the same split for the same seed, and another for another seed', async () => {
    const again = await loadEmbeddedMNIST({ seed: 0 });
    expect(again.train.sourceIndices).toEqual(split.train.sourceIndices);
    expect(again.test.sourceIndices).toEqual(split.test.sourceIndices);
    expect(same(again.train.images, split.train.images)).toBe(true);
    expect(same(again.test.images, split.test.images)).toBe(true);
    expect(same(again.train.labels, split.train.labels)).toBe(true);
    const other = await loadEmbeddedMNIST({ seed: 1 });
    expect(other.test.sourceIndices).not.toEqual(split.test.sourceIndices);
    expect(classCounts(other.test)).toEqual(new Array(10).fill(200));
  });

  it('keeps the documented split stable (first indices for seed 0)', () => {
    const { train, test } = embeddedMNISTSplit();
    expect(train).toEqual(split.train.sourceIndices);
    expect(test).toEqual(split.test.sourceIndices);
    // Pinned so that a change of the split (or of core's Rng) is noticed: update the README too.
    expect(Array.from(train.subarray(0, 5))).toEqual([9168, 3407, 3098, 7405, 6775]);
    expect(Array.from(test.subarray(0, 5))).toEqual([9911, 5897, 302, 6697, 8339]);
  });

  it('gives the same data on a second load (parsed once per process)', async () => {
    const again = await loadEmbeddedMNIST();
    expect(again.train.labels).toEqual(split.train.labels);
    expect(again.test.images.subarray(0, 784)).toEqual(split.test.images.subarray(0, 784));
  });
});

describe('loadEmbeddedMNIST options', () => {
  it("gives [1, 28, 28] images with layout 'nchw' and [28, 28, 1] with 'nhwc', same values", async () => {
    const nchw = await loadEmbeddedMNIST({ layout: 'nchw' });
    expect(nchw.train.imageShape).toEqual([1, 28, 28]);
    expect(same(nchw.train.images, split.train.images)).toBe(true);
    expect((await loadEmbeddedMNIST({ layout: 'nhwc' })).test.imageShape).toEqual([28, 28, 1]);
  });

  it('takes testPerClass (0 to 863)', async () => {
    const s = await loadEmbeddedMNIST({ testPerClass: 100 });
    expect(s.test.size).toBe(1000);
    expect(s.train.size).toBe(9000);
    expect(classCounts(s.test)).toEqual(new Array(10).fill(100));
    expect(embeddedMNISTSplit({ testPerClass: 0 }).test.length).toBe(0);
    expect(embeddedMNISTSplit({ testPerClass: 863 }).test.length).toBe(8630);
  });

  it('rejects bad options with ValueError', async () => {
    expect(() => embeddedMNISTSplit({ testPerClass: 864 })).toThrow(
      "embeddedMNISTSplit: 'testPerClass' must be at most 863 (the digits of class 5), got 864",
    );
    expect(() => embeddedMNISTSplit({ testPerClass: -1 })).toThrow(ValueError);
    expect(() => embeddedMNISTSplit({ testPerClass: 1.5 })).toThrow(ValueError);
    expect(() => embeddedMNISTSplit({ seed: 0.5 })).toThrow(/'seed' must be an integer/);
    await expect(loadEmbeddedMNIST({ layout: 'hwc' as 'nhwc' })).rejects.toThrow(/'layout' must be one of/);
  });
});

describe('embedded digits', () => {
  it("are the mnist package's values with the 3-decimal rounding undone (pixel/255)", async () => {
    const all = await loadEmbeddedMNISTAll();
    expect(all.size).toBe(10_000);
    expect(classCounts(all)).toEqual(COUNTS);
    const require = createRequire(import.meta.url);
    const fives: number[] = JSON.parse(readFileSync(require.resolve('mnist/src/digits/5.json'), 'utf8')).data;
    const start = (OFFSETS[5] as number) * 784;
    let worst = 0;
    for (let i = 0; i < fives.length; i++) {
      const v = all.images[start + i] as number;
      worst = Math.max(worst, Math.abs(v - (fives[i] as number)));
      if (Math.fround(Math.round(v * 255) / 255) !== v) expect.fail(`value ${i} = ${v} is not a multiple of 1/255`);
    }
    expect(worst).toBeLessThanOrEqual(0.0005 + 1e-7);
  });

  it('scan the JSON into bytes like JSON.parse does, and fall back for other JSON', () => {
    const enc = new TextEncoder();
    const values = Array.from({ length: 784 }, (_, i) => Math.round(((i % 256) / 255) * 1000) / 1000);
    const text = JSON.stringify({ data: values });
    expect(scanDigitFile(enc.encode(text), 't')).toEqual(fromValues(values, 't'));
    expect(scanDigitFile(enc.encode('{"data": [1e-3]}'), 't')).toBeUndefined();
    expect(() => scanDigitFile(enc.encode('{"data": [2]}'), 't')).toThrow(DatasetFormatError);
    expect(() => fromValues([0.5], 't')).toThrow(/784 values per image/);
    expect(() => fromValues(new Array(784).fill(-1), 't')).toThrow(/not in \[0, 1\]/);
  });

  it('become tensors of the documented shapes without leaking', () => {
    const t = toTensors(split.test);
    expect(t.images.shape).toEqual([2000, 784]);
    expect(t.images.dtype).toBe('float32');
    expect(t.labels.shape).toEqual([2000]);
    expect(t.labels.dtype).toBe('int32');
    expect(Array.from(t.labels.dataSync().subarray(0, 20))).toEqual(Array.from(split.test.labels.subarray(0, 20)));
    tf.dispose(t);
    expectNoLeak(() => tf.dispose(toTensors(split.test)), 3);
  });
});

import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { ValueError } from '@snn/core';
import { afterAll, describe, expect, it } from 'vitest';
import { classCounts } from './dataset.js';
import { DatasetFormatError, DatasetNotFoundError } from './errors.js';
import { encodeIDX } from './idx.js';
import {
  DEBIAN_FASHION_MNIST_DIR,
  FASHION_MNIST_CLASSES,
  loadFashionMNIST,
  loadMNIST,
  type MNIST_FILE_NAMES,
} from './mnist-files.js';
import { computeMeanStd, FASHION_MNIST_MEAN_STD } from './normalize.js';

const root = mkdtempSync(join(tmpdir(), 'snn-mnist-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const H = 4;
const W = 5;
const images = (n: number): Uint8Array =>
  encodeIDX({
    shape: [n, H, W],
    dtype: 'uint8',
    data: Uint8Array.from({ length: n * H * W }, (_, i) => (i * 7) % 256),
  });
const labels = (ys: number[]): Uint8Array =>
  encodeIDX({ shape: [ys.length], dtype: 'uint8', data: Uint8Array.from(ys) });

/** A folder in the layouts copies of MNIST come in: plain, .gz, and dotted names. */
function mnistDir(name: string, files: Partial<Record<keyof typeof MNIST_FILE_NAMES, Uint8Array>> = {}): string {
  const dir = join(root, name);
  mkdirSync(dir);
  writeFileSync(join(dir, 'train-images-idx3-ubyte'), files.trainImages ?? images(6));
  writeFileSync(join(dir, 'train-labels-idx1-ubyte.gz'), gzipSync(files.trainLabels ?? labels([5, 0, 4, 1, 9, 2])));
  writeFileSync(join(dir, 't10k-images.idx3-ubyte'), files.testImages ?? images(3));
  writeFileSync(join(dir, 't10k-labels-idx1-ubyte.gz'), gzipSync(files.testLabels ?? labels([7, 2, 1])));
  return dir;
}

describe('loadMNIST (IDX files made in the test)', () => {
  it('loads train and test: images float32 [N, H·W] = pixel/255, labels int32', async () => {
    const { train, test } = await loadMNIST({ dir: mnistDir('ok') });
    expect(train.size).toBe(6);
    expect(test.size).toBe(3);
    expect(train.imageShape).toEqual([H * W]);
    expect(train.images).toBeInstanceOf(Float32Array);
    expect(train.images.length).toBe(6 * H * W);
    expect(train.images[3]).toBe(Math.fround(21 / 255));
    expect(train.labels).toBeInstanceOf(Int32Array);
    expect(Array.from(train.labels)).toEqual([5, 0, 4, 1, 9, 2]);
    expect(Array.from(test.labels)).toEqual([7, 2, 1]);
    expect(train.classNames).toBeUndefined();
  });

  it("shapes images [1, H, W] with layout 'nchw'", async () => {
    const { test } = await loadMNIST({ dir: join(root, 'ok'), layout: 'nchw' });
    expect(test.imageShape).toEqual([1, H, W]);
  });

  it('lists every path it tried when a file is missing', async () => {
    const dir = join(root, 'empty');
    mkdirSync(dir);
    const err = await loadMNIST({ dir }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DatasetNotFoundError);
    const msg = (err as Error).message;
    expect(msg).toMatch(/^MNIST: files not found; tried/);
    for (const tried of ['train-images-idx3-ubyte', 'train-images-idx3-ubyte.gz', 'train-images.idx3-ubyte']) {
      expect(msg).toContain(join(dir, tried));
    }
    expect(msg).toContain('loadEmbeddedMNIST');
  });

  it('rejects files that do not fit each other with DatasetFormatError', async () => {
    await expect(loadMNIST({ dir: mnistDir('count', { testLabels: labels([1, 2]) }) })).rejects.toThrow(
      /MNIST: .*t10k-images\.idx3-ubyte has 3 images but .*t10k-labels-idx1-ubyte\.gz has 2 labels/,
    );
    await expect(loadMNIST({ dir: mnistDir('range', { trainLabels: labels([1, 2, 3, 4, 5, 10]) }) })).rejects.toThrow(
      DatasetFormatError,
    );
    const swapped = mnistDir('swapped', { trainImages: labels([1, 2, 3]) });
    await expect(loadMNIST({ dir: swapped })).rejects.toThrow(/must hold uint8 images \[N, H, W\], got uint8 \[3\]/);
  });

  it('needs a dir', async () => {
    await expect(loadMNIST({} as { dir: string })).rejects.toThrow(
      "loadMNIST: 'dir' must be a folder path, got undefined",
    );
    await expect(loadMNIST({ dir: join(root, 'ok'), layout: 'hw' as 'flat' })).rejects.toThrow(ValueError);
  });
});

describe('loadFashionMNIST', () => {
  it('loads from a given dir, with class names', async () => {
    const { train } = await loadFashionMNIST({ dir: join(root, 'ok') });
    expect(train.size).toBe(6);
    expect(train.classNames).toEqual(FASHION_MNIST_CLASSES);
  });

  it("names Debian's package and the paths tried when the files are absent", async () => {
    const err = await loadFashionMNIST({ dir: join(root, 'nowhere') }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DatasetNotFoundError);
    expect((err as DatasetNotFoundError).tried[0]).toBe(join(root, 'nowhere', 'train-images-idx3-ubyte'));
    expect((err as Error).message).toMatch(
      /Fashion-MNIST: files not found; tried .*apt-get install dataset-fashion-mnist/,
    );
  });

  const debian = existsSync(join(DEBIAN_FASHION_MNIST_DIR, 'train-images-idx3-ubyte.gz'));
  const why = debian
    ? ''
    : ` (skipped: ${DEBIAN_FASHION_MNIST_DIR} is absent; apt-get install dataset-fashion-mnist to run it)`;
  it.skipIf(!debian)(`finds Debian's dataset-fashion-mnist by default: 60,000 + 10,000 images${why}`, async () => {
    const { train, test } = await loadFashionMNIST();
    expect(train.size).toBe(60_000);
    expect(test.size).toBe(10_000);
    expect(train.imageShape).toEqual([784]);
    expect(train.images.length).toBe(60_000 * 784);
    expect(test.labels.length).toBe(10_000);
    expect(classCounts(train)).toEqual(new Array(10).fill(6000));
    expect(classCounts(test)).toEqual(new Array(10).fill(1000));
    const s = computeMeanStd(train);
    expect(Math.abs(s.mean - FASHION_MNIST_MEAN_STD.mean)).toBeLessThan(5e-4);
    expect(Math.abs(s.std - FASHION_MNIST_MEAN_STD.std)).toBeLessThan(5e-4);
  });
});

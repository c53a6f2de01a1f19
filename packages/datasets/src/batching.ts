import { checkBoolean, checkInteger, checkOptions, createRng, type Rng, ValueError } from '@snn/core';
import type { Tensor } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';
import { checkDataset, type ImageDataset, sampleLength, subset } from './dataset.js';
import { type MeanStd, normalizeInto } from './normalize.js';

/** Options of {@link batches}. */
export interface BatchOptions {
  /** Visit the samples in a random order (default false: dataset order). Needs `seed` or `rng`. */
  readonly shuffle?: boolean;
  /** Seed of the order when shuffling: the same seed gives the same order every time. */
  readonly seed?: number;
  /**
   * Random source of the order when shuffling, instead of `seed`. Each call draws a new order
   * from it, so one `Rng` shared over epochs gives a different, reproducible order per epoch.
   */
  readonly rng?: Rng;
  /** Leave out the last batch when it is smaller than `batchSize` (default false). */
  readonly dropLast?: boolean;
  /** Normalise images of each batch, `(x − mean) / std` (default: as stored). */
  readonly normalize?: MeanStd;
  /** `'tensors'` (default) or `'arrays'` (typed arrays, no tfjs memory). */
  readonly as?: 'tensors' | 'arrays';
}

/** The option names of {@link batches}. */
export const BATCH_OPTION_KEYS = ['shuffle', 'seed', 'rng', 'dropLast', 'normalize', 'as'] as const;

/**
 * A batch as tensors. Both are new and owned by the caller: dispose them when done, e.g.
 * `tf.dispose(batch)` (a type alias, so that it is a `tf.TensorContainer`).
 */
export type TensorBatch = {
  /** float32 `[B, ...imageShape]`. */
  readonly images: Tensor;
  /** int32 `[B]`. */
  readonly labels: Tensor;
  /** B: `batchSize`, or fewer for the last batch. */
  readonly size: number;
  /** Position in the dataset of each sample of the batch. */
  readonly indices: Int32Array;
};

/** A batch as typed arrays (fresh copies: the caller may change them). */
export interface ArrayBatch {
  /** float32, `B · product(imageShape)` values, sample-major. */
  readonly images: Float32Array;
  /** int32, B values. */
  readonly labels: Int32Array;
  /** B: `batchSize`, or fewer for the last batch. */
  readonly size: number;
  /** Position in the dataset of each sample of the batch. */
  readonly indices: Int32Array;
  /** Shape of the images: `[B, ...imageShape]`. */
  readonly shape: readonly number[];
}

/**
 * Number of batches {@link batches} yields for `size` samples.
 * @throws ValueError when `size` is not an integer >= 0 or `batchSize` not an integer >= 1.
 */
export function batchCount(size: number, batchSize: number, options: Pick<BatchOptions, 'dropLast'> = {}): number {
  checkOptions('batchCount', options, ['dropLast']);
  checkBoolean('batchCount', 'dropLast', options.dropLast);
  checkInteger('batchCount', 'size', size, 0);
  checkInteger('batchCount', 'batchSize', batchSize, 1);
  return options.dropLast ? Math.floor(size / batchSize) : Math.ceil(size / batchSize);
}

/** The order of one epoch: 0..n-1, or a permutation from `seed`/`rng` when shuffling. */
function epochOrder(fn: string, n: number, options: BatchOptions): Int32Array {
  checkBoolean(fn, 'shuffle', options.shuffle);
  if (!options.shuffle) {
    if (options.seed !== undefined || options.rng !== undefined) {
      throw new ValueError(fn, 'shuffle', 'true when a seed or rng is given', options.shuffle);
    }
    return Int32Array.from({ length: n }, (_, i) => i);
  }
  if (options.rng !== undefined && options.seed !== undefined) {
    throw new ValueError(fn, 'seed', 'left out when rng is given', options.seed);
  }
  if (options.rng !== undefined) return options.rng.permutation(n);
  if (options.seed === undefined) {
    throw new ValueError(fn, 'seed', "an integer (or an 'rng') when shuffle is true", options.seed);
  }
  return createRng(options.seed).permutation(n);
}

/**
 * Splits a dataset into batches, in order or shuffled with a seed: every sample appears exactly
 * once per call (per epoch), except the last partial batch when `dropLast` is set. Lazy: each
 * batch is made when the loop asks for it, so breaking out early leaves nothing behind.
 *
 * Ownership: with `as: 'tensors'` (default) each batch's `images` and `labels` are new tensors
 * that the caller disposes (`tf.dispose([b.images, b.labels])`, or create and use them inside
 * `tf.tidy`). With `as: 'arrays'` batches are plain typed arrays and nothing needs disposing.
 *
 * @param dataset - The dataset (not changed).
 * @param batchSize - Samples per batch, an integer >= 1.
 * @throws ValueError when `batchSize` is not an integer >= 1, `shuffle` is set without `seed` or
 *   `rng` (or both are given), or `normalize.std` is not > 0. Thrown at the call, not at the
 *   first batch.
 * @example
 * ```ts
 * const rng = createRng(1);
 * for (let epoch = 0; epoch < 3; epoch++) {
 *   for (const b of batches(train, 64, { shuffle: true, rng, normalize: MNIST_MEAN_STD })) {
 *     // b.images: float32 [64, 784], b.labels: int32 [64]
 *     tf.dispose([b.images, b.labels]);
 *   }
 * }
 * ```
 */
export function batches(
  dataset: ImageDataset,
  batchSize: number,
  options: BatchOptions & { readonly as: 'arrays' },
): Generator<ArrayBatch, void, undefined>;
export function batches(
  dataset: ImageDataset,
  batchSize: number,
  options?: BatchOptions & { readonly as?: 'tensors' },
): Generator<TensorBatch, void, undefined>;
export function batches(
  dataset: ImageDataset,
  batchSize: number,
  options: BatchOptions = {},
): Generator<TensorBatch | ArrayBatch, void, undefined> {
  const fn = 'batches';
  checkOptions(fn, options, BATCH_OPTION_KEYS);
  checkBoolean(fn, 'dropLast', options.dropLast);
  checkDataset(fn, dataset);
  checkInteger(fn, 'batchSize', batchSize, 1);
  const as = options.as ?? 'tensors';
  if (as !== 'tensors' && as !== 'arrays') throw new ValueError(fn, 'as', "'tensors' or 'arrays'", as);
  const stats = options.normalize;
  if (stats !== undefined && !(Number.isFinite(stats.mean) && Number.isFinite(stats.std) && stats.std > 0)) {
    throw new ValueError(fn, 'normalize', '{ mean: finite, std: > 0 }', stats);
  }
  const order = epochOrder(fn, dataset.size, options);
  const count = batchCount(dataset.size, batchSize, { dropLast: options.dropLast ?? false });
  return generate(dataset, batchSize, order, count, as, stats);
}

function* generate(
  ds: ImageDataset,
  batchSize: number,
  order: Int32Array,
  count: number,
  as: 'tensors' | 'arrays',
  stats: MeanStd | undefined,
): Generator<TensorBatch | ArrayBatch, void, undefined> {
  const d = sampleLength(ds);
  for (let b = 0; b < count; b++) {
    const indices = order.slice(b * batchSize, Math.min((b + 1) * batchSize, order.length));
    const size = indices.length;
    const images = new Float32Array(size * d);
    const labels = new Int32Array(size);
    for (let k = 0; k < size; k++) {
      const i = indices[k] as number;
      images.set(ds.images.subarray(i * d, (i + 1) * d), k * d);
      labels[k] = ds.labels[i] as number;
    }
    if (stats) normalizeInto(images, images, stats.mean, stats.std);
    const shape = [size, ...ds.imageShape];
    if (as === 'arrays') {
      yield { images, labels, size, indices, shape };
    } else {
      yield { images: tf.tensor(images, shape, 'float32'), labels: tf.tensor1d(labels, 'int32'), size, indices };
    }
  }
}

/**
 * A shuffled copy of the dataset (order from `seed` or `rng`): for a fixed random order, or a
 * random sample with {@link take}. `sourceIndices`, when present, moves with the samples.
 * @example
 * ```ts
 * const sample = take(shuffleDataset(train, 7), 500);
 * ```
 */
export function shuffleDataset(dataset: ImageDataset, seedOrRng: number | Rng): ImageDataset {
  checkDataset('shuffleDataset', dataset);
  const rng = typeof seedOrRng === 'number' ? createRng(seedOrRng) : seedOrRng;
  if (rng === null || typeof rng !== 'object' || typeof rng.permutation !== 'function') {
    throw new ValueError('shuffleDataset', 'seedOrRng', 'an integer seed or an Rng', seedOrRng);
  }
  return subset(dataset, rng.permutation(dataset.size));
}

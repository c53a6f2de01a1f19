import { checkFinite, checkPositive, ValueError } from '@snn/core';
import type { Tensor } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';
import { checkDataset, type ImageDataset } from './dataset.js';

/** Mean and standard deviation of pixel values, for `x' = (x − mean) / std`. */
export interface MeanStd {
  readonly mean: number;
  readonly std: number;
}

/** MNIST's training set (60,000 digits, pixels in [0, 1]): the values everyone uses. */
export const MNIST_MEAN_STD: MeanStd = Object.freeze({ mean: 0.1307, std: 0.3081 });

/** Fashion-MNIST's training set (60,000 images, pixels in [0, 1]). */
export const FASHION_MNIST_MEAN_STD: MeanStd = Object.freeze({ mean: 0.286, std: 0.353 });

function checkStats(fn: string, stats: MeanStd): MeanStd {
  if (stats === null || typeof stats !== 'object') throw new ValueError(fn, 'stats', 'an object { mean, std }', stats);
  checkFinite(fn, 'stats.mean', stats.mean);
  checkPositive(fn, 'stats.std', stats.std);
  return stats;
}

/**
 * Mean and population standard deviation (dividing by n) of all pixel values of a dataset or
 * an array, accumulated in float64 in two passes. Compute them on the training set and use
 * them for both sets.
 *
 * @throws ValueError when there are no values or a value is not finite.
 * @example
 * ```ts
 * const stats = computeMeanStd(train);   // about { mean: 0.13, std: 0.31 } for the embedded MNIST
 * ```
 */
export function computeMeanStd(x: ImageDataset | ArrayLike<number>): MeanStd {
  const fn = 'computeMeanStd';
  const values: ArrayLike<number> = 'images' in x ? checkDataset(fn, x).images : x;
  const n = values.length;
  if (!(n > 0)) throw new ValueError(fn, 'x', 'at least one value', n);
  let sum = 0;
  for (let i = 0; i < n; i++) sum += values[i] as number;
  if (!Number.isFinite(sum)) throw new ValueError(fn, 'x', 'finite values', sum);
  const mean = sum / n;
  let sq = 0;
  for (let i = 0; i < n; i++) {
    const d = (values[i] as number) - mean;
    sq += d * d;
  }
  return { mean, std: Math.sqrt(sq / n) };
}

/**
 * `(x − mean) / std`. A typed array gives a new Float32Array; a tensor gives a new float32
 * tensor that the caller owns (the input is not disposed).
 * @throws ValueError when `stats.std` is not > 0 or `stats.mean` is not finite.
 * @example
 * ```ts
 * const z = normalize(train.images, MNIST_MEAN_STD);
 * const t = normalize(batch.images, MNIST_MEAN_STD);   // tensor in, tensor out
 * ```
 */
export function normalize(x: Float32Array, stats: MeanStd): Float32Array;
export function normalize(x: Tensor, stats: MeanStd): Tensor;
export function normalize(x: Float32Array | Tensor, stats: MeanStd): Float32Array | Tensor {
  const { mean, std } = checkStats('normalize', stats);
  if (x instanceof Float32Array) {
    const out = new Float32Array(x.length);
    normalizeInto(x, out, mean, std);
    return out;
  }
  if (x === null || typeof x !== 'object' || !('dataId' in x)) {
    throw new ValueError('normalize', 'x', 'a Float32Array or a tf.Tensor', x);
  }
  return tf.tidy(() => tf.div(tf.sub(tf.cast(x, 'float32'), mean), std));
}

/** Writes `(src − mean) / std` into `dst` (same length; may be `src` itself). */
export function normalizeInto(src: Float32Array, dst: Float32Array, mean: number, std: number): void {
  const inv = 1 / std;
  for (let i = 0; i < src.length; i++) dst[i] = ((src[i] as number) - mean) * inv;
}

/**
 * The dataset with normalised images (a new images array; labels are shared).
 * @example
 * ```ts
 * const stats = computeMeanStd(train);
 * const [trainZ, testZ] = [normalizeDataset(train, stats), normalizeDataset(test, stats)];
 * ```
 */
export function normalizeDataset(ds: ImageDataset, stats: MeanStd): ImageDataset {
  checkDataset('normalizeDataset', ds);
  return { ...ds, images: normalize(ds.images, stats) };
}

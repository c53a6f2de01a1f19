// Public surface of @snn/datasets. Named exports only. Node's built-ins (fs, zlib) are imported
// only inside the Node-only loaders, so the rest of the package also runs in a browser bundle.

export {
  type ArrayBatch,
  type BatchOptions,
  batchCount,
  batches,
  shuffleDataset,
  type TensorBatch,
} from './batching.js';
export {
  classCounts,
  type DatasetTensors,
  IMAGE_LAYOUTS,
  type ImageDataset,
  type ImageLayout,
  imageShapeFor,
  sampleLength,
  subset,
  take,
  toTensors,
  withLayout,
} from './dataset.js';
export {
  EMBEDDED_MNIST_CLASS_COUNTS,
  EMBEDDED_MNIST_SEED,
  EMBEDDED_MNIST_SIZE,
  EMBEDDED_MNIST_TEST_PER_CLASS,
  type EmbeddedMNISTOptions,
  embeddedMNISTSplit,
  loadEmbeddedMNIST,
  loadEmbeddedMNISTAll,
  type SplitIndices,
  type TrainTest,
} from './embedded-mnist.js';
export { DatasetFormatError, DatasetNotFoundError, IdxFormatError } from './errors.js';
export {
  decodeIDX,
  encodeIDX,
  type IdxArray,
  type IdxData,
  type IdxDType,
  parseIDX,
} from './idx.js';
export { readIDX } from './idx-file.js';
export {
  DEBIAN_FASHION_MNIST_DIR,
  FASHION_MNIST_CLASSES,
  type IdxDatasetOptions,
  loadFashionMNIST,
  loadMNIST,
  MNIST_FILE_NAMES,
} from './mnist-files.js';
export {
  computeMeanStd,
  FASHION_MNIST_MEAN_STD,
  type MeanStd,
  MNIST_MEAN_STD,
  normalize,
  normalizeDataset,
} from './normalize.js';

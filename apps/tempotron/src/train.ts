// Tempotron MNIST: each pixel is encoded by m Gaussian tuning curves into m spike times (one spike
// per neuron at most, −1 for none), and one Tempotron layer of 10 neurons reads the 784·m spike
// times; it is trained with Adam on the Tempotron MSE loss and reads a class as the neuron with the
// highest peak potential.
import { checkInteger, checkPositive, createRng } from '@snn/core';
import { type ImageDataset, sampleLength } from '@snn/datasets';
import { GaussianTuning } from '@snn/encoding';
import { Tempotron } from '@snn/timing';
import type { Tensor } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';

/** Settings of {@link trainTempotron}. */
export interface TempotronMNISTConfig {
  /** Gaussian tuning neurons per pixel (>= 3). Default 16. */
  readonly m?: number;
  /** Time steps of the Tempotron's trace; the encoder's latest spike time is the same. Default 100. */
  readonly T?: number;
  /** Passes over the training set. Default 6. */
  readonly epochs?: number;
  /** Samples per Adam step. Default 64. */
  readonly batchSize?: number;
  /** Adam's learning rate. Default 1e-3. */
  readonly lr?: number;
  /** Seed of the weight init and of the order of the training samples. Default 0. */
  readonly seed?: number;
}

/** Progress of {@link trainTempotron}. */
export interface TrainCallbacks {
  /** After each training step: the epoch (from 1), batches done in it, batches per epoch, the batch loss. */
  readonly onBatch?: (epoch: number, done: number, total: number, loss: number) => void;
  /** After each test batch: samples evaluated so far and in all. */
  readonly onTest?: (done: number, total: number) => void;
}

/** One epoch's statistics. */
export interface EpochStats {
  readonly epoch: number;
  /** Mean loss over the epoch's batches. */
  readonly loss: number;
  /** Training accuracy (argmax of v_max) of the batches before each update. */
  readonly trainAccuracy: number;
  readonly seconds: number;
}

/** What {@link trainTempotron} returns. The caller disposes `net` and `encoder`. */
export interface TrainResult {
  readonly net: Tempotron;
  readonly encoder: GaussianTuning;
  readonly config: Required<TempotronMNISTConfig>;
  readonly epochs: EpochStats[];
  /** Test accuracy: the neuron with the highest peak potential is the class. */
  readonly accuracy: number;
  /** Test samples on which exactly the right neuron reaches the threshold (the Tempotron's own decision). */
  readonly thresholdAccuracy: number;
  readonly trainSeconds: number;
  /** Training samples per second, over all epochs. */
  readonly samplesPerSecond: number;
  readonly testSeconds: number;
  readonly trainSize: number;
  readonly testSize: number;
}

/** Fills in and checks the defaults. */
export function resolveConfig(config: TempotronMNISTConfig = {}): Required<TempotronMNISTConfig> {
  const fn = 'trainTempotron';
  return {
    m: checkInteger(fn, 'm', config.m ?? 16, 3),
    T: checkInteger(fn, 'T', config.T ?? 100, 1),
    epochs: checkInteger(fn, 'epochs', config.epochs ?? 6, 1),
    batchSize: checkInteger(fn, 'batchSize', config.batchSize ?? 64, 1),
    lr: checkPositive(fn, 'lr', config.lr ?? 1e-3),
    seed: checkInteger(fn, 'seed', config.seed ?? 0, 0),
  };
}

/**
 * Spike times `[B, 784·m]` of images `images` (`[B·784]` in [0, 1]): feature-major, the `m`
 * neurons of pixel `j` at `j·m .. j·m + m − 1`. A new tensor the caller owns.
 */
export function encodeImages(encoder: GaussianTuning, images: Float32Array, batch: number, T: number): Tensor {
  return tf.tidy(() => {
    const pixels = images.length / batch;
    const times = encoder.encode(tf.tensor3d(images, [batch, 1, pixels]), T); // [B, 1, 784, m]
    return tf.reshape(times, [batch, pixels * encoder.m]);
  });
}

/** `[B, 784]` rows of `ds` at `indices`. */
function gather(ds: ImageDataset, indices: ArrayLike<number>): { images: Float32Array; labels: Int32Array } {
  const d = sampleLength(ds);
  const images = new Float32Array(indices.length * d);
  const labels = new Int32Array(indices.length);
  for (let k = 0; k < indices.length; k++) {
    const i = indices[k] as number;
    images.set(ds.images.subarray(i * d, (i + 1) * d), k * d);
    labels[k] = ds.labels[i] as number;
  }
  return { images, labels };
}

/** Correct argmax predictions and correct threshold decisions of peaks `vMax` `[B, C]`. */
function score(vMax: ArrayLike<number>, labels: Int32Array, classes: number, vThreshold: number): [number, number] {
  let argmaxRight = 0;
  let decisionRight = 0;
  for (let b = 0; b < labels.length; b++) {
    let best = 0;
    let decided = true;
    for (let c = 0; c < classes; c++) {
      const v = vMax[b * classes + c] as number;
      if (v > (vMax[b * classes + best] as number)) best = c;
      if (v >= vThreshold !== (c === labels[b])) decided = false;
    }
    if (best === labels[b]) argmaxRight++;
    if (decided) decisionRight++;
  }
  return [argmaxRight, decisionRight];
}

/**
 * Peaks `[N, 10]` of `net` on every sample of `ds`, in batches, and the two accuracies.
 */
export function evaluateTempotron(
  net: Tempotron,
  encoder: GaussianTuning,
  ds: ImageDataset,
  batchSize: number,
  onTest?: (done: number, total: number) => void,
): { accuracy: number; thresholdAccuracy: number } {
  let argmaxRight = 0;
  let decisionRight = 0;
  for (let start = 0; start < ds.size; start += batchSize) {
    const ids = Array.from({ length: Math.min(batchSize, ds.size - start) }, (_, k) => start + k);
    const { images, labels } = gather(ds, ids);
    const vMax = tf.tidy(() => net.forward(encodeImages(encoder, images, ids.length, net.T), 'vMax').dataSync());
    const [a, d] = score(vMax, labels, net.outFeatures, net.vThreshold);
    argmaxRight += a;
    decisionRight += d;
    onTest?.(start + ids.length, ds.size);
  }
  return { accuracy: argmaxRight / ds.size, thresholdAccuracy: decisionRight / ds.size };
}

/**
 * Trains a Tempotron on `train` (shuffled each epoch from `seed`) and tests it on `test`.
 * The encoder is SpikingJelly's `GaussianTuning(n = 1, m, x_min = 0, x_max = 1)` applied to all
 * 784 pixels with `max_spike_time = T`.
 */
export function trainTempotron(
  train: ImageDataset,
  test: ImageDataset,
  config: TempotronMNISTConfig = {},
  callbacks: TrainCallbacks = {},
): TrainResult {
  const c = resolveConfig(config);
  const pixels = sampleLength(train);
  const classes = train.numClasses;
  const encoder = new GaussianTuning(1, c.m, 0, 1);
  const net = new Tempotron(pixels * c.m, classes, c.T, { seed: c.seed });
  const optimizer = tf.train.adam(c.lr);
  const rng = createRng(c.seed + 1);
  const batches = Math.ceil(train.size / c.batchSize);
  const epochs: EpochStats[] = [];
  const started = performance.now();
  try {
    for (let epoch = 1; epoch <= c.epochs; epoch++) {
      const t0 = performance.now();
      const order = rng.permutation(train.size);
      let lossSum = 0;
      let right = 0;
      for (let b = 0; b < batches; b++) {
        const ids = order.subarray(b * c.batchSize, Math.min((b + 1) * c.batchSize, train.size));
        const { images, labels } = gather(train, ids);
        const x = encodeImages(encoder, images, ids.length, c.T);
        let vMax: Float32Array | undefined;
        const loss = optimizer.minimize(
          () => {
            const peaks = net.forward(x, 'vMax');
            vMax = peaks.dataSync() as Float32Array;
            return Tempotron.mseLoss(peaks, net.vThreshold, labels, classes) as tf.Scalar;
          },
          true,
          [net.weight],
        );
        const value = (loss as Tensor).dataSync()[0] as number;
        tf.dispose([x, loss as Tensor]);
        lossSum += value;
        right += score(vMax as Float32Array, labels, classes, net.vThreshold)[0];
        callbacks.onBatch?.(epoch, b + 1, batches, value);
      }
      epochs.push({
        epoch,
        loss: lossSum / batches,
        trainAccuracy: right / train.size,
        seconds: (performance.now() - t0) / 1000,
      });
    }
  } finally {
    optimizer.dispose();
  }
  const trainSeconds = (performance.now() - started) / 1000;
  const t1 = performance.now();
  const { accuracy, thresholdAccuracy } = evaluateTempotron(net, encoder, test, c.batchSize, callbacks.onTest);
  return {
    net,
    encoder,
    config: c,
    epochs,
    accuracy,
    thresholdAccuracy,
    trainSeconds,
    samplesPerSecond: (train.size * c.epochs) / trainSeconds,
    testSeconds: (performance.now() - t1) / 1000,
    trainSize: train.size,
    testSize: test.size,
  };
}

/** The voltage traces `[T, 10]` of `net` on test sample `index`, and its label, for a plot. */
export function voltageOf(
  net: Tempotron,
  encoder: GaussianTuning,
  ds: ImageDataset,
  index: number,
): { data: Float32Array; shape: [number, number]; label: number } {
  const { images, labels } = gather(ds, [index]);
  const v = tf.tidy(() => tf.transpose(tf.squeeze(net.forward(encodeImages(encoder, images, 1, net.T), 'v'), [0])));
  const data = v.dataSync() as Float32Array;
  const shape = v.shape as [number, number];
  v.dispose();
  return { data, shape, label: labels[0] as number };
}

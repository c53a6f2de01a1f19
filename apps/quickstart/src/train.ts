import { createRng, type Rng } from '@snn/core';
import { batchCount, batches, type ImageDataset, loadEmbeddedMNIST, take } from '@snn/datasets';
import { poissonEncode } from '@snn/encoding';
import { cosineAnnealing, evaluate, rateCrossEntropyLoss, trainStep } from '@snn/learning';
import type { Tensor } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';
import { SpikingMLP } from './model.js';

/** How images become the network's input. */
export type Encoding = 'direct' | 'poisson';

/** Settings of a quickstart training run. */
export interface TrainOptions {
  readonly epochs: number;
  readonly seed: number;
  readonly batchSize?: number;
  readonly learningRate?: number;
  readonly hidden?: number;
  readonly T?: number;
  readonly encoding?: Encoding;
  /** Train on the first `limit` training samples only (and test on `limit / 4`). */
  readonly limit?: number;
  /** After every batch (for a progress bar). */
  readonly onBatch?: (p: { epoch: number; batch: number; batches: number; loss: number; accuracy: number }) => void;
  /** After every epoch. */
  readonly onEpoch?: (p: EpochRecord) => void;
}

/** One epoch of the training history. */
export interface EpochRecord {
  readonly epoch: number;
  readonly trainLoss: number;
  readonly trainAccuracy: number;
  readonly testAccuracy: number;
  readonly seconds: number;
}

/** What a run produced. The caller owns (and disposes) `net`. */
export interface TrainResult {
  readonly net: SpikingMLP;
  readonly history: EpochRecord[];
  readonly accuracy: number;
  readonly trainSeconds: number;
  readonly samplesPerSecond: number;
  readonly trainSamples: number;
  readonly testSamples: number;
  readonly test: ImageDataset;
}

/** The network's input for a batch of images `[B, 784]`: the images, or a Poisson spike train `[T, B, 784]`. */
export function encoder(encoding: Encoding, T: number, rng: Rng): (images: Tensor) => Tensor {
  return encoding === 'direct' ? (images) => images : (images) => poissonEncode(images, T, { rng });
}

function* labelled(ds: ImageDataset, batchSize: number, encode: (x: Tensor) => Tensor) {
  for (const b of batches(ds, batchSize)) {
    const inputs = encode(b.images);
    if (inputs !== b.images) b.images.dispose();
    yield { inputs, labels: b.labels };
    tf.dispose([inputs, b.labels]);
  }
}

/**
 * Trains a {@link SpikingMLP} on the embedded MNIST subset (8,000 train / 2,000 held-out test
 * digits) with BPTT through the surrogate: Adam, cosine-annealed learning rate, cross-entropy on
 * spike counts. Evaluates on the held-out digits after every epoch.
 */
export async function trainQuickstart(options: TrainOptions): Promise<TrainResult> {
  const batchSize = options.batchSize ?? 64;
  const T = options.T ?? 8;
  const encoding = options.encoding ?? 'direct';
  const split = await loadEmbeddedMNIST();
  const train = options.limit === undefined ? split.train : take(split.train, options.limit);
  const test = options.limit === undefined ? split.test : take(split.test, Math.max(1, Math.floor(options.limit / 4)));
  const net = new SpikingMLP({ hidden: options.hidden ?? 256, T, seed: options.seed });
  const optimizer = tf.train.adam(options.learningRate ?? 2e-3);
  const rng = createRng(options.seed);
  const encode = encoder(encoding, T, rng.fork());
  const perEpoch = batchCount(train.size, batchSize);
  const schedule = cosineAnnealing({
    lrMax: options.learningRate ?? 2e-3,
    lrMin: 0,
    totalSteps: perEpoch * options.epochs,
  });
  const loss = (out: Tensor, labels: Tensor) => rateCrossEntropyLoss(out, labels, { scale: T });
  const history: EpochRecord[] = [];
  let trainSeconds = 0;
  let step = 0;
  for (let epoch = 1; epoch <= options.epochs; epoch++) {
    const started = performance.now();
    let lossSum = 0;
    let correct = 0;
    let seen = 0;
    let batch = 0;
    for (const b of batches(train, batchSize, { shuffle: true, rng })) {
      const r = trainStep({
        net,
        optimizer,
        inputs: () => encode(b.images),
        labels: b.labels,
        loss,
        learningRate: schedule(step++),
      });
      tf.dispose(b);
      lossSum += r.loss * r.batchSize;
      correct += (r.accuracy ?? 0) * r.batchSize;
      seen += r.batchSize;
      options.onBatch?.({ epoch, batch: ++batch, batches: perEpoch, loss: lossSum / seen, accuracy: correct / seen });
    }
    const seconds = (performance.now() - started) / 1000;
    trainSeconds += seconds;
    const testAccuracy = evaluate({ net, batches: labelled(test, 256, encode) }).accuracy ?? 0;
    const record = { epoch, trainLoss: lossSum / seen, trainAccuracy: correct / seen, testAccuracy, seconds };
    history.push(record);
    options.onEpoch?.(record);
  }
  optimizer.dispose();
  const last = history[history.length - 1];
  return {
    net,
    history,
    accuracy: last?.testAccuracy ?? 0,
    trainSeconds,
    samplesPerSecond: (train.size * options.epochs) / trainSeconds,
    trainSamples: train.size,
    testSamples: test.size,
    test,
  };
}

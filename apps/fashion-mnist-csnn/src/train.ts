// Training and evaluation of the CSNN: BPTT with Adam and a cosine learning rate, one epoch at a
// time, the held-out set evaluated after every epoch. No I/O here: the CLI adds files and bars.
import { performance } from 'node:perf_hooks';
import { checkInteger, checkOneOf, checkPositive, createRng, ValueError } from '@snn/core';
import { batchCount, batches, type ImageDataset, withLayout } from '@snn/datasets';
import {
  type Batch,
  cosineAnnealing,
  evaluate,
  type LossFn,
  rateCrossEntropyLoss,
  rateMSELoss,
  trainStep,
} from '@snn/learning';
import * as tf from '@tensorflow/tfjs-core';
import { CSNN, type CSNNOptions, type CSNNSettings } from './model.js';

/** Loss on the output spikes: `'mse'` (rate vs one-hot, the tutorial's) or `'ce'` (cross-entropy on spike counts). */
export type LossKind = 'mse' | 'ce';
export const LOSS_KINDS: readonly LossKind[] = ['mse', 'ce'];

/** Options of {@link trainCSNN}. */
export interface TrainOptions {
  /** Training set: 28×28 one-channel images, any layout (`[784]`, `[1, 28, 28]`, `[28, 28, 1]`). */
  readonly train: ImageDataset;
  /** Held-out set, evaluated after every epoch. */
  readonly test: ImageDataset;
  /** The network (channels, T, neuron, encoding, layout). */
  readonly model?: Omit<CSNNOptions, 'rng' | 'seed'>;
  /** Passes over the training set. Default 2. */
  readonly epochs?: number;
  /** Training batch size. Default 64. */
  readonly batchSize?: number;
  /** Batch size of evaluation (no gradients, so it can be larger). Default 256. */
  readonly evalBatchSize?: number;
  /** Initial (peak) learning rate of Adam; cosine annealing takes it to 0 at the last step. Default 5e-3. */
  readonly learningRate?: number;
  /** Loss. Default `'mse'`. */
  readonly loss?: LossKind;
  /** Seed of the weights (`seed`) and of the batch order (`seed + 1`). Default 42. */
  readonly seed?: number;
  /** Stop each epoch after this many batches (benchmarks, tests). Default: all. */
  readonly maxBatches?: number;
  /** Called after every training step. */
  readonly onBatch?: (info: BatchInfo) => void;
  /** Called after each evaluation batch with the number of samples done. */
  readonly onEvalBatch?: (done: number, total: number) => void;
  /** Called after every epoch (after its evaluation). */
  readonly onEpoch?: (record: EpochRecord) => void;
}

/** What {@link TrainOptions.onBatch} gets. */
export interface BatchInfo {
  readonly epoch: number;
  readonly batch: number;
  readonly batches: number;
  readonly loss: number;
  readonly accuracy: number;
  readonly learningRate: number;
  /** Mean loss and accuracy of the epoch so far (per sample). */
  readonly epochLoss: number;
  readonly epochAccuracy: number;
}

/** One epoch's results. */
export interface EpochRecord {
  readonly epoch: number;
  readonly trainLoss: number;
  readonly trainAccuracy: number;
  readonly testLoss: number;
  readonly testAccuracy: number;
  readonly trainSeconds: number;
  readonly evalSeconds: number;
  readonly samplesPerSecond: number;
}

/** The numbers of a run, as `metrics.json` holds them (the CLI adds paths). */
export interface TrainMetrics {
  /** Held-out accuracy after the last epoch, 0–1. */
  readonly accuracy: number;
  /** Best held-out accuracy over the epochs (SpikingJelly's tutorial reports this one). */
  readonly bestAccuracy: number;
  readonly testLoss: number;
  /** Seconds spent in training steps (evaluation, data loading and plots excluded). */
  readonly trainSeconds: number;
  readonly evalSeconds: number;
  /** Training samples per second over all epochs (time in `trainStep` only). */
  readonly samplesPerSecond: number;
  readonly backend: string;
  /** Training samples used per epoch. */
  readonly trainSamples: number;
  readonly testSamples: number;
  readonly settings: RunSettings;
  readonly epochs: readonly EpochRecord[];
}

/** Everything that decides a run's result. */
export interface RunSettings extends CSNNSettings {
  readonly epochs: number;
  readonly batchSize: number;
  readonly learningRate: number;
  readonly loss: LossKind;
  readonly optimizer: string;
  readonly schedule: string;
  readonly seed: number;
}

/** What {@link trainCSNN} returns. The caller owns `net` (dispose it when done). */
export interface TrainResult {
  readonly net: CSNN;
  readonly metrics: TrainMetrics;
  /** Loss and accuracy of every training step. */
  readonly steps: { readonly loss: number[]; readonly accuracy: number[] };
}

/** The loss function for a {@link LossKind} at T time steps. */
export function lossFor(kind: LossKind, timeSteps: number): LossFn {
  return kind === 'mse' ? rateMSELoss : (out, y) => rateCrossEntropyLoss(out, y, { scale: timeSteps });
}

/** The images of `ds` as the network takes them (`[1, 28, 28]` or `[28, 28, 1]`); no copy. */
function shaped(ds: ImageDataset, net: CSNN, arg: string): ImageDataset {
  const n = ds.imageShape.reduce((a, b) => a * b, 1);
  if (n !== 28 * 28) throw new ValueError('trainCSNN', `${arg}.imageShape`, '28×28 one-channel images', ds.imageShape);
  return withLayout(ds, net.settings.layout, { height: 28, width: 28 });
}

/** Test batches as `evaluate` takes them; each batch's tensors are freed once the next is asked for. */
function* evalBatches(ds: ImageDataset, batchSize: number, onBatch?: (done: number) => void): Generator<Batch> {
  let done = 0;
  for (const b of batches(ds, batchSize)) {
    try {
      yield { inputs: b.images, labels: b.labels };
    } finally {
      tf.dispose([b.images, b.labels]);
    }
    done += b.size;
    onBatch?.(done);
  }
}

/**
 * Trains the CSNN on `train` with backpropagation through time and evaluates it on `test` after
 * every epoch. Adam with `lr(step) = lr₀·(1 + cos(π·step/steps))/2` over all steps; the batch order
 * is reshuffled every epoch from `seed + 1`. Training leaves `tf.memory()` as it found it, apart from
 * the returned network.
 *
 * @throws ValueError for a bad option; whatever a layer throws for bad data.
 */
export function trainCSNN(options: TrainOptions): TrainResult {
  const fn = 'trainCSNN';
  const epochs = checkInteger(fn, 'epochs', options.epochs ?? 2, 1);
  const batchSize = checkInteger(fn, 'batchSize', options.batchSize ?? 64, 1);
  const evalBatchSize = checkInteger(fn, 'evalBatchSize', options.evalBatchSize ?? 256, 1);
  const learningRate = checkPositive(fn, 'learningRate', options.learningRate ?? 5e-3);
  const lossKind = checkOneOf(fn, 'loss', options.loss ?? 'mse', LOSS_KINDS);
  const seed = checkInteger(fn, 'seed', options.seed ?? 42, 0);
  const maxBatches =
    options.maxBatches === undefined ? undefined : checkInteger(fn, 'maxBatches', options.maxBatches, 1);
  if (options.train?.size === 0) throw new ValueError(fn, 'train', 'a dataset with at least one sample', 0);

  const net = new CSNN({ ...options.model, seed });
  const train = shaped(options.train, net, 'train');
  const test = shaped(options.test, net, 'test');
  const loss = lossFor(lossKind, net.settings.timeSteps);
  const perEpoch = Math.min(batchCount(train.size, batchSize), maxBatches ?? Number.POSITIVE_INFINITY);
  const totalSteps = epochs * perEpoch;
  const schedule = cosineAnnealing({ lrMax: learningRate, lrMin: 0, totalSteps });
  const optimizer = tf.train.adam(learningRate);
  const order = createRng(seed + 1);
  const records: EpochRecord[] = [];
  const steps = { loss: [] as number[], accuracy: [] as number[] };
  let step = 0;
  let trainSeconds = 0;
  let evalSeconds = 0;
  let samplesTrained = 0;
  try {
    for (let epoch = 1; epoch <= epochs; epoch++) {
      net.train();
      let seen = 0;
      let lossSum = 0;
      let correct = 0;
      let epochSeconds = 0;
      let batch = 0;
      for (const b of batches(train, batchSize, { shuffle: true, rng: order })) {
        if (batch >= perEpoch) {
          tf.dispose([b.images, b.labels]);
          break;
        }
        const lr = schedule(step);
        const t0 = performance.now();
        let r: ReturnType<typeof trainStep>;
        try {
          r = trainStep({ net, optimizer, inputs: b.images, labels: b.labels, loss, learningRate: lr });
        } finally {
          tf.dispose([b.images, b.labels]);
        }
        epochSeconds += (performance.now() - t0) / 1000;
        step++;
        batch++;
        seen += b.size;
        lossSum += r.loss * b.size;
        correct += (r.accuracy ?? 0) * b.size;
        steps.loss.push(r.loss);
        steps.accuracy.push(r.accuracy ?? 0);
        options.onBatch?.({
          epoch,
          batch,
          batches: perEpoch,
          loss: r.loss,
          accuracy: r.accuracy ?? 0,
          learningRate: lr,
          epochLoss: lossSum / seen,
          epochAccuracy: correct / seen,
        });
      }
      trainSeconds += epochSeconds;
      samplesTrained += seen;
      const e0 = performance.now();
      const onEval = options.onEvalBatch;
      const result = evaluate({
        net,
        loss,
        batches: evalBatches(test, evalBatchSize, onEval ? (done) => onEval(done, test.size) : undefined),
      });
      const epochEval = (performance.now() - e0) / 1000;
      evalSeconds += epochEval;
      const record: EpochRecord = {
        epoch,
        trainLoss: lossSum / seen,
        trainAccuracy: correct / seen,
        testLoss: result.loss ?? Number.NaN,
        testAccuracy: result.accuracy ?? Number.NaN,
        trainSeconds: epochSeconds,
        evalSeconds: epochEval,
        samplesPerSecond: seen / epochSeconds,
      };
      records.push(record);
      options.onEpoch?.(record);
    }
  } catch (e) {
    net.dispose();
    throw e;
  } finally {
    optimizer.dispose();
  }
  const last = records[records.length - 1] as EpochRecord;
  return {
    net,
    steps,
    metrics: {
      accuracy: last.testAccuracy,
      bestAccuracy: Math.max(...records.map((r) => r.testAccuracy)),
      testLoss: last.testLoss,
      trainSeconds,
      evalSeconds,
      samplesPerSecond: samplesTrained / trainSeconds,
      backend: tf.getBackend(),
      trainSamples: Math.min(train.size, perEpoch * batchSize),
      testSamples: test.size,
      settings: {
        ...net.settings,
        epochs,
        batchSize,
        learningRate,
        loss: lossKind,
        optimizer: 'adam',
        schedule: `cosine annealing per step, ${learningRate} → 0 over ${totalSteps} steps`,
        seed,
      },
      epochs: records,
    },
  };
}

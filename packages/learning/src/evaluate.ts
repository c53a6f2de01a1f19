import { checkOptions, type Module, ValueError } from '@snn/core';
import type { Tensor } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';
import {
  checkBatchLabels,
  checkDecode,
  checkForward,
  checkInputs,
  checkLossFn,
  checkNet,
  type Inputs,
  inputTensor,
  lossValue,
} from './checks.js';
import type { LossFn } from './losses.js';
import { correctCount, type Decode } from './metrics.js';
import { keysOf } from './options.js';

/** One batch for {@link evaluate}: inputs `[T, B, ...]` (or a function making them) and labels `[B, ...]`. */
export interface Batch {
  readonly inputs: Inputs;
  readonly labels: Tensor;
}

/** Options of {@link evaluate}. */
export interface EvaluateOptions {
  /** The network, run with `net.forward(inputs)`. */
  readonly net: Module;
  /** The batches: an array or any iterable (a generator). Their tensors stay the caller's. */
  readonly batches: Iterable<Batch>;
  /** A loss to average as well, e.g. {@link rateCrossEntropyLoss}. Default none (`loss: null`). */
  readonly loss?: LossFn;
  /** How outputs are read as classes: `'rate'` (default), `'firstSpike'`, or `null` for no accuracy. */
  readonly decode?: Decode | null;
  /** The forward pass, when it is more than `net.forward(inputs)`. */
  readonly forward?: (inputs: Tensor) => Tensor;
}

/** The keys of {@link EvaluateOptions}. */
export const EVALUATE_OPTION_KEYS = keysOf<EvaluateOptions>()(['net', 'batches', 'loss', 'decode', 'forward']);

/** What {@link evaluate} returns. */
export interface EvaluateResult {
  /** Mean loss per sample (batch losses weighted by batch size), or null without `loss`. */
  readonly loss: number | null;
  /** Fraction of samples classified correctly, or null with `decode: null`. */
  readonly accuracy: number | null;
  /** Number of samples seen. */
  readonly samples: number;
  /** Number of batches seen. */
  readonly batches: number;
}

/**
 * Evaluates a network on batches without training it: puts every module in evaluation mode
 * (`net.eval()`: dropout off, batch norm on running statistics), resets the network before each
 * batch, runs the forward pass outside any gradient tape, and accumulates
 *
 * `loss = Σ_batches B·L_batch / Σ B`,  `accuracy = (number correct) / Σ B`.
 *
 * Afterwards the network is reset and every module's training flag is restored to what it was.
 * Parameters are never touched. Tensors the batches hold stay the caller's; what a function
 * input makes is freed.
 *
 * @throws UnknownOptionError for an option name it does not know; ValueError for a wrong option
 *   or an empty `batches`; whatever the network and loss throw
 *   for wrong shapes (the network is still reset and its modes restored).
 * @example
 * ```ts
 * const { loss, accuracy } = evaluate({ net, batches: testBatches, loss: rateCrossEntropyLoss });
 * ```
 */
export function evaluate(options: EvaluateOptions): EvaluateResult {
  const fn = 'evaluate';
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw new ValueError(fn, 'options', '{ net, batches, loss?, decode? }', options);
  }
  checkOptions(fn, options, EVALUATE_OPTION_KEYS);
  const net = checkNet(fn, options.net);
  const batches = options.batches as Iterable<Batch> | null;
  if (batches === null || typeof batches !== 'object' || typeof batches[Symbol.iterator] !== 'function') {
    throw new ValueError(fn, 'batches', 'an iterable of { inputs, labels }', options.batches);
  }
  const loss = checkLossFn(fn, options.loss, true);
  const decode = checkDecode(fn, options.decode);
  const forward = checkForward(fn, net, options.forward);

  const modes = net.modules().map((m) => [m, m.training] as const);
  let lossSum = 0;
  let correct = 0;
  let samples = 0;
  let count = 0;
  net.eval();
  try {
    for (const batch of batches) {
      if (batch === null || typeof batch !== 'object') {
        throw new ValueError(fn, `batches[${count}]`, '{ inputs, labels }', batch);
      }
      const inputs = checkInputs(fn, `batches[${count}].inputs`, batch.inputs);
      const size = checkBatchLabels(fn, `batches[${count}].labels`, batch.labels);
      net.reset();
      const stats = tf.tidy(() => {
        const outputs = forward(inputTensor(fn, inputs));
        const l = loss === undefined ? tf.scalar(0) : lossValue(fn, loss, outputs, batch.labels);
        const c = decode === null ? tf.scalar(0) : tf.cast(correctCount(fn, outputs, batch.labels, decode), 'float32');
        return tf.stack([tf.cast(l, 'float32'), c]);
      });
      const [l, c] = Array.from(stats.dataSync()) as [number, number];
      stats.dispose();
      lossSum += l * size;
      correct += c;
      samples += size;
      count++;
    }
  } finally {
    net.reset();
    for (const [m, training] of modes) m.training = training;
  }
  if (count === 0 || samples === 0) throw new ValueError(fn, 'batches', 'at least one non-empty batch', count);
  return {
    loss: loss === undefined ? null : lossSum / samples,
    accuracy: decode === null ? null : correct / samples,
    samples,
    batches: count,
  };
}

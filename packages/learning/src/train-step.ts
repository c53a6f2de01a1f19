import { applyGradients, checkOptions, checkPositive, type Module, SnnError, ValueError } from '@snn/core';
import { discardTape, untaped } from '@snn/core/internal';
import type { NamedTensorMap, Optimizer, Scalar, Tensor, Variable } from '@tensorflow/tfjs-core';
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
import { globalNormTensor } from './clip.js';
import type { LossFn } from './losses.js';
import { correctCount, type Decode } from './metrics.js';
import { keysOf } from './options.js';
import { setLearningRate } from './schedule.js';

/** Options of {@link trainStep}. */
export interface TrainStepOptions {
  /** The network; `net.forward(inputs)` runs the whole sequence (multi-step mode). */
  readonly net: Module;
  /** A tfjs-core optimizer: `tf.train.adam(1e-3)`, `tf.train.momentum(0.1, 0.9)`, `tf.train.sgd(0.1)`, ... */
  readonly optimizer: Optimizer;
  /**
   * The batch, time-major `[T, B, ...]`, or a function that makes it (an encoder: it then runs
   * inside the step and what it makes is freed there).
   */
  readonly inputs: Inputs;
  /** Labels as the loss takes them, batch first (`[B]` class indices, `[B, C]` targets). */
  readonly labels: Tensor;
  /** `(outputs, labels) => scalar`, e.g. {@link rateCrossEntropyLoss}. */
  readonly loss: LossFn;
  /** Clip the gradients to this global L2 norm (a finite number > 0) before the update. Default: no clipping. */
  readonly clipNorm?: number;
  /** Set the optimizer's learning rate to this before the update (see {@link setLearningRate}), e.g. `schedule(step)`. */
  readonly learningRate?: number;
  /**
   * How the outputs are read as classes for the reported accuracy (see {@link predictClasses}):
   * `'rate'` (default) or `'firstSpike'`; `null` when outputs and labels are not classes.
   */
  readonly decode?: Decode | null;
  /** The forward pass, when it is more than `net.forward(inputs)` (e.g. a readout after the net). */
  readonly forward?: (inputs: Tensor) => Tensor;
  /** The variables to train. Default `net.parameters(true)` (the trainable ones). */
  readonly parameters?: readonly Variable[];
}

/** The keys of {@link TrainStepOptions}: anything else is an `UnknownOptionError` (`clipnorm`). */
export const TRAIN_STEP_OPTION_KEYS = keysOf<TrainStepOptions>()([
  'net',
  'optimizer',
  'inputs',
  'labels',
  'loss',
  'clipNorm',
  'learningRate',
  'decode',
  'forward',
  'parameters',
]);

/** What {@link trainStep} returns. */
export interface TrainStepResult {
  /** The loss of this batch, before the update. */
  readonly loss: number;
  /** Global L2 norm of the gradients, before clipping. */
  readonly gradNorm: number;
  /** Whether the gradients were scaled down to `clipNorm`. */
  readonly clipped: boolean;
  /** Fraction of the batch classified correctly before the update, or null with `decode: null`. */
  readonly accuracy: number | null;
  /** Number of samples in the batch (`labels.shape[0]`). */
  readonly batchSize: number;
}

interface Checked {
  net: Module;
  optimizer: Optimizer;
  inputs: Inputs;
  labels: Tensor;
  batch: number;
  loss: LossFn;
  clipNorm: number | undefined;
  decode: Decode | null;
  forward: (x: Tensor) => Tensor;
  variables: Variable[];
}

function checkTrainStep(fn: string, o: TrainStepOptions): Checked {
  if (o === null || typeof o !== 'object' || Array.isArray(o)) {
    throw new ValueError(fn, 'options', '{ net, optimizer, inputs, labels, loss, ... }', o);
  }
  checkOptions(fn, o, TRAIN_STEP_OPTION_KEYS);
  const net = checkNet(fn, o.net);
  const opt = o.optimizer as Partial<Optimizer> | null;
  if (
    opt === null ||
    typeof opt !== 'object' ||
    typeof opt.computeGradients !== 'function' ||
    typeof opt.applyGradients !== 'function'
  ) {
    throw new ValueError(fn, 'optimizer', 'a tfjs-core Optimizer (tf.train.adam(...), ...)', o.optimizer);
  }
  const inputs = checkInputs(fn, 'inputs', o.inputs);
  const batch = checkBatchLabels(fn, 'labels', o.labels);
  const loss = checkLossFn(fn, o.loss, false) as LossFn;
  const clipNorm = o.clipNorm === undefined ? undefined : checkPositive(fn, 'clipNorm', o.clipNorm);
  const lr = o.learningRate;
  if (lr !== undefined && !(typeof lr === 'number' && Number.isFinite(lr) && lr >= 0)) {
    throw new ValueError(fn, 'learningRate', 'a finite number ≥ 0', lr);
  }
  const decode = checkDecode(fn, o.decode);
  const forward = checkForward(fn, net, o.forward);
  const given = o.parameters ?? net.parameters(true);
  if (!Array.isArray(given) || given.some((v) => !(v instanceof tf.Variable))) {
    throw new ValueError(fn, 'parameters', 'an array of tf.Variable', o.parameters);
  }
  const variables = given.filter((v) => v.trainable);
  if (variables.length === 0) {
    throw new ValueError(fn, 'net', 'a network with trainable parameters (or pass parameters)', net);
  }
  return { net, optimizer: o.optimizer, inputs, labels: o.labels, batch, loss, clipNorm, decode, forward, variables };
}

/** Correct predictions of the batch, or a ValueError that says to pass `decode: null`. */
function countCorrect(fn: string, outputs: Tensor, labels: Tensor, decode: Decode): Tensor {
  try {
    return correctCount(fn, outputs, labels, decode);
  } catch (e) {
    if (!(e instanceof SnnError)) throw e;
    throw new ValueError(
      fn,
      'decode',
      `null when outputs and labels are not classes (reading them as classes failed: ${e.message})`,
      decode,
    );
  }
}

/**
 * One step of backpropagation through time (BPTT) on one batch:
 *
 * 1. reset the network (`resetNet`), so no state of an earlier batch enters the graph;
 * 2. run the whole sequence, `outputs = net.forward(inputs)` (`[T, B, ...]`), and
 *    `L = loss(outputs, labels)` under `optimizer.computeGradients`, which records every time
 *    step and gives `∂L/∂θ` for `θ` in `net.parameters(true)`; spikes pass their surrogate gradient;
 * 3. measure the global gradient norm `‖g‖`; with `clipNorm`, scale every gradient by
 *    `clipNorm / ‖g‖` when `‖g‖ > clipNorm` (see {@link clipByGlobalNorm});
 * 4. apply the optimizer (after setting `learningRate`, when given; tfjs's Adam runs as one fused
 *    kernel per variable, see `applyGradients` of @snn/core);
 * 5. reset the network again, freeing the state the forward pass left.
 *
 * Every tensor the step makes is freed: `tf.memory().numTensors` is the same after each step,
 * except that an optimizer creates its slot variables (moments) at its first step. A loss or
 * gradient that is NaN or infinite throws before the update, leaving the parameters as they were.
 * It reads back one small tensor per step (loss, norm, correct count) with `dataSync`.
 *
 * @returns The batch's loss before the update, the gradient norm, whether it was clipped, and
 *   the batch accuracy (predictions of this same forward pass).
 * @throws UnknownOptionError for an option name it does not know (`clipnorm`); ValueError for a
 *   missing or wrong option (net, optimizer, inputs, loss, a `clipNorm`
 *   that is not a finite number > 0, a `learningRate` that is not a finite number ≥ 0, no trainable parameters, outputs or labels
 *   that cannot be read as classes while `decode` is not null), a non-finite loss or gradient;
 *   whatever the network and the loss throw for wrong shapes (the network is reset then too).
 * @example
 * ```ts
 * const optimizer = tf.train.adam(1e-3);
 * const { loss, accuracy } = trainStep({ net, optimizer, inputs: xSeq, labels, loss: rateCrossEntropyLoss, clipNorm: 1 });
 * ```
 */
export function trainStep(options: TrainStepOptions): TrainStepResult {
  const fn = 'trainStep';
  const c = checkTrainStep(fn, options);
  if (options.learningRate !== undefined) setLearningRate(c.optimizer, options.learningRate);
  c.net.reset();
  const kept: { correct: Tensor | null } = { correct: null };
  let value: Scalar;
  let grads: NamedTensorMap;
  try {
    ({ value, grads } = c.optimizer.computeGradients(() => {
      const outputs = c.forward(inputTensor(fn, c.inputs));
      const loss = lossValue(fn, c.loss, outputs, c.labels);
      if (c.decode !== null) {
        const decode = c.decode;
        kept.correct = tf.keep(untaped(() => countCorrect(fn, outputs, c.labels, decode)));
      }
      return loss;
    }, c.variables));
  } catch (e) {
    discardTape();
    kept.correct?.dispose();
    c.net.reset();
    throw e;
  }
  const names = Object.keys(grads).filter((name) => grads[name] != null);
  const list = names.map((name) => grads[name] as Tensor);
  const correct = kept.correct;
  const stats = tf.tidy(() =>
    tf.stack([value, globalNormTensor(list), correct === null ? tf.scalar(0) : tf.cast(correct, 'float32')]),
  );
  const [loss, gradNorm, right] = Array.from(stats.dataSync()) as [number, number, number];
  tf.dispose(correct === null ? [stats, value] : [stats, value, correct]);
  if (!Number.isFinite(loss) || !Number.isFinite(gradNorm)) {
    tf.dispose(list);
    c.net.reset();
    const what = Number.isFinite(loss) ? 'the gradient norm' : 'the loss';
    throw new ValueError(fn, what, 'finite (the parameters were not updated)', Number.isFinite(loss) ? gradNorm : loss);
  }
  const clipped = c.clipNorm !== undefined && gradNorm > c.clipNorm;
  const applied = clipped ? tf.tidy(() => list.map((g) => tf.mul(g, (c.clipNorm as number) / gradNorm))) : list;
  try {
    // tfjs's Adam runs as one fused kernel per variable (same numbers and state); others as they are.
    applyGradients(c.optimizer, Object.fromEntries(names.map((name, i) => [name, applied[i] as Tensor])));
  } finally {
    tf.dispose(list);
    if (clipped) tf.dispose(applied);
    c.net.reset();
  }
  return {
    loss,
    gradNorm,
    clipped,
    accuracy: c.decode === null ? null : right / c.batch,
    batchSize: c.batch,
  };
}

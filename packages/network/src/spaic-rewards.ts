// SPAIC's reward nodes (spaic/Neuron/Rewards.py), decoded from a record [T, B, N] of output spikes.
import { checkBoolean, checkOptionTable, type OptionTable, ShapeError, ValueError } from '@snn/core';
import type { Tensor } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';
import {
  checkCount,
  checkFiniteOption,
  checkRecord,
  firstArgMax,
  groupSums,
  readCounts,
  readLabels,
  type Target,
} from './spaic-common.js';

/**
 * A reward decoded from a record of output activity (SPAIC's `Reward` node). Make one by name
 * with `createReward` or register your own with `rewards.register`.
 */
export interface Reward {
  /** The registered name (`'global_reward'`, ...). */
  readonly name: string;
  /**
   * The reward, a new float32 tensor the caller owns.
   * @param record - Output activity `[T, B, N]` (spikes, or what the node decodes).
   * @param target - The labels, or the environment's reward, as the node needs.
   */
  compute(record: Tensor, target?: Target): Tensor;
  /** Clears any state kept between calls. */
  reset?(): void;
  /** Frees any tensors it keeps. */
  dispose?(): void;
}

/** Options shared by SPAIC's global, XOR and DA rewards (its keyword arguments). */
interface SignalOptions {
  /** Value of a reward (SPAIC's `reward_signal`). Default 1. */
  readonly rewardSignal?: number;
  /** Value of a punishment (SPAIC's `punish_signal`). Default −1 (0 for `'da_reward'`). */
  readonly punishSignal?: number;
  /** `true`: one reward per sample instead of SPAIC's batch reduction. Default false. */
  readonly perSample?: boolean;
}

/** Options of {@link GlobalReward} (`'global_reward'`). */
export interface GlobalRewardOptions extends SignalOptions {
  /** Neurons per class, consecutive (SPAIC's `pop_size`); must divide N. Default 1. */
  readonly popSize?: number;
}

/** The options of {@link GlobalReward}, by kind. */
export const GLOBAL_REWARD_OPTIONS: OptionTable<GlobalRewardOptions> = {
  popSize: 'value',
  rewardSignal: 'value',
  punishSignal: 'value',
  perSample: 'boolean',
};

/** Checks the population size against N and returns the number of classes. */
function classesOf(fn: string, record: Tensor, N: number, popSize: number): number {
  if (N % popSize !== 0) {
    throw new ShapeError(fn, 'record', `N divisible by popSize ${popSize} (populations of equal size)`, record.shape);
  }
  return N / popSize;
}

/**
 * SPAIC's `Global_Reward` (`'global_reward'`): the output is split into classes of `popSize`
 * consecutive neurons; a sample's prediction is the class with the most spikes over the record
 * (a tie, silence included, goes to the lowest class, as `torch.argmax`); the reward is
 * `rewardSignal` when the prediction is the target, `punishSignal` otherwise, averaged over the
 * batch into a scalar `[]` (or `[B]` with `perSample`). Feed it to `network.run({ reward })`.
 *
 * @throws UnknownOptionError for an option name it does not know; ValueError for a bad option value.
 * @example
 * ```ts
 * const reward = createReward('global_reward', { popSize: 5 });
 * const r = reward.compute(outSpikes, [1]); // [] : +1 when the second group of 5 fired most
 * net.run({ inputs, time: 20, reward: r });
 * ```
 */
export class GlobalReward implements Reward {
  readonly name = 'global_reward';
  readonly popSize: number;
  readonly rewardSignal: number;
  readonly punishSignal: number;
  readonly perSample: boolean;

  constructor(options?: GlobalRewardOptions) {
    const fn = 'GlobalReward';
    const o = checkOptionTable(fn, options, GLOBAL_REWARD_OPTIONS);
    this.popSize = checkCount(fn, 'popSize', o.popSize) ?? 1;
    this.rewardSignal = checkFiniteOption(fn, 'rewardSignal', o.rewardSignal, 1);
    this.punishSignal = checkFiniteOption(fn, 'punishSignal', o.punishSignal, -1);
    this.perSample = checkBoolean(fn, 'perSample', o.perSample) ?? false;
  }

  /**
   * @param record - Output spikes `[T, B, N]`, N divisible by `popSize`.
   * @param target - The class of each sample: `[B]` (a tensor or an array), or a number for a batch of 1.
   * @returns `[]` (the batch mean), or `[B]` with `perSample`.
   * @throws ShapeError, DTypeError or ValueError for a bad record or target (nothing is made).
   */
  compute(record: Tensor, target?: Target): Tensor {
    const fn = 'GlobalReward.compute';
    const { B, N } = checkRecord(fn, record);
    const classes = classesOf(fn, record, N, this.popSize);
    const labels = readLabels(fn, target, B, classes);
    const groups = groupSums(readCounts(record), B, N, this.popSize);
    const r = groups.map((g, b) => (firstArgMax(g) === labels[b] ? this.rewardSignal : this.punishSignal));
    return this.perSample ? tf.tensor1d(r, 'float32') : tf.scalar(r.reduce((a, v) => a + v, 0) / B, 'float32');
  }
}

/** Options of {@link DaReward} (`'da_reward'`). */
export type DaRewardOptions = GlobalRewardOptions;

/** The options of {@link DaReward}, by kind. */
export const DA_REWARD_OPTIONS: OptionTable<DaRewardOptions> = GLOBAL_REWARD_OPTIONS;

/**
 * SPAIC's `DA_Reward` (`'da_reward'`), a dopamine signal per neuron: the prediction is made as in
 * {@link GlobalReward}; when it is right, the neurons of the predicted (= target) class get
 * `rewardSignal`, and every other neuron (all of them when it is wrong) gets `punishSignal`
 * (default 0). The batch is summed into `[1, N]` (or kept as `[B, N]` with `perSample`): a reward
 * for rules that modulate each postsynaptic neuron, not the global reward of `network.run`.
 *
 * @throws UnknownOptionError for an option name it does not know; ValueError for a bad option value.
 */
export class DaReward implements Reward {
  readonly name = 'da_reward';
  readonly popSize: number;
  readonly rewardSignal: number;
  readonly punishSignal: number;
  readonly perSample: boolean;

  constructor(options?: DaRewardOptions) {
    const fn = 'DaReward';
    const o = checkOptionTable(fn, options, DA_REWARD_OPTIONS);
    this.popSize = checkCount(fn, 'popSize', o.popSize) ?? 1;
    this.rewardSignal = checkFiniteOption(fn, 'rewardSignal', o.rewardSignal, 1);
    this.punishSignal = checkFiniteOption(fn, 'punishSignal', o.punishSignal, 0);
    this.perSample = checkBoolean(fn, 'perSample', o.perSample) ?? false;
  }

  /**
   * @param record - Output spikes `[T, B, N]`, N divisible by `popSize`.
   * @param target - The class of each sample (`[B]`, or a number for a batch of 1).
   * @returns `[1, N]` (summed over the batch), or `[B, N]` with `perSample`.
   * @throws ShapeError, DTypeError or ValueError for a bad record or target (nothing is made).
   */
  compute(record: Tensor, target?: Target): Tensor {
    const fn = 'DaReward.compute';
    const { B, N } = checkRecord(fn, record);
    const classes = classesOf(fn, record, N, this.popSize);
    const labels = readLabels(fn, target, B, classes);
    const groups = groupSums(readCounts(record), B, N, this.popSize);
    const r = new Float32Array(B * N).fill(this.punishSignal);
    groups.forEach((g, b) => {
      const predict = firstArgMax(g);
      if (predict !== labels[b]) return;
      r.fill(this.rewardSignal, b * N + predict * this.popSize, b * N + (predict + 1) * this.popSize);
    });
    if (this.perSample) return tf.tensor2d(r, [B, N], 'float32');
    const sum = new Float32Array(N);
    for (let b = 0; b < B; b++) for (let n = 0; n < N; n++) sum[n] = (sum[n] as number) + (r[b * N + n] as number);
    return tf.tensor2d(sum, [1, N], 'float32');
  }
}

/** Options of {@link XorReward} (`'xor_reward'`). */
export interface XorRewardOptions extends SignalOptions {
  /** Reward of a silent output, whatever the target. Default `punishSignal` (SPAIC's code); 0 is Florian's (2007) XOR convention. */
  readonly silentSignal?: number;
}

/** The options of {@link XorReward}, by kind. */
export const XOR_REWARD_OPTIONS: OptionTable<XorRewardOptions> = {
  rewardSignal: 'value',
  punishSignal: 'value',
  silentSignal: 'value',
  perSample: 'boolean',
};

/**
 * SPAIC's `XOR_Reward` (`'xor_reward'`): the output is one population; when it spiked at all
 * during the record, the reward is `rewardSignal` for target 1 and `punishSignal` for target 0;
 * when it stayed silent it is `silentSignal` (default `punishSignal`, as SPAIC's code, which
 * starts from the punishment and changes it only on a spike). Averaged over the batch into `[]`
 * (or `[B]` with `perSample`).
 *
 * @throws UnknownOptionError for an option name it does not know; ValueError for a bad option value.
 */
export class XorReward implements Reward {
  readonly name = 'xor_reward';
  readonly rewardSignal: number;
  readonly punishSignal: number;
  readonly silentSignal: number;
  readonly perSample: boolean;

  constructor(options?: XorRewardOptions) {
    const fn = 'XorReward';
    const o = checkOptionTable(fn, options, XOR_REWARD_OPTIONS);
    this.rewardSignal = checkFiniteOption(fn, 'rewardSignal', o.rewardSignal, 1);
    this.punishSignal = checkFiniteOption(fn, 'punishSignal', o.punishSignal, -1);
    this.silentSignal = checkFiniteOption(fn, 'silentSignal', o.silentSignal, this.punishSignal);
    this.perSample = checkBoolean(fn, 'perSample', o.perSample) ?? false;
  }

  /**
   * @param record - Output spikes `[T, B, N]` (all N neurons are the one output population).
   * @param target - The expected output of each sample, 0 or 1 (`[B]`, or a number for a batch of 1).
   * @returns `[]` (the batch mean), or `[B]` with `perSample`.
   * @throws ShapeError, DTypeError or ValueError for a bad record or target (nothing is made).
   */
  compute(record: Tensor, target?: Target): Tensor {
    const fn = 'XorReward.compute';
    const { B, N } = checkRecord(fn, record);
    const expected = readLabels(fn, target, B, 2, '0 or 1');
    const counts = readCounts(record);
    const r = expected.map((e, b) => {
      let spikes = 0;
      for (let n = 0; n < N; n++) spikes += counts[b * N + n] as number;
      if (spikes <= 0) return this.silentSignal;
      return e === 1 ? this.rewardSignal : this.punishSignal;
    });
    return this.perSample ? tf.tensor1d(r, 'float32') : tf.scalar(r.reduce((a, v) => a + v, 0) / B, 'float32');
  }
}

/** A reward from an environment: given the record and the target, the reward (a number or a tensor it gives up). */
export type EnvironmentRewardFn = (record: Tensor, target: Target | undefined) => number | readonly number[] | Tensor;

/** Options of {@link EnvironmentReward} (`'environment_reward'`). */
export interface EnvironmentRewardOptions {
  /** A callback that returns the environment's reward; without it, `target` is the reward (SPAIC's pass-through). */
  readonly fn?: EnvironmentRewardFn;
}

/** The options of {@link EnvironmentReward}, by kind. */
export const ENVIRONMENT_REWARD_OPTIONS: OptionTable<EnvironmentRewardOptions> = { fn: 'value' };

/**
 * SPAIC's `Environment_Reward` (`'environment_reward'`): the reward comes from outside the
 * network. Without `fn` it is `target` itself as a float32 tensor (SPAIC passes the
 * environment's reward in as the target); with `fn` it is what the callback returns for
 * `(record, target)` — a number, an array, or a tensor whose ownership passes to the node.
 *
 * @throws UnknownOptionError for an option name it does not know; ValueError when `fn` is not a function.
 * @example
 * ```ts
 * const env = createReward('environment_reward', { fn: () => game.lastReward });
 * net.run({ inputs, time: 20, reward: env.compute(outSpikes) });
 * ```
 */
export class EnvironmentReward implements Reward {
  readonly name = 'environment_reward';
  private readonly fn: EnvironmentRewardFn | undefined;

  constructor(options?: EnvironmentRewardOptions) {
    const o = checkOptionTable('EnvironmentReward', options, ENVIRONMENT_REWARD_OPTIONS);
    if (o.fn !== undefined && typeof o.fn !== 'function') {
      throw new ValueError('EnvironmentReward', 'fn', 'a function (record, target) => reward', o.fn);
    }
    this.fn = o.fn;
  }

  /**
   * @param record - Output activity `[T, B, N]` (given to `fn`; unused without it).
   * @param target - The environment's reward (a number, an array or a tensor), needed without `fn`.
   * @returns The reward as float32, in the shape it came in (a number gives `[]`).
   * @throws ValueError when the reward is missing or not finite (nothing is kept); what `fn` throws.
   */
  compute(record: Tensor, target?: Target): Tensor {
    const fn = 'EnvironmentReward.compute';
    checkRecord(fn, record);
    if (this.fn === undefined) {
      if (target === undefined) throw new ValueError(fn, 'target', "the environment's reward (or give 'fn')", target);
      return asReward(fn, 'target', target, false);
    }
    return asReward(fn, 'fn()', this.fn(record, target), true);
  }
}

/** A finite reward as a new float32 tensor; `owned` tensors are disposed (also when refused). */
function asReward(fn: string, arg: string, value: unknown, owned: boolean): Tensor {
  if (typeof value === 'number' || Array.isArray(value)) {
    const values = typeof value === 'number' ? [value] : (value as unknown[]);
    const bad = values.find((v) => !(typeof v === 'number' && Number.isFinite(v)));
    if (bad !== undefined || values.length === 0) {
      throw new ValueError(fn, arg, 'a finite number, or a non-empty array of finite numbers', value);
    }
    return typeof value === 'number' ? tf.scalar(value, 'float32') : tf.tensor1d(values as number[], 'float32');
  }
  const t = value as Tensor | null;
  if (t === null || typeof t !== 'object' || !('dataId' in t) || t.isDisposed) {
    throw new ValueError(fn, arg, 'a number, an array of numbers or a tensor', value);
  }
  const data = t.dtype === 'string' || t.dtype === 'complex64' ? [Number.NaN] : (t.dataSync() as ArrayLike<number>);
  if (!Array.prototype.every.call(data, (v: number) => Number.isFinite(v))) {
    if (owned) t.dispose();
    throw new ValueError(fn, arg, 'a tensor of finite numbers', t);
  }
  const out = tf.cast(t, 'float32');
  if (owned) t.dispose();
  return out;
}

/** Options of {@link ClassifyReward} (`'classify_reward'`). */
export interface ClassifyRewardOptions {
  /** Decay of the running output trace per call (SPAIC's fixed `beta`), in [0, 1). Default 0.99. */
  readonly beta?: number;
}

/** The options of {@link ClassifyReward}, by kind. */
export const CLASSIFY_REWARD_OPTIONS: OptionTable<ClassifyRewardOptions> = { beta: 'value' };

/**
 * SPAIC's `Classifiy_Reward` (`'classify_reward'`), a per-neuron reward for classification with
 * one neuron per class: a running trace of the mean output over the record,
 * `out ← β·out + mean_T(record)` (`[B, N]`, kept between calls), is standardised over all its
 * elements, `z = (out − mean(out)) / (std(out) + 0.1)` (std with n − 1), and
 * `p = softmax(z)` over the neurons; the target neuron gets `1 − p`, every other neuron `−p`.
 * `reset()` clears the trace; a batch size other than the trace's starts a new one.
 *
 * @throws UnknownOptionError for an option name it does not know; ValueError for a bad `beta`.
 */
export class ClassifyReward implements Reward {
  readonly name = 'classify_reward';
  readonly beta: number;
  private out: Tensor | null = null;

  constructor(options?: ClassifyRewardOptions) {
    const o = checkOptionTable('ClassifyReward', options, CLASSIFY_REWARD_OPTIONS);
    const beta = o.beta ?? 0.99;
    if (!(typeof beta === 'number' && beta >= 0 && beta < 1)) {
      throw new ValueError('ClassifyReward', 'beta', 'a number in [0, 1)', beta);
    }
    this.beta = beta;
  }

  /**
   * @param record - Output activity `[T, B, N]`, one neuron per class, B·N ≥ 2.
   * @param target - The class of each sample (`[B]`, or a number for a batch of 1), in [0, N).
   * @returns `[B, N]`.
   * @throws ShapeError, DTypeError or ValueError for a bad record or target (the trace is unchanged).
   */
  compute(record: Tensor, target?: Target): Tensor {
    const fn = 'ClassifyReward.compute';
    const { B, N } = checkRecord(fn, record);
    if (B * N < 2) throw new ShapeError(fn, 'record', 'B·N >= 2 (a standard deviation)', record.shape);
    const labels = readLabels(fn, target, B, N);
    const sameBatch = this.out !== null && this.out.shape[0] === B && this.out.shape[1] === N;
    if (!sameBatch) this.reset();
    const prev = this.out;
    const { out, reward } = tf.tidy(() => {
      const mean = tf.mean(tf.cast(record, 'float32'), 0);
      const next = prev === null ? mean : tf.add(tf.mul(prev, this.beta), mean);
      const mu = tf.mean(next);
      const std = tf.sqrt(tf.div(tf.sum(tf.square(tf.sub(next, mu))), B * N - 1));
      const p = tf.softmax(tf.div(tf.sub(next, mu), tf.add(std, 0.1)), 1);
      const mask = tf.cast(tf.oneHot(tf.tensor1d(labels, 'int32'), N), 'float32');
      return { out: next, reward: tf.sub(tf.mul(tf.sub(1, p), mask), tf.mul(p, tf.sub(1, mask))) };
    });
    prev?.dispose();
    this.out = out;
    return reward;
  }

  /** Clears the running trace. */
  reset(): void {
    this.out?.dispose();
    this.out = null;
  }

  /** Frees the trace. */
  dispose(): void {
    this.reset();
  }
}

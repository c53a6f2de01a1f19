import { checkInteger, checkOptions, createRng, type Rng, ShapeError, ValueError } from '@snn/core';
import type { Tensor } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';
import { keysOf } from './options.js';

/** Spike counts `[B, N]` from spikes `[T, B, N]` (summed over T) or counts `[B, N]` as given. */
function countsOf(fn: string, spikes: Tensor): Tensor {
  if (spikes.rank === 3) return tf.sum(spikes, 0);
  if (spikes.rank === 2) return tf.clone(spikes);
  throw new ShapeError(fn, 'spikes', 'rank 3 ([T, B, N]) or 2 (counts [B, N])', spikes.shape);
}

/** Spike counts per group of `N / groups` consecutive neurons: `[B, groups]`. */
export function groupCounts(spikes: Tensor, groups: number, fn = 'groupCounts'): Tensor {
  checkInteger(fn, 'groups', groups, 1);
  const n = spikes.shape[spikes.rank - 1] as number;
  if (n % groups !== 0) throw new ShapeError(fn, 'spikes', `a last axis divisible by ${groups} groups`, spikes.shape);
  return tf.tidy(() => {
    const c = countsOf(fn, spikes);
    return tf.sum(tf.reshape(c, [c.shape[0] as number, groups, n / groups]), 2);
  });
}

/** A user reward: from the group counts `[B, classes]` and the targets `[B]` to one reward per sample `[B]`. */
export type RewardFn = (groupCounts: Tensor, targets: Tensor) => Tensor;

/** Options of {@link RewardNode}. */
export interface RewardNodeOptions {
  /** Number of classes; the output population is split into this many equal groups. */
  readonly classes: number;
  /** A user reward instead of ±1. */
  readonly fn?: RewardFn;
}

/** The keys of {@link RewardNodeOptions}. */
export const REWARD_NODE_OPTION_KEYS = keysOf<RewardNodeOptions>()(['classes', 'fn']);

/**
 * A global reward from a target (SPAIC's reward node): the output population is split into
 * `classes` equal groups of consecutive neurons; the reward of a sample is +1 when the group of
 * its target class fired strictly more than every other group, −1 otherwise (a tie or silence
 * is −1), or what a user `fn` returns.
 *
 * @throws UnknownOptionError for an option name it does not know; ValueError when `classes` is
 *   not an integer ≥ 1 or `fn` not a function.
 * @example
 * ```ts
 * const rewarder = new RewardNode({ classes: 2 });
 * const r = rewarder.compute(outSpikes, tf.tensor1d([1], 'int32')); // [1]: +1 or −1
 * net.run({ inputs, time: 20, reward: r });
 * ```
 */
export class RewardNode {
  readonly classes: number;
  private readonly fn: RewardFn | null;

  constructor(options: RewardNodeOptions) {
    const o = checkOptions('RewardNode', options, REWARD_NODE_OPTION_KEYS);
    this.classes = checkInteger('RewardNode', 'classes', o.classes, 1);
    if (options.fn !== undefined && typeof options.fn !== 'function') {
      throw new ValueError('RewardNode', 'fn', 'a function (groupCounts, targets) => reward [B]', options.fn);
    }
    this.fn = options.fn ?? null;
  }

  /**
   * The reward per sample, `[B]` float32 (the caller owns it).
   * @param spikes - Output spikes `[T, B, N]` or counts `[B, N]`, N divisible by `classes`.
   * @param targets - Target class per sample `[B]` (int32 or whole floats).
   * @throws ShapeError when the shapes do not fit.
   */
  compute(spikes: Tensor, targets: Tensor): Tensor {
    const fn = 'RewardNode.compute';
    const b = spikes.shape[spikes.rank - 2];
    if (targets.rank !== 1 || targets.shape[0] !== b)
      throw new ShapeError(fn, 'targets', `shape [${b}]`, targets.shape);
    return tf.tidy(() => {
      const g = groupCounts(spikes, this.classes, fn);
      if (this.fn !== null) return this.fn(g, targets);
      const t = tf.cast(targets, 'int32');
      const own = tf.sum(tf.mul(g, tf.oneHot(t, this.classes)), 1);
      const others = tf.max(tf.sub(g, tf.mul(tf.oneHot(t, this.classes), 1e9)), 1);
      return tf.sub(tf.mul(tf.cast(tf.greater(own, others), 'float32'), 2), 1);
    });
  }
}

/** How {@link selectAction} turns output spikes into an action. */
export type ActionMode = 'rate' | 'firstSpike' | 'softmax';

/** Options of {@link selectAction}. */
export interface SelectActionOptions {
  /** Number of actions; the output population is split into this many equal groups. */
  readonly actions: number;
  /** `'rate'` (default): the group that fired most (ties: the lowest index); `'firstSpike'`: the group with the earliest spike (needs `[T, B, N]`; silent: the lowest index); `'softmax'`: sampled with probabilities `softmax(counts / temperature)`. */
  readonly mode?: ActionMode;
  /** Softmax temperature, > 0. Default 1. */
  readonly temperature?: number;
  /** Random source for `'softmax'`: a seed or an `Rng` (advanced by each call). Default seed 0. */
  readonly seed?: number | Rng;
}

/** The keys of {@link SelectActionOptions}. */
export const SELECT_ACTION_OPTION_KEYS = keysOf<SelectActionOptions>()(['actions', 'mode', 'temperature', 'seed']);

/**
 * An action per sample from output spikes (SPAIC's action decoding): the highest group rate,
 * the first group to spike, or a softmax sample with a seed. Returns int32 `[B]` (the caller owns it).
 *
 * @param spikes - `[T, B, N]` spikes (or `[B, N]` counts, except for `'firstSpike'`).
 * @throws UnknownOptionError for an option name it does not know; ValueError for an unknown mode
 *   or bad option value; ShapeError when N is not divisible by `actions`.
 * @example
 * ```ts
 * const action = selectAction(outSpikes, { actions: 2, mode: 'softmax', seed: 7 });
 * ```
 */
export function selectAction(spikes: Tensor, options: SelectActionOptions): Tensor {
  const fn = 'selectAction';
  const o = checkOptions(fn, options, SELECT_ACTION_OPTION_KEYS);
  const actions = checkInteger(fn, 'actions', o.actions, 1);
  const mode = o.mode ?? 'rate';
  if (!['rate', 'firstSpike', 'softmax'].includes(mode)) {
    throw new ValueError(fn, 'mode', "one of 'rate', 'firstSpike', 'softmax'", mode);
  }
  const temperature = o.temperature ?? 1;
  if (!(typeof temperature === 'number' && temperature > 0 && Number.isFinite(temperature))) {
    throw new ValueError(fn, 'temperature', 'a finite number > 0', temperature);
  }
  const seed = o.seed;
  if (
    seed !== undefined &&
    !Number.isSafeInteger(seed) &&
    (seed === null || typeof seed !== 'object' || typeof seed.nextFloat !== 'function')
  ) {
    throw new ValueError(fn, 'seed', "a safe integer or an Rng of @snn/core's createRng", seed);
  }
  if (mode === 'firstSpike') {
    if (spikes.rank !== 3) throw new ShapeError(fn, 'spikes', 'rank 3 ([T, B, N]) for firstSpike', spikes.shape);
    const [T, , n] = spikes.shape as [number, number, number];
    if (n % actions !== 0)
      throw new ShapeError(fn, 'spikes', `a last axis divisible by ${actions} groups`, spikes.shape);
    return tf.tidy(() => {
      const g = tf.max(tf.reshape(spikes, [T, -1, actions, n / actions]), 3); // [T, B, A]: any spike in the group
      // Score T − t at the first spike step, 0 when silent: the arg-max is the earliest group.
      const steps = tf.reshape(tf.range(T, 0, -1, 'float32'), [T, 1, 1]);
      return tf.argMax(tf.max(tf.mul(g, steps), 0), 1);
    });
  }
  const g = groupCounts(spikes, actions, fn);
  if (mode === 'rate') {
    const a = tf.argMax(g, 1);
    g.dispose();
    return a;
  }
  const rng = seed === undefined || typeof seed === 'number' ? createRng(seed ?? 0) : seed;
  const p = tf.tidy(() => tf.softmax(tf.div(g, temperature)));
  const probs = p.arraySync() as number[][];
  tf.dispose([g, p]);
  const picks = probs.map((row) => {
    const u = rng.nextFloat();
    let acc = 0;
    for (let a = 0; a < row.length; a++) {
      acc += row[a] as number;
      if (u < acc) return a;
    }
    return row.length - 1;
  });
  return tf.tensor1d(picks, 'int32');
}

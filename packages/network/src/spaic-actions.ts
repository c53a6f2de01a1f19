// SPAIC's action nodes (spaic/Neuron/Actions.py): an action per sample from a record [T, B, N].
import { checkOptionTable, type OptionTable, type Rng, ShapeError, ValueError } from '@snn/core';
import type { Tensor } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';
import {
  checkCount,
  checkRecord,
  firstArgMax,
  groupSums,
  type RandomOptions,
  type RecordSize,
  readCounts,
  resolveRng,
} from './spaic-common.js';

/**
 * An action decoded from a record of output activity (SPAIC's `Action` node). Make one by name
 * with `createAction` or register your own with `actions.register`.
 */
export interface Action {
  /** The registered name (`'pop_rate_action'`, ...). */
  readonly name: string;
  /**
   * The action of each sample, int32 `[B]`, a new tensor the caller owns.
   * @param record - Output activity `[T, B, N]` (spikes, or voltages for `'highest_voltage_action'`).
   */
  select(record: Tensor): Tensor;
  /** Clears any state kept between calls. */
  reset?(): void;
}

/** Options of the actions with one neuron per action. */
export interface NeuronActionOptions {
  /** Number of actions (SPAIC's `num`); when given, the record must have exactly this many neurons. */
  readonly actions?: number;
}

/** Checks that N is the number of actions, when one was given. */
function checkOnePerAction(fn: string, record: Tensor, size: RecordSize, actions: number | undefined): void {
  if (actions !== undefined && size.N !== actions) {
    throw new ShapeError(fn, 'record', `N = ${actions} neurons (one per action)`, record.shape);
  }
}

/** Draws an index with probability proportional to `weights` (all ≥ 0, sum > 0) from one uniform draw. */
function drawProportional(weights: readonly number[], u: number): number {
  const total = weights.reduce((a, w) => a + w, 0);
  let acc = 0;
  let last = 0;
  for (let i = 0; i < weights.length; i++) {
    const w = weights[i] as number;
    if (w <= 0) continue;
    last = i;
    acc += w;
    if (u * total < acc) return i;
  }
  return last; // rounding at u·total ≈ total: the last index with a weight
}

/** Options of {@link PopulationRateAction} (`'pop_rate_action'`). */
export interface PopulationRateActionOptions extends RandomOptions {
  /** Number of actions (SPAIC's `num`); the output splits into this many equal groups. */
  readonly actions: number;
}

/** The options of {@link PopulationRateAction}, by kind. */
export const POPULATION_RATE_ACTION_OPTIONS: OptionTable<PopulationRateActionOptions> = {
  actions: 'value',
  seed: 'value',
  rng: 'value',
};

/**
 * SPAIC's `PopulationRate_Action` (`'pop_rate_action'`): the output is split into `actions`
 * groups of consecutive neurons; the action is drawn with probability proportional to each
 * group's spike count over the record (a silent group is never drawn), or uniformly when the
 * sample is silent. Seeded: one draw per sample from the node's stream.
 *
 * @throws UnknownOptionError for an option name it does not know; ValueError for a bad value.
 * @example
 * ```ts
 * const act = createAction('pop_rate_action', { actions: 2, seed: 7 });
 * const a = act.select(outSpikes); // int32 [B]
 * ```
 */
export class PopulationRateAction implements Action {
  readonly name = 'pop_rate_action';
  readonly actions: number;
  private readonly rng: Rng;

  constructor(options: PopulationRateActionOptions) {
    const fn = 'PopulationRateAction';
    const o = checkOptionTable(fn, options, POPULATION_RATE_ACTION_OPTIONS);
    const actions = checkCount(fn, 'actions', o.actions);
    if (actions === undefined) throw new ValueError(fn, 'actions', 'an integer >= 1', actions);
    this.actions = actions;
    this.rng = resolveRng(fn, o);
  }

  /**
   * @param record - Output spikes `[T, B, N]`, N divisible by `actions`.
   * @throws ShapeError or DTypeError for a bad record (no draw is made).
   */
  select(record: Tensor): Tensor {
    const fn = 'PopulationRateAction.select';
    const { B, N } = checkRecord(fn, record);
    if (N % this.actions !== 0) {
      throw new ShapeError(fn, 'record', `N divisible by ${this.actions} actions`, record.shape);
    }
    const groups = groupSums(readCounts(record), B, N, N / this.actions);
    const picks = groups.map((g) =>
      g.every((c) => c <= 0) ? this.rng.nextInt(this.actions) : drawProportional(g, this.rng.nextFloat()),
    );
    return tf.tensor1d(picks, 'int32');
  }
}

/** Options of {@link SoftmaxAction} (`'softmax_action'`). */
export interface SoftmaxActionOptions extends NeuronActionOptions, RandomOptions {}

/** The options of {@link SoftmaxAction}, by kind. */
export const SOFTMAX_ACTION_OPTIONS: OptionTable<SoftmaxActionOptions> = {
  actions: 'value',
  seed: 'value',
  rng: 'value',
};

/**
 * SPAIC's `Softmax_Action` (`'softmax_action'`), one neuron per action: the action is drawn with
 * probabilities `softmax(counts)` over each sample's neurons, `counts` its spikes summed over the
 * record. Seeded: one draw per sample from the node's stream.
 *
 * @throws UnknownOptionError for an option name it does not know; ValueError for a bad value.
 */
export class SoftmaxAction implements Action {
  readonly name = 'softmax_action';
  readonly actions: number | undefined;
  private readonly rng: Rng;

  constructor(options?: SoftmaxActionOptions) {
    const fn = 'SoftmaxAction';
    const o = checkOptionTable(fn, options, SOFTMAX_ACTION_OPTIONS);
    this.actions = checkCount(fn, 'actions', o.actions);
    this.rng = resolveRng(fn, o);
  }

  /**
   * @param record - Output spikes `[T, B, N]`, N = `actions` when given.
   * @throws ShapeError or DTypeError for a bad record (no draw is made).
   */
  select(record: Tensor): Tensor {
    const fn = 'SoftmaxAction.select';
    const size = checkRecord(fn, record);
    checkOnePerAction(fn, record, size, this.actions);
    const { B, N } = size;
    const counts = readCounts(record);
    const picks = Array.from({ length: B }, (_, b) => {
      const row = Array.from(counts.subarray(b * N, (b + 1) * N));
      const max = Math.max(...row);
      return drawProportional(
        row.map((c) => Math.exp(c - max)),
        this.rng.nextFloat(),
      );
    });
    return tf.tensor1d(picks, 'int32');
  }
}

/** Options of {@link HighestSpikesAction} (`'highest_spikes_action'`). */
export type HighestSpikesActionOptions = NeuronActionOptions;

/** The options of {@link HighestSpikesAction}, by kind. */
export const HIGHEST_SPIKES_ACTION_OPTIONS: OptionTable<HighestSpikesActionOptions> = { actions: 'value' };

/**
 * SPAIC's `Highest_Spikes_Action` (`'highest_spikes_action'`), one neuron per action: the neuron
 * with the most spikes over the record; a tie goes to the lowest index, and a silent sample
 * gives action 0 (what SPAIC's code does; its docstring's "select randomly" is not).
 *
 * @throws UnknownOptionError for an option name it does not know; ValueError for a bad value.
 */
export class HighestSpikesAction implements Action {
  readonly name = 'highest_spikes_action';
  readonly actions: number | undefined;

  constructor(options?: HighestSpikesActionOptions) {
    const o = checkOptionTable('HighestSpikesAction', options, HIGHEST_SPIKES_ACTION_OPTIONS);
    this.actions = checkCount('HighestSpikesAction', 'actions', o.actions);
  }

  /**
   * @param record - Output spikes `[T, B, N]`, N = `actions` when given.
   * @throws ShapeError or DTypeError for a bad record.
   */
  select(record: Tensor): Tensor {
    const fn = 'HighestSpikesAction.select';
    const size = checkRecord(fn, record);
    checkOnePerAction(fn, record, size, this.actions);
    const counts = readCounts(record);
    return tf.tensor1d(
      Array.from({ length: size.B }, (_, b) => firstArgMax(counts, b * size.N, size.N)),
      'int32',
    );
  }
}

/** Options of {@link HighestVoltageAction} (`'highest_voltage_action'`). */
export interface HighestVoltageActionOptions extends NeuronActionOptions, RandomOptions {
  /** Exploration probability at the first call (SPAIC's `EPS_START`), in [0, 1]. Default 0.9. */
  readonly epsStart?: number;
  /** Exploration probability it decays to (SPAIC's `EPS_END`), in [0, 1]. Default 0.05. */
  readonly epsEnd?: number;
  /** Decay constant of the exploration, in calls (SPAIC's `EPS_DECAY`), > 0. Default 200. */
  readonly epsDecay?: number;
}

/** The options of {@link HighestVoltageAction}, by kind. */
export const HIGHEST_VOLTAGE_ACTION_OPTIONS: OptionTable<HighestVoltageActionOptions> = {
  actions: 'value',
  epsStart: 'value',
  epsEnd: 'value',
  epsDecay: 'value',
  seed: 'value',
  rng: 'value',
};

/** Checks a probability option. */
function checkProbability(fn: string, arg: string, value: unknown, fallback: number): number {
  if (value === undefined) return fallback;
  if (!(typeof value === 'number' && value >= 0 && value <= 1))
    throw new ValueError(fn, arg, 'a number in [0, 1]', value);
  return value;
}

/**
 * SPAIC's `Highest_Voltage_Action` (`'highest_voltage_action'`), ε-greedy on voltages, one neuron
 * per action: at call k (from 0), `ε = epsEnd + (epsStart − epsEnd)·exp(−k / epsDecay)`; each
 * sample draws u ∈ [0, 1) and takes, when u > ε, the neuron with the highest voltage at the
 * record's last step (ties: the lowest index), otherwise a uniform random action. Each call
 * advances k by one; `reset()` sets it back to 0. Seeded.
 *
 * @throws UnknownOptionError for an option name it does not know; ValueError for a bad value.
 * @example
 * ```ts
 * const act = createAction('highest_voltage_action', { seed: 1 });
 * const a = act.select(voltages); // voltages [T, B, N] from a monitor of 'v'
 * ```
 */
export class HighestVoltageAction implements Action {
  readonly name = 'highest_voltage_action';
  readonly actions: number | undefined;
  readonly epsStart: number;
  readonly epsEnd: number;
  readonly epsDecay: number;
  private readonly rng: Rng;
  private calls = 0;

  constructor(options?: HighestVoltageActionOptions) {
    const fn = 'HighestVoltageAction';
    const o = checkOptionTable(fn, options, HIGHEST_VOLTAGE_ACTION_OPTIONS);
    this.actions = checkCount(fn, 'actions', o.actions);
    this.epsStart = checkProbability(fn, 'epsStart', o.epsStart, 0.9);
    this.epsEnd = checkProbability(fn, 'epsEnd', o.epsEnd, 0.05);
    const decay = o.epsDecay ?? 200;
    if (!(typeof decay === 'number' && Number.isFinite(decay) && decay > 0)) {
      throw new ValueError(fn, 'epsDecay', 'a finite number > 0', decay);
    }
    this.epsDecay = decay;
    this.rng = resolveRng(fn, o);
  }

  /** The calls made since construction or `reset()` (SPAIC's `steps_done`). */
  get steps(): number {
    return this.calls;
  }

  /** The exploration probability of the next call. */
  get epsilon(): number {
    return this.epsEnd + (this.epsStart - this.epsEnd) * Math.exp(-this.calls / this.epsDecay);
  }

  /**
   * @param record - Voltages `[T, B, N]` (only the last step is read), N = `actions` when given.
   * @throws ShapeError or DTypeError for a bad record (no draw is made, the step count is unchanged).
   */
  select(record: Tensor): Tensor {
    const fn = 'HighestVoltageAction.select';
    const size = checkRecord(fn, record);
    checkOnePerAction(fn, record, size, this.actions);
    const { T, B, N } = size;
    const last = tf.tidy(() => tf.reshape(tf.slice(tf.cast(record, 'float32'), [T - 1, 0, 0], [1, B, N]), [B * N]));
    const v = last.dataSync() as Float32Array;
    last.dispose();
    const eps = this.epsilon;
    const picks = Array.from({ length: B }, (_, b) =>
      this.rng.nextFloat() > eps ? firstArgMax(v, b * N, N) : this.rng.nextInt(N),
    );
    this.calls += 1;
    return tf.tensor1d(picks, 'int32');
  }

  /** Sets the step count (and so ε) back to the start. */
  reset(): void {
    this.calls = 0;
  }
}

/** Options of {@link FirstSpikeAction} (`'first_spike_action'`). */
export type FirstSpikeActionOptions = NeuronActionOptions;

/** The options of {@link FirstSpikeAction}, by kind. */
export const FIRST_SPIKE_ACTION_OPTIONS: OptionTable<FirstSpikeActionOptions> = { actions: 'value' };

/**
 * SPAIC's `First_Spike_Action` (`'first_spike_action'`), one neuron per action: the neuron that
 * spiked first in the record (simultaneous first spikes: the lowest index); a silent sample
 * gives action 0.
 *
 * @throws UnknownOptionError for an option name it does not know; ValueError for a bad value.
 */
export class FirstSpikeAction implements Action {
  readonly name = 'first_spike_action';
  readonly actions: number | undefined;

  constructor(options?: FirstSpikeActionOptions) {
    const o = checkOptionTable('FirstSpikeAction', options, FIRST_SPIKE_ACTION_OPTIONS);
    this.actions = checkCount('FirstSpikeAction', 'actions', o.actions);
  }

  /**
   * @param record - Output spikes `[T, B, N]` (nonzero: a spike), N = `actions` when given.
   * @throws ShapeError or DTypeError for a bad record.
   */
  select(record: Tensor): Tensor {
    const fn = 'FirstSpikeAction.select';
    const size = checkRecord(fn, record);
    checkOnePerAction(fn, record, size, this.actions);
    const { T, B, N } = size;
    const r = tf.tidy(() => tf.cast(record, 'float32'));
    const s = r.dataSync() as Float32Array;
    r.dispose();
    const picks = Array.from({ length: B }, (_, b) => {
      for (let t = 0; t < T; t++) {
        for (let n = 0; n < N; n++) if ((s[(t * B + b) * N + n] as number) !== 0) return n;
      }
      return 0;
    });
    return tf.tensor1d(picks, 'int32');
  }
}

/** Options of {@link RandomAction} (`'random_action'`). */
export interface RandomActionOptions extends NeuronActionOptions, RandomOptions {}

/** The options of {@link RandomAction}, by kind. */
export const RANDOM_ACTION_OPTIONS: OptionTable<RandomActionOptions> = {
  actions: 'value',
  seed: 'value',
  rng: 'value',
};

/**
 * SPAIC's `Random_Action` (`'random_action'`): a uniform random action in `[0, actions)` per
 * sample, whatever the record says (`actions` defaults to the record's N). Seeded.
 *
 * @throws UnknownOptionError for an option name it does not know; ValueError for a bad value.
 */
export class RandomAction implements Action {
  readonly name = 'random_action';
  readonly actions: number | undefined;
  private readonly rng: Rng;

  constructor(options?: RandomActionOptions) {
    const fn = 'RandomAction';
    const o = checkOptionTable(fn, options, RANDOM_ACTION_OPTIONS);
    this.actions = checkCount(fn, 'actions', o.actions);
    this.rng = resolveRng(fn, o);
  }

  /**
   * @param record - Output activity `[T, B, N]` (only its batch size B, and N when `actions` is not given, are read).
   * @throws ShapeError or DTypeError for a bad record (no draw is made).
   */
  select(record: Tensor): Tensor {
    const { B, N } = checkRecord('RandomAction.select', record);
    const n = this.actions ?? N;
    return tf.tensor1d(
      Array.from({ length: B }, () => this.rng.nextInt(n)),
      'int32',
    );
  }
}

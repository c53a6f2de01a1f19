import { checkFinite, checkInteger, checkOptions, checkPositive, ValueError } from '@snn/core';
import type { Optimizer } from '@tensorflow/tfjs-core';
import { keysOf } from './options.js';

/** A learning rate per optimizer step: `schedule(step)` for step = 0, 1, 2, ... */
export type LearningRateSchedule = (step: number) => number;

/** Options of {@link cosineAnnealing}. */
export interface CosineAnnealingOptions {
  /** Learning rate at step 0, a finite number > 0. */
  readonly lrMax: number;
  /** Learning rate from step `totalSteps` on, in [0, lrMax]. Default 0. */
  readonly lrMin?: number;
  /** Number of steps of the half cosine, an integer ≥ 1. */
  readonly totalSteps: number;
}

/** The keys of {@link CosineAnnealingOptions}. */
export const COSINE_ANNEALING_OPTION_KEYS = keysOf<CosineAnnealingOptions>()(['lrMax', 'lrMin', 'totalSteps']);

/**
 * Cosine annealing (Loshchilov & Hutter's SGDR without restarts; PyTorch's `CosineAnnealingLR`
 * with `T_max = totalSteps`, in closed form):
 *
 * `lr(t) = lrMin + (lrMax − lrMin) · (1 + cos(π · t / totalSteps)) / 2` for `0 ≤ t ≤ totalSteps`,
 * and `lrMin` after that (PyTorch's closed form would rise again; here it stays at the floor).
 *
 * So `lr(0) = lrMax`, `lr(totalSteps / 2) = (lrMax + lrMin) / 2`, `lr(totalSteps) = lrMin`.
 * Apply it with {@link setLearningRate} (or `trainStep({ learningRate })`) before each step.
 *
 * @returns A function of the step (a finite number ≥ 0; fractions are allowed, e.g. epochs).
 * @throws UnknownOptionError for an option name it does not know; ValueError when `lrMax` is not
 *   a finite number > 0, `lrMin` is not in [0, lrMax],
 *   `totalSteps` is not an integer ≥ 1, or (from the schedule) the step is negative or not finite.
 * @example
 * ```ts
 * const schedule = cosineAnnealing({ lrMax: 1e-3, totalSteps: epochs * batchesPerEpoch });
 * for (let step = 0; step < total; step++) trainStep({ ..., learningRate: schedule(step) });
 * ```
 */
export function cosineAnnealing(options: CosineAnnealingOptions): LearningRateSchedule {
  const fn = 'cosineAnnealing';
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw new ValueError(fn, 'options', '{ lrMax, lrMin?, totalSteps }', options);
  }
  checkOptions(fn, options, COSINE_ANNEALING_OPTION_KEYS);
  const lrMax = checkPositive(fn, 'lrMax', options.lrMax);
  const lrMin = checkFinite(fn, 'lrMin', options.lrMin ?? 0);
  if (lrMin < 0 || lrMin > lrMax) throw new ValueError(fn, 'lrMin', `a number in [0, lrMax = ${lrMax}]`, lrMin);
  const totalSteps = checkInteger(fn, 'totalSteps', options.totalSteps, 1);
  return (step: number): number => {
    if (!(typeof step === 'number' && Number.isFinite(step) && step >= 0)) {
      throw new ValueError(`${fn} schedule`, 'step', 'a finite number ≥ 0', step);
    }
    if (step >= totalSteps) return lrMin;
    return lrMin + ((lrMax - lrMin) * (1 + Math.cos((Math.PI * step) / totalSteps))) / 2;
  };
}

/** The fields through which tfjs-core's optimizers read their learning rate. */
interface LearningRateHolder {
  learningRate?: unknown;
  setLearningRate?: (lr: number) => void;
}

/**
 * Sets the learning rate of a tfjs-core optimizer for the following steps.
 *
 * tfjs-core's optimizers read their rate at every `applyGradients`: `SGDOptimizer` and
 * `MomentumOptimizer` through `setLearningRate(lr)` (they cache `−lr` as a tensor, which that
 * method replaces), `AdamOptimizer`, `AdamaxOptimizer`, `AdagradOptimizer`, `AdadeltaOptimizer`
 * and `RMSPropOptimizer` from their `learningRate` field, which is assigned here (it is declared
 * protected in tfjs's types but is a plain field). The optimizer's state (moments, iteration
 * count) is kept.
 *
 * @throws ValueError when `lr` is not a finite number ≥ 0, or `optimizer` has neither
 *   `setLearningRate` nor a numeric `learningRate` field.
 * @example
 * ```ts
 * const opt = tf.train.adam(1e-3);
 * setLearningRate(opt, schedule(step));
 * ```
 */
export function setLearningRate(optimizer: Optimizer, lr: number): void {
  const fn = 'setLearningRate';
  if (!(typeof lr === 'number' && Number.isFinite(lr) && lr >= 0)) {
    throw new ValueError(fn, 'lr', 'a finite number ≥ 0', lr);
  }
  const holder = optimizer as unknown as LearningRateHolder | null;
  if (holder !== null && typeof holder === 'object' && typeof holder.setLearningRate === 'function') {
    holder.setLearningRate(lr);
  } else if (holder !== null && typeof holder === 'object' && typeof holder.learningRate === 'number') {
    holder.learningRate = lr;
  } else {
    throw new ValueError(fn, 'optimizer', 'a tfjs-core optimizer with a learning rate (tf.train.*)', optimizer);
  }
}

/**
 * The learning rate a tfjs-core optimizer will use at its next step.
 * @throws ValueError when the optimizer has no numeric `learningRate` field.
 */
export function getLearningRate(optimizer: Optimizer): number {
  const holder = optimizer as unknown as LearningRateHolder | null;
  if (holder === null || typeof holder !== 'object' || typeof holder.learningRate !== 'number') {
    throw new ValueError('getLearningRate', 'optimizer', 'a tfjs-core optimizer (tf.train.*)', optimizer);
  }
  return holder.learningRate;
}

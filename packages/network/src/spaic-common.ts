// Shared checks and reads of SPAIC's reward and action nodes: a record [T, B, N], its labels, a random source.
import { checkTensor, createRng, DTypeError, type Rng, ShapeError, ValueError } from '@snn/core';
import type { Tensor } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';

/** A record's sizes: time steps, batch, neurons. */
export interface RecordSize {
  readonly T: number;
  readonly B: number;
  readonly N: number;
}

/**
 * Checks that `record` is SPAIC's record `[T, B, N]` of a numeric dtype with at least one step,
 * one sample and one neuron, and returns its sizes.
 */
export function checkRecord(fn: string, record: unknown, arg = 'record'): RecordSize {
  checkTensor(fn, arg, record);
  const r = record as Tensor;
  if (r.rank !== 3) throw new ShapeError(fn, arg, 'rank 3 ([T, B, N])', r.shape);
  if (!['float32', 'int32', 'bool'].includes(r.dtype)) throw new DTypeError(fn, arg, 'float32, int32 or bool', r.dtype);
  const [T, B, N] = r.shape as [number, number, number];
  if (T < 1 || B < 1 || N < 1) throw new ShapeError(fn, arg, 'at least 1 step, 1 sample and 1 neuron', r.shape);
  return { T, B, N };
}

/** Spike counts per sample and neuron, `[B, N]` row-major, summed over the record's T axis. */
export function readCounts(record: Tensor): Float32Array {
  const c = tf.tidy(() => tf.sum(tf.cast(record, 'float32'), 0));
  const data = c.dataSync() as Float32Array;
  c.dispose();
  return data;
}

/** Sums of `popSize` consecutive neurons per sample: `[B][N / popSize]`. */
export function groupSums(counts: Float32Array, B: number, N: number, popSize: number): number[][] {
  const P = N / popSize;
  return Array.from({ length: B }, (_, b) =>
    Array.from({ length: P }, (_, p) => {
      let s = 0;
      for (let k = 0; k < popSize; k++) s += counts[b * N + p * popSize + k] as number;
      return s;
    }),
  );
}

/** The index of the largest value; ties go to the lowest index (torch.argmax's first occurrence). */
export function firstArgMax(values: ArrayLike<number>, start = 0, length = values.length - start): number {
  let best = 0;
  for (let i = 1; i < length; i++) if ((values[start + i] as number) > (values[start + best] as number)) best = i;
  return best;
}

/** A target: a tensor `[B]`, an array of B numbers, or one number (a batch of one). */
export type Target = Tensor | number | readonly number[];

/** Reads `target` as B numbers. @throws ShapeError for a length other than B; ValueError for another type. */
export function readTarget(fn: string, target: unknown, B: number): number[] {
  let values: number[];
  if (typeof target === 'number') {
    if (B !== 1) throw new ShapeError(fn, 'target', `shape [${B}] (one number only for a batch of 1)`, []);
    values = [target];
  } else if (Array.isArray(target)) {
    if (target.length !== B) throw new ShapeError(fn, 'target', `shape [${B}]`, [target.length]);
    values = target as number[];
  } else if (target !== null && typeof target === 'object' && 'dataId' in target) {
    checkTensor(fn, 'target', target);
    const t = target as Tensor;
    const ok = (t.rank === 1 && t.shape[0] === B) || (t.rank === 0 && B === 1);
    if (!ok) throw new ShapeError(fn, 'target', `shape [${B}]`, t.shape);
    values = Array.from(t.dataSync() as ArrayLike<number>);
  } else {
    throw new ValueError(fn, 'target', `a tensor [${B}], an array of ${B} numbers or a number`, target);
  }
  return values;
}

/** Reads `target` as B class labels: whole numbers in [0, classes). */
export function readLabels(
  fn: string,
  target: unknown,
  B: number,
  classes: number,
  expected = `a class label, an integer in [0, ${classes})`,
): number[] {
  const labels = readTarget(fn, target, B);
  labels.forEach((v, i) => {
    if (!(typeof v === 'number' && Number.isInteger(v) && v >= 0 && v < classes)) {
      throw new ValueError(fn, `target[${i}]`, expected, v);
    }
  });
  return labels;
}

/** The random options every seeded node takes: a seed, or an `Rng` to share (one of the two). */
export interface RandomOptions {
  /** Seed of the node's own stream (`createRng(seed)`), made once and advanced by each call. Default 0. */
  readonly seed?: number;
  /** A stream of `@snn/core`'s `createRng` to draw from instead (shared, advanced by each call). */
  readonly rng?: Rng;
}

/** The node's random stream from `{ seed, rng }`. @throws ValueError for both, a bad seed or a non-Rng. */
export function resolveRng(fn: string, options: RandomOptions): Rng {
  const { seed, rng } = options;
  if (seed !== undefined && rng !== undefined) {
    throw new ValueError(fn, 'seed', "undefined when 'rng' is given (pass one of the two)", seed);
  }
  if (rng !== undefined) {
    if (rng === null || typeof rng !== 'object' || typeof (rng as Rng).nextFloat !== 'function') {
      throw new ValueError(fn, 'rng', "an Rng of @snn/core's createRng", rng);
    }
    return rng;
  }
  if (seed !== undefined && !Number.isSafeInteger(seed)) throw new ValueError(fn, 'seed', 'a safe integer', seed);
  return createRng(seed ?? 0);
}

/** Checks an optional number of actions / classes option: an integer ≥ 1. */
export function checkCount(fn: string, arg: string, value: unknown): number | undefined {
  if (value === undefined) return undefined;
  if (!(typeof value === 'number' && Number.isInteger(value) && value >= 1)) {
    throw new ValueError(fn, arg, 'an integer >= 1', value);
  }
  return value;
}

/** Checks an optional finite number option. */
export function checkFiniteOption(fn: string, arg: string, value: unknown, fallback: number): number {
  if (value === undefined) return fallback;
  if (!(typeof value === 'number' && Number.isFinite(value))) throw new ValueError(fn, arg, 'a finite number', value);
  return value;
}

/**
 * The contract every public entry point of snn keeps, checked on random calls: a call either
 * returns valid output, or throws a named error of snn (any package's: the `@snn/error` brand)
 * that names the function, and leaves the module's parameters, memories and
 * `tf.memory().numTensors` as they were.
 */
import { isSnnError, type Module } from '@snn/core';
import type { Tensor } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';
import fc from 'fast-check';
import { afterAll, expect } from 'vitest';

/** The seed of every property: a failure reproduces run after run (fast-check prints the path). */
export const SEED = 20261203;

/** Calls made by the suite in this process, by entry point, for the closing report. */
export const callCount = new Map<string, number>();
/** Of those, calls that ended in a named error. */
export const refusedCount = new Map<string, number>();

/** Prints, after the file's tests, how many calls the file made and how many were refused (one line, for the CI log). */
export function reportCalls(file: string): void {
  afterAll(() => {
    const calls = [...callCount.values()].reduce((a, b) => a + b, 0);
    const refused = [...refusedCount.values()].reduce((a, b) => a + b, 0);
    console.log(`reliability ${file}: ${calls} calls, ${refused} refused by name, over ${callCount.size} entry points`);
  });
}

/** Runs a property with the suite's seed. */
export function check<Ts extends [unknown, ...unknown[]]>(
  numRuns: number,
  ...args: [...{ [K in keyof Ts]: fc.Arbitrary<Ts[K]> }, (...values: Ts) => void]
): void {
  fc.assert(fc.property(...(args as unknown as Parameters<typeof fc.property>)), {
    seed: SEED,
    numRuns,
    endOnFailure: true,
  });
}

type Snapshot = Map<string, { shape: number[]; values: number[] }>;

function snapshot(module: Module | undefined): Snapshot {
  const out: Snapshot = new Map();
  if (module === undefined) return out;
  for (const [name, p] of module.namedParameters()) out.set(`param:${name}`, read(p));
  for (const [name, m] of module.namedMemories()) out.set(`memory:${name}`, read(m));
  return out;
}

function read(t: Tensor): { shape: number[]; values: number[] } {
  // NaN != NaN: compare through strings so a NaN memory that stays NaN counts as unchanged
  return { shape: t.shape.slice(), values: Array.from(t.dataSync(), (v) => (Number.isNaN(v) ? Number.NaN : v)) };
}

/**
 * Makes one call under the contract. `run` builds nothing the harness must free except its
 * result; `validate` checks a result (shape, dtype, finiteness). Returns whether it was refused.
 */
export function expectContract<T>(
  fn: string,
  run: () => T,
  validate: (result: T) => void,
  module?: Module,
): 'returned' | 'refused' {
  callCount.set(fn, (callCount.get(fn) ?? 0) + 1);
  const tensors = tf.memory().numTensors;
  const before = snapshot(module);
  let result: T;
  try {
    result = run();
  } catch (error) {
    if (!isSnnError(error)) {
      throw new Error(`${fn} threw an error that is not snn's: ${String(error)}\n${(error as Error)?.stack ?? ''}`);
    }
    expect((error as Error).message, 'the message names the function').toMatch(/^[\w.' ]+[:(]/);
    expect(tf.memory().numTensors, `${fn}: tensors after a refused call`).toBe(tensors);
    expect(snapshot(module), `${fn}: module state after a refused call`).toEqual(before);
    refusedCount.set(fn, (refusedCount.get(fn) ?? 0) + 1);
    return 'refused';
  }
  validate(result);
  tf.dispose(result as never);
  expect(tf.memory().numTensors, `${fn}: tensors after a call, its result disposed`).toBe(tensors);
  return 'returned';
}

/**
 * Constructs under the contract: a refused construction is a named error that allocates nothing.
 * Returns the object, or undefined when refused.
 */
export function expectConstruct<T>(fn: string, run: () => T): T | undefined {
  callCount.set(fn, (callCount.get(fn) ?? 0) + 1);
  const tensors = tf.memory().numTensors;
  try {
    return run();
  } catch (error) {
    if (!isSnnError(error)) {
      throw new Error(`${fn} threw an error that is not snn's: ${String(error)}\n${(error as Error)?.stack ?? ''}`);
    }
    expect(tf.memory().numTensors, `${fn}: tensors after a refused construction`).toBe(tensors);
    refusedCount.set(fn, (refusedCount.get(fn) ?? 0) + 1);
    return undefined;
  }
}

/** What a tensor argument of a random call holds. */
export type Fill = 'normal' | 'positive' | 'unit' | 'binary' | 'nan' | 'inf' | 'huge' | 'integers';

/** A recipe for a tensor argument (built inside the call, so failures print readably). */
export interface TensorSpec {
  readonly kind: 'tensor';
  readonly shape: number[];
  readonly dtype: 'float32' | 'int32' | 'bool';
  readonly fill: Fill;
  readonly seed: number;
  readonly disposed: boolean;
}

/** A value that is not a tensor, where a tensor is expected. */
export interface NotATensor {
  readonly kind: 'other';
  readonly value: unknown;
}

export type ArgSpec = TensorSpec | NotATensor;

function mulberry(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Builds the tensor of a spec (or returns the non-tensor value). The caller owns it. */
export function build(spec: ArgSpec): Tensor {
  if (spec.kind === 'other') return spec.value as Tensor;
  const n = spec.shape.reduce((a, b) => a * b, 1);
  const random = mulberry(spec.seed);
  const values = Array.from({ length: n }, (_, i) => {
    const u = random();
    switch (spec.fill) {
      case 'normal':
        return (u - 0.5) * 4;
      case 'positive':
        return u * 3;
      case 'unit':
        return u;
      case 'binary':
        return u < 0.3 ? 1 : 0;
      case 'integers':
        return Math.floor(u * 5);
      case 'nan':
        return i % 3 === 0 ? Number.NaN : u;
      case 'inf':
        return i % 2 === 0 ? Number.POSITIVE_INFINITY : Number.NEGATIVE_INFINITY;
      default: // 'huge'
        return (u - 0.5) * 1e30;
    }
  });
  const t =
    spec.dtype === 'bool'
      ? tf.tensor(
          values.map((v) => v > 0.5),
          spec.shape,
          'bool',
        )
      : tf.tensor(
          spec.dtype === 'int32' ? values.map((v) => (Number.isFinite(v) ? Math.trunc(v) : 0)) : values,
          spec.shape,
          spec.dtype,
        );
  if (spec.disposed) t.dispose();
  return t;
}

/** Frees a built argument (a disposed or non-tensor one is left alone). */
export function free(spec: ArgSpec, t: Tensor): void {
  if (spec.kind === 'tensor' && !spec.disposed) t.dispose();
}

/** Shapes of rank `minRank`..`maxRank`, dimensions 0..5 (0: an empty tensor). */
export function shapeArb(minRank: number, maxRank: number, maxDim = 5): fc.Arbitrary<number[]> {
  return fc.array(fc.oneof({ weight: 9, arbitrary: fc.integer({ min: 1, max: maxDim }) }, fc.constant(0)), {
    minLength: minRank,
    maxLength: maxRank,
  });
}

/** A tensor argument: mostly well-formed float32, sometimes NaN/Inf/huge, int32 or bool, disposed, or not a tensor. */
export function argArb(shape: fc.Arbitrary<number[]>, fills: readonly Fill[] = ['normal']): fc.Arbitrary<ArgSpec> {
  const tensor = fc.record({
    kind: fc.constant('tensor' as const),
    shape,
    dtype: fc.oneof(
      { weight: 8, arbitrary: fc.constant('float32' as const) },
      fc.constant('int32' as const),
      fc.constant('bool' as const),
    ),
    fill: fc.oneof({ weight: 6, arbitrary: fc.constantFrom(...fills) }, fc.constantFrom<Fill>('nan', 'inf', 'huge')),
    seed: fc.nat(),
    disposed: fc.oneof({ weight: 15, arbitrary: fc.constant(false) }, fc.constant(true)),
  });
  const other = fc.record({
    kind: fc.constant('other' as const),
    value: fc.constantFrom<unknown>(undefined, null, 3, 'x', [0.5, 0.5], [[1, 2]], { shape: [2] }, true),
  });
  return fc.oneof({ weight: 12, arbitrary: tensor }, other);
}

/**
 * An options object: mostly valid values from `valid`, sometimes a wrong type for one key, an
 * unknown (misspelt) key, or not an object at all.
 */
export function optionsArb(valid: Record<string, fc.Arbitrary<unknown>>): fc.Arbitrary<unknown> {
  const keys = Object.keys(valid);
  const good = fc.record(valid, { requiredKeys: [] });
  const wrongType = fc
    .record({
      base: good,
      key: fc.constantFrom(...keys),
      value: fc.constantFrom<unknown>('yes', 'no', null, Number.NaN, -1, 0, Number.POSITIVE_INFINITY, [1], {}),
    })
    .map(({ base, key, value }) => ({ ...(base as object), [key]: value }));
  const misspelt = fc.record({ base: good, key: fc.constantFrom(...keys) }).map(({ base, key }) => ({
    ...(base as object),
    [`${key.slice(1)}${key[0]}`]: 1,
  }));
  return fc.oneof(
    { weight: 10, arbitrary: good },
    { weight: 3, arbitrary: wrongType },
    { weight: 2, arbitrary: misspelt },
    { weight: 1, arbitrary: fc.constantFrom<unknown>(undefined, 5, 'tau', [1]) },
  );
}

/** True when every value of `t` is finite (0/1 spikes, potentials). */
export function allFinite(t: Tensor): boolean {
  return t.dataSync().every((v) => Number.isFinite(v));
}

/** The property's verdict for a spec: is the argument a live, finite float tensor? */
export function isCleanFloat(spec: ArgSpec): spec is TensorSpec {
  return (
    spec.kind === 'tensor' && !spec.disposed && spec.dtype === 'float32' && !['nan', 'inf', 'huge'].includes(spec.fill)
  );
}

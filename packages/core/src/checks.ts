import type { Tensor } from '@tensorflow/tfjs-core';
import { ShapeError, UnknownOptionError, ValueError } from './errors.js';

/** Throws a ValueError unless `value` is a finite number > 0 (a time constant, a dt). */
export function checkPositive(fn: string, arg: string, value: number): number {
  if (!(typeof value === 'number' && Number.isFinite(value) && value > 0)) {
    throw new ValueError(fn, arg, 'a finite number > 0', value);
  }
  return value;
}

/** Throws a ValueError unless `value` is a finite number. */
export function checkFinite(fn: string, arg: string, value: number): number {
  if (!(typeof value === 'number' && Number.isFinite(value))) {
    throw new ValueError(fn, arg, 'a finite number', value);
  }
  return value;
}

/** Throws a ValueError unless `value` is an integer >= `min`. */
export function checkInteger(fn: string, arg: string, value: number, min = 0): number {
  if (!(Number.isInteger(value) && value >= min)) {
    throw new ValueError(fn, arg, `an integer >= ${min}`, value);
  }
  return value;
}

/** Throws a ValueError unless `value` is one of `options`. */
export function checkOneOf<T extends string>(fn: string, arg: string, value: unknown, options: readonly T[]): T {
  if (!options.includes(value as T)) {
    throw new ValueError(fn, arg, `one of ${options.map((o) => `'${o}'`).join(', ')}`, value);
  }
  return value as T;
}

/** Throws a ValueError unless `x` is a tensor (not an array, number or undefined) that is not disposed. */
export function checkTensor(fn: string, arg: string, x: unknown): Tensor {
  const t = x as { shape?: unknown; dtype?: unknown; dataId?: unknown; isDisposed?: boolean } | null;
  if (t === null || typeof t !== 'object' || !Array.isArray(t.shape) || t.dataId === undefined) {
    throw new ValueError(fn, arg, 'a tf.Tensor', x);
  }
  if (t.isDisposed === true) throw new ValueError(fn, arg, 'a tensor that is not disposed', 'a disposed tensor');
  return x as Tensor;
}

/** Throws a ShapeError unless `x` has rank >= `minRank`, naming what the axes mean. */
export function checkMinRank(fn: string, arg: string, x: Tensor, minRank: number, axes: string): Tensor {
  checkTensor(fn, arg, x);
  if (x.rank < minRank) throw new ShapeError(fn, arg, `rank >= ${minRank} (${axes})`, x.shape);
  return x;
}

/** Throws a ShapeError unless `x` has exactly rank `rank`. */
export function checkRank(fn: string, arg: string, x: Tensor, rank: number, axes: string): Tensor {
  checkTensor(fn, arg, x);
  if (x.rank !== rank) throw new ShapeError(fn, arg, `rank ${rank} (${axes})`, x.shape);
  return x;
}

/** Throws a ShapeError unless `x.shape` equals `shape`. */
export function checkShape(fn: string, arg: string, x: Tensor, shape: readonly number[]): Tensor {
  checkTensor(fn, arg, x);
  if (x.shape.length !== shape.length || x.shape.some((d, i) => d !== shape[i])) {
    throw new ShapeError(fn, arg, `shape [${shape.join(', ')}]`, x.shape);
  }
  return x;
}

/** Throws a ValueError unless `xSeq` has at least one time step (T > 0). */
export function checkTimeSteps(fn: string, arg: string, xSeq: Tensor): Tensor {
  checkMinRank(fn, arg, xSeq, 2, '[T, B, ...]');
  if (xSeq.shape[0] === 0) throw new ValueError(fn, `${arg}.shape[0] (T)`, 'at least 1 time step', 0);
  return xSeq;
}

/**
 * Throws unless `options` is `undefined` or a plain object whose every key is in `known`.
 * A misspelt option (`{ tua: 5 }`) is an {@link UnknownOptionError} naming the closest known
 * one, never silently ignored. Returns the options (or `{}`) for chaining.
 */
export function checkOptions<T extends object>(fn: string, options: T | undefined, known: readonly string[]): T {
  if (options === undefined) return {} as T;
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw new ValueError(fn, 'options', 'an options object', options);
  }
  for (const key of Object.keys(options)) {
    if (!known.includes(key)) throw new UnknownOptionError(fn, key, known);
  }
  return options;
}

/** Throws a ValueError unless `value` is `undefined` or a boolean (`'no'` and `0` are refused). */
export function checkBoolean(fn: string, arg: string, value: unknown): boolean | undefined {
  if (value !== undefined && typeof value !== 'boolean') throw new ValueError(fn, arg, 'a boolean', value);
  return value as boolean | undefined;
}

/**
 * Every option of `T` with its kind: `'boolean'` for a boolean option, `'value'` for any other.
 * A table of this type names exactly the options of `T` (a missing name, an extra one, or a
 * boolean marked wrongly does not compile): the one list a constructor checks names against and
 * its options tests iterate.
 * @example
 * ```ts
 * interface GainOptions { gain?: number; clamp?: boolean }
 * const GAIN_OPTIONS: OptionTable<GainOptions> = { gain: 'value', clamp: 'boolean' };
 * ```
 */
export type OptionTable<T> = {
  readonly [K in keyof Required<T>]: NonNullable<T[K]> extends boolean ? 'boolean' : 'value';
};

/** An {@link OptionTable} of any options interface. */
export type AnyOptionTable = Readonly<Record<string, 'boolean' | 'value'>>;

/**
 * Checks `options` against its {@link OptionTable}: a name the table lacks is an
 * UnknownOptionError naming the closest known one, a boolean option that is not a boolean (or
 * undefined) a ValueError, anything but an object (or undefined) a ValueError. Returns the
 * options, `{}` for undefined.
 */
export function checkOptionTable<T extends object>(fn: string, options: T | undefined, table: AnyOptionTable): T {
  const o = checkOptions(fn, options, Object.keys(table));
  for (const [name, kind] of Object.entries(table)) {
    if (kind === 'boolean') checkBoolean(fn, name, (o as Record<string, unknown>)[name]);
  }
  return o;
}

/**
 * The option names of an options interface `T`, listed once beside it for {@link checkOptions}:
 * `keysOf<LinearOptions>()(['bias', ...])` fails to compile when the list names a key `T` lacks
 * or misses one it has, so the run-time check and the type cannot drift apart.
 */
export function keysOf<T>() {
  return <const K extends readonly (keyof T & string)[]>(
    keys: K & ([Exclude<keyof T, K[number]>] extends [never] ? unknown : { missing: Exclude<keyof T, K[number]> }),
  ): K => keys;
}

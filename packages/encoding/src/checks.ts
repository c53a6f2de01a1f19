/**
 * Argument checks shared by the encoders, decoders and generators, and the few small ops they
 * all use. Every check runs before any state changes, so a throw leaves an object as it was.
 */
import type { Tensor } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';
import { EncodingOptionError, EncodingShapeError, EncodingValueError } from './errors.js';

/** Throws unless `value` is an integer >= `min` (a number of steps, phases, neurons). */
export function checkInteger(fn: string, arg: string, value: number, min = 1): number {
  if (!(typeof value === 'number' && Number.isInteger(value) && value >= min)) {
    throw new EncodingValueError(fn, arg, `an integer >= ${min}`, value);
  }
  return value;
}

/** Throws unless `value` is a finite number > 0 (a time step, a duration, a threshold). */
export function checkPositive(fn: string, arg: string, value: number): number {
  if (!(typeof value === 'number' && Number.isFinite(value) && value > 0)) {
    throw new EncodingValueError(fn, arg, 'a finite number > 0', value);
  }
  return value;
}

/** Throws unless `value` is a finite number >= 0 (a rate, a start time). */
export function checkNonNegative(fn: string, arg: string, value: number): number {
  if (!(typeof value === 'number' && Number.isFinite(value) && value >= 0)) {
    throw new EncodingValueError(fn, arg, 'a finite number >= 0', value);
  }
  return value;
}

/** Throws unless `value` is a finite number. */
export function checkFinite(fn: string, arg: string, value: number): number {
  if (!(typeof value === 'number' && Number.isFinite(value))) {
    throw new EncodingValueError(fn, arg, 'a finite number', value);
  }
  return value;
}

/**
 * Throws unless `options` is `undefined` or a plain object whose every key is in `known`: a
 * misspelt option (`{ sede: 1 }`) is an {@link EncodingOptionError} naming the closest known one,
 * never silently ignored. Returns the options (or `{}`). The rule and the message are those of
 * `@snn/core`'s `checkOptions`.
 * @param required - Whether the options object must be given (functions whose options hold
 *   required values, such as the generators).
 * @throws EncodingValueError when `options` is not an object (or missing when required).
 */
export function checkOptions<T extends object>(
  fn: string,
  options: T | undefined,
  known: readonly string[],
  required = false,
): T {
  if (options === undefined && !required) return {} as T;
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw new EncodingValueError(fn, 'options', 'an options object', options);
  }
  for (const key of Object.keys(options)) {
    if (!known.includes(key)) throw new EncodingOptionError(fn, key, known);
  }
  return options;
}

/** Throws unless `value` is one of `options`. */
export function checkOneOf<T extends string>(fn: string, arg: string, value: unknown, options: readonly T[]): T {
  if (!options.includes(value as T)) {
    throw new EncodingValueError(fn, arg, `one of ${options.map((o) => `'${o}'`).join(', ')}`, value);
  }
  return value as T;
}

/** Throws unless `x` is a tensor (not an array, a number or undefined) that is not disposed. */
export function checkTensor(fn: string, arg: string, x: unknown): Tensor {
  const t = x as { shape?: unknown; dataId?: unknown; isDisposed?: boolean } | null;
  if (t === null || typeof t !== 'object' || !Array.isArray(t.shape) || t.dataId === undefined) {
    throw new EncodingValueError(fn, arg, 'a tf.Tensor', x);
  }
  if (t.isDisposed === true)
    throw new EncodingValueError(fn, arg, 'a tensor that is not disposed', 'a disposed tensor');
  return x as Tensor;
}

/** Throws unless `x` is a tensor of rank >= `minRank`; `axes` names what the axes mean. */
export function checkMinRank(fn: string, arg: string, x: unknown, minRank: number, axes: string): Tensor {
  const t = checkTensor(fn, arg, x);
  if (t.rank < minRank) throw new EncodingShapeError(fn, arg, `rank >= ${minRank} (${axes})`, t.shape);
  return t;
}

/** Throws unless `x` is a tensor of rank exactly `rank`. */
export function checkRank(fn: string, arg: string, x: unknown, rank: number, axes: string): Tensor {
  const t = checkTensor(fn, arg, x);
  if (t.rank !== rank) throw new EncodingShapeError(fn, arg, `rank ${rank} (${axes})`, t.shape);
  return t;
}

/** Throws unless a sequence `[T, ...]` has at least one time step. */
export function checkSteps(fn: string, arg: string, xSeq: Tensor): Tensor {
  if (xSeq.shape[0] === 0) throw new EncodingValueError(fn, `${arg}.shape[0] (T)`, 'at least 1 time step', 0);
  return xSeq;
}

/**
 * Throws unless every element of `x` lies in [`low`, `high`] (NaN never does). Reads one scalar
 * back from the backend; the whole tensor only on the error path, to name the first bad element.
 */
export function checkRange(
  fn: string,
  arg: string,
  x: Tensor,
  low: number,
  high: number,
  expected = `a number in [${low}, ${high}]`,
): Tensor {
  const bad = tf.tidy(() => {
    const xf = tf.cast(x, 'float32');
    return tf.any(tf.logicalNot(tf.logicalAnd(tf.greaterEqual(xf, low), tf.lessEqual(xf, high))));
  });
  const anyBad = bad.dataSync()[0] !== 0;
  bad.dispose();
  if (anyBad) {
    const values = x.dataSync();
    for (let i = 0; i < values.length; i++) {
      const v = values[i] as number;
      if (!(v >= low && v <= high)) throw new EncodingValueError(fn, `${arg}[${i}]`, expected, v);
    }
  }
  return x;
}

/** Throws unless every element of `x` is finite (no NaN, no ±Infinity). */
export function checkAllFinite(fn: string, arg: string, x: Tensor): Tensor {
  const bad = tf.tidy(() => tf.any(tf.logicalNot(tf.isFinite(tf.cast(x, 'float32')))));
  const anyBad = bad.dataSync()[0] !== 0;
  bad.dispose();
  if (anyBad) {
    const values = x.dataSync();
    for (let i = 0; i < values.length; i++) {
      const v = values[i] as number;
      if (!Number.isFinite(v)) throw new EncodingValueError(fn, `${arg}[${i}]`, 'a finite number', v);
    }
  }
  return x;
}

/**
 * Round half to even, elementwise (as `torch.round` and NumPy do): 0.5 → 0, 1.5 → 2, 2.5 → 2.
 * Built from floor and comparisons so that it is the same on every backend.
 */
export function roundHalfEven(x: Tensor): Tensor {
  return tf.tidy(() => {
    const f = tf.floor(x);
    const frac = tf.sub(x, f);
    const fIsOdd = tf.sub(f, tf.mul(tf.floor(tf.div(f, 2)), 2)); // 0 or 1
    const up = tf.logicalOr(tf.greater(frac, 0.5), tf.logicalAnd(tf.equal(frac, 0.5), tf.equal(fIsOdd, 1)));
    return tf.add(f, tf.cast(up, 'float32'));
  });
}

/** `x` as float32 (a cast when it is not, else a clone), owned by the caller. */
export function asFloat(x: Tensor): Tensor {
  return x.dtype === 'float32' ? tf.clone(x) : tf.cast(x, 'float32');
}

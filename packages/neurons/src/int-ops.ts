// Exact int32 arithmetic for the integer neuron models (LIF-int, Diehl & Cook int). tfjs has no
// bit shifts, and not every backend divides int32 exactly: wasm's FloorDiv goes through float32,
// so `floorDiv(33554431, 2)` gives 16777216 there. Add, subtract, multiply (wrapping mod 2^32),
// compare, maximum/minimum and where are exact int32 on cpu and wasm; these helpers build the
// rest from them. (wasm's clipByValue on int32 is wrong too, so clamps use maximum/minimum.)
import { DTypeError, ValueError } from '@snn/core';
import type { Tensor } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';

/** The int32 range. */
export const INT32_MIN = -2147483648;
export const INT32_MAX = 2147483647;

/** An int32 scalar (a plain number would make tfjs compute in float32). */
export function int32(n: number): Tensor {
  return tf.scalar(n, 'int32');
}

/**
 * `a >> k`, the arithmetic right shift of int32 `a` (floor division by 2^k), exact for every
 * int32 value on every backend, `0 ≤ k ≤ 30`. Splits `a = hi·2^16 + lo` with `0 ≤ lo < 2^16`
 * (a float32 division gives `hi` within one, an exact int32 remainder corrects it), so that
 * every division it does is of a number below 2^24, where float32 is exact. Pure.
 *
 * @throws ValueError when `k` is not an integer in [0, 30].
 * @example
 * ```ts
 * shiftRightInt32(tf.tensor1d([33554431, -5], 'int32'), 1); // [16777215, -3]
 * ```
 */
export function shiftRightInt32(a: Tensor, k: number): Tensor {
  if (!(Number.isInteger(k) && k >= 0 && k <= 30)) {
    throw new ValueError('shiftRightInt32', 'k', 'an integer in [0, 30]', k);
  }
  if (a.dtype !== 'int32') throw new DTypeError('shiftRightInt32', 'a', 'int32', a.dtype);
  return tf.tidy(() => {
    if (k === 0) return tf.clone(a);
    const base = int32(65536);
    // hi within ±1 of floor(a / 2^16); the remainder r is then in [−2^16, 2^17), exact.
    let hi = tf.floorDiv(a, base);
    let lo = tf.sub(a, tf.mul(hi, base));
    const fix = tf.sub(tf.cast(tf.greaterEqual(lo, base), 'int32'), tf.cast(tf.less(lo, int32(0)), 'int32'));
    hi = tf.add(hi, fix);
    lo = tf.sub(lo, tf.mul(fix, base));
    // Now a = hi·2^16 + lo exactly, 0 ≤ lo < 2^16 and |hi| ≤ 2^15: every division below is exact.
    if (k >= 16) return tf.floorDiv(hi, int32(2 ** (k - 16)));
    return tf.add(tf.mul(hi, int32(2 ** (16 - k))), tf.floorDiv(lo, int32(2 ** k)));
  });
}

/**
 * An input as int32: an int32 tensor as it is, a float32 one truncated toward zero (torch's
 * `.int()`; values must lie in the int32 range). Pure.
 * @throws DTypeError for any other dtype.
 */
export function toInt32(fn: string, arg: string, x: Tensor): Tensor {
  if (x.dtype === 'int32') return tf.clone(x);
  if (x.dtype !== 'float32') throw new DTypeError(fn, arg, 'int32 or float32', x.dtype);
  return tf.cast(x, 'int32');
}

/** Throws a ValueError unless `value` is an integer in [min, max] (default: the int32 range). */
export function checkInt(fn: string, arg: string, value: number, min = INT32_MIN, max = INT32_MAX): number {
  if (!(Number.isInteger(value) && value >= min && value <= max)) {
    const range = min === INT32_MIN && max === INT32_MAX ? 'an int32 integer' : `an integer in [${min}, ${max}]`;
    throw new ValueError(fn, arg, range, value);
  }
  return value;
}

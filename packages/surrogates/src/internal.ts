// Helpers shared by the surrogate files. Not part of the public surface.
import { ValueError } from '@snn/core';
import type { Tensor } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';
import { heaviside } from './surrogate.js';

/** Throws a ValueError unless `value` is a finite number > `min`. */
export function checkGreater(fn: string, arg: string, value: number, min: number): number {
  if (!(typeof value === 'number' && Number.isFinite(value) && value > min)) {
    throw new ValueError(fn, arg, `a finite number > ${min}`, value);
  }
  return value;
}

/** Throws a ValueError unless `value` is a finite number >= 0. */
export function checkNonNegative(fn: string, arg: string, value: number): number {
  if (!(typeof value === 'number' && Number.isFinite(value) && value >= 0)) {
    throw new ValueError(fn, arg, 'a finite number >= 0', value);
  }
  return value;
}

/**
 * `sgn(x)` with `sgn(0) = +1`: `2·Θ(x) − 1`, float32 ±1. Built from a comparison, so autograd
 * treats it as a constant.
 */
export function signNonZero(x: Tensor): Tensor {
  return tf.sub(tf.mul(heaviside(x), 2), 1);
}

// tfjs registers a gradient for GreaterEqual but not for Greater, Less or LessEqual, so a strict
// comparison of a taped tensor breaks tf.grad ("gradient function not found for Greater").
// Every condition here is therefore built from greaterEqual; a strict one swaps the branches of
// tf.where instead (x > t is "not x <= t").

/** `x ≥ t`, elementwise. */
export function atLeast(x: Tensor, t: number): Tensor {
  return tf.greaterEqual(x, t);
}

/** `x ≤ t`, elementwise. */
export function atMost(x: Tensor, t: number): Tensor {
  return tf.greaterEqual(t, x);
}

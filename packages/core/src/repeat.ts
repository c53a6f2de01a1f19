import type { Tensor } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';
import { checkInteger, checkTensor } from './checks.js';
import { ValueError } from './errors.js';

/**
 * `x` repeated over a new leading time axis: `[B, ...]` → `[T, B, ...]`, for direct encoding
 * (SpikingJelly's `x.unsqueeze(0).repeat(T, 1, ...)`). One broadcast add forward, one sum over
 * time backward — tfjs's `broadcastTo`/`tile` copies element by element and its gradient slices
 * T times.
 *
 * @throws ValueError when `x` is not a tensor (or is disposed) or `T` is not an integer ≥ 1.
 * @example
 * ```ts
 * const xSeq = repeatOverTime(images, 8); // [8, B, 784]
 * ```
 */
export function repeatOverTime(x: Tensor, T: number): Tensor {
  checkTensor('repeatOverTime', 'x', x);
  if (x.isDisposed) throw new ValueError('repeatOverTime', 'x', 'a tensor that is not disposed', 'a disposed tensor');
  checkInteger('repeatOverTime', 'T', T, 1);
  return tf.tidy(() => tf.add(tf.zeros([T, ...x.shape], x.dtype), x));
}

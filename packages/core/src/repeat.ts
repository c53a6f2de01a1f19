import type { Tensor } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';
import { checkInteger, checkTensor } from './checks.js';
import { ValueError } from './errors.js';
import { runWithGradient } from './kernels/tfjs-internals.js';

/**
 * `x` repeated over a new leading time axis: `[B, ...]` → `[T, B, ...]`, for direct encoding
 * (SpikingJelly's `x.unsqueeze(0).repeat(T, 1, ...)`). One broadcast add forward; backward, the
 * sum over time as `ones[1, T]·dy[T, size]`, a plain matMul — tfjs's `broadcastTo`/`tile` copies
 * element by element and its gradient slices T times, and tfjs-wasm's sum over a leading axis
 * transposes the whole gradient first.
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
  return tf.tidy(() => {
    const [y] = runWithGradient(
      [x],
      () => [tf.add(tf.zeros([T, ...x.shape], x.dtype), x)],
      ([dy]) => [() => tf.reshape(tf.matMul(tf.ones([1, T]), tf.reshape(dy as Tensor, [T, x.size])), x.shape)],
    );
    return y as Tensor;
  });
}

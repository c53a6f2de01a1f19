import type { Tensor } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';

const detachFunc = (x: Tensor) => ({ value: tf.clone(x), gradFunc: (dy: Tensor) => tf.zerosLike(dy) });
const detachOp = tf.customGrad(detachFunc as unknown as Parameters<typeof tf.customGrad>[0]);

/**
 * The same values with no gradient flowing back (PyTorch's `x.detach()`), e.g. the spike in the
 * reset of a node with `detachReset`. Returns a new tensor the caller owns.
 */
export function detach(x: Tensor): Tensor {
  return detachOp(x) as Tensor;
}

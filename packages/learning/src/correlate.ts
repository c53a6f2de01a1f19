import { checkOptions, ShapeError, ValueError } from '@snn/core';
import type { Tensor, Tensor4D } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';
import { keysOf } from './options.js';

/**
 * `Σ_b post[b, o] · pre[b, i]`: the batch-summed outer product of post- and presynaptic
 * activity, in the layout of a dense weight `[post, pre]` (Linear's `[out, in]`). Pure; the
 * caller owns the result.
 *
 * @param post - `[B, post]`.
 * @param pre - `[B, pre]`.
 * @example
 * ```ts
 * const dw = denseCorrelate(postSpikes, preTrace); // [post, pre]
 * ```
 */
export function denseCorrelate(post: Tensor, pre: Tensor): Tensor {
  return tf.matMul(post as tf.Tensor2D, pre as tf.Tensor2D, true, false);
}

/** Geometry of a 2-D convolution for {@link conv2dCorrelate}. */
export interface Conv2dGeometry {
  /** `[kH, kW]`. */
  readonly kernelSize: readonly [number, number];
  /** `[sH, sW]`. Default `[1, 1]`. */
  readonly stride?: readonly [number, number];
  /** Zeros per spatial axis `[[top, bottom], [left, right]]`. Default none. */
  readonly padding?: readonly [readonly [number, number], readonly [number, number]];
}

/** The keys of {@link Conv2dGeometry}. */
export const CONV2D_GEOMETRY_KEYS = keysOf<Conv2dGeometry>()(['kernelSize', 'stride', 'padding']);

/**
 * The correlation of a convolution's output activity with its input activity, summed over the
 * batch and every output position, in the weight's layout `[O, C, kH, kW]` (NCHW):
 *
 * `dW[o, c, i, j] = Σ_{b, y, x} post[b, o, y, x] · pre_padded[b, c, y·sH + i, x·sW + j]`.
 *
 * This is what a local rule adds to a convolution's weight (each weight sees every position it
 * is applied at). It is computed as one dilated convolution (no gradient tape). Pure.
 *
 * @param post - `[B, O, Ho, Wo]`.
 * @param pre - `[B, C, H, W]`.
 * @throws ShapeError when the ranks are not 4 or the batch sizes differ; ValueError when the
 * output size does not follow from the geometry or `g` is not one; UnknownOptionError for a name
 * in `g` it does not know.
 */
export function conv2dCorrelate(post: Tensor, pre: Tensor, g: Conv2dGeometry): Tensor {
  const fn = 'conv2dCorrelate';
  if (g === null || typeof g !== 'object' || Array.isArray(g)) {
    throw new ValueError(fn, 'g', '{ kernelSize, stride?, padding? }', g);
  }
  checkOptions(fn, g, CONV2D_GEOMETRY_KEYS);
  if (post.rank !== 4) throw new ShapeError(fn, 'post', 'rank 4 ([B, O, Ho, Wo])', post.shape);
  if (pre.rank !== 4 || pre.shape[0] !== post.shape[0]) {
    throw new ShapeError(fn, 'pre', `rank 4 ([B, C, H, W]) with B = ${post.shape[0]}`, pre.shape);
  }
  const [kH, kW] = g.kernelSize;
  const [sH, sW] = g.stride ?? [1, 1];
  const pad = g.padding ?? [
    [0, 0],
    [0, 0],
  ];
  const [, , H, W] = pre.shape as [number, number, number, number];
  const [, , Ho, Wo] = post.shape as [number, number, number, number];
  const hp = H + pad[0][0] + pad[0][1];
  const wp = W + pad[1][0] + pad[1][1];
  if (Math.floor((hp - kH) / sH) + 1 !== Ho || Math.floor((wp - kW) / sW) + 1 !== Wo) {
    throw new ValueError(
      fn,
      'post',
      `spatial size [${Math.floor((hp - kH) / sH) + 1}, ${Math.floor((wp - kW) / sW) + 1}]`,
      post.shape,
    );
  }
  return tf.tidy(() => {
    const padded = tf.pad(pre, [
      [0, 0],
      [0, 0],
      [pad[0][0], pad[0][1]],
      [pad[1][0], pad[1][1]],
    ]);
    // Batch and channels swap roles: the input is [C, Hp, Wp, B], the filter [Ho, Wo, B, O].
    const x = tf.transpose(padded, [1, 2, 3, 0]) as Tensor4D;
    const f = tf.transpose(post, [2, 3, 0, 1]) as Tensor4D;
    const full = tf.conv2d(x, f, 1, 'valid', 'NHWC', [sH, sW]);
    const cut = tf.slice(full, [0, 0, 0, 0], [-1, kH, kW, -1]);
    return tf.transpose(cut, [3, 0, 1, 2]);
  });
}

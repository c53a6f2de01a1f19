import type { Tensor, Tensor4D } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';

/** Padding of the two spatial axes: `[[top, bottom], [left, right]]`. */
export type SpatialPadding = readonly [readonly [number, number], readonly [number, number]];

type Explicit = [[number, number], [number, number], [number, number], [number, number]];

/**
 * Inserts `d − 1` zeros between the taps of a filter `[kH, kW, in, out]` so that a dilated
 * convolution becomes an ordinary one: `[(kH − 1)·dH + 1, (kW − 1)·dW + 1, in, out]`.
 * Differentiable (reshape, pad, slice). tfjs's conv2d refuses stride and dilation both > 1 and
 * has no gradient for dilation > 1; the zero-filled filter has neither limit.
 */
export function dilateFilter(filter: Tensor, dilation: readonly [number, number]): Tensor {
  const [dH, dW] = dilation;
  if (dH === 1 && dW === 1) return tf.clone(filter);
  const [kH, kW, cin, cout] = filter.shape as [number, number, number, number];
  return tf.tidy(() => {
    const spread = tf.pad(tf.reshape(filter, [kH, 1, kW, 1, cin, cout]), [
      [0, 0],
      [0, dH - 1],
      [0, 0],
      [0, dW - 1],
      [0, 0],
      [0, 0],
    ]);
    const flat = tf.reshape(spread, [kH * dH, kW * dW, cin, cout]);
    return tf.slice(flat, [0, 0, 0, 0], [(kH - 1) * dH + 1, (kW - 1) * dW + 1, cin, cout]);
  });
}

/**
 * The filter gradient of `y = conv2d(x, f)` (NHWC, explicit padding, stride s, no dilation):
 * `∂L/∂f[i, j, c, o] = Σ_{b, p, q} xpad[b, i + sH·p, j + sW·q, c] · dy[b, p, q, o]`, which is
 * itself a convolution: of the padded input seen as `[in, Hp, Wp, B]` (channels as the batch, the
 * batch as channels) with `dy` seen as a filter `[OH, OW, B, out]`, dilated by the stride.
 * The wasm backend of tfjs 4.22 has no Conv2DBackpropFilter kernel; this needs only pad,
 * transpose, conv2d and slice, which every backend has, and runs much faster than tfjs-cpu's
 * own backprop-filter kernel.
 */
function filterGradient(
  x: Tensor,
  dy: Tensor,
  kernel: readonly [number, number],
  strides: readonly [number, number],
  pads: Explicit,
): Tensor {
  const [kH, kW] = kernel;
  const cin = x.shape[3] as number;
  const cout = dy.shape[3] as number;
  return tf.tidy(() => {
    const input = tf.transpose(tf.pad(x, pads), [3, 1, 2, 0]) as Tensor4D;
    const filter = tf.transpose(dy, [1, 2, 0, 3]) as Tensor4D;
    const [sH, sW] = strides;
    // [in, Hp − sH·(OH − 1), Wp − sW·(OW − 1), out]: rows past kH are taps of the floor remainder.
    const full = tf.conv2d(input, filter, 1, 'valid', 'NHWC', [sH, sW]);
    return tf.transpose(tf.slice(full, [0, 0, 0, 0], [cin, kH, kW, cout]), [1, 2, 0, 3]);
  });
}

/**
 * 2-D convolution (cross-correlation, as PyTorch) of `x` `[B, H, W, in]` with `filter`
 * `[kH, kW, in, out]`, explicit padding, stride, no dilation (see {@link dilateFilter}); output
 * `[B, OH, OW, out]` with `OH = ⌊(H + top + bottom − kH) / sH⌋ + 1`.
 *
 * Forward is tfjs's own conv2d kernel; backward is `conv2dTranspose` for the input and a
 * second conv2d for the filter (see the filter gradient below), so it trains on every backend
 * (tfjs-wasm 4.22 has no Conv2DBackpropFilter) and faster than tfjs's own gradient on cpu.
 * Returns a new tensor the caller owns.
 *
 * @param x - `[B, H, W, in]`.
 * @param filter - `[kH, kW, in, out]` (a dilated kernel already spread by {@link dilateFilter}).
 * @param strides - `[sH, sW]`.
 * @param padding - Zeros `[[top, bottom], [left, right]]`.
 * @example
 * ```ts
 * const y = conv2dChannelsLast(x, f, [1, 1], [[1, 1], [1, 1]]); // 'same' for a 3x3 kernel
 * ```
 */
export function conv2dChannelsLast(
  x: Tensor,
  filter: Tensor,
  strides: readonly [number, number],
  padding: SpatialPadding,
): Tensor {
  const pads: Explicit = [[0, 0], [...padding[0]], [...padding[1]], [0, 0]];
  const kernel: [number, number] = [filter.shape[0] as number, filter.shape[1] as number];
  const s: [number, number] = [strides[0], strides[1]];
  const op = tf.customGrad(((xIn: Tensor, fIn: Tensor, save: tf.GradSaveFunc) => {
    save([xIn, fIn]);
    const value = tf.conv2d(xIn as Tensor4D, fIn as Tensor4D, s, pads);
    const gradFunc = (dy: Tensor, saved: Tensor[]): Tensor[] => {
      const [xs, fs] = saved as [Tensor4D, Tensor4D];
      const dx = tf.conv2dTranspose(dy as Tensor4D, fs, xs.shape, s, pads);
      return [dx, filterGradient(xs, dy, kernel, s, pads)];
    };
    return { value, gradFunc };
  }) as unknown as Parameters<typeof tf.customGrad>[0]);
  return op(x, filter);
}

import { ShapeError, ValueError } from '@snn/core';
import { describeBackends, expectClose, expectNoLeak } from '@snn/core/testing';
import type { Tensor } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import { Flatten } from './flatten.js';
import { AdaptiveAvgPool2d, AvgPool2d, MaxPool2d } from './pooling.js';

/** A 4x4 map 1..16 as [1, 1, 4, 4]. */
const grid = (): Tensor =>
  tf.tensor4d(
    Array.from({ length: 16 }, (_, i) => i + 1),
    [1, 1, 4, 4],
  );

/** Adaptive average pooling by loops over NCHW, PyTorch's windows. */
function adaptiveReference(x: Float32Array, shape: readonly number[], oh: number, ow: number): Float32Array {
  const [B, C, H, W] = shape as [number, number, number, number];
  const out = new Float32Array(B * C * oh * ow);
  for (let bc = 0; bc < B * C; bc++) {
    for (let i = 0; i < oh; i++) {
      for (let j = 0; j < ow; j++) {
        const [h0, h1] = [Math.floor((i * H) / oh), Math.ceil(((i + 1) * H) / oh)];
        const [w0, w1] = [Math.floor((j * W) / ow), Math.ceil(((j + 1) * W) / ow)];
        let sum = 0;
        for (let r = h0; r < h1; r++) for (let q = w0; q < w1; q++) sum += x[(bc * H + r) * W + q] as number;
        out[(bc * oh + i) * ow + j] = sum / ((h1 - h0) * (w1 - w0));
      }
    }
  }
  return out;
}

describeBackends('MaxPool2d', () => {
  it('takes the maximum of each window (hand-computed)', () => {
    tf.tidy(() => {
      expectClose(new MaxPool2d(2).forward(grid()), [
        [
          [
            [6, 8],
            [14, 16],
          ],
        ],
      ]);
      expectClose(new MaxPool2d(3, { stride: 1 }).forward(grid()), [
        [
          [
            [11, 12],
            [15, 16],
          ],
        ],
      ]);
      // Padding is never the maximum, even of negative inputs: windows [−1], [−2, −3], ...
      const y = new MaxPool2d(2, { padding: 1 }).forward(tf.neg(grid()));
      expect(y.shape).toEqual([1, 1, 3, 3]);
      expectClose(y, [
        [
          [
            [-1, -2, -4],
            [-5, -6, -8],
            [-13, -14, -16],
          ],
        ],
      ]);
    });
  });

  it('matches tf.maxPool, NCHW and NHWC, and routes the gradient to the maxima', () => {
    tf.tidy(() => {
      const x = tf.randomUniform([2, 3, 6, 5], -1, 1, 'float32', 1);
      const xh = tf.transpose(x, [0, 2, 3, 1]) as tf.Tensor4D;
      const ref = tf.maxPool(xh, [3, 2], [2, 2], 'valid');
      expectClose(new MaxPool2d([3, 2], { stride: 2 }).forward(x), tf.transpose(ref, [0, 3, 1, 2]));
      expectClose(new MaxPool2d([3, 2], { stride: 2, dataFormat: 'NHWC' }).forward(xh), ref);
      const dx = tf.grad((xi: Tensor) => tf.sum(new MaxPool2d(2).forward(xi)))(grid());
      expectClose(dx, [
        [
          [
            [0, 0, 0, 0],
            [0, 1, 0, 1],
            [0, 0, 0, 0],
            [0, 1, 0, 1],
          ],
        ],
      ]);
    });
  });

  it('rejects bad options and inputs', () => {
    expect(() => new MaxPool2d(2, { padding: 2 })).toThrow(
      "MaxPool2d: 'padding' must be at most half the kernel size [2, 2], got 2",
    );
    expect(() => new MaxPool2d(0)).toThrow(ValueError);
    const pool = new MaxPool2d(3);
    const small = tf.zeros([1, 1, 2, 4]);
    expect(() => pool.forward(small)).toThrow(ShapeError);
    const rank3 = tf.zeros([1, 4, 4]);
    expect(() => pool.forward(rank3)).toThrow("MaxPool2d.forward: 'x' must have shape [B, C, H, W] (rank 4)");
    tf.dispose([small, rank3]);
  });
});

describeBackends('AvgPool2d', () => {
  it('averages each window; padded zeros count by default (PyTorch)', () => {
    tf.tidy(() => {
      expectClose(new AvgPool2d(2).forward(grid()), [
        [
          [
            [3.5, 5.5],
            [11.5, 13.5],
          ],
        ],
      ]);
      // Corner window of padding 1: [0, 0, 0, 1] / 4 with the zeros counted, 1 / 1 without.
      const x = tf.tensor4d([1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 1, 3, 3]);
      expectClose(new AvgPool2d(2, { padding: 1 }).forward(x), [
        [
          [
            [0.25, 1.25],
            [2.75, 7],
          ],
        ],
      ]);
      expectClose(new AvgPool2d(2, { padding: 1, countIncludePad: false }).forward(x), [
        [
          [
            [1, 2.5],
            [5.5, 7],
          ],
        ],
      ]);
    });
  });

  it('matches tf.avgPool and spreads the gradient evenly', () => {
    tf.tidy(() => {
      const x = tf.randomUniform([2, 2, 6, 6], -1, 1, 'float32', 2);
      const ref = tf.avgPool(tf.transpose(x, [0, 2, 3, 1]) as tf.Tensor4D, 3, 3, 'valid');
      expectClose(new AvgPool2d(3).forward(x), tf.transpose(ref, [0, 3, 1, 2]), { rtol: 1e-5, atol: 1e-6 });
      const dx = tf.grad((xi: Tensor) => tf.sum(new AvgPool2d(2).forward(xi)))(grid());
      expectClose(dx, tf.fill([1, 1, 4, 4], 0.25));
    });
  });

  it('in step mode m equals each step alone', () => {
    const pool = new AvgPool2d(2, { stepMode: 'm' });
    tf.tidy(() => {
      const xSeq = tf.randomUniform([3, 2, 2, 4, 4], 0, 1, 'float32', 3);
      const ySeq = pool.forward(xSeq);
      expect(ySeq.shape).toEqual([3, 2, 2, 2, 2]);
      pool.setStepMode('s');
      expectClose(ySeq, tf.stack(tf.unstack(xSeq).map((x) => pool.forward(x))));
    });
  });
});

describeBackends('AdaptiveAvgPool2d', () => {
  it.each([
    [7, 6, 3, 2],
    [5, 5, 1, 1],
    [4, 6, 4, 4],
    [3, 5, 5, 2],
  ])('matches PyTorch windows by loops: %ix%i → %ix%i', (h, w, oh, ow) => {
    tf.tidy(() => {
      const x = tf.randomUniform([2, 3, h, w], -1, 1, 'float32', 4);
      const y = new AdaptiveAvgPool2d([oh, ow]).forward(x);
      expect(y.shape).toEqual([2, 3, oh, ow]);
      expectClose(y, adaptiveReference(x.dataSync() as Float32Array, x.shape, oh, ow), { rtol: 1e-5, atol: 1e-6 });
    });
  });

  it('is a global mean at size 1, keeps an axis for null, and takes NHWC', () => {
    tf.tidy(() => {
      const x = tf.randomUniform([2, 3, 5, 4], -1, 1, 'float32', 5);
      expectClose(new AdaptiveAvgPool2d(1).forward(x), tf.mean(x, [2, 3], true), { rtol: 1e-5, atol: 1e-6 });
      const keepW = new AdaptiveAvgPool2d([1, null]).forward(x);
      expectClose(keepW, tf.mean(x, 2, true), { rtol: 1e-5, atol: 1e-6 });
      const xh = tf.transpose(x, [0, 2, 3, 1]);
      const yh = new AdaptiveAvgPool2d([2, 3], { dataFormat: 'NHWC' }).forward(xh);
      expectClose(yh, tf.transpose(new AdaptiveAvgPool2d([2, 3]).forward(x), [0, 2, 3, 1]), { rtol: 1e-5, atol: 1e-6 });
      const dx = tf.grad((xi: Tensor) => tf.sum(new AdaptiveAvgPool2d(1).forward(xi)))(x);
      expectClose(dx, tf.fill(x.shape, 1 / 20), { rtol: 1e-5, atol: 1e-7 });
    });
  });

  it('rejects bad sizes and inputs', () => {
    expect(() => new AdaptiveAvgPool2d(0)).toThrow(
      "AdaptiveAvgPool2d: 'outputSize' must be an integer >= 1 or a pair of them (null keeps that axis), got 0",
    );
    expect(() => new AdaptiveAvgPool2d([2, 2, 2] as never)).toThrow(ValueError);
    const x = tf.zeros([2, 4, 4]);
    expect(() => new AdaptiveAvgPool2d(2).forward(x)).toThrow(ShapeError);
    x.dispose();
  });
});

describeBackends('Flatten', () => {
  it('merges axes 1.. by default and keeps T apart in step mode m', () => {
    tf.tidy(() => {
      const x = tf.randomUniform([2, 3, 4, 5], 0, 1, 'float32', 6);
      const y = new Flatten().forward(x);
      expect(y.shape).toEqual([2, 60]);
      expectClose(y, tf.reshape(x, [2, 60]));
      expect(new Flatten({ startDim: 2 }).forward(x).shape).toEqual([2, 3, 20]);
      expect(new Flatten({ startDim: 1, endDim: 2 }).forward(x).shape).toEqual([2, 12, 5]);
      expect(new Flatten({ startDim: -2 }).forward(x).shape).toEqual([2, 3, 20]);
      const ySeq = new Flatten({ stepMode: 'm' }).forward(tf.reshape(x, [2, 3, 4, 5, 1]));
      expect(ySeq.shape).toEqual([2, 3, 20]);
    });
  });

  it('rejects inputs without the axes and bad options', () => {
    const x = tf.zeros([4]);
    expect(() => new Flatten().forward(x)).toThrow(
      "Flatten.forward: 'x' must have axes 1 to -1 (startDim to endDim) in each step's [B, ...], got shape [4]",
    );
    const y = tf.zeros([2, 3, 4]);
    expect(() => new Flatten({ startDim: 2, endDim: 1 }).forward(y)).toThrow(ShapeError);
    tf.dispose([x, y]);
    expect(() => new Flatten({ startDim: 0.5 })).toThrow("Flatten: 'startDim' must be an integer, got 0.5");
  });
});

describeBackends('pooling leaks', () => {
  it('keeps tf.memory() flat over 1,000 forwards of every pool and Flatten', () => {
    const x = tf.ones([2, 2, 6, 6]);
    const layers = [
      new MaxPool2d(2, { padding: 1 }),
      new AvgPool2d(3, { stride: 1 }),
      new AdaptiveAvgPool2d([4, 3]),
      new Flatten(),
    ];
    expectNoLeak(() => {
      for (const layer of layers) tf.dispose(layer.forward(x));
    });
    x.dispose();
  });
});

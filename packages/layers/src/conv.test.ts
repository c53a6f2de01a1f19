import { createRng, ShapeError, ValueError } from '@snn/core';
import { describeBackends, expectClose, expectNoLeak } from '@snn/core/testing';
import type { Tensor } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { Conv1d, Conv2d, type Conv2dOptions } from './conv.js';

interface Geometry {
  readonly stride: [number, number];
  readonly pads: [[number, number], [number, number]];
  readonly dilation: [number, number];
}

/**
 * Direct loops over NCHW: y = conv(x, w) + b, and for L = Σ y ⊙ g the gradients dL/dx, dL/dw,
 * dL/db. The reference every Conv2d/Conv1d case is checked against.
 */
function convReference(
  x: Float32Array,
  xShape: readonly number[],
  w: Float32Array,
  wShape: readonly number[],
  bias: Float32Array | null,
  g: Float32Array | null,
  { stride, pads, dilation }: Geometry,
) {
  const [B, C, H, W] = xShape as [number, number, number, number];
  const [O, , kH, kW] = wShape as [number, number, number, number];
  const OH = Math.floor((H + pads[0][0] + pads[0][1] - dilation[0] * (kH - 1) - 1) / stride[0]) + 1;
  const OW = Math.floor((W + pads[1][0] + pads[1][1] - dilation[1] * (kW - 1) - 1) / stride[1]) + 1;
  const y = new Float32Array(B * O * OH * OW);
  const dx = new Float32Array(x.length);
  const dw = new Float32Array(w.length);
  const db = new Float32Array(O);
  for (let b = 0; b < B; b++) {
    for (let o = 0; o < O; o++) {
      for (let i = 0; i < OH; i++) {
        for (let j = 0; j < OW; j++) {
          const yi = ((b * O + o) * OH + i) * OW + j;
          const gy = g === null ? 0 : (g[yi] as number);
          let acc = bias === null ? 0 : (bias[o] as number);
          db[o] = (db[o] as number) + gy;
          for (let c = 0; c < C; c++) {
            for (let u = 0; u < kH; u++) {
              for (let v = 0; v < kW; v++) {
                const r = i * stride[0] + u * dilation[0] - pads[0][0];
                const q = j * stride[1] + v * dilation[1] - pads[1][0];
                if (r < 0 || r >= H || q < 0 || q >= W) continue;
                const xi = ((b * C + c) * H + r) * W + q;
                const wi = ((o * C + c) * kH + u) * kW + v;
                acc += (x[xi] as number) * (w[wi] as number);
                dx[xi] = (dx[xi] as number) + gy * (w[wi] as number);
                dw[wi] = (dw[wi] as number) + gy * (x[xi] as number);
              }
            }
          }
          y[yi] = acc;
        }
      }
    }
  }
  return { y, shape: [B, O, OH, OW], dx, dw, db };
}

const data = (t: Tensor): Float32Array => t.dataSync() as Float32Array;

/** Forward and gradients of a Conv2d on `x` (NCHW) against the loops. */
function checkConv2d(conv: Conv2d, x: Tensor, geometry: Geometry): void {
  tf.tidy(() => {
    const y = conv.forward(x);
    const g = tf.randomUniform(y.shape, -1, 1, 'float32', 9);
    const ref = convReference(
      data(x),
      x.shape,
      data(conv.weight),
      conv.weight.shape,
      conv.bias === null ? null : data(conv.bias),
      data(g),
      geometry,
    );
    expect(y.shape).toEqual(ref.shape);
    expectClose(y, ref.y, { rtol: 1e-4, atol: 1e-5 });
    const vars = conv.parameters(true);
    const { grads: pg } = tf.variableGrads(() => tf.sum(tf.mul(conv.forward(x), g)) as tf.Scalar, vars);
    expectClose(pg[conv.weight.name]!, ref.dw, { rtol: 1e-4, atol: 1e-4 });
    if (conv.bias !== null) expectClose(pg[conv.bias.name]!, ref.db, { rtol: 1e-4, atol: 1e-4 });
    const dx = tf.grad((xi: Tensor) => tf.sum(tf.mul(conv.forward(xi), g)))(x);
    expectClose(dx, ref.dx, { rtol: 1e-4, atol: 1e-4 });
  });
}

const CASES: [string, number | [number, number], Conv2dOptions, Geometry][] = [
  [
    '3x3, no padding',
    3,
    {},
    {
      stride: [1, 1],
      pads: [
        [0, 0],
        [0, 0],
      ],
      dilation: [1, 1],
    },
  ],
  [
    '3x2, stride [2, 1], padding [1, 2]',
    [3, 2],
    { stride: [2, 1], padding: [1, 2] },
    {
      stride: [2, 1],
      pads: [
        [1, 1],
        [2, 2],
      ],
      dilation: [1, 1],
    },
  ],
  [
    '3x3, stride 2 and dilation 2, padding 2',
    3,
    { stride: 2, dilation: 2, padding: 2 },
    {
      stride: [2, 2],
      pads: [
        [2, 2],
        [2, 2],
      ],
      dilation: [2, 2],
    },
  ],
  [
    "4x4 'same' (asymmetric), no bias",
    4,
    { padding: 'same', bias: false },
    {
      stride: [1, 1],
      pads: [
        [1, 2],
        [1, 2],
      ],
      dilation: [1, 1],
    },
  ],
  [
    "2x3 'valid', dilation [1, 2]",
    [2, 3],
    { padding: 'valid', dilation: [1, 2] },
    {
      stride: [1, 1],
      pads: [
        [0, 0],
        [0, 0],
      ],
      dilation: [1, 2],
    },
  ],
];

describeBackends('Conv2d', () => {
  it('computes a 1-channel 2x2 kernel by hand', () => {
    const conv = new Conv2d(1, 1, 2, { seed: 0 });
    conv.weight.assign(tf.tensor4d([1, 0, 0, -1], [1, 1, 2, 2]));
    conv.bias!.assign(tf.tensor1d([0.5]));
    tf.tidy(() => {
      // x = [[1, 2, 3], [4, 5, 6], [7, 8, 9]]: each output is x[i][j] − x[i+1][j+1] + 0.5 = −3.5.
      const y = conv.forward(tf.tensor4d([1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 1, 3, 3]));
      expectClose(y, [
        [
          [
            [-3.5, -3.5],
            [-3.5, -3.5],
          ],
        ],
      ]);
    });
    conv.dispose();
  });

  it.each(CASES)('matches a direct NCHW loop, forward and gradients: %s', (_, k, options, geometry) => {
    const conv = new Conv2d(3, 4, k, { ...options, seed: 7 });
    const x = tf.randomUniform([2, 3, 7, 6], -1, 1, 'float32', 4);
    checkConv2d(conv, x, geometry);
    x.dispose();
    conv.dispose();
  });

  it('matches tf.conv2d on the transposed data', () => {
    const conv = new Conv2d(2, 3, 3, { padding: 1, seed: 2 });
    tf.tidy(() => {
      const x = tf.randomUniform([2, 2, 5, 5], -1, 1, 'float32', 5);
      const f = tf.transpose(conv.weight, [2, 3, 1, 0]) as tf.Tensor4D;
      const ref = tf.add(tf.conv2d(tf.transpose(x, [0, 2, 3, 1]) as tf.Tensor4D, f, 1, 1), conv.bias!);
      expectClose(conv.forward(x), tf.transpose(ref, [0, 3, 1, 2]), { rtol: 1e-5, atol: 1e-5 });
    });
    conv.dispose();
  });

  it("takes NHWC with dataFormat 'NHWC' and gives what NCHW gives, transposed", () => {
    const nchw = new Conv2d(3, 2, 3, { stride: 2, padding: 1, seed: 1 });
    const nhwc = new Conv2d(3, 2, 3, { stride: 2, padding: 1, seed: 1, dataFormat: 'NHWC' });
    tf.tidy(() => {
      const x = tf.randomUniform([2, 3, 6, 5], -1, 1, 'float32', 3);
      const y = nhwc.forward(tf.transpose(x, [0, 2, 3, 1]));
      expect(y.shape).toEqual([2, 3, 3, 2]);
      expectClose(y, tf.transpose(nchw.forward(x), [0, 2, 3, 1]), { rtol: 1e-5, atol: 1e-6 });
      expect(() => nhwc.forward(x)).toThrow("'x' must have shape [B, H, W, 3]");
    });
    nchw.dispose();
    nhwc.dispose();
  });

  it('in step mode m folds time into the batch: equal to each step alone', () => {
    const conv = new Conv2d(2, 3, 3, { padding: 1, seed: 4, stepMode: 'm' });
    tf.tidy(() => {
      const xSeq = tf.randomUniform([3, 2, 2, 4, 4], -1, 1, 'float32', 6);
      const ySeq = conv.forward(xSeq);
      expect(ySeq.shape).toEqual([3, 2, 3, 4, 4]);
      conv.setStepMode('s');
      expectClose(ySeq, tf.stack(tf.unstack(xSeq).map((x) => conv.forward(x))), { rtol: 1e-5, atol: 1e-6 });
    });
    conv.dispose();
  });

  it('trains: an Adam step on a conv + pool net lowers the loss on this backend', () => {
    const conv = new Conv2d(1, 2, 3, { padding: 1, seed: 8 });
    const x = tf.randomUniform([4, 1, 6, 6], 0, 1, 'float32', 10);
    const target = tf.zeros([4, 2, 6, 6]);
    const opt = tf.train.adam(0.05);
    const loss = () => tf.mean(tf.square(tf.sub(conv.forward(x), target))) as tf.Scalar;
    const first = tf.tidy(() => loss().dataSync()[0] as number);
    for (let i = 0; i < 10; i++) tf.dispose(opt.minimize(loss, true) as tf.Scalar);
    const last = tf.tidy(() => loss().dataSync()[0] as number);
    expect(last).toBeLessThan(first * 0.8);
    tf.dispose([x, target]);
    opt.dispose();
    conv.dispose();
  });

  it('keeps tf.memory() flat over 1,000 forwards', () => {
    const conv = new Conv2d(2, 2, 3, { dilation: 2, padding: 2, seed: 0 });
    const x = tf.ones([1, 2, 5, 5]);
    expectNoLeak(() => tf.dispose(conv.forward(x)));
    x.dispose();
    conv.dispose();
  });

  it('rejects bad inputs with ShapeError', () => {
    const conv = new Conv2d(3, 4, 3, { seed: 0 });
    const wrongC = tf.zeros([2, 2, 5, 5]);
    expect(() => conv.forward(wrongC)).toThrow(
      "Conv2d.forward: 'x' must have shape [B, 3, H, W] (rank 4, inChannels 3), got shape [2, 2, 5, 5]",
    );
    const small = tf.zeros([2, 3, 2, 5]);
    expect(() => conv.forward(small)).toThrow(ShapeError);
    expect(() => conv.forward(small)).toThrow('at least the dilated kernel');
    const rank3 = tf.zeros([3, 5, 5]);
    expect(() => conv.forward(rank3)).toThrow(ShapeError);
    conv.setStepMode('m');
    expect(() => conv.forward(rank3)).toThrow("'xSeq' must have shape [T, B, 3, H, W] (rank 5, inChannels 3)");
    tf.dispose([wrongC, small, rank3]);
    conv.dispose();
  });
});

describeBackends('Conv1d', () => {
  it.each([
    ['k 3', 3, {}, [0, 0], 1, 1],
    ['k 3, stride 2, padding 1', 3, { stride: 2, padding: 1 }, [1, 1], 2, 1],
    ["k 4, 'same' and dilation 2", 4, { padding: 'same' as const, dilation: 2 }, [3, 3], 1, 2],
  ] as const)('matches a direct loop, forward and gradients: %s', (_, k, options, pads, s, d) => {
    const conv = new Conv1d(2, 3, k, { ...options, seed: 3 });
    tf.tidy(() => {
      const x = tf.randomUniform([2, 2, 9], -1, 1, 'float32', 2);
      const y = conv.forward(x);
      const g = tf.randomUniform(y.shape, -1, 1, 'float32', 3);
      const ref = convReference(data(x), [2, 2, 1, 9], data(conv.weight), [3, 2, 1, k], data(conv.bias!), data(g), {
        stride: [1, s],
        pads: [
          [0, 0],
          [pads[0], pads[1]],
        ],
        dilation: [1, d],
      });
      expect(y.shape).toEqual([2, 3, ref.shape[3]]);
      expect(conv.outputLength(9)).toBe(ref.shape[3]);
      expectClose(y, ref.y, { rtol: 1e-4, atol: 1e-5 });
      const { grads } = tf.variableGrads(() => tf.sum(tf.mul(conv.forward(x), g)) as tf.Scalar, conv.parameters());
      expectClose(grads[conv.weight.name]!, ref.dw, { rtol: 1e-4, atol: 1e-4 });
      expectClose(grads[conv.bias!.name]!, ref.db, { rtol: 1e-4, atol: 1e-4 });
    });
    conv.dispose();
  });

  it("pads 'same' asymmetrically as PyTorch: the extra zero after", () => {
    expect(new Conv1d(1, 1, 4, { padding: 'same', seed: 0 }).padding).toEqual([1, 2]);
    expect(new Conv1d(1, 1, 3, { padding: 'same', dilation: 3, seed: 0 }).padding).toEqual([3, 3]);
  });

  it('rejects bad inputs and options', () => {
    const conv = new Conv1d(2, 3, 5, { seed: 0 });
    const short = tf.zeros([1, 2, 4]);
    expect(() => conv.forward(short)).toThrow(ShapeError);
    const wrong = tf.zeros([1, 3, 10]);
    expect(() => conv.forward(wrong)).toThrow("Conv1d.forward: 'x' must have shape [B, 2, L] (rank 3, inChannels 2)");
    tf.dispose([short, wrong]);
    conv.dispose();
    expect(() => new Conv1d(1, 1, 3, { padding: 'same', stride: 2 })).toThrow(
      "Conv1d: 'padding' must be a number when stride > 1 ('same' needs stride 1), got 'same'",
    );
    expect(() => new Conv1d(1, 1, 0)).toThrow(ValueError);
    expect(() => new Conv1d(1, 1, 3, { padding: -1 })).toThrow(ValueError);
  });
});

describe('Conv2d construction', () => {
  it('initialises as PyTorch: uniform in ±1/√(inChannels·kH·kW), seeded', () => {
    const conv = new Conv2d(4, 16, [3, 5], { seed: 12 });
    const bound = 1 / Math.sqrt(4 * 3 * 5);
    expect(conv.weight.shape).toEqual([16, 4, 3, 5]);
    const w = conv.weight.dataSync();
    expect(Math.max(...w.map(Math.abs))).toBeLessThanOrEqual(bound);
    expect(Math.max(...w.map(Math.abs))).toBeGreaterThan(0.98 * bound);
    expect(Math.max(...conv.bias!.dataSync().map(Math.abs))).toBeLessThanOrEqual(bound);
    const again = new Conv2d(4, 16, [3, 5], { rng: createRng(12) });
    expect(again.weight.dataSync()).toEqual(w);
    expect(conv.padding).toEqual([
      [0, 0],
      [0, 0],
    ]);
    conv.dispose();
    again.dispose();
  });

  it('rejects bad hyper-parameters with ValueError', () => {
    expect(() => new Conv2d(1, 1, [3, 0])).toThrow(
      "Conv2d: 'kernelSize' must be an integer >= 1 or a pair of them, got [3, 0]",
    );
    expect(() => new Conv2d(1, 1, 3, { stride: 0 })).toThrow(ValueError);
    expect(() => new Conv2d(1, 1, 3, { padding: 'full' as never })).toThrow(
      "Conv2d: 'padding' must be an integer >= 0",
    );
    expect(() => new Conv2d(1, 1, 3, { padding: 'same', stride: 2 })).toThrow(ValueError);
    expect(() => new Conv2d(1, 1, 3, { dataFormat: 'CHW' as never })).toThrow(
      "'dataFormat' must be one of 'NCHW', 'NHWC'",
    );
    expect(() => new Conv2d(0, 1, 3)).toThrow("Conv2d: 'inChannels' must be an integer >= 1, got 0");
  });
});

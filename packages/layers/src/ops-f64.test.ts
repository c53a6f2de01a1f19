// The per-channel ops of layers (sums, bias, batch normalisation with its closed-form backward)
// and the dense op against float64, on shapes that take each branch (a channel axis first, last,
// in the middle; one leading row; with and without an affine part), and BatchNorm without running
// statistics or without an affine part. Written for mutation testing (`pnpm mutation`, issue 17).
import '@snn/core'; // registers the cpu backend
import { describeBackends } from '@snn/core/testing';
import type { Tensor } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import { BatchNorm1d } from './batch-norm.js';
import { addPerChannel, batchNormTrain, sumPerChannel } from './channel-ops.js';
import { denseForward } from './dense-op.js';

/** Deterministic values in [low, high) from an LCG, rounded to float32. */
function values(seed: number, n: number, low: number, high: number): number[] {
  let a = seed >>> 0;
  return Array.from({ length: n }, () => {
    a = (Math.imul(a, 1664525) + 1013904223) >>> 0;
    return Math.fround(low + (high - low) * (a / 4294967296));
  });
}

/** |got − want| ≤ atol + rtol·|want| everywhere (float32 against float64). */
function expectValues(got: Tensor, want: number[], what: string, rtol = 1e-4, atol = 1e-5): void {
  const xs = Array.from(got.dataSync());
  expect(xs.length, what).toBe(want.length);
  for (const [i, x] of xs.entries()) {
    const w = want[i] as number;
    if (!(Math.abs(x - w) <= atol + rtol * Math.abs(w))) expect.fail(`${what}[${i}]: got ${x}, want ${w}`);
  }
}

/** Index of the channel of each element of a row-major tensor of `shape`. */
function channelOf(shape: number[], axis: number): number[] {
  const size = shape.reduce((a, b) => a * b, 1);
  const trail = shape.slice(axis + 1).reduce((a, b) => a * b, 1);
  const C = shape[axis] as number;
  return Array.from({ length: size }, (_, i) => Math.floor(i / trail) % C);
}

/** Float64 batch normalisation over every axis but `axis`, its outputs and gradients for loss Σ y·w. */
function batchNorm64(x: number[], shape: number[], axis: number, gamma: number[] | null, beta: number[] | null) {
  const C = shape[axis] as number;
  const ch = channelOf(shape, axis);
  const n = x.length / C;
  const mean = new Array(C).fill(0);
  for (const [i, v] of x.entries()) mean[ch[i] as number] += v / n;
  const variance = new Array(C).fill(0);
  for (const [i, v] of x.entries()) variance[ch[i] as number] += (v - mean[ch[i] as number]) ** 2 / n;
  const eps = 1e-5;
  const inv = variance.map((v) => 1 / Math.sqrt(v + eps));
  const xHat = x.map((v, i) => (v - mean[ch[i] as number]) * (inv[ch[i] as number] as number));
  const y = xHat.map((h, i) =>
    gamma === null ? h : h * (gamma[ch[i] as number] as number) + ((beta as number[])[ch[i] as number] as number),
  );
  const grads = (w: number[]) => {
    const dxHat = w.map((wi, i) => (gamma === null ? wi : wi * (gamma[ch[i] as number] as number)));
    const meanG = new Array(C).fill(0);
    const meanGX = new Array(C).fill(0);
    for (const [i, g] of dxHat.entries()) {
      meanG[ch[i] as number] += g / n;
      meanGX[ch[i] as number] += (g * (xHat[i] as number)) / n;
    }
    const dx = dxHat.map(
      (g, i) =>
        (inv[ch[i] as number] as number) * (g - meanG[ch[i] as number] - (xHat[i] as number) * meanGX[ch[i] as number]),
    );
    const dGamma = new Array(C).fill(0);
    const dBeta = new Array(C).fill(0);
    for (const [i, wi] of w.entries()) {
      dGamma[ch[i] as number] += wi * (xHat[i] as number);
      dBeta[ch[i] as number] += wi;
    }
    return { dx, dGamma, dBeta };
  };
  return { y, mean, variance, grads };
}

// Channel axis in the middle (lead 4, trail 2), with one leading row (lead 1), last (trail 1),
// last of a rank-4 NHWC batch.
const SHAPES: [number[], number][] = [
  [[4, 3, 2], 1],
  [[1, 3, 5], 1],
  [[5, 3], 1],
  [[2, 2, 2, 3], 3],
];

describeBackends('layer ops against float64', () => {
  it.each(SHAPES)('sumPerChannel and addPerChannel (and its gradients) on %j, channel axis %i', (shape, axis) => {
    const size = shape.reduce((a, b) => a * b, 1);
    const C = shape[axis] as number;
    const x = values(3, size, -2, 2);
    const bias = values(4, C, -1, 1);
    const w = values(5, size, -1, 1);
    const ch = channelOf(shape, axis);
    const sums = new Array(C).fill(0);
    for (const [i, v] of x.entries()) sums[ch[i] as number] += v;
    const wSums = new Array(C).fill(0);
    for (const [i, v] of w.entries()) wSums[ch[i] as number] += v;
    tf.tidy(() => {
      const xt = tf.tensor(x, shape);
      const bt = tf.tensor(bias);
      const s = sumPerChannel(xt, axis);
      expect(s.shape).toEqual([C]);
      expectValues(s, sums, 'sums');
      expectValues(
        addPerChannel(xt, bt, axis),
        x.map((v, i) => v + (bias[ch[i] as number] as number)),
        'x + bias',
      );
      const [dx, db] = tf.grads((a: Tensor, b: Tensor) =>
        tf.sum(tf.mul(addPerChannel(a, b, axis), tf.tensor(w, shape))),
      )([xt, bt]) as [Tensor, Tensor];
      expectValues(dx, w, 'dx');
      expectValues(db, wSums, 'dbias');
    });
  });

  for (const affine of [true, false]) {
    it.each(SHAPES)(`batchNormTrain ${affine ? 'with' : 'without'} γ, β on %j, channel axis %i`, (shape, axis) => {
      const size = shape.reduce((a, b) => a * b, 1);
      const C = shape[axis] as number;
      // One channel nearly constant (variance ≈ 1e-6): eps matters there.
      const x = values(7, size, -2, 3).map((v, i) => (channelOf(shape, axis)[i] === 0 ? 0.5 + v * 1e-3 : v));
      const gamma = affine ? values(8, C, 0.5, 2) : null;
      const beta = affine ? values(9, C, -1, 1) : null;
      const w = values(10, size, -1, 1);
      const want = batchNorm64(x, shape, axis, gamma, beta);
      const g = want.grads(w);
      tf.tidy(() => {
        const xt = tf.tensor(x, shape);
        const gt = gamma === null ? null : tf.tensor(gamma);
        const bt = beta === null ? null : tf.tensor(beta);
        const r = batchNormTrain(xt, gt, bt, axis, 1e-5);
        expectValues(r.y, want.y, 'y');
        expectValues(r.mean, want.mean, 'mean');
        expectValues(r.variance, want.variance, 'variance');
        const loss = (...args: Tensor[]) =>
          tf.sum(
            tf.mul(
              batchNormTrain(args[0] as Tensor, args[1] ?? null, args[2] ?? null, axis, 1e-5).y,
              tf.tensor(w, shape),
            ),
          );
        const inputs = gt === null || bt === null ? [xt] : [xt, gt, bt];
        const grads = tf.grads(loss)(inputs);
        expect(grads).toHaveLength(inputs.length);
        expectValues(grads[0] as Tensor, g.dx, 'dx', 1e-3, 1e-4);
        if (affine) {
          expectValues(grads[1] as Tensor, g.dGamma, 'dγ', 1e-3, 1e-4);
          expectValues(grads[2] as Tensor, g.dBeta, 'dβ');
        }
      });
    });
  }

  it.each([
    [2, 3, 4],
    [9, 3, 2],
  ])('denseForward x·Wᵀ + b and its gradients (N %i, in %i, out %i)', (N, inF, outF) => {
    const x = values(11, N * inF, -1, 1);
    const w = values(12, outF * inF, -1, 1);
    const b = values(13, outF, -1, 1);
    const up = values(14, N * outF, -1, 1);
    const y = Array.from({ length: N * outF }, (_, k) => {
      const [r, o] = [Math.floor(k / outF), k % outF];
      let s = b[o] as number;
      for (let i = 0; i < inF; i++) s += (x[r * inF + i] as number) * (w[o * inF + i] as number);
      return s;
    });
    const dx = Array.from({ length: N * inF }, (_, k) => {
      const [r, i] = [Math.floor(k / inF), k % inF];
      let s = 0;
      for (let o = 0; o < outF; o++) s += (up[r * outF + o] as number) * (w[o * inF + i] as number);
      return s;
    });
    const dw = Array.from({ length: outF * inF }, (_, k) => {
      const [o, i] = [Math.floor(k / inF), k % inF];
      let s = 0;
      for (let r = 0; r < N; r++) s += (up[r * outF + o] as number) * (x[r * inF + i] as number);
      return s;
    });
    const db = Array.from({ length: outF }, (_, o) => {
      let s = 0;
      for (let r = 0; r < N; r++) s += up[r * outF + o] as number;
      return s;
    });
    tf.tidy(() => {
      const [xt, wt, bt, ut] = [
        tf.tensor2d(x, [N, inF]),
        tf.tensor2d(w, [outF, inF]),
        tf.tensor1d(b),
        tf.tensor2d(up, [N, outF]),
      ];
      expectValues(denseForward(xt, wt, bt), y, 'y');
      expectValues(
        denseForward(xt, wt, null),
        y.map((v, k) => v - (b[k % outF] as number)),
        'y without bias',
      );
      const withBias = tf.grads((a: Tensor, c: Tensor, d: Tensor) => tf.sum(tf.mul(denseForward(a, c, d), ut)))([
        xt,
        wt,
        bt,
      ]);
      expect(withBias).toHaveLength(3);
      expectValues(withBias[0] as Tensor, dx, 'dx');
      expectValues(withBias[1] as Tensor, dw, 'dW');
      expectValues(withBias[2] as Tensor, db, 'db');
      const noBias = tf.grads((a: Tensor, c: Tensor) => tf.sum(tf.mul(denseForward(a, c, null), ut)))([xt, wt]);
      expect(noBias).toHaveLength(2);
      expectValues(noBias[1] as Tensor, dw, 'dW without bias');
    });
  });

  it('BatchNorm1d without running statistics: batch statistics in training and eval, no memories', () => {
    const bn = new BatchNorm1d(3, { trackRunningStats: false });
    expect(bn.namedMemories()).toEqual([]);
    expect([bn.runningMean, bn.runningVar, bn.numBatchesTracked]).toEqual([null, null, null]);
    bn.resetRunningStats(); // nothing to reset
    const x = values(15, 12, -2, 2);
    const want = batchNorm64(x, [4, 3], 1, [1, 1, 1], [0, 0, 0]).y;
    for (const mode of [true, false]) {
      bn.train(mode);
      const y = tf.tidy(() => bn.forward(tf.tensor2d(x, [4, 3])));
      expectValues(y, want, mode ? 'training' : 'eval');
      y.dispose();
    }
    expect(bn.namedMemories()).toEqual([]);
    bn.dispose();
  });

  it('BatchNorm1d without an affine part: eval normalises with the running statistics only', () => {
    const bn = new BatchNorm1d(3, { affine: false });
    expect(bn.weight).toBeNull();
    const x1 = values(16, 12, -2, 2);
    tf.dispose(tf.tidy(() => bn.forward(tf.tensor2d(x1, [4, 3]))));
    const s = batchNorm64(x1, [4, 3], 1, null, null);
    const rm = s.mean.map((m) => 0.1 * m);
    const rv = s.variance.map((v) => 0.9 + 0.1 * ((v * 4) / 3));
    bn.eval();
    const x2 = values(17, 6, -2, 2);
    const y = tf.tidy(() => bn.forward(tf.tensor2d(x2, [2, 3])));
    expectValues(
      y,
      x2.map((v, i) => (v - (rm[i % 3] as number)) / Math.sqrt((rv[i % 3] as number) + 1e-5)),
      'eval',
    );
    y.dispose();
    bn.dispose();
  });
}, ['cpu']);

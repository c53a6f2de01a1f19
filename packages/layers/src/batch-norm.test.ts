import { ShapeError, ValueError } from '@snn/core';
import { describeBackends, expectClose, expectNoLeak } from '@snn/core/testing';
import type { Tensor } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import { BatchNorm1d, BatchNorm2d } from './batch-norm.js';

/** Per-channel mean and biased/unbiased variance of [N, C] rows, by hand. */
function channelStats(rows: number[][]): { mean: number[]; biased: number[]; unbiased: number[] } {
  const n = rows.length;
  const c = (rows[0] as number[]).length;
  const mean = Array.from({ length: c }, (_, j) => rows.reduce((a, r) => a + (r[j] as number), 0) / n);
  const ss = Array.from({ length: c }, (_, j) =>
    rows.reduce((a, r) => a + ((r[j] as number) - (mean[j] as number)) ** 2, 0),
  );
  return { mean, biased: ss.map((s) => s / n), unbiased: ss.map((s) => s / (n - 1)) };
}

describeBackends('BatchNorm1d', () => {
  it('normalises a training batch with its own statistics (hand-computed)', () => {
    const bn = new BatchNorm1d(2);
    tf.tidy(() => {
      // Channel 0: 1, 2, 3 (mean 2, biased var 2/3); channel 1: 10, 10, 40 (mean 20, var 200).
      const y = bn.forward(tf.tensor2d([1, 10, 2, 10, 3, 40], [3, 2]));
      const s0 = Math.sqrt(2 / 3 + 1e-5);
      const s1 = Math.sqrt(200 + 1e-5);
      expectClose(y, [
        [-1 / s0, -10 / s1],
        [0, -10 / s1],
        [1 / s0, 20 / s1],
      ]);
    });
    bn.dispose();
  });

  it('tracks running mean and unbiased variance with momentum 0.1, and uses them in eval', () => {
    const bn = new BatchNorm1d(3);
    const batches = [
      [
        [1, 0, 5],
        [3, 2, 5],
        [2, 7, 6],
        [0, 1, 4],
      ],
      [
        [4, -1, 0],
        [2, 1, 2],
      ],
      [
        [0, 0, 1],
        [1, 3, 1],
        [5, 3, 2],
      ],
    ];
    let rm = [0, 0, 0];
    let rv = [1, 1, 1];
    for (const rows of batches) {
      tf.dispose(bn.forward(tf.tensor2d(rows)));
      const s = channelStats(rows);
      rm = rm.map((r, j) => 0.9 * r + 0.1 * (s.mean[j] as number));
      rv = rv.map((r, j) => 0.9 * r + 0.1 * (s.unbiased[j] as number));
    }
    expectClose(bn.runningMean!, rm, { rtol: 1e-5, atol: 1e-6 });
    expectClose(bn.runningVar!, rv, { rtol: 1e-5, atol: 1e-6 });
    expect(bn.numBatchesTracked!.dataSync()[0]).toBe(3);
    bn.weight!.assign(tf.tensor1d([2, 1, 0.5]));
    bn.bias!.assign(tf.tensor1d([0, 1, -1]));
    bn.eval();
    tf.tidy(() => {
      const x = [
        [1, 2, 3],
        [-1, 0, 4],
      ];
      const y = bn.forward(tf.tensor2d(x));
      const g = [2, 1, 0.5];
      const b = [0, 1, -1];
      const expected = x.map((r) =>
        r.map(
          (v, j) =>
            ((v - (rm[j] as number)) / Math.sqrt((rv[j] as number) + 1e-5)) * (g[j] as number) + (b[j] as number),
        ),
      );
      expectClose(y, expected, { rtol: 1e-5, atol: 1e-5 });
    });
    // Eval leaves the running statistics alone.
    expectClose(bn.runningMean!, rm, { rtol: 1e-5, atol: 1e-6 });
    bn.dispose();
  });

  it('averages cumulatively with momentum null, and reset() does not touch running statistics', () => {
    const bn = new BatchNorm1d(1, { momentum: null });
    for (const rows of [
      [[1], [3]],
      [[5], [7]],
      [[0], [0]],
    ])
      tf.dispose(bn.forward(tf.tensor2d(rows)));
    expectClose(bn.runningMean!, [(2 + 6 + 0) / 3]);
    expectClose(bn.runningVar!, [(2 + 2 + 0) / 3]);
    bn.reset();
    expectClose(bn.runningMean!, [8 / 3]);
    bn.resetRunningStats();
    expectClose(bn.runningMean!, [0]);
    expectClose(bn.runningVar!, [1]);
    expect(bn.numBatchesTracked!.dataSync()[0]).toBe(0);
    bn.dispose();
  });

  it('in step mode m takes statistics over T·B, as the folded batch', () => {
    const seq = new BatchNorm1d(4, { stepMode: 'm' });
    const folded = new BatchNorm1d(4);
    tf.tidy(() => {
      const xSeq = tf.randomUniform([3, 5, 4], -2, 2, 'float32', 1);
      const y = seq.forward(xSeq);
      expect(y.shape).toEqual([3, 5, 4]);
      expectClose(y, tf.reshape(folded.forward(tf.reshape(xSeq, [15, 4])), [3, 5, 4]), { rtol: 1e-5, atol: 1e-5 });
      expectClose(seq.runningVar!, folded.runningVar!);
      // Mean 0 and biased variance 1 per feature over all T·B rows.
      const { mean, variance } = tf.moments(tf.reshape(y, [15, 4]), 0);
      expectClose(mean, [0, 0, 0, 0], { atol: 1e-5 });
      expectClose(variance, [1, 1, 1, 1], { rtol: 1e-3 });
    });
    seq.dispose();
    folded.dispose();
  });

  it('normalises [B, C, L] over B and L', () => {
    const bn = new BatchNorm1d(2);
    tf.tidy(() => {
      const x = tf.randomUniform([3, 2, 5], 0, 4, 'float32', 2);
      const rows = tf.reshape(tf.transpose(x, [0, 2, 1]), [15, 2]);
      const { mean, variance } = tf.moments(rows, 0);
      const ref = tf.div(
        tf.sub(x, tf.reshape(mean, [1, 2, 1])),
        tf.sqrt(tf.add(tf.reshape(variance, [1, 2, 1]), 1e-5)),
      );
      expectClose(bn.forward(x), ref, { rtol: 1e-4, atol: 1e-5 });
    });
    bn.dispose();
  });

  it('trains γ and β through the batch statistics; running statistics are persistent state', () => {
    const bn = new BatchNorm1d(2);
    expect(bn.namedParameters(true).map(([n]) => n)).toEqual(['weight', 'bias']);
    expect(bn.namedParameters().map(([n]) => n)).toEqual(['weight', 'bias']);
    expect(bn.namedMemories(true).map(([n]) => n)).toEqual(['runningMean', 'runningVar', 'numBatchesTracked']);
    tf.tidy(() => {
      const x = tf.tensor2d([1, 2, 3, 5, 2, 0], [3, 2]);
      const g = tf.tensor2d([1, -1, 2, 0.5, 0, 1], [3, 2]);
      const { grads } = tf.variableGrads(() => tf.sum(tf.mul(bn.forward(x), g)) as tf.Scalar);
      expect(Object.keys(grads).sort()).toEqual([bn.bias!.name, bn.weight!.name].sort());
      expectClose(grads[bn.bias!.name]!, [3, 0.5]);
      // dL/dx of batch norm sums to zero over the batch (the mean is subtracted).
      const dx = tf.grad((xi: Tensor) => tf.sum(tf.mul(bn.forward(xi), g)))(x);
      expectClose(tf.sum(dx, 0), [0, 0], { atol: 1e-5 });
    });
    bn.dispose();
  });

  it('without trackRunningStats or affine: batch statistics always, no parameters', () => {
    const bn = new BatchNorm1d(2, { trackRunningStats: false, affine: false });
    expect(bn.parameters()).toEqual([]);
    bn.eval();
    tf.tidy(() => {
      const y = bn.forward(tf.tensor2d([0, 1, 2, 3], [2, 2]));
      expectClose(
        y,
        [
          [-1, -1],
          [1, 1],
        ],
        { rtol: 1e-4 },
      );
    });
    bn.dispose();
  });

  it('keeps tf.memory() flat over 1,000 training and eval forwards', () => {
    const bn = new BatchNorm1d(8, { stepMode: 'm' });
    const x = tf.randomUniform([2, 4, 8], 0, 1, 'float32', 3);
    expectNoLeak(() => tf.dispose(bn.forward(x)));
    bn.eval();
    expectNoLeak(() => tf.dispose(bn.forward(x)));
    x.dispose();
    bn.dispose();
  });

  it('rejects bad inputs and options', () => {
    const bn = new BatchNorm1d(3);
    const wrong = tf.zeros([4, 2]);
    expect(() => bn.forward(wrong)).toThrow(
      "BatchNorm1d.forward: 'x' must have shape [B, 3] or [B, 3, L] (numFeatures 3), got shape [4, 2]",
    );
    const one = tf.zeros([1, 3]);
    expect(() => bn.forward(one)).toThrow("'x' must be a batch with more than 1 value per channel in training mode");
    expect(bn.numBatchesTracked!.dataSync()[0]).toBe(0);
    bn.eval();
    tf.dispose(bn.forward(one)); // fine with running statistics
    tf.dispose([wrong, one]);
    bn.dispose();
    expect(() => new BatchNorm1d(0)).toThrow(ValueError);
    expect(() => new BatchNorm1d(2, { momentum: 1.5 })).toThrow(
      "BatchNorm1d: 'momentum' must be a number in [0, 1] or null (cumulative average), got 1.5",
    );
    expect(() => new BatchNorm1d(2, { eps: 0 })).toThrow("BatchNorm1d: 'eps' must be a finite number > 0, got 0");
  });
});

/**
 * Batch norm of [N, C] rows in float64, from the formula: μ, biased σ², x̂ = (x − μ)/√(σ² + eps),
 * and the input gradient of L = Σ y·g (γ = 1): dx = (g − mean(g) − x̂·mean(g·x̂))/√(σ² + eps).
 * The inputs are the float32 values the layer sees (Math.fround), so only the layer's own
 * arithmetic is compared.
 */
function batchNormReference(rows: number[][], g: number[][], eps: number) {
  const x = rows.map((r) => r.map((v) => Math.fround(v)));
  const n = x.length;
  const c = (x[0] as number[]).length;
  const col = (m: number[][], j: number) => m.map((r) => r[j] as number);
  const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;
  const y = x.map((r) => r.map(() => 0));
  const dx = x.map((r) => r.map(() => 0));
  const unbiased: number[] = [];
  for (let j = 0; j < c; j++) {
    const xs = col(x, j);
    const mu = mean(xs);
    const variance = mean(xs.map((v) => (v - mu) ** 2));
    unbiased.push((variance * n) / (n - 1));
    const sigma = Math.sqrt(variance + eps);
    const hat = xs.map((v) => (v - mu) / sigma);
    const gs = col(g, j);
    const meanG = mean(gs);
    const meanGX = mean(gs.map((v, i) => v * (hat[i] as number)));
    for (let i = 0; i < n; i++) {
      (y[i] as number[])[j] = hat[i] as number;
      (dx[i] as number[])[j] = ((gs[i] as number) - meanG - (hat[i] as number) * meanGX) / sigma;
    }
  }
  return { y, dx, unbiased };
}

describeBackends('BatchNorm near-silent channels', () => {
  // Channel 0 nearly constant (σ² ≈ 1e-4: 1/(√σ² + eps) is 4.8 % off 1/√(σ² + eps) there),
  // channel 1 exactly constant (σ² = 0: the two differ 316-fold), channel 2 ordinary.
  const rows = [
    [0.5 + 0.012, 3, 1],
    [0.5 - 0.009, 3, -2],
    [0.5 + 0.004, 3, 0.5],
    [0.5 - 0.011, 3, 4],
    [0.5 + 0.004, 3, -1],
  ];
  const g = [
    [1, 2, -1],
    [-0.5, 1, 0.5],
    [2, -3, 1],
    [0.25, 0.5, 2],
    [-1, 1.5, -0.5],
  ];

  it('normalises a training batch and back-propagates as the float64 formula', () => {
    const ref = batchNormReference(rows, g, 1e-5);
    const bn = new BatchNorm1d(3);
    tf.tidy(() => {
      const x = tf.tensor2d(rows);
      const gt = tf.tensor2d(g);
      expectClose(bn.forward(x), ref.y, { rtol: 2e-3, atol: 1e-5 });
      const dx = tf.grad((xi: Tensor) => tf.sum(tf.mul(bn.forward(xi), gt)))(x);
      // The constant channel's gradient is (g − mean g)/√eps: about 316 · g.
      expectClose(dx, ref.dx, { rtol: 2e-3, atol: 1e-3 });
    });
    bn.dispose();
  });

  it('normalises with running variances near and at zero in eval mode', () => {
    // momentum 1: the running statistics are this batch's (unbiased variance).
    const bn = new BatchNorm1d(3, { momentum: 1 });
    tf.dispose(bn.forward(tf.tensor2d(rows)));
    const ref = batchNormReference(rows, g, 1e-5);
    const rm = [0, 1, 2].map((j) => rows.reduce((a, r) => a + Math.fround(r[j] as number), 0) / rows.length);
    expectClose(bn.runningVar!, ref.unbiased, { rtol: 2e-3, atol: 1e-9 });
    expect(bn.runningVar!.dataSync()[1]).toBe(0);
    bn.eval();
    const x = [
      [0.52, 3.01, 0],
      [0.47, 2.995, 2],
    ];
    const rv = Array.from(bn.runningVar!.dataSync());
    const expected = x.map((r) =>
      r.map((v, j) => (Math.fround(v) - (rm[j] as number)) / Math.sqrt((rv[j] as number) + 1e-5)),
    );
    tf.tidy(() => expectClose(bn.forward(tf.tensor2d(x)), expected, { rtol: 1e-3, atol: 1e-4 }));
    bn.dispose();
  });
});

describeBackends('BatchNorm2d', () => {
  it('normalises each channel over B, H, W; NHWC gives the same numbers', () => {
    const bn = new BatchNorm2d(3);
    const bnh = new BatchNorm2d(3, { dataFormat: 'NHWC' });
    tf.tidy(() => {
      const x = tf.randomUniform([4, 3, 5, 5], -1, 3, 'float32', 4);
      const { mean, variance } = tf.moments(x, [0, 2, 3], true);
      const ref = tf.div(tf.sub(x, mean), tf.sqrt(tf.add(variance, 1e-5)));
      expectClose(bn.forward(x), ref, { rtol: 1e-4, atol: 1e-5 });
      const n = 4 * 5 * 5;
      expectClose(bn.runningVar!, tf.add(0.9, tf.mul(tf.reshape(variance, [3]), (0.1 * n) / (n - 1))), { rtol: 1e-5 });
      expectClose(bnh.forward(tf.transpose(x, [0, 2, 3, 1])), tf.transpose(ref, [0, 2, 3, 1]), {
        rtol: 1e-4,
        atol: 1e-5,
      });
      expectClose(bnh.runningMean!, bn.runningMean!, { rtol: 1e-5, atol: 1e-6 });
    });
    bn.dispose();
    bnh.dispose();
  });

  it('in step mode m uses statistics over T·B·H·W', () => {
    const bn = new BatchNorm2d(2, { stepMode: 'm' });
    tf.tidy(() => {
      const xSeq = tf.randomUniform([3, 2, 2, 4, 4], -1, 1, 'float32', 5);
      const y = bn.forward(xSeq);
      const { mean, variance } = tf.moments(y, [0, 1, 3, 4]);
      expectClose(mean, [0, 0], { atol: 1e-5 });
      expectClose(variance, [1, 1], { rtol: 1e-3 });
    });
    const wrong = tf.zeros([2, 2, 3, 4, 4]);
    expect(() => bn.forward(wrong)).toThrow(ShapeError);
    expect(() => bn.forward(wrong)).toThrow("'xSeq' must have shape [T, B, 2, H, W] (rank 5, numFeatures 2)");
    wrong.dispose();
    bn.dispose();
  });
});

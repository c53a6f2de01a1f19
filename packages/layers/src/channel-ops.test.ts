import '@snn/core'; // registers the backends' providers
import { describeBackends, expectClose, expectNoLeak } from '@snn/core/testing';
import type { Tensor } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';
import { it } from 'vitest';
import { addPerChannel, batchNormTrain, channelShape, sumPerChannel } from './channel-ops.js';

/** The composed tfjs-ops batch norm these nodes replace (tf.moments + broadcast arithmetic). */
function composedBatchNorm(x: Tensor, gamma: Tensor, beta: Tensor, c: number, eps: number): Tensor {
  const axes = x.shape.map((_, i) => i).filter((i) => i !== c);
  const shape = channelShape(x.shape[c] as number, c, x.rank);
  const { mean, variance } = tf.moments(x, axes);
  const xHat = tf.mul(tf.sub(x, tf.reshape(mean, shape)), tf.reshape(tf.rsqrt(tf.add(variance, eps)), shape));
  return tf.add(tf.mul(xHat, tf.reshape(gamma, shape)), tf.reshape(beta, shape));
}

// Every axis a different size; one channel constant and one nearly so (variance 1e-6), where a
// wrong formula (1/(sqrt(var) + eps) in place of rsqrt(var + eps)) is far off.
const CASES: [string, number[], number][] = [
  ['channels last [B, H, W, C]', [3, 4, 5, 6], 3],
  ['channels first [B, C, H, W]', [3, 6, 4, 5], 1],
  ['features [N, C]', [7, 6], 1],
];

function input(shape: number[], c: number): Tensor {
  return tf.tidy(() => {
    const x = tf.randomNormal(shape, 0.5, 2, 'float32', 3);
    const C = shape[c] as number;
    const keep = tf.reshape(tf.tensor1d([1, 0, 1, 1, 1e-3, 1]), channelShape(C, c, shape.length));
    return tf.mul(x, keep); // channel 1 constant (0), channel 4 tiny spread
  });
}

describeBackends('channel ops', () => {
  it.each(CASES)('sumPerChannel equals tf.sum over the other axes: %s', (_n, shape, c) => {
    tf.tidy(() => {
      const x = input(shape, c);
      const axes = shape.map((_, i) => i).filter((i) => i !== c);
      expectClose(sumPerChannel(x, c), tf.sum(x, axes), { rtol: 1e-5, atol: 1e-4 });
    });
  });

  it.each(CASES)('addPerChannel has tf.add gradients: %s', (_n, shape, c) => {
    tf.tidy(() => {
      const x = input(shape, c);
      const b = tf.randomNormal([6], 0, 1, 'float32', 5);
      const w = tf.randomNormal(shape, 0, 1, 'float32', 6);
      const ours = tf.grads((xs: Tensor, bs: Tensor) => tf.sum(tf.mul(addPerChannel(xs, bs, c), w)))([x, b]);
      const theirs = tf.grads((xs: Tensor, bs: Tensor) =>
        tf.sum(tf.mul(tf.add(xs, tf.reshape(bs, channelShape(6, c, shape.length))), w)),
      )([x, b]);
      for (const [i, g] of ours.entries()) expectClose(g, theirs[i] as Tensor, { rtol: 1e-5, atol: 1e-4 });
    });
  });

  it.each(CASES)(
    'batchNormTrain has the composed output and gradients, also on constant channels: %s',
    (_n, shape, c) => {
      tf.tidy(() => {
        const x = input(shape, c);
        const gamma = tf.randomUniform([6], 0.5, 1.5, 'float32', 7);
        const beta = tf.randomNormal([6], 0, 1, 'float32', 8);
        const w = tf.randomNormal(shape, 0, 1, 'float32', 9);
        const eps = 1e-5;
        const ours = (xs: Tensor, g: Tensor, b: Tensor) => tf.sum(tf.mul(batchNormTrain(xs, g, b, c, eps).y, w));
        const theirs = (xs: Tensor, g: Tensor, b: Tensor) => tf.sum(tf.mul(composedBatchNorm(xs, g, b, c, eps), w));
        expectClose(batchNormTrain(x, gamma, beta, c, eps).y, composedBatchNorm(x, gamma, beta, c, eps), {
          rtol: 1e-4,
          atol: 1e-4,
        });
        const a = tf.grads(ours)([x, gamma, beta]);
        const e = tf.grads(theirs)([x, gamma, beta]);
        for (const [i, g] of a.entries()) expectClose(g, e[i] as Tensor, { rtol: 1e-3, atol: 1e-3 });
        const stats = batchNormTrain(x, null, null, c, eps);
        const { mean, variance } = tf.moments(
          x,
          shape.map((_, i) => i).filter((i) => i !== c),
        );
        expectClose(stats.mean, mean, { rtol: 1e-5, atol: 1e-6 });
        expectClose(stats.variance, variance, { rtol: 1e-4, atol: 1e-7 });
      });
    },
  );

  it('keeps tf.memory() flat with and without a gradient', () => {
    const x = tf.randomNormal([4, 3, 5, 2]);
    const g = tf.variable(tf.ones([3]));
    const b = tf.variable(tf.zeros([3]));
    expectNoLeak(() => {
      const r = batchNormTrain(x, g, b, 1, 1e-5);
      tf.dispose([r.y, r.mean, r.variance]);
    }, 10);
    expectNoLeak(() => {
      const { value, grads } = tf.variableGrads(
        () => tf.sum(tf.square(batchNormTrain(x, g, b, 1, 1e-5).y)) as tf.Scalar,
      );
      tf.dispose([value, ...Object.values(grads)]);
    }, 10);
    tf.dispose([x, g, b]);
  });
});

import '@snn/core'; // registers the backends' providers
import { describeBackends, expectClose, expectNoLeak } from '@snn/core/testing';
import type { Tensor } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import { denseForward } from './dense-op.js';

describeBackends('denseForward', () => {
  // [N, in, out]: the first transposes W, the second x and the product (less to move).
  for (const [N, inF, outF] of [
    [6, 5, 3],
    [2, 5, 6],
  ] as const)
    for (const withBias of [true, false]) {
      it(`gives tf.matMul's output and gradients (${withBias ? 'with' : 'without'} bias, [${N}, ${inF}] → ${outF})`, () => {
        tf.tidy(() => {
          const x = tf.randomNormal([N, inF], 0, 1, 'float32', 1);
          const w = tf.randomNormal([outF, inF], 0, 1, 'float32', 2);
          const b = withBias ? tf.randomNormal([outF], 0, 1, 'float32', 3) : null;
          const weights = tf.randomNormal([N, outF], 0, 1, 'float32', 4);
          const ours = (xs: Tensor, ws: Tensor, bs: Tensor) =>
            tf.sum(tf.mul(denseForward(xs, ws, withBias ? bs : null), weights));
          const theirs = (xs: Tensor, ws: Tensor, bs: Tensor) => {
            const y = tf.matMul(xs, ws, false, true);
            return tf.sum(tf.mul(withBias ? tf.add(y, bs) : y, weights));
          };
          const args = [x, w, b ?? tf.zeros([outF])];
          const a = withBias
            ? tf.valueAndGrads(ours)(args)
            : tf.valueAndGrads((xs: Tensor, ws: Tensor) => ours(xs, ws, xs))([x, w]);
          const e = withBias
            ? tf.valueAndGrads(theirs)(args)
            : tf.valueAndGrads((xs: Tensor, ws: Tensor) => theirs(xs, ws, xs))([x, w]);
          expectClose(a.value, e.value, { rtol: 1e-5, atol: 1e-5 });
          expect(a.grads.length).toBe(e.grads.length);
          for (const [i, g] of a.grads.entries()) expectClose(g, e.grads[i] as Tensor, { rtol: 1e-5, atol: 1e-5 });
        });
      });
    }

  it('keeps tf.memory() flat with and without a gradient', () => {
    const x = tf.ones([4, 3]);
    const w = tf.variable(tf.ones([2, 3]));
    const b = tf.variable(tf.zeros([2]));
    expectNoLeak(() => tf.dispose(denseForward(x, w, b)), 20);
    expectNoLeak(() => {
      const { value, grads } = tf.variableGrads(() => tf.sum(denseForward(x, w, b)) as tf.Scalar, [w, b]);
      tf.dispose([value, ...Object.values(grads)]);
    }, 20);
    tf.dispose([x, w, b]);
  });
});

import { describeBackends, expectClose } from '@snn/core/testing';
import type { Tensor } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import { constrainWeight } from './constraint.js';
import { Conv1d, Conv2d } from './conv.js';
import { Linear } from './linear.js';

const extremes = (t: Tensor): [number, number] => {
  const v = Array.from(t.dataSync());
  return [Math.min(...v), Math.max(...v)];
};

describeBackends('weight constraints', () => {
  it('compute with W = |θ| (nonNegative) or −|θ| (nonPositive)', () => {
    tf.tidy(() => {
      const theta = tf.tensor1d([-2, 0, 3]);
      expectClose(constrainWeight(theta, 'nonNegative'), [2, 0, 3]);
      expectClose(constrainWeight(theta, 'nonPositive'), [-2, 0, -3]);
      expectClose(constrainWeight(theta, null), [-2, 0, 3]);
    });
    const fc = new Linear(3, 2, { seed: 0, constraint: 'nonNegative', bias: false });
    fc.weight.assign(tf.tensor2d([-1, 2, -3, 4, -5, 6], [2, 3]));
    tf.tidy(() => expectClose(fc.forward(tf.tensor2d([[1, 1, 1]])), [[6, 15]]));
    fc.dispose();
  });

  it.each(['nonNegative', 'nonPositive'] as const)(
    'Linear %s: holds after 30 Adam steps that push the weights across zero',
    (constraint) => {
      const fc = new Linear(6, 4, { seed: 2, constraint });
      const sign = constraint === 'nonNegative' ? 1 : -1;
      const x = tf.randomUniform([8, 6], 0, 1, 'float32', 1);
      // The target pulls every output towards −2·sign: unconstrained, the weights would change sign.
      const target = tf.fill([8, 4], -2 * sign);
      const opt = tf.train.adam(0.1);
      const loss = () => tf.mean(tf.square(tf.sub(fc.forward(x), target))) as tf.Scalar;
      const first = tf.tidy(() => loss().dataSync()[0] as number);
      for (let i = 0; i < 30; i++) {
        tf.dispose(opt.minimize(loss, true) as tf.Scalar);
        const [lo, hi] = tf.tidy(() => extremes(fc.effectiveWeight()));
        if (sign > 0) expect(lo).toBeGreaterThanOrEqual(0);
        else expect(hi).toBeLessThanOrEqual(0);
      }
      expect(tf.tidy(() => loss().dataSync()[0] as number)).toBeLessThan(first);
      // θ takes both signs (its init is symmetric); W = ±|θ| only one.
      const [thetaLo, thetaHi] = extremes(fc.weight);
      expect(thetaLo < 0 && thetaHi > 0).toBe(true);
      tf.dispose([x, target]);
      opt.dispose();
      fc.dispose();
    },
  );

  it('Conv2d and Conv1d nonNegative: hold after Adam steps, and forward uses |θ|', () => {
    const conv = new Conv2d(2, 3, 3, { padding: 1, seed: 3, constraint: 'nonNegative' });
    const conv1 = new Conv1d(2, 3, 3, { seed: 3, constraint: 'nonPositive' });
    const x = tf.randomUniform([2, 2, 5, 5], 0, 1, 'float32', 2);
    const x1 = tf.randomUniform([2, 2, 7], 0, 1, 'float32', 3);
    const opt = tf.train.adam(0.2);
    const loss = () =>
      tf.add(
        tf.mean(tf.square(tf.add(conv.forward(x), 1))),
        tf.mean(tf.square(tf.sub(conv1.forward(x1), 1))),
      ) as tf.Scalar;
    for (let i = 0; i < 20; i++) tf.dispose(opt.minimize(loss, true) as tf.Scalar);
    tf.tidy(() => {
      expect(extremes(conv.effectiveWeight())[0]).toBeGreaterThanOrEqual(0);
      expect(extremes(conv1.effectiveWeight())[1]).toBeLessThanOrEqual(0);
      const plain = new Conv2d(2, 3, 3, { padding: 1, seed: 3 });
      plain.weight.assign(tf.abs(conv.weight));
      plain.bias!.assign(conv.bias!);
      expectClose(conv.forward(x), plain.forward(x), { rtol: 1e-5, atol: 1e-6 });
      plain.dispose();
    });
    tf.dispose([x, x1]);
    opt.dispose();
    conv.dispose();
    conv1.dispose();
  });
});

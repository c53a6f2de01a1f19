import { ValueError } from '@snn/core';
import { describeBackends, expectClose } from '@snn/core/testing';
import type { Tensor } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import { ParametricLIFNode, parametricLIFCharge, parametricLIFInitW } from './parametric-lif.js';

describeBackends('ParametricLIFNode', () => {
  it('starts at w = -ln(initTau - 1), so that sigmoid(w) = 1 / initTau', () => {
    expect(parametricLIFInitW(2)).toBe(-0);
    expect(parametricLIFInitW(4)).toBeCloseTo(-Math.log(3), 12);
    const node = new ParametricLIFNode({ initTau: 4 });
    expect(node.w.dataSync()[0]).toBeCloseTo(-Math.log(3), 6);
    expect(node.tau).toBeCloseTo(4, 5);
    expect(node.namedParameters(true).map(([name, v]) => [name, v.trainable])).toEqual([['w', true]]);
    expect(() => parametricLIFInitW(1)).toThrow("parametricLIFInitW: 'initTau' must be a finite number > 1, got 1");
    expect(() => new ParametricLIFNode({ decayInput: 1 as unknown as boolean })).toThrow(ValueError);
    node.dispose();
  });

  it('charges with k = sigmoid(w) in the four branches of LIF', () => {
    tf.tidy(() => {
      const x = tf.tensor1d([1, -0.5]);
      const v = tf.tensor1d([0.5, 0.25]);
      const k = 0.25;
      const charge = (decayInput: boolean, vReset: number | null) =>
        parametricLIFCharge(x, v, k, { decayInput, vReset });
      expectClose(charge(true, 0), [0.5 + (1 - 0.5) * k, 0.25 + (-0.5 - 0.25) * k]);
      expectClose(charge(true, null), [0.5 + (1 - 0.5) * k, 0.25 + (-0.5 - 0.25) * k]);
      expectClose(charge(true, -0.1), [0.5 + (1 - 0.6) * k, 0.25 + (-0.5 - 0.35) * k]);
      expectClose(charge(false, 0), [0.5 * (1 - k) + 1, 0.25 * (1 - k) - 0.5]);
      expectClose(charge(false, -0.1), [0.5 - 0.6 * k + 1, 0.25 - 0.35 * k - 0.5]);
    });
  });

  it('learns its time constant: a gradient step on w changes tau', () => {
    const node = new ParametricLIFNode({ initTau: 2, stepMode: 'm', storeVSeq: true });
    const xs = tf.tidy(() => tf.mul(tf.randomUniform([16, 4, 8], 0, 1, 'float32', 3), 1.2));
    const target = tf.scalar(0.5); // ask for a higher mean potential
    const opt = tf.train.adam(0.1);
    const lossOf = (): tf.Scalar => {
      node.reset();
      tf.dispose(node.forward(xs));
      return tf.square(tf.sub(tf.mean(node.vSeq as Tensor), target)) as tf.Scalar;
    };
    const first = tf.tidy(() => lossOf().dataSync()[0] as number);
    for (let i = 0; i < 20; i++) tf.dispose(opt.minimize(lossOf, true, [node.w]) as tf.Scalar);
    const last = tf.tidy(() => lossOf().dataSync()[0] as number);
    expect(node.tau).not.toBeCloseTo(2, 2);
    expect(last).toBeLessThan(first);
    tf.dispose([xs, target]);
    opt.dispose();
    node.dispose();
  });
});

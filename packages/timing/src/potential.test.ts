// The binned potential against the dense reference (SpikingJelly's formula term by term), on
// random and edge-case spike times, values and gradients; and the Gaussian-tuning pipeline.
import { createRng } from '@snn/core';
import { describeBackends, expectClose, expectNoLeak } from '@snn/core/testing';
import { GaussianTuning } from '@snn/encoding';
import { Tempotron, type TempotronParams, tempotronPotential, tempotronPotentialReference } from '@snn/timing';
import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import { flat, type GaussianTuningCase, goldenCases } from './test-fixtures.js';

const P: TempotronParams = { T: 25, tau: 8, tauS: 2, vThreshold: 1.5 };

/** Random times in [−3, T]: negatives, fractions, exact integers, 0, T − 1, T − 0.5 and T. */
function randomTimes(seed: number, B: number, N: number, T: number, integer = false): tf.Tensor {
  const rng = createRng(seed);
  const edges = integer ? [0, T - 1, T, -1, 3] : [0, T - 1, T - 0.5, T, -0.5, -1, 3];
  const values = Array.from({ length: B * N }, (_, k) => {
    if (k < edges.length) return edges[k] as number;
    const u = rng.nextFloat();
    if (u < 0.2) return -1;
    if (u < 0.4 || integer) return rng.nextInt(T);
    return rng.nextFloat() * T;
  });
  return tf.tensor2d(values, [B, N]);
}

describeBackends('tempotronPotential', () => {
  it.each([
    ['fractional', false],
    ['integer', true],
  ])('equals the dense formula on random %s spike times', (_, integer) => {
    const w = createRng(1).normal([4, 30], 0, 0.5);
    const s = randomTimes(2, 5, 30, P.T, integer);
    const fast = tempotronPotential(w, s, P);
    const dense = tempotronPotentialReference(w, s, P);
    expect(fast.shape).toEqual([5, 4, P.T]);
    expectClose(fast, dense, { rtol: 1e-5, atol: 2e-6 });
    tf.dispose([w, s, fast, dense]);
  });

  it.each([
    ['fractional', false],
    ['integer', true],
  ])('has the gradients of the dense formula, for the weights and %s spike times', (_, integer) => {
    const w = createRng(3).normal([3, 12], 0, 0.5);
    const s = randomTimes(4, 4, 12, P.T, integer);
    const dy = createRng(5).normal([4, 3, P.T]);
    const loss = (f: typeof tempotronPotential) => (wt: tf.Tensor, st: tf.Tensor) => tf.sum(tf.mul(f(wt, st, P), dy));
    const [dwFast, dsFast] = tf.grads(loss(tempotronPotential))([w, s]) as [tf.Tensor, tf.Tensor];
    const [dwDense, dsDense] = tf.grads(loss(tempotronPotentialReference))([w, s]) as [tf.Tensor, tf.Tensor];
    expectClose(dwFast, dwDense, { rtol: 1e-4, atol: 1e-5 });
    expectClose(dsFast, dsDense, { rtol: 1e-4, atol: 1e-5 });
    tf.dispose([w, s, dy, dwFast, dsFast, dwDense, dsDense]);
  });

  it('is 0 with zero gradients when no spike reaches the window (still a function of the weights)', () => {
    const w = tf.variable(tf.ones([2, 3]));
    const s = tf.tensor2d([
      [-1, -0.5, 24.5],
      [25, -3, -1],
    ]);
    const { value, grads } = tf.variableGrads(() => tf.sum(tempotronPotential(w, s, P)) as tf.Scalar, [w]);
    expect(value.dataSync()[0]).toBe(0);
    expect(Array.from((grads[w.name] as tf.Tensor).dataSync())).toEqual([0, 0, 0, 0, 0, 0]);
    tf.dispose([w, s, value, grads]);
  });

  it('does not leak, with or without a gradient tape', () => {
    const w = tf.variable(createRng(7).normal([3, 10]));
    const s = randomTimes(8, 2, 10, P.T);
    expectNoLeak(() => {
      tf.dispose(tempotronPotential(w, s, P));
      tf.dispose(tf.variableGrads(() => tf.sum(tempotronPotential(w, s, P)) as tf.Scalar, [w]));
    }, 50);
    tf.dispose([w, s]);
  });
});

describeBackends('Gaussian tuning into a Tempotron', () => {
  const gt = goldenCases<GaussianTuningCase>('encoders.json').filter((c) => c.name.startsWith('GaussianTuning'));
  it.each(gt.map((c) => [c.name, c] as const))(
    '@snn/encoding gives SpikingJelly’s spike times, which a Tempotron reads: %s',
    (_, c) => {
      const { n, m, x_min, x_max, max_spike_time } = c.params;
      const enc = new GaussianTuning(n, m, x_min, x_max);
      const times = enc.encode(tf.tensor3d(c.inputs.x), max_spike_time); // [B, n, k, m]
      expectClose(times, c.outputs.spike_times, { rtol: 0, atol: 0 });
      const B = times.shape[0] as number;
      const features = times.size / B;
      const x = tf.reshape(times, [B, features]);
      const net = new Tempotron(features, 2, max_spike_time, { seed: 11 });
      const v = net.forward(x, 'v');
      const dense = tempotronPotentialReference(net.weight, x, net.params);
      expectClose(v, dense, { rtol: 1e-5, atol: 2e-6 });
      expect(flat(c.outputs.spike_times).some((t) => t < 0)).toBe(true); // the case has silent neurons
      tf.dispose([times, x, v, dense]);
      enc.dispose();
      net.dispose();
    },
  );
});

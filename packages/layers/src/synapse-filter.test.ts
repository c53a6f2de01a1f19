import { ShapeError, ValueError } from '@snn/core';
import { describeBackends, expectClose, expectNoLeak } from '@snn/core/testing';
import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import { SynapseFilter, synapseFilterStep } from './synapse-filter.js';

/** I[t] = I[t−1] − (1 − x[t])·I[t−1]/τ + x[t] from I = 0, by a loop over [T][N] numbers. */
function filterLoop(xs: number[][], tau: number): number[][] {
  let current = xs[0]!.map(() => 0);
  return xs.map((x) => {
    current = current.map((i, n) => i - ((1 - (x[n] as number)) * i) / tau + (x[n] as number));
    return current;
  });
}

const SPIKES = [
  [1, 0, 0],
  [0, 0, 1],
  [0, 1, 1],
  [1, 0, 0],
  [0, 0, 0],
  [0, 1, 0],
];

describeBackends('SynapseFilter', () => {
  it('follows I[t] = I[t−1] − (1 − X[t])·I[t−1]/τ + X[t] (hand loop), single and multi step', () => {
    const single = new SynapseFilter({ tau: 4 });
    const multi = new SynapseFilter({ tau: 4, stepMode: 'm' });
    const expected = filterLoop(SPIKES, 4);
    // By hand for neuron 0: 1, 0.75, 0.5625, 1.5625, 1.171875, 0.87890625.
    expect(expected.map((r) => r[0])).toEqual([1, 0.75, 0.5625, 1.5625, 1.171875, 0.87890625]);
    tf.tidy(() => {
      const xSeq = tf.tensor3d(SPIKES.map((r) => [r]));
      const steps = SPIKES.map((r) => single.forward(tf.tensor2d([r])));
      expectClose(
        tf.stack(steps),
        expected.map((r) => [r]),
      );
      expectClose(
        multi.forward(xSeq),
        expected.map((r) => [r]),
      );
      expectClose(multi.outI, [expected[5]!]);
    });
    single.dispose();
    multi.dispose();
  });

  it('filters real-valued input by the same equation, and reset() returns to I = 0', () => {
    const syn = new SynapseFilter({ tau: 2.5, stepMode: 'm' });
    const xs = [
      [0.5, -1],
      [0.2, 2],
      [0, 0],
    ];
    tf.tidy(() => {
      expectClose(
        syn.forward(tf.tensor3d(xs.map((r) => [r]))),
        filterLoop(xs, 2.5).map((r) => [r]),
      );
      syn.reset();
      expect(syn.outI.rank).toBe(0);
      expectClose(syn.forward(tf.tensor3d([[[1, 1]]])), [[[1, 1]]]);
      expectClose(synapseFilterStep(tf.tensor1d([0, 1]), tf.tensor1d([2, 2]), 0.25), [1.5, 3]);
    });
    syn.dispose();
  });

  it('learns τ through k = sigmoid(w), w starting at −ln(τ − 1)', () => {
    const syn = new SynapseFilter({ tau: 3, learnable: true, stepMode: 'm' });
    expect(syn.w!.dataSync()[0]).toBeCloseTo(-Math.log(2), 6);
    expect(syn.tau).toBeCloseTo(3, 5);
    expect(syn.namedParameters(true).map(([n]) => n)).toEqual(['w']);
    const xSeq = tf.tensor3d(SPIKES.map((r) => [r]));
    tf.tidy(() =>
      expectClose(
        syn.forward(xSeq),
        filterLoop(SPIKES, 3).map((r) => [r]),
        { rtol: 1e-5 },
      ),
    );
    // Ask for a larger mean current: a slower decay, so τ must grow.
    const opt = tf.train.adam(0.1);
    const loss = () => {
      syn.reset();
      return tf.neg(tf.mean(syn.forward(xSeq))) as tf.Scalar;
    };
    for (let i = 0; i < 10; i++) tf.dispose(opt.minimize(loss, true) as tf.Scalar);
    expect(syn.tau).toBeGreaterThan(3.5);
    const fixed = new SynapseFilter({ tau: 3 });
    expect(fixed.parameters()).toEqual([]);
    expect(fixed.tau).toBe(3);
    tf.dispose(xSeq);
    opt.dispose();
    syn.dispose();
  });

  it('keeps tf.memory() flat over 1,000 steps', () => {
    const syn = new SynapseFilter({ tau: 5, learnable: true });
    const x = tf.ones([2, 4]);
    expectNoLeak(() => tf.dispose(syn.forward(x)));
    x.dispose();
    syn.dispose();
  });

  it('rejects bad τ and an input that does not fit the state', () => {
    expect(() => new SynapseFilter({ tau: 1 })).toThrow("SynapseFilter: 'tau' must be a finite number > 1, got 1");
    expect(() => new SynapseFilter({ tau: Number.NaN })).toThrow(ValueError);
    expect(() => new SynapseFilter({ learnable: 'yes' as never })).toThrow(ValueError);
    const syn = new SynapseFilter({ tau: 2 });
    const a = tf.ones([2, 3]);
    const b = tf.ones([3, 3]);
    tf.dispose(syn.forward(a));
    expect(() => syn.forward(b)).toThrow(ShapeError);
    syn.reset();
    tf.dispose(syn.forward(b));
    syn.setStepMode('m');
    expect(() => syn.forward(a)).toThrow("'xSeq' must have shape [T, 3, 3]");
    tf.dispose([a, b]);
    syn.dispose();
  });
});

import { describeBackends, expectClose } from '@snn/core/testing';
import type { Tensor } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import { NonSpikingLIFNode, nonSpikingLIFStep } from './non-spiking-lif.js';

/** LIF charge with no fire and no reset, in float64. */
function reference(xs: number[][], tau: number, decayInput: boolean, r: number): number[][] {
  let v = xs[0]?.map(() => r) ?? [];
  return xs.map((x) => {
    v = v.map((vi, i) =>
      decayInput ? vi + ((x[i] as number) - (vi - r)) / tau : vi - (vi - r) / tau + (x[i] as number),
    );
    return v;
  });
}

describeBackends('NonSpikingLIFNode', () => {
  it.each([
    [true, 0],
    [false, 0],
    [true, -0.1],
    [false, -0.1],
  ] as const)('integrates like LIF and never fires (decayInput %s, vReset %s)', (decayInput, vReset) => {
    tf.tidy(() => {
      const xs = tf.randomUniform([10, 2, 4], 0, 50, 'float32', 9); // far above any threshold
      const ref = reference(
        (xs.arraySync() as number[][][]).map((row) => row.flat()),
        3,
        decayInput,
        vReset,
      );
      const node = new NonSpikingLIFNode({ tau: 3, decayInput, vReset, stepMode: 'm', storeVSeq: true });
      const out = node.forward(xs);
      expect(out.shape).toEqual([10, 2, 4]);
      expectClose(tf.reshape(out, [10, 8]), ref, { rtol: 1e-5, atol: 1e-5 });
      expect(Array.from((node.vSeq as Tensor).dataSync())).toEqual(Array.from(out.dataSync()));
      expect(Array.from(node.v.dataSync())).toEqual(Array.from(tf.slice(out, 9, 1).dataSync()));
      node.dispose();
    });
  });

  it('returns V in single-step mode; the pure step is the same', () => {
    tf.tidy(() => {
      const node = new NonSpikingLIFNode({ tau: 2 });
      const x = tf.tensor2d([[4, -2]]);
      expectClose(node.forward(x), [[2, -1]]);
      expectClose(node.forward(x), [[3, -1.5]]);
      expectClose(nonSpikingLIFStep(x, { v: tf.tensor2d([[2, -1]]) }, { tau: 2, decayInput: true, vReset: 0 }).v, [
        [3, -1.5],
      ]);
      expect(node.vSeq).toBeNull();
      node.dispose();
    });
  });

  it('passes gradients to the input: d sum(V) / d x[t] = sum over u >= t of (1 − 1/τ)^(u−t) / τ', () => {
    tf.tidy(() => {
      const T = 6;
      const tau = 4;
      const node = new NonSpikingLIFNode({ tau, stepMode: 'm' });
      const g = tf.grad((xs: Tensor) => {
        node.reset();
        return tf.sum(node.forward(xs));
      })(tf.ones([T, 1, 2]));
      const expected = Array.from({ length: T }, (_, t) => {
        let sum = 0;
        for (let u = t; u < T; u++) sum += (1 - 1 / tau) ** (u - t) / tau;
        return [[sum, sum]];
      });
      expectClose(g, expected, { rtol: 1e-5 });
      node.dispose();
    });
  });
});

import { readFileSync } from 'node:fs';
// Importing @snn/core registers its cpu backend, which describeBackends switches to.
import '@snn/core';
import { describeBackends, expectClose, expectNoLeak } from '@snn/core/testing';
import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import { EncodingShapeError, EncodingValueError } from './errors.js';
import { phaseWeights, WeightedPhaseEncoder, weightedPhaseDecode, weightedPhaseEncode } from './weighted-phase.js';

interface PhaseCase {
  params: { K: number; phase_weights: number[] };
  inputs: { x: number[][] };
  outputs: { spike: number[][][] };
}
const golden: PhaseCase = JSON.parse(
  readFileSync(new URL('../test/golden/encoders.json', import.meta.url), 'utf8'),
).cases.find((c: { name: string }) => c.name === 'WeightedPhaseEncoder_K8');

describeBackends('weighted phase coding', () => {
  it('phase weights are 2^-(k+1)', () => {
    expect(phaseWeights(golden.params.K)).toEqual(golden.params.phase_weights);
  });

  it('matches SpikingJelly: WeightedPhaseEncoder_K8 (functional and stateful, two periods)', () => {
    tf.tidy(() => {
      const x = tf.tensor2d(golden.inputs.x);
      const s = weightedPhaseEncode(x, 8);
      expect(s.shape).toEqual([8, 4, 8]);
      expect(Array.from(s.dataSync())).toEqual(golden.outputs.spike.flat(2));
      const enc = new WeightedPhaseEncoder(8);
      for (let k = 0; k < 16; k++) {
        expect(Array.from(enc.forward(x).dataSync()), `call ${k}`).toEqual(golden.outputs.spike[k % 8]?.flat());
      }
      enc.dispose();
    });
  });

  it('decodes back to x (exact for multiples of 2^-K, within 2^-K otherwise)', () => {
    tf.tidy(() => {
      const exact = tf.tensor2d([[0, 0.5, 0.75, 0.125, 0.99609375, 0.3359375]]);
      expect(Array.from(weightedPhaseDecode(weightedPhaseEncode(exact, 8)).dataSync())).toEqual(
        Array.from(exact.dataSync()),
      );
      const x = tf.tensor2d(golden.inputs.x);
      const back = weightedPhaseDecode(weightedPhaseEncode(x, 8));
      expectClose(back, x, { atol: 2 ** -8, rtol: 0 });
      expect(tf.max(tf.sub(back, x)).dataSync()[0]).toBeLessThanOrEqual(0); // greedy: never above x
    });
  });

  it('keeps tf.memory() flat over 1,000 steps', () => {
    const x = tf.tensor2d([[0.3, 0.6]]);
    const enc = new WeightedPhaseEncoder(4);
    expectNoLeak(() => tf.dispose(enc.forward(x)), 1000);
    enc.dispose();
    x.dispose();
  });

  it('rejects x outside [0, 1 − 2^-K], bad K, scalars', () => {
    tf.tidy(() => {
      expect(() => weightedPhaseEncode(tf.tensor2d([[0.5, 1]]), 8)).toThrow(
        "weightedPhaseEncode: 'x[1]' must be a number in [0, 0.99609375], got 1",
      );
      expect(() => weightedPhaseEncode(tf.tensor2d([[-0.01]]), 8)).toThrow(EncodingValueError);
      expect(() => weightedPhaseEncode(tf.tensor2d([[0.1]]), 0)).toThrow(
        "weightedPhaseEncode: 'K' must be an integer >= 1, got 0",
      );
      expect(() => weightedPhaseEncode(tf.scalar(0.1), 4)).toThrow(EncodingShapeError);
      expect(() => new WeightedPhaseEncoder(2.5)).toThrow(EncodingValueError);
      expect(() => weightedPhaseDecode(tf.tensor1d([1]))).toThrow(EncodingShapeError);
    });
  });
});

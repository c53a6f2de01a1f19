import { ValueError } from '@snn/core';
import { describeBackends, expectClose, expectNoLeak } from '@snn/core/testing';
import type { Tensor } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import { denseCorrelate } from './correlate.js';
import { Hebbian, MSTDP, MSTDPET, PostPre, type SynapticActivity, WeightDependentPostPre } from './local-rules.js';
import { type MSTDPETState, mstdpetStep, mstdpStep } from './mstdp.js';

const activity = (o: Partial<SynapticActivity> & { w: Tensor }): SynapticActivity => ({
  preSpike: tf.zeros([1, o.w.shape[1] as number]),
  postSpike: tf.zeros([1, o.w.shape[0] as number]),
  preTrace: tf.zeros([1, o.w.shape[1] as number]),
  postTrace: tf.zeros([1, o.w.shape[0] as number]),
  correlate: denseCorrelate,
  dt: 1,
  wmin: 0,
  wmax: 1,
  ...o,
});

describeBackends('PostPre, WeightDependentPostPre, Hebbian', () => {
  it('hand-worked: two pre, one post neuron', () => {
    tf.tidy(() => {
      // Pre neuron 0 spikes now while the post trace is 0.5: depression nu_pre·0.5 on w[0, 0].
      // The post neuron spikes too; pre traces are [1, 0.25]: potentiation nu_post·[1, 0.25].
      const a = activity({
        w: tf.tensor2d([[0.4, 0.8]]),
        preSpike: tf.tensor2d([[1, 0]]),
        postSpike: tf.tensor2d([[1]]),
        preTrace: tf.tensor2d([[1, 0.25]]),
        postTrace: tf.tensor2d([[0.5]]),
      });
      const nu = [0.1, 0.2] as const;
      expectClose(new PostPre({ nu }).deltaW(a), [[-0.1 * 0.5 + 0.2 * 1, 0.2 * 0.25]]);
      expectClose(new Hebbian({ nu }).deltaW(a), [[0.1 * 0.5 + 0.2 * 1, 0.2 * 0.25]]);
      // Soft bounds [0, 1]: depression ∝ (w − 0), potentiation ∝ (1 − w).
      expectClose(new WeightDependentPostPre({ nu }).deltaW(a), [[-0.1 * 0.5 * 0.4 + 0.2 * 1 * 0.6, 0.2 * 0.25 * 0.2]]);
      // A batch of two sums the pairings.
      const b = activity({
        w: tf.tensor2d([[0.4, 0.8]]),
        preSpike: tf.tensor2d([
          [1, 0],
          [1, 1],
        ]),
        postSpike: tf.tensor2d([[0], [0]]),
        preTrace: tf.zeros([2, 2]),
        postTrace: tf.tensor2d([[0.5], [1]]),
      });
      expectClose(new PostPre({ nu }).deltaW(b), [[-0.1 * 1.5, -0.1 * 1]]);
    });
  });

  it('rejects bad rates and unbounded soft bounds', () => {
    expect(() => new PostPre({ nu: [1, Number.NaN] })).toThrow("PostPre: 'nu[1]' must be a finite number, got NaN");
    expect(() => new PostPre({ nu: [1] as never })).toThrow(ValueError);
    expect(() => new WeightDependentPostPre().checkConnection('Connection', 0, Number.POSITIVE_INFINITY)).toThrow(
      "Connection: 'wmin/wmax' must be finite bounds for WeightDependentPostPre",
    );
    expect(() => new MSTDP({ tcPlus: -1 })).toThrow("MSTDP: 'tcPlus' must be a finite number > 0, got -1");
  });
});

describeBackends('MSTDP and MSTDPET as network rules', () => {
  const ones = () => tf.scalar(1);
  const spikes = (seed: number, shape: number[]) =>
    tf.tidy(() => tf.cast(tf.greater(tf.randomUniform(shape, 0, 1, 'float32', seed), 0.5), 'float32'));

  it('equal the SpikingJelly-semantics steps with f = 1 (dt 1, a₋ = −1)', () => {
    const w = tf.tensor2d([
      [0.1, -0.2, 0.3],
      [0.5, 0.05, -0.4],
    ]);
    const p = { tauPre: 2, tauPost: 3, fPre: ones, fPost: ones };
    const rule = new MSTDP({ nu: 1, tcPlus: 2, tcMinus: 3 });
    const ruleET = new MSTDPET({ nu: 1, tcPlus: 2, tcMinus: 3, tcETrace: 4 });
    let s: MSTDPETState = {
      trPre: tf.scalar(0),
      trPost: tf.scalar(0),
      eligibility: tf.scalar(0),
      traceE: tf.scalar(0),
    };
    let sET = s;
    for (let t = 0; t < 12; t++) {
      const pre = spikes(t, [2, 3]);
      const post = spikes(100 + t, [2, 2]);
      const reward = tf.tensor1d([t % 3 === 0 ? 1 : -0.5, 0.25]);
      const got = rule.deltaW(activity({ w, preSpike: pre, postSpike: post, reward }));
      const want = mstdpStep(w, pre, post, reward, s, p);
      expectClose(got, want.deltaW, { atol: 1e-6 });
      const rMean = tf.mean(reward);
      const gotET = ruleET.deltaW(activity({ w, preSpike: pre, postSpike: post, reward: rMean }));
      const wantET = mstdpetStep(w, pre, post, rMean, sET, { ...p, tauTrace: 4 });
      expectClose(gotET, wantET.deltaW, { atol: 1e-6 });
      tf.dispose([pre, post, reward, rMean, got, gotET, want.deltaW, wantET.deltaW]);
      s = { ...s, ...want.state };
      sET = wantET.state;
    }
    rule.dispose();
    ruleET.dispose();
    w.dispose();
  });

  it('reset() clears the eligibility; no leak over 1,000 steps', () => {
    const rule = new MSTDPET();
    const a = activity({
      w: tf.fill([3, 4], 0.5),
      preSpike: tf.ones([1, 4]),
      postSpike: tf.ones([1, 3]),
      reward: 1,
    });
    tf.dispose(rule.deltaW(a));
    tf.dispose(rule.deltaW(a));
    rule.reset();
    const first = rule.deltaW(a);
    expectClose(first, tf.zeros([3, 4])); // no eligibility from before the reset
    expectNoLeak(() => tf.dispose(rule.deltaW(a)), 1000);
    tf.dispose([first, a.w, a.preSpike, a.postSpike, a.preTrace, a.postTrace]);
    rule.dispose();
  });
});

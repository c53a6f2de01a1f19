import { readFileSync } from 'node:fs';
import { ShapeError, ValueError } from '@snn/core';
import { describeBackends, expectClose, expectNoLeak } from '@snn/core/testing';
import { Conv2d, Linear } from '@snn/layers';
import { IFNode } from '@snn/neurons';
import type { Tensor } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import { conv2dCorrelate } from './correlate.js';
import { MSTDPETLearner, MSTDPLearner } from './mstdp.js';
import { STDPLearner, traceSTDPStep, type WeightFn } from './stdp.js';

type Nested = number | Nested[];
interface GoldenCase {
  name: string;
  params: { tau_pre: number; tau_post: number; tau_trace?: number; initial_weight: number[][]; optimizer?: string };
  inputs: { in_spike: Nested; reward?: Nested };
  outputs: Record<string, Nested>;
  shapes: Record<string, number[]>;
}
const golden = JSON.parse(readFileSync(new URL('../test/golden/stdp.json', import.meta.url), 'utf8')) as {
  cases: GoldenCase[];
};
const goldenCase = (name: string): GoldenCase => {
  const c = golden.cases.find((k) => k.name === name);
  if (c === undefined) throw new Error(`no golden case ${name}`);
  return c;
};
const clamp1: WeightFn = (w) => tf.clipByValue(w, -1, 1);

/** SpikingJelly's tutorial network: Linear(8, 4, bias=False) → IFNode(), weight from the case. */
function tutorialNet(c: GoldenCase, stepMode: 's' | 'm' = 's') {
  const fc = new Linear(8, 4, { bias: false, stepMode });
  const w = tf.tensor2d(c.params.initial_weight);
  fc.weight.assign(w);
  w.dispose();
  const sn = new IFNode({ stepMode });
  return { fc, sn, forward: (x: Tensor) => tf.tidy(() => sn.forward(fc.forward(x))) };
}
const at = (seq: Tensor, t: number) => tf.tidy(() => tf.squeeze(tf.slice(seq, [t], [1]), [0]));

describeBackends('STDPLearner (SpikingJelly golden)', () => {
  it('single step, frozen weights: spikes, ΔW and traces at every step', () => {
    const c = goldenCase('STDPLearner_s_frozen_weights');
    const { fc, sn, forward } = tutorialNet(c);
    const learner = new STDPLearner({ synapse: fc, node: sn, tauPre: 2, tauPost: 2, fPre: clamp1, fPost: clamp1 });
    const x = tf.tensor(c.inputs.in_spike as number[], c.shapes.in_spike);
    const outSpike = c.outputs.out_spike as Nested[];
    const deltaW = c.outputs.delta_w as Nested[];
    for (let t = 0; t < 16; t++) {
      const xt = at(x, t);
      const y = forward(xt);
      expectClose(y, outSpike[t] as Nested[], { rtol: 0, atol: 0 });
      const dw = learner.step();
      expectClose(dw, deltaW[t] as Nested[]);
      expectClose(learner.tracePre, (c.outputs.trace_pre as Nested[])[t] as Nested[]);
      expectClose(learner.tracePost, (c.outputs.trace_post as Nested[])[t] as Nested[]);
      tf.dispose([xt, y, dw]);
    }
    expectClose(fc.weight, c.params.initial_weight);
    learner.dispose();
    tf.dispose(x);
    fc.dispose();
    sn.dispose();
  });

  it('single step with SGD(lr 0.01): the weight after every update', () => {
    const c = goldenCase('STDPLearner_s_sgd_tutorial_loop');
    const { fc, sn, forward } = tutorialNet(c);
    const learner = new STDPLearner({ synapse: fc, node: sn, tauPre: 2, tauPost: 2, fPre: clamp1, fPost: clamp1 });
    const sgd = tf.train.sgd(0.01);
    const x = tf.tensor(c.inputs.in_spike as number[], c.shapes.in_spike);
    for (let t = 0; t < 16; t++) {
      const xt = at(x, t);
      const y = forward(xt);
      expectClose(y, (c.outputs.out_spike as Nested[])[t] as Nested[], { rtol: 0, atol: 0 });
      learner.applyWithOptimizer(sgd);
      expectClose(fc.weight, (c.outputs.weight as Nested[])[t] as Nested[]);
      tf.dispose([xt, y]);
    }
    learner.dispose();
    sgd.dispose();
    tf.dispose(x);
    fc.dispose();
    sn.dispose();
  });

  it('multi step: one call on [T, B, N], ΔW summed over T, final traces', () => {
    const c = goldenCase('STDPLearner_m');
    const { fc, sn, forward } = tutorialNet(c, 'm');
    const learner = new STDPLearner({ synapse: fc, node: sn, tauPre: 2, tauPost: 2, fPre: clamp1, fPost: clamp1 });
    const x = tf.tensor(c.inputs.in_spike as number[], c.shapes.in_spike);
    const y = forward(x);
    expectClose(y, c.outputs.out_spike as Nested[], { rtol: 0, atol: 0 });
    const dw = learner.step();
    expectClose(dw, c.outputs.delta_w as Nested[]);
    expectClose(learner.tracePre, c.outputs.trace_pre_final as Nested[]);
    expectClose(learner.tracePost, c.outputs.trace_post_final as Nested[]);
    learner.dispose();
    tf.dispose([x, y, dw]);
    fc.dispose();
    sn.dispose();
  });

  it('apply(lr) adds lr·ΔW; reset clears traces; no tensor leaks over 1,000 steps', () => {
    const fc = new Linear(8, 4, { bias: false, seed: 3 });
    const sn = new IFNode();
    const learner = new STDPLearner({ synapse: fc, node: sn, tauPre: 2, tauPost: 5 });
    const x = tf.tensor2d([[1, 0, 1, 1, 0, 1, 1, 1]]);
    const w0 = tf.clone(fc.weight);
    tf.dispose(tf.tidy(() => sn.forward(fc.forward(x))));
    const expected = tf.tidy(() => {
      const r = traceSTDPStep(
        w0,
        x,
        tf.zeros([1, 4]),
        { trPre: tf.scalar(0), trPost: tf.scalar(0) },
        {
          tauPre: 2,
          tauPost: 5,
        },
      );
      return tf.add(w0, tf.mul(r.deltaW, 0.5));
    });
    learner.apply(0.5);
    expectClose(fc.weight, expected);
    learner.reset();
    expectClose(learner.tracePre, [0]);
    expectNoLeak(() => {
      tf.dispose(tf.tidy(() => sn.forward(fc.forward(x))));
      learner.apply(1e-3);
    }, 1000);
    learner.dispose();
    expect(fc.forwardHookCount).toBe(0);
    tf.dispose([x, w0, expected]);
    fc.dispose();
    sn.dispose();
  });

  it('rejects a module without a weight and a τ that is not positive', () => {
    const sn = new IFNode();
    expect(() => new STDPLearner({ synapse: sn, node: sn, tauPre: 2, tauPost: 2 })).toThrow(ValueError);
    expect(() => new STDPLearner({ synapse: sn, node: sn, tauPre: 2, tauPost: 2 })).toThrow(
      "STDPLearner: 'synapse' must be a Linear or Conv2d module",
    );
    const fc = new Linear(2, 2);
    expect(() => new STDPLearner({ synapse: fc, node: sn, tauPre: 0, tauPost: 2 })).toThrow(
      "STDPLearner: 'tauPre' must be a finite number > 0, got 0",
    );
    expect(fc.forwardHookCount).toBe(0);
    fc.dispose();
    sn.dispose();
  });
});

describeBackends('STDPLearner on a Conv2d', () => {
  it('conv2dCorrelate equals the explicit sum over positions (stride 2, padding 1)', () => {
    const pre = tf.tidy(() => tf.cast(tf.greater(tf.randomUniform([2, 3, 5, 6], 0, 1, 'float32', 7), 0.6), 'float32'));
    const post = tf.tidy(() => tf.randomUniform([2, 4, 3, 4], 0, 1, 'float32', 8));
    const got = conv2dCorrelate(post, pre, {
      kernelSize: [3, 2],
      stride: [2, 2],
      padding: [
        [1, 1],
        [1, 1],
      ],
    });
    const P = pre.arraySync() as number[][][][];
    const Q = post.arraySync() as number[][][][];
    const want: number[] = [];
    for (let o = 0; o < 4; o++)
      for (let c = 0; c < 3; c++)
        for (let i = 0; i < 3; i++)
          for (let j = 0; j < 2; j++) {
            let s = 0;
            for (let b = 0; b < 2; b++)
              for (let y = 0; y < 3; y++)
                for (let x = 0; x < 4; x++) {
                  const r = y * 2 + i - 1;
                  const q = x * 2 + j - 1;
                  if (r >= 0 && r < 5 && q >= 0 && q < 6) s += (Q[b]?.[o]?.[y]?.[x] ?? 0) * (P[b]?.[c]?.[r]?.[q] ?? 0);
                }
            want.push(s);
          }
    expect(got.shape).toEqual([4, 3, 3, 2]);
    expectClose(got, want, { rtol: 1e-5, atol: 1e-5 });
    tf.dispose([pre, post, got]);
  });

  it('learns a Conv2d weight: ΔW has the weight shape; simultaneous spikes cancel', () => {
    const conv = new Conv2d(1, 2, 3, { padding: 1, bias: false, seed: 1 });
    const sn = new IFNode();
    const learner = new STDPLearner({
      synapse: conv,
      node: sn,
      tauPre: 2,
      tauPost: 2,
      fPre: () => tf.scalar(1),
      fPost: () => tf.scalar(1),
    });
    const w0 = tf.clone(conv.weight);
    tf.tidy(() => conv.weight.assign(tf.fill([2, 1, 3, 3], 0.6)));
    const x = tf.tidy(() => tf.ones([1, 1, 4, 4]));
    tf.dispose(tf.tidy(() => sn.forward(conv.forward(x)))); // every output neuron reaches 1 and spikes at once
    const dw = learner.step();
    expect(dw.shape).toEqual([2, 1, 3, 3]);
    // Simultaneous spikes: potentiation (tr_pre = 1) and depression (tr_post = 1) cancel exactly.
    expectClose(dw, tf.zeros([2, 1, 3, 3]));
    learner.dispose();
    tf.dispose([w0, x, dw]);
    conv.dispose();
    sn.dispose();
  });
});

describeBackends('MSTDPLearner and MSTDPETLearner (SpikingJelly golden)', () => {
  it('MSTDP: ΔW from the previous step’s eligibility and this step’s reward', () => {
    const c = goldenCase('MSTDPLearner_s');
    const { fc, sn, forward } = tutorialNet(c);
    const learner = new MSTDPLearner({ synapse: fc, node: sn, tauPre: 2, tauPost: 2, fPre: clamp1, fPost: clamp1 });
    const x = tf.tensor(c.inputs.in_spike as number[], c.shapes.in_spike);
    const reward = tf.tensor(c.inputs.reward as number[], [16, 2]);
    for (let t = 0; t < 16; t++) {
      const xt = at(x, t);
      const rt = at(reward, t);
      const y = forward(xt);
      expectClose(y, (c.outputs.out_spike as Nested[])[t] as Nested[], { rtol: 0, atol: 0 });
      const dw = learner.step(rt);
      expectClose(dw, (c.outputs.delta_w as Nested[])[t] as Nested[]);
      expectClose(learner.eligibility, (c.outputs.eligibility as Nested[])[t] as Nested[]);
      tf.dispose([xt, rt, y, dw]);
    }
    tf.dispose(forward(tf.ones([2, 8])));
    const three = tf.ones([3]);
    expect(() => learner.step(three)).toThrow(ShapeError);
    learner.dispose();
    tf.dispose([x, reward, three]);
    fc.dispose();
    sn.dispose();
  });

  it('MSTDPET: eligibility trace and ΔW at every step (unbatched spikes)', () => {
    const c = goldenCase('MSTDPETLearner_s');
    const { fc, sn, forward } = tutorialNet(c);
    const learner = new MSTDPETLearner({
      synapse: fc,
      node: sn,
      tauPre: 2,
      tauPost: 2,
      tauTrace: c.params.tau_trace as number,
      fPre: clamp1,
      fPost: clamp1,
    });
    const x = tf.tensor(c.inputs.in_spike as number[], c.shapes.in_spike);
    const rewards = c.inputs.reward as number[];
    for (let t = 0; t < 16; t++) {
      const xt = at(x, t);
      const y = forward(xt);
      expectClose(y, (c.outputs.out_spike as Nested[])[t] as Nested[], { rtol: 0, atol: 0 });
      const dw = learner.step(rewards[t] as number);
      expectClose(dw, (c.outputs.delta_w as Nested[])[t] as Nested[]);
      expectClose(learner.traceE, (c.outputs.trace_e as Nested[])[t] as Nested[]);
      tf.dispose([xt, y, dw]);
    }
    learner.dispose();
    tf.dispose(x);
    fc.dispose();
    sn.dispose();
  });

  it('rejects multi-step records and leaks nothing', () => {
    const fc = new Linear(3, 2, { bias: false, seed: 2, stepMode: 'm' });
    const sn = new IFNode({ stepMode: 'm' });
    const learner = new MSTDPLearner({ synapse: fc, node: sn, tauPre: 2, tauPost: 2 });
    const xs = tf.ones([4, 1, 3]);
    tf.dispose(tf.tidy(() => sn.forward(fc.forward(xs))));
    expect(() => learner.step(1)).toThrow("MSTDPLearner.step: 's_pre' must have single-step records");
    fc.setStepMode('s');
    sn.setStepMode('s');
    const x = tf.ones([1, 3]);
    expectNoLeak(() => {
      tf.dispose(tf.tidy(() => sn.forward(fc.forward(x))));
      learner.apply(0.5, 1e-3);
    }, 1000);
    learner.dispose();
    tf.dispose([xs, x]);
    fc.dispose();
    sn.dispose();
  });
});

describeBackends('the README example (STDPLearner with SGD)', () => {
  it('runs 16 steps, changes the weight and leaks nothing', () => {
    const fc = new Linear(8, 4, { bias: false, seed: 0 });
    const sn = new IFNode();
    const clamp = (w: Tensor) => tf.clipByValue(w, -1, 1);
    const learner = new STDPLearner({ synapse: fc, node: sn, tauPre: 2, tauPost: 2, fPre: clamp, fPost: clamp });
    const sgd = tf.train.sgd(0.01);
    const w0 = Array.from(fc.weight.dataSync());
    let after1 = 0;
    for (let t = 0; t < 16; t++) {
      const x = tf.tidy(() => tf.cast(tf.greater(tf.randomUniform([2, 8], 0, 1, 'float32', t), 0.5), 'float32'));
      tf.dispose(tf.tidy(() => sn.forward(fc.forward(tf.mul(x, 3))))); // strong enough for the IF node to fire
      learner.applyWithOptimizer(sgd); // W += 0.01 · ΔW
      x.dispose();
      if (t === 0) after1 = tf.memory().numTensors;
    }
    expect(tf.memory().numTensors).toBe(after1);
    expect(Array.from(fc.weight.dataSync())).not.toEqual(w0);
    learner.dispose();
    sgd.dispose();
    fc.dispose();
    sn.dispose();
  });
});

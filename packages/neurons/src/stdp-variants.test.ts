// SPAIC's STDP-ready LIF variants: lifstdp_ex and lifstdp_ih are configurations of DiehlCookNode,
// alifstdp_ex is ALIFSTDPNode. Each against SPAIC's own numbers (test/golden/spaic.json), plus
// ALIFSTDPNode's float64 reference, training/eval, leaks and bad input.
import { readFileSync } from 'node:fs';
import { ShapeError, UnknownOptionError, ValueError } from '@snn/core';
import { describeBackends, expectClose, expectNoLeak } from '@snn/core/testing';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { ALIFSTDPNode, alifSTDPStep } from './alif-stdp.js';
import { DiehlCookNode, type DiehlCookNodeOptions } from './diehl-cook.js';
import { uniform } from './test-support.js';

type Nested = number[][][];
interface SpaicCase {
  name: string;
  inputs: { Isyn_seq: Nested; initial_state: Record<string, number[][]> };
  outputs: Record<string, Nested>;
  params: { resolved: Record<string, Record<string, number>> };
}
const spaic = (name: string): SpaicCase => {
  const file = JSON.parse(readFileSync(new URL('../test/golden/spaic.json', import.meta.url), 'utf8'));
  const c = file.cases.find((k: SpaicCase) => k.name === name);
  if (c === undefined) throw new Error(`no case ${name}`);
  return c;
};

/** The README's mapping of SPAIC's `lifstdp_ex` onto DiehlCookNode. */
const LIFSTDP_EX: DiehlCookNodeOptions = {
  dt: 1,
  tau: 100,
  tauTheta: 1e7,
  thetaPlus: 0.05,
  vThreshold: -52,
  vReset: -60,
  vRest: -65,
  refrac: 0,
};
/** The README's mapping of SPAIC's `lifstdp_ih` onto DiehlCookNode. */
const LIFSTDP_IH: DiehlCookNodeOptions = {
  dt: 1,
  tau: 10,
  thetaPlus: 0,
  vThreshold: -40,
  vReset: -45,
  vRest: -60,
  refrac: 0,
};

type Node = DiehlCookNode | ALIFSTDPNode;

/** Steps `node` over one sample's inputs `xs` ([T][N]) as batch 1; V, θ and spikes after every step. */
function runSample(node: Node, xs: number[][]) {
  const out = { v: [] as number[][], theta: [] as number[][], spike: [] as number[][] };
  for (const xt of xs) {
    const x = tf.tensor([xt]);
    const s = node.forward(x);
    out.spike.push(Array.from(s.dataSync()));
    out.v.push(Array.from(node.v.dataSync()));
    out.theta.push(Array.from(node.theta.dataSync()));
    tf.dispose([x, s]);
  }
  return out;
}

/** Sample `b` of a `[T][B][N]` sequence. */
const sample = (seq: Nested, b: number): number[][] => seq.map((s) => s[b] as number[]);

describeBackends('STDP-ready LIF variants', () => {
  describe('SPAIC 0.6.3 defaults', () => {
    it('lifstdp_ex = DiehlCookNode(LIFSTDP_EX): every V, θ, threshold and spike, per sample', () => {
      const c = spaic('spaic_lifstdp_ex_default');
      const k = c.params.resolved['constant_variables (stored as given)'] as Record<string, number>;
      expect([k.Vth, k.Vreset, k.Vrest, Math.fround(k.th_inc as number)]).toEqual([
        LIFSTDP_EX.vThreshold,
        LIFSTDP_EX.vReset,
        LIFSTDP_EX.vRest,
        Math.fround(LIFSTDP_EX.thetaPlus as number),
      ]);
      expect(Math.fround(Math.exp(-1 / 100))).toBe(Math.fround(k.decay_v as number));
      expect(Math.fround(Math.exp(-1 / 1e7))).toBe(Math.fround(k.decay_th as number));
      let spikes = 0;
      // SPAIC keeps θ per sample; DiehlCookNode shares it over the batch: run each sample as batch 1.
      for (const b of [0, 1]) {
        const node = new DiehlCookNode(LIFSTDP_EX);
        const r = runSample(node, sample(c.inputs.Isyn_seq, b));
        expect(r.spike).toEqual(sample(c.outputs.O_seq as Nested, b));
        expectClose(r.v.flat(), sample(c.outputs.V_seq as Nested, b).flat());
        expectClose(r.theta.flat(), sample(c.outputs['theta[stay]_seq'] as Nested, b).flat());
        // SPAIC's Vth_theta after step t is vThreshold + θ(t−1)·decay, the threshold of step t here.
        const vth = sample(c.outputs.Vth_theta_seq as Nested, b);
        r.theta.slice(0, -1).forEach((th, t) => {
          expectClose(
            vth[t + 1] as number[],
            th.map((x) => -52 + x * Math.exp(-1e-7)),
          );
        });
        spikes += r.spike.flat().filter((s) => s === 1).length;
        node.dispose();
      }
      expect(spikes).toBe(25);
    });

    it('lifstdp_ih = DiehlCookNode(LIFSTDP_IH): every V and spike (batch 2)', () => {
      const c = spaic('spaic_lifstdp_ih_default');
      const k = c.params.resolved['constant_variables (stored as given)'] as Record<string, number>;
      expect([k.Vth, k.Vreset, k.Vrest]).toEqual([LIFSTDP_IH.vThreshold, LIFSTDP_IH.vReset, LIFSTDP_IH.vRest]);
      expect(Math.fround(Math.exp(-1 / 10))).toBe(Math.fround(k.decay_v as number));
      const node = new DiehlCookNode({ ...LIFSTDP_IH, stepMode: 'm', storeVSeq: true });
      const x = tf.tensor(c.inputs.Isyn_seq);
      const spikes = node.forward(x);
      expect(spikes.arraySync()).toEqual(c.outputs.O_seq);
      expectClose(node.vSeq as tf.Tensor, c.outputs.V_seq as Nested);
      expect(Array.from(node.theta.dataSync()).every((t) => t === 0)).toBe(true);
      expect(tf.sum(spikes).dataSync()[0]).toBe(33);
      tf.dispose([x, spikes]);
      node.dispose();
    });

    it('alifstdp_ex = ALIFSTDPNode(): every V, θ and spike, per sample', () => {
      const c = spaic('spaic_alifstdp_ex_default');
      const k = c.params.resolved['constant_variables (stored as given)'] as Record<string, number>;
      const node0 = new ALIFSTDPNode();
      expect([k.Vth, k.Vreset, k.Vrest, Math.fround(k.th_inc as number)]).toEqual([
        node0.vThreshold,
        node0.vReset,
        node0.vRest,
        Math.fround(node0.thetaPlus),
      ]);
      expect(Math.fround(Math.exp(-node0.dt / node0.tau))).toBe(Math.fround(k.decay_v as number));
      expect(Math.fround(Math.exp(-node0.dt / node0.tauTheta))).toBe(Math.fround(k.decay_th as number));
      node0.dispose();
      let spikes = 0;
      for (const b of [0, 1]) {
        const node = new ALIFSTDPNode();
        const r = runSample(node, sample(c.inputs.Isyn_seq, b));
        expect(r.spike).toEqual(sample(c.outputs.O_seq as Nested, b));
        expectClose(r.v.flat(), sample(c.outputs.V_seq as Nested, b).flat());
        expectClose(r.theta.flat(), sample(c.outputs['theta[stay]_seq'] as Nested, b).flat());
        spikes += r.spike.flat().filter((s) => s === 1).length;
        node.dispose();
      }
      expect(spikes).toBe(7);
    });
  });

  it('ALIFSTDPNode matches a float64 reference (other parameters, strong drive, θ shared by a batch of 2)', () => {
    const T = 200;
    const B = 2;
    const N = 3;
    const xs = uniform(T, B * N, 0, 0.6, 21);
    const o = { dt: 0.5, tau: 20, tauTheta: 200, vThreshold: 1, vReset: 0.8, vRest: -0.2, thetaPlus: 0.05 };
    const node = new ALIFSTDPNode({ ...o, stepMode: 'm' });
    const x = tf.tensor(xs.map((row) => [row.slice(0, N), row.slice(N)]));
    const spikes = node.forward(x).arraySync() as Nested;
    const v = new Array<number>(B * N).fill(-0.2);
    const theta = new Array<number>(N).fill(0);
    const dv = Math.exp(-0.5 / 20);
    const dth = Math.exp(-0.5 / 200);
    let count = 0;
    for (let t = 0; t < T; t++) {
      const thr = theta.map((th) => 1 + th * dth);
      const fired = new Array<number>(N).fill(0);
      for (let k = 0; k < B * N; k++) {
        const n = k % N;
        const h = -0.2 + ((v[k] as number) + 0.2) * dv + (xs[t]?.[k] as number);
        const s = h > (thr[n] as number) ? 1 : 0;
        v[k] = h - 0.8 * s;
        fired[n] = (fired[n] as number) + s;
        count += s;
        expect(spikes[t]?.[Math.floor(k / N)]?.[n]).toBe(s);
      }
      for (let n = 0; n < N; n++) theta[n] = (thr[n] as number) - 1 + 0.05 * (thr[n] as number) * (fired[n] as number);
    }
    expect(count).toBeGreaterThan(20);
    expectClose(node.v, [v.slice(0, N), v.slice(N)], { rtol: 1e-4, atol: 1e-5 });
    expectClose(node.theta, theta, { rtol: 1e-4, atol: 1e-6 });
    x.dispose();
    node.dispose();
  });

  it('ALIFSTDPNode: eval() freezes θ; reset() keeps it unless keepTheta is false; the pure step agrees', () => {
    const node = new ALIFSTDPNode({ vThreshold: 1, vReset: 1 });
    const x = tf.fill([1, 2], 1.5);
    tf.dispose(node.forward(x));
    const th = Array.from(node.theta.dataSync());
    expect(th.every((t) => Math.abs(t - 0.001 * 1) < 1e-9)).toBe(true);
    node.eval();
    tf.dispose(node.forward(x));
    expect(Array.from(node.theta.dataSync())).toEqual(th);
    node.reset();
    expect(Array.from(node.theta.dataSync())).toEqual(th);
    node.resetTheta();
    expect(node.theta.rank).toBe(0);
    const forget = new ALIFSTDPNode({ keepTheta: false });
    tf.dispose(forget.forward(tf.fill([1, 2], 5)));
    forget.reset();
    expect(forget.theta.dataSync()[0]).toBe(0);
    const s = alifSTDPStep(x, { v: tf.scalar(0), theta: tf.scalar(0) }, new ALIFSTDPNode({ vThreshold: 1, vReset: 1 }));
    expect(Array.from(s.spike.dataSync())).toEqual([1, 1]);
    expectClose(s.state.v, [[0.5, 0.5]]);
    tf.dispose([x, s.spike, s.state.v, s.state.theta]);
    node.dispose();
    forget.dispose();
  });

  it('ALIFSTDPNode: the surrogate gives the spikes a gradient', () => {
    const node = new ALIFSTDPNode({ stepMode: 'm' });
    const x = tf.fill([4, 1, 3], 0.6);
    const g = tf.grad((input: tf.Tensor) => {
      node.reset();
      node.resetTheta();
      return tf.sum(node.forward(input));
    })(x);
    expect(Array.from(g.dataSync()).some((v) => v !== 0)).toBe(true);
    tf.dispose([x, g]);
    node.dispose();
  });

  it('ALIFSTDPNode: no leaks, in either step mode', () => {
    const s = new ALIFSTDPNode();
    const x = tf.fill([4, 8], 0.9);
    expectNoLeak(() => tf.dispose(s.forward(x)), 300);
    const m = new ALIFSTDPNode({ stepMode: 'm', storeVSeq: true });
    const xs = tf.fill([5, 4, 8], 0.9);
    expectNoLeak(() => tf.dispose(m.forward(xs)), 50);
    tf.dispose([x, xs]);
    s.dispose();
    m.dispose();
  });

  it('ALIFSTDPNode: bad input and options are named errors; state and tensor count unchanged', () => {
    const node = new ALIFSTDPNode();
    const x = tf.fill([2, 3], 1);
    tf.dispose(node.forward(x));
    const v = node.v.arraySync();
    const before = tf.memory().numTensors;
    const wrong = tf.fill([2, 4], 1);
    const noBatch = tf.fill([3], 1);
    expect(() => node.forward(wrong)).toThrow(ShapeError);
    expect(() => node.forward(noBatch)).toThrow(ShapeError);
    expect(() => alifSTDPStep(x, { v: node.v, theta: node.theta }, node, 1 as never)).toThrow(
      "alifSTDPStep: 'learning' must be a boolean, got 1",
    );
    expect(() => new ALIFSTDPNode({ tau: 0 })).toThrow("ALIFSTDPNode: 'tau' must be a finite number > 0, got 0");
    expect(() => new ALIFSTDPNode({ thInc: 1 } as never)).toThrow(UnknownOptionError);
    expect(() => new ALIFSTDPNode({ keepTheta: 'no' as never })).toThrow(ValueError);
    tf.dispose([wrong, noBatch]);
    expect(tf.memory().numTensors).toBe(before);
    expect(node.v.arraySync()).toEqual(v);
    tf.dispose(x);
    node.dispose();
  });
});

import { type Module, ValueError } from '@snn/core';
import { describeBackends, expectClose, expectNoLeak } from '@snn/core/testing';
import { sigmoid } from '@snn/surrogates';
import type { Tensor } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import { LIFMNode, type LIFMState, lifmStep } from './lifm.js';
import { uniform } from './test-support.js';

/**
 * Independent float64 LIFM (SPAIC's documented equations): I_che ← e^{−dt/τp} I_che + X + b;
 * I = I_che + I_ele; F = τM e^{−O/τM} with τM = e^{−dt/τm}; V ← V F + I; S = [V > θ]; with
 * `hard`, V = 0 where S (SPAIC's code).
 */
function reference(xs: number[][], es: number[][] | null, p: { tm: number; tp: number; bias: number; hard: boolean }) {
  const N = (xs[0] as number[]).length;
  const dM = Math.exp(-0.1 / p.tm);
  const dP = Math.exp(-0.1 / p.tp);
  let v = new Array<number>(N).fill(0);
  let i = v.slice();
  let o = v.slice();
  const spikes: number[][] = [];
  const vs: number[][] = [];
  let margin = Number.POSITIVE_INFINITY;
  xs.forEach((x, t) => {
    i = i.map((ik, k) => dP * ik + (x[k] as number) + p.bias);
    const current = i.map((ik, k) => ik + (es ? ((es[t] as number[])[k] as number) : 0));
    const h = v.map((vk, k) => vk * dM * Math.exp(-(o[k] as number) / dM) + (current[k] as number));
    margin = Math.min(margin, ...h.map((hk) => Math.abs(hk - 1)));
    const s = h.map((hk) => (hk > 1 ? 1 : 0));
    v = p.hard ? h.map((hk, k) => (s[k] ? 0 : hk)) : h;
    o = s;
    spikes.push(s);
    vs.push(v);
  });
  return { spikes, v: vs, i, margin };
}

describeBackends('LIFMNode', () => {
  it.each([
    ['documented: spike-dependent decay, no reset', false, 24],
    ['hardReset (SPAIC 0.6.3 code)', true, 9],
  ] as const)(
    'matches a float64 integration over 1,000 steps with chemical and electrical input (%s)',
    (_n, hardReset, seed) => {
      const xs = uniform(1000, 5, -0.005, 0.02, seed);
      const es = uniform(1000, 5, -0.01, 0.01, seed + 1000);
      const ref = reference(xs, es, { tm: 10, tp: 1, bias: 0.001, hard: hardReset });
      expect(ref.margin).toBeGreaterThan(1e-4); // no close calls: float32's error on V is ~1e-6
      expect(ref.spikes.flat().filter((s) => s === 1).length).toBeGreaterThan(40);
      tf.tidy(() => {
        const node = new LIFMNode({ bias: 0.001, hardReset, stepMode: 'm', storeVSeq: true });
        const wrap = (a: number[][]) => tf.tensor3d(a.map((r) => [r]));
        const spikes = node.forwardWithElectrical(wrap(xs), wrap(es));
        expect(spikes.arraySync()).toEqual(ref.spikes.map((s) => [s]));
        expectClose(
          node.vSeq as Tensor,
          ref.v.map((v) => [v]),
          { rtol: 1e-4, atol: 1e-5 },
        );
        expectClose(node.i, [ref.i], { rtol: 1e-4, atol: 1e-5 });
        node.dispose();
      });
    },
  );

  it('after a spike the documented model decays V by F = τM·e^{−1/τM} instead of resetting it', () => {
    tf.tidy(() => {
      const node = new LIFMNode({ tauP: 0.01 }); // I_che keeps e^{−10} of itself per step
      tf.dispose(node.forward(tf.tensor2d([[1.5]]))); // V = 1.5 > 1: a spike, no reset
      expectClose(node.v, [[1.5]]);
      tf.dispose(node.forward(tf.tensor2d([[0]])));
      const f = node.decayM * Math.exp(-1 / node.decayM);
      expectClose(node.v, [[1.5 * f + 1.5 * Math.exp(-10)]], { rtol: 1e-6 });
      expect(f).toBeLessThan(0.4);
      node.dispose();
    });
  });

  it("forward(x) is forwardWithElectrical(x, 0); the pure lifmStep gives the node's numbers", () => {
    tf.tidy(() => {
      const a = new LIFMNode();
      const b = new LIFMNode();
      const p = { decayM: a.decayM, decayP: a.decayP, bias: 0, hardReset: false, vThreshold: 1, surrogate: sigmoid(4) };
      let s: LIFMState = { v: tf.scalar(0), i: tf.scalar(0), o: tf.scalar(0) };
      for (const row of uniform(40, 3, 0, 0.05, 2)) {
        const x = tf.tensor2d([row]);
        const r = lifmStep(x, s, p);
        s = r.state;
        const sa = a.forward(x);
        expect(Array.from(sa.dataSync())).toEqual(Array.from(b.forwardWithElectrical(x, tf.zerosLike(x)).dataSync()));
        expect(Array.from(sa.dataSync())).toEqual(Array.from(r.spike.dataSync()));
      }
      expect(Array.from(a.v.dataSync())).toEqual(Array.from(s.v.dataSync()));
      expect(Array.from(a.i.dataSync())).toEqual(Array.from(s.i.dataSync()));
      a.dispose();
      b.dispose();
    });
  });

  it('keeps tf.memory() flat, with and without an electrical input', () => {
    const node = new LIFMNode();
    const x = tf.fill([4, 8], 0.01);
    expectNoLeak(() => tf.dispose(node.forward(x)), 1000);
    expectNoLeak(() => tf.dispose(node.forwardWithElectrical(x, x)), 200);
    const m: Module = new LIFMNode({ stepMode: 'm', storeVSeq: true });
    const xs = tf.fill([5, 4, 8], 0.01);
    expectNoLeak(() => tf.dispose(m.forward(xs)), 100);
    tf.dispose([x, xs]);
    node.dispose();
    m.dispose();
  });

  it('rejects bad options with named errors, allocating nothing', () => {
    const before = tf.memory().numTensors;
    expect(() => new LIFMNode({ tauM: -1 })).toThrow("LIFMNode: 'tauM' must be a finite number > 0, got -1");
    expect(() => new LIFMNode({ tauP: 0 })).toThrow("LIFMNode: 'tauP' must be a finite number > 0, got 0");
    expect(() => new LIFMNode({ bias: Number.NaN })).toThrow(ValueError);
    expect(() => new LIFMNode({ hardReset: 1 as never })).toThrow("LIFMNode: 'hardReset' must be a boolean, got 1");
    expect(tf.memory().numTensors).toBe(before);
  });
});

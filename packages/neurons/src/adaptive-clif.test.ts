import { ValueError } from '@snn/core';
import { describeBackends, expectClose, expectNoLeak } from '@snn/core/testing';
import type { Tensor } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import { AdaptiveCLIFNode, type AdaptiveCLIFState, adaptiveCLIFStep } from './adaptive-clif.js';
import { uniform } from './test-support.js';

/**
 * Independent float64 adaptive kernel CLIF: Vth1 ← e^{−dt/τa} Vth1 + O_prev; I = V0 X;
 * M ← e^{−dt/τp} M + I; S ← e^{−dt/τq} S + I; V = M − S − (βa Vth1 + E); O = [V > θ];
 * E ← e^{−dt/τm} E + θ O.
 */
function reference(xs: number[][], p: { tm: number; tp: number; tq: number; ta: number; ba: number }) {
  const N = (xs[0] as number[]).length;
  const [dM, dP, dQ, dA] = [p.tm, p.tp, p.tq, p.ta].map((t) => Math.exp(-0.1 / t)) as [number, number, number, number];
  const beta = p.tp / p.tq;
  const v0 = beta ** (beta / (beta - 1)) / (beta - 1);
  let [m, s, e, a, o] = [0, 1, 2, 3, 4].map(() => new Array<number>(N).fill(0)) as [
    number[],
    number[],
    number[],
    number[],
    number[],
  ];
  const spikes: number[][] = [];
  const vs: number[][] = [];
  let margin = Number.POSITIVE_INFINITY;
  for (const x of xs) {
    a = a.map((ak, k) => dA * ak + (o[k] as number));
    m = m.map((mk, k) => dP * mk + v0 * (x[k] as number));
    s = s.map((sk, k) => dQ * sk + v0 * (x[k] as number));
    const v = m.map((mk, k) => mk - (s[k] as number) - (p.ba * (a[k] as number) + (e[k] as number)));
    margin = Math.min(margin, ...v.map((vk) => Math.abs(vk - 1)));
    o = v.map((vk) => (vk > 1 ? 1 : 0));
    e = e.map((ek, k) => dM * ek + (o[k] as number));
    spikes.push(o);
    vs.push(v);
  }
  return { spikes, v: vs, a, margin };
}

describeBackends('AdaptiveCLIFNode', () => {
  it('matches a float64 integration over 1,500 steps (τa 50 ms, betaAdaptive 0.3)', () => {
    const xs = uniform(1500, 4, -0.01, 0.03, 1);
    const ref = reference(xs, { tm: 20, tp: 12, tq: 8, ta: 50, ba: 0.3 });
    expect(ref.margin).toBeGreaterThan(1e-4); // no close calls: float32's error on V is ~1e-6
    expect(ref.spikes.flat().filter((s) => s === 1).length).toBeGreaterThan(30);
    tf.tidy(() => {
      const node = new AdaptiveCLIFNode({ tauA: 50, betaAdaptive: 0.3, stepMode: 'm', storeVSeq: true });
      const spikes = node.forward(tf.tensor3d(xs.map((x) => [x])));
      expect(spikes.arraySync()).toEqual(ref.spikes.map((s) => [s]));
      expectClose(
        node.vSeq as Tensor,
        ref.v.map((v) => [v]),
        { rtol: 1e-4, atol: 1e-4 },
      );
      expectClose(node.vth1, [ref.a], { rtol: 1e-4, atol: 1e-5 });
      node.dispose();
    });
  });

  it('adaptation lowers the rate; betaAdaptive 0 is the three-kernel CLIF', () => {
    tf.tidy(() => {
      const x = tf.fill([3000, 1, 1], 0.02);
      const count = (betaAdaptive: number) =>
        tf.sum(new AdaptiveCLIFNode({ betaAdaptive, stepMode: 'm' }).forward(x)).dataSync()[0] as number;
      expect(count(0.5)).toBeLessThan(count(0));
    });
  });

  it("keeps vth1 across reset() (SPAIC's [stay]) unless keepAdaptation is false; resetState clears it", () => {
    const x = tf.fill([1, 2], 0.5);
    for (const keepAdaptation of [true, false]) {
      const node = new AdaptiveCLIFNode({ keepAdaptation, tauP: 1, tauQ: 0.5 });
      for (let t = 0; t < 30; t++) tf.dispose(node.forward(x));
      const vth1 = Array.from(node.vth1.dataSync());
      expect(Math.max(...vth1)).toBeGreaterThan(0);
      node.reset();
      expect(Array.from(node.vth1.dataSync())).toEqual(keepAdaptation ? vth1 : [0]);
      expect(node.v.shape).toEqual([]);
      node.resetState('vth1');
      expect(Array.from(node.vth1.dataSync())).toEqual([0]);
      node.dispose();
    }
    x.dispose();
  });

  it('a kept vth1 of another batch size is refused by name until it is cleared', () => {
    const node = new AdaptiveCLIFNode();
    tf.dispose(node.forward(tf.fill([2, 3], 0.5)));
    node.reset();
    const other = tf.fill([4, 3], 0.5);
    expect(() => node.forward(other)).toThrow("call resetState('vth1') to change shape");
    node.resetState('vth1');
    tf.dispose(node.forward(other));
    other.dispose();
    node.dispose();
  });

  it("the pure adaptiveCLIFStep gives the node's numbers", () => {
    tf.tidy(() => {
      const node = new AdaptiveCLIFNode({ tauA: 20 });
      const zero = () => tf.scalar(0);
      let s: AdaptiveCLIFState = { m: zero(), s: zero(), e: zero(), i: zero(), v: zero(), o: zero(), vth1: zero() };
      for (const row of uniform(60, 3, 0, 0.1, 6)) {
        const x = tf.tensor2d([row]);
        const r = adaptiveCLIFStep(x, s, node);
        s = r.state;
        expect(Array.from(node.forward(x).dataSync())).toEqual(Array.from(r.spike.dataSync()));
      }
      expect(Array.from(node.vth1.dataSync())).toEqual(Array.from(s.vth1.dataSync()));
      node.dispose();
    });
  });

  it('keeps tf.memory() flat', () => {
    const node = new AdaptiveCLIFNode();
    const x = tf.fill([4, 8], 0.05);
    expectNoLeak(() => tf.dispose(node.forward(x)), 1000);
    const m = new AdaptiveCLIFNode({ stepMode: 'm', storeVSeq: true });
    const xs = tf.fill([5, 4, 8], 0.05);
    expectNoLeak(() => tf.dispose(m.forward(xs)), 100);
    tf.dispose([x, xs]);
    node.dispose();
    m.dispose();
  });

  it('rejects bad options with named errors, allocating nothing', () => {
    const before = tf.memory().numTensors;
    const fn = 'AdaptiveCLIFNode';
    expect(() => new AdaptiveCLIFNode({ tauA: 0 })).toThrow(`${fn}: 'tauA' must be a finite number > 0, got 0`);
    expect(() => new AdaptiveCLIFNode({ betaAdaptive: Number.NaN })).toThrow(ValueError);
    expect(() => new AdaptiveCLIFNode({ tauQ: 12 })).toThrow(`${fn}: 'tauQ' must be different from 'tauP'`);
    expect(() => new AdaptiveCLIFNode({ keepAdaptation: 'yes' as never })).toThrow(
      `${fn}: 'keepAdaptation' must be a boolean, got 'yes'`,
    );
    expect(tf.memory().numTensors).toBe(before);
  });
});

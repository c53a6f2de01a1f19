import { ShapeError, ValueError } from '@snn/core';
import { describeBackends, expectClose } from '@snn/core/testing';
import type { Tensor } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import { AlphaNode, type AlphaState, alphaStep, resolveAlphaParams } from './alpha.js';
import { resolveNodeParams } from './base-node.js';
import { expectNodeNoLeak, uniform } from './test-support.js';

/**
 * Independent float64 integration: E ← αE + X; I ← βI − X; H = E + I; S = [H ≥ θ];
 * V = hard or soft reset of H, written into E (E += V − H). `margin`: smallest |H − θ| met.
 */
function reference(xs: number[][], alpha: number, beta: number, th: number, vReset: number | null) {
  const N = (xs[0] as number[]).length;
  let e = new Array<number>(N).fill(0);
  let n = new Array<number>(N).fill(0);
  const spikes: number[][] = [];
  const vs: number[][] = [];
  let margin = Number.POSITIVE_INFINITY;
  for (const x of xs) {
    e = e.map((ek, k) => alpha * ek + (x[k] as number));
    n = n.map((nk, k) => beta * nk - (x[k] as number));
    const h = e.map((ek, k) => ek + (n[k] as number));
    margin = Math.min(margin, ...h.map((hk) => Math.abs(hk - th)));
    const s = h.map((hk) => (hk >= th ? 1 : 0));
    const v = h.map((hk, k) => (s[k] ? (vReset === null ? hk - th : vReset) : hk));
    e = e.map((ek, k) => ek + (v[k] as number) - (h[k] as number));
    spikes.push(s);
    vs.push(v);
  }
  return { spikes, v: vs, e, n, margin };
}

describeBackends('AlphaNode', () => {
  it('has alpha 0.9, beta 0.8 by default; tauExc/tauInh give exp(−1/τ); state starts at 0', () => {
    const node = new AlphaNode({ vReset: 0.3 });
    expect([node.alpha, node.beta]).toEqual([0.9, 0.8]);
    expectClose(node.v, [0]);
    tf.dispose(node.forward(tf.fill([2, 2], 3)));
    node.reset();
    for (const t of [node.v, node.iExc, node.iInh]) expectClose(t, [0]);
    const tau = new AlphaNode({ tauExc: 10, tauInh: 4 });
    expect(tau.alpha).toBeCloseTo(Math.exp(-1 / 10), 12);
    expect(tau.beta).toBeCloseTo(Math.exp(-1 / 4), 12);
    node.dispose();
    tau.dispose();
  });

  it.each([
    ['hard reset to 0', 0, 37],
    ['soft reset', null, 5],
  ] as const)(
    'matches a float64 integration over 1,000 steps (%s): spikes equal, state to 1e-4',
    (_n, vReset, seed) => {
      const xs = uniform(1000, 8, -0.5, 1.5, seed); // a seed with no close calls
      const ref = reference(xs, 0.9, 0.8, 1, vReset);
      // No spike is a close call: |H − θ| ≥ 1e-4 at every step (1.7e-4 here), 40x float32's error on V
      // (≤ 2.3e-6 seen; V is the difference of two traces of up to ~15).
      expect(ref.margin).toBeGreaterThan(1e-4);
      expect(ref.spikes.flat().filter((s) => s === 1).length).toBeGreaterThan(500);
      tf.tidy(() => {
        const node = new AlphaNode({ vReset, stepMode: 'm', storeVSeq: true });
        const spikes = node.forward(tf.tensor3d(xs.map((x) => [x])));
        expect(spikes.arraySync()).toEqual(ref.spikes.map((s) => [s]));
        // float32 vs float64: within 1e-4 relative, plus 1e-5 absolute where a value passes near 0.
        expectClose(
          node.vSeq as Tensor,
          ref.v.map((r) => [r]),
          { rtol: 1e-4, atol: 1e-5 },
        );
        expectClose(node.iExc, [ref.e], { rtol: 1e-4, atol: 1e-5 });
        expectClose(node.iInh, [ref.n], { rtol: 1e-4, atol: 1e-5 });
        expectClose(tf.add(node.iExc, node.iInh), node.v, { rtol: 0, atol: 1e-5 });
        node.dispose();
      });
    },
  );

  it('a single input spike gives the PSP α^t − β^t: 0 at t = 0, peak where the formula says, then decay', () => {
    tf.tidy(() => {
      for (const o of [{}, { tauExc: 10, tauInh: 4 }]) {
        const node = new AlphaNode({ ...o, vThreshold: 100, stepMode: 'm', storeVSeq: true });
        const T = 80;
        const x = tf.concat([tf.fill([1, 1, 1], 2), tf.zeros([T - 1, 1, 1])]); // weight 2
        tf.dispose(node.forward(x));
        const { alpha: a, beta: b } = node;
        const v = Array.from((node.vSeq as Tensor).dataSync());
        const expected = Array.from({ length: T }, (_, t) => 2 * (a ** t - b ** t));
        expectClose(v, expected, { rtol: 1e-5, atol: 1e-6 });
        expect(v[0]).toBe(0);
        const peak = v.indexOf(Math.max(...v));
        const tStar = Math.log(Math.log(b) / Math.log(a)) / Math.log(a / b);
        expect(Math.abs(peak - tStar)).toBeLessThan(1);
        expect(peak).toBe(expected.indexOf(Math.max(...expected)));
        expect(v.at(-1) as number).toBeLessThan(0.05 * (v[peak] as number));
        node.dispose();
      }
    });
  });

  it('the pure alphaStep gives the same numbers as the node; gradients reach the input', () => {
    tf.tidy(() => {
      const p = { ...resolveAlphaParams('test', {}), ...resolveNodeParams('test', { vReset: null }) };
      const node = new AlphaNode({ vReset: null });
      const zero = tf.scalar(0);
      let s: AlphaState = { v: zero, iExc: zero, iInh: zero };
      for (const row of uniform(100, 5, 0, 1.2, 9)) {
        const x = tf.tensor2d([row]);
        const r = alphaStep(x, s, p);
        s = r.state;
        expect(Array.from(node.forward(x).dataSync())).toEqual(Array.from(r.spike.dataSync()));
      }
      for (const k of ['v', 'iExc', 'iInh'] as const) {
        expect(Array.from(node.getMemory(k).dataSync())).toEqual(Array.from(s[k].dataSync()));
      }
      const m = new AlphaNode({ stepMode: 'm' });
      const g = tf.grad((x: Tensor) => tf.sum(m.forward(x)))(tf.tensor3d(uniform(20, 3, 0, 1.5, 2).map((r) => [r])));
      expect(Array.from(g.dataSync()).some((v) => v !== 0)).toBe(true);
      node.dispose();
      m.dispose();
    });
  });

  it('keeps tf.memory() flat over 1,000 steps', () => {
    expectNodeNoLeak((o) => new AlphaNode(o), 0.8);
  });

  it('rejects bad parameters with named errors, allocating nothing', () => {
    const before = tf.memory().numTensors;
    expect(() => new AlphaNode({ tauExc: 0 })).toThrow("AlphaNode: 'tauExc' must be a finite number > 0, got 0");
    expect(() => new AlphaNode({ tauInh: -1 })).toThrow("AlphaNode: 'tauInh' must be a finite number > 0, got -1");
    expect(() => new AlphaNode({ alpha: 2 })).toThrow("AlphaNode: 'alpha' must be a number in [0, 1], got 2");
    expect(() => new AlphaNode({ alpha: 0.7, beta: 0.8 })).toThrow("AlphaNode: 'beta' must be below alpha (0.7)");
    expect(() => new AlphaNode({ beta: 0.5, tauInh: 3 })).toThrow(ValueError);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('rejects a shape change between steps and keeps its state', () => {
    const node = new AlphaNode();
    tf.dispose(node.forward(tf.fill([2, 3], 0.9)));
    const snap = () => node.namedMemories().map(([k, t]) => [k, Array.from(t.dataSync())]);
    const before = snap();
    const bad = tf.zeros([3, 3]);
    expect(() => node.forward(bad)).toThrow(ShapeError);
    expect(snap()).toEqual(before);
    bad.dispose();
    node.dispose();
  });
});

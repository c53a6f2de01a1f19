import { ShapeError, ValueError } from '@snn/core';
import { describeBackends, expectClose } from '@snn/core/testing';
import type { Tensor } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import { resolveNodeParams } from './base-node.js';
import { CLIFNode, type CLIFState, clifStep } from './clif.js';
import { expectNodeNoLeak, uniform } from './test-support.js';

/**
 * Independent float64 integration: I ← αI + X; H = βV + I; S = [H ≥ θ]; V = hard or soft reset.
 * `margin`: smallest |H − θ| met.
 */
function reference(xs: number[][], alpha: number, beta: number, th: number, vReset: number | null) {
  const N = (xs[0] as number[]).length;
  let v = new Array<number>(N).fill(0);
  let i = new Array<number>(N).fill(0);
  const spikes: number[][] = [];
  const vs: number[][] = [];
  let margin = Number.POSITIVE_INFINITY;
  for (const x of xs) {
    i = i.map((ik, k) => alpha * ik + (x[k] as number));
    const h = v.map((vk, k) => beta * vk + (i[k] as number));
    margin = Math.min(margin, ...h.map((hk) => Math.abs(hk - th)));
    const s = h.map((hk) => (hk >= th ? 1 : 0));
    v = h.map((hk, k) => (s[k] ? (vReset === null ? hk - th : vReset) : hk));
    spikes.push(s);
    vs.push(v);
  }
  return { spikes, v: vs, i, margin };
}

describeBackends('CLIFNode', () => {
  it('has alpha 0.9, beta 0.8 by default; tauSyn/tauMem give exp(−1/τ); state starts at 0', () => {
    const node = new CLIFNode({ vReset: -0.5 });
    expect([node.alpha, node.beta]).toEqual([0.9, 0.8]);
    expectClose(node.v, [0]);
    expectClose(node.i, [0]);
    tf.dispose(node.forward(tf.fill([2, 2], 3)));
    node.reset();
    expectClose(node.v, [0]);
    expectClose(node.i, [0]);
    const tau = new CLIFNode({ tauSyn: 5, tauMem: 10 });
    expect(tau.alpha).toBeCloseTo(Math.exp(-1 / 5), 12);
    expect(tau.beta).toBeCloseTo(Math.exp(-1 / 10), 12);
    node.dispose();
    tau.dispose();
  });

  it.each([
    ['hard reset to 0', 0],
    ['soft reset', null],
  ] as const)('matches a float64 integration over 1,000 steps (%s): spikes equal, state to 1e-4', (_n, vReset) => {
    const xs = uniform(1000, 8, -0.1, 0.25, vReset === null ? 23 : 36); // seeds with no close calls
    const ref = reference(xs, 0.9, 0.8, 1, vReset);
    // No spike is a close call: |H − θ| ≥ 1e-4 at every step (3e-4 here), 40x float32's error on V
    // (≤ 2.3e-6 seen with soft reset, 7e-7 with hard).
    expect(ref.margin).toBeGreaterThan(1e-4);
    expect(ref.spikes.flat().filter((s) => s === 1).length).toBeGreaterThan(50);
    tf.tidy(() => {
      const node = new CLIFNode({ vReset, stepMode: 'm', storeVSeq: true });
      const spikes = node.forward(tf.tensor3d(xs.map((x) => [x])));
      expect(spikes.arraySync()).toEqual(ref.spikes.map((s) => [s]));
      // float32 vs float64: 1e-4 relative, plus 1e-5 absolute for V passing near 0.
      expectClose(
        node.vSeq as Tensor,
        ref.v.map((r) => [r]),
        { rtol: 1e-4, atol: 1e-5 },
      );
      expectClose(node.i, [ref.i], { rtol: 1e-4, atol: 1e-5 });
      node.dispose();
    });
  });

  it('a single input spike gives the PSP (α^{t+1} − β^{t+1})/(α − β), peaking where the formula says', () => {
    tf.tidy(() => {
      for (const o of [{}, { tauSyn: 5, tauMem: 10 }]) {
        const node = new CLIFNode({ ...o, vThreshold: 100, stepMode: 'm', storeVSeq: true });
        const T = 60;
        const x = tf.concat([tf.ones([1, 1, 1]), tf.zeros([T - 1, 1, 1])]);
        tf.dispose(node.forward(x));
        const { alpha: a, beta: b } = node;
        const v = Array.from((node.vSeq as Tensor).dataSync());
        const expected = Array.from({ length: T }, (_, t) => (a ** (t + 1) - b ** (t + 1)) / (a - b));
        expectClose(v, expected, { rtol: 1e-5 });
        const peak = v.indexOf(Math.max(...v));
        // Continuous peak of α^u − β^u at u* = ln(ln β / ln α)/ln(α/β), u = t + 1.
        const uStar = Math.log(Math.log(b) / Math.log(a)) / Math.log(a / b);
        expect(Math.abs(peak + 1 - uStar)).toBeLessThan(1);
        expect(peak).toBe(expected.indexOf(Math.max(...expected)));
        node.dispose();
      }
    });
  });

  it('the pure clifStep gives the same numbers as the node; gradients reach the input', () => {
    tf.tidy(() => {
      const p = { alpha: 0.9, beta: 0.8, ...resolveNodeParams('test', { vReset: null }) };
      const node = new CLIFNode({ vReset: null });
      let s: CLIFState = { v: tf.scalar(0), i: tf.scalar(0) };
      for (const row of uniform(100, 5, 0, 0.4, 9)) {
        const x = tf.tensor2d([row]);
        const r = clifStep(x, s, p);
        s = r.state;
        expect(Array.from(node.forward(x).dataSync())).toEqual(Array.from(r.spike.dataSync()));
      }
      expect(Array.from(node.v.dataSync())).toEqual(Array.from(s.v.dataSync()));
      expect(Array.from(node.i.dataSync())).toEqual(Array.from(s.i.dataSync()));
      const m = new CLIFNode({ stepMode: 'm' });
      const g = tf.grad((x: Tensor) => tf.sum(m.forward(x)))(tf.tensor3d(uniform(20, 3, 0, 0.5, 2).map((r) => [r])));
      expect(Array.from(g.dataSync()).some((v) => v !== 0)).toBe(true);
      node.dispose();
      m.dispose();
    });
  });

  it('keeps tf.memory() flat over 1,000 steps', () => {
    expectNodeNoLeak((o) => new CLIFNode(o), 0.3);
  });

  it('rejects bad parameters with named errors, allocating nothing', () => {
    const before = tf.memory().numTensors;
    expect(() => new CLIFNode({ tauSyn: 0 })).toThrow("CLIFNode: 'tauSyn' must be a finite number > 0, got 0");
    expect(() => new CLIFNode({ tauMem: -3 })).toThrow("CLIFNode: 'tauMem' must be a finite number > 0, got -3");
    expect(() => new CLIFNode({ alpha: 1.5 })).toThrow("CLIFNode: 'alpha' must be a number in [0, 1], got 1.5");
    expect(() => new CLIFNode({ beta: -0.1 })).toThrow(ValueError);
    expect(() => new CLIFNode({ alpha: 0.5, tauSyn: 3 })).toThrow(
      "CLIFNode: 'tauSyn' must be left unset when 'alpha' is given",
    );
    expect(tf.memory().numTensors).toBe(before);
  });

  it('rejects a shape change between steps and keeps its state', () => {
    const node = new CLIFNode();
    tf.dispose(node.forward(tf.fill([2, 3], 0.4)));
    const snap = () => node.namedMemories().map(([k, t]) => [k, Array.from(t.dataSync())]);
    const before = snap();
    const bad = tf.zeros([2, 3, 1]);
    expect(() => node.forward(bad)).toThrow(ShapeError);
    expect(snap()).toEqual(before);
    bad.dispose();
    node.dispose();
  });
});

import { ShapeError, ValueError } from '@snn/core';
import { describeBackends, expectClose } from '@snn/core/testing';
import type { Tensor } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import { AdaptiveLIFNode, type AdaptiveLIFState, adaptiveLIFStep, resolveAdaptiveLIFParams } from './adaptive-lif.js';
import { LIFNode } from './lif.js';
import { expectNodeNoLeak, uniform } from './test-support.js';

/**
 * Independent float64 integration: H = V + (X − (V − r))/τ (r = vReset, 0 when soft);
 * S = [H ≥ θ0 + θ]; V = vReset or H − (θ0 + θ) where S; θ ← θ − θ/τθ + θ₊·S.
 */
function reference(xs: number[][], o: { tau: number; th: number; vReset: number | null; tp: number; tt: number }) {
  const N = (xs[0] as number[]).length;
  const r = o.vReset ?? 0;
  let v = new Array<number>(N).fill(r);
  let theta = new Array<number>(N).fill(0);
  const spikes: number[][] = [];
  const vs: number[][] = [];
  let margin = Number.POSITIVE_INFINITY;
  for (const x of xs) {
    const h = v.map((vk, k) => vk + ((x[k] as number) - (vk - r)) / o.tau);
    const thr = theta.map((q) => o.th + q);
    margin = Math.min(margin, ...h.map((hk, k) => Math.abs(hk - (thr[k] as number))));
    const s = h.map((hk, k) => (hk >= (thr[k] as number) ? 1 : 0));
    v = h.map((hk, k) => (s[k] ? (o.vReset === null ? hk - (thr[k] as number) : o.vReset) : hk));
    theta = theta.map((q, k) => q - q / o.tt + o.tp * (s[k] as number));
    spikes.push(s);
    vs.push(v);
  }
  return { spikes, v: vs, theta, margin };
}

describeBackends('AdaptiveLIFNode', () => {
  it('has the documented defaults; theta starts at 0 and reset() restores it', () => {
    const node = new AdaptiveLIFNode();
    expect([node.tau, node.decayInput, node.thetaPlus, node.tauTheta]).toEqual([2, true, 0.05, 50]);
    expect([node.params.vThreshold, node.params.vReset]).toEqual([1, 0]);
    tf.dispose(node.forward(tf.fill([2, 3], 5)));
    expectClose(node.theta, new Array(6).fill(0.05));
    node.reset();
    expectClose(node.theta, [0]);
    node.dispose();
  });

  it.each([
    ['hard reset', 0, 28],
    ['soft reset', null, 35],
  ] as const)(
    'matches a float64 integration over 1,000 steps (%s): spikes equal, state to 1e-4',
    (_n, vReset, seed) => {
      const xs = uniform(1000, 8, 0, 2.5, seed); // a seed with no close calls
      const o = { tau: 2, th: 1, vReset, tp: 0.2, tt: 30 };
      const ref = reference(xs, o);
      // No spike is a close call: |H − (θ0 + θ)| ≥ 1e-4 at every step (5.5e-4 here), 300x float32's
      // error on V (≤ 3.4e-7 seen).
      expect(ref.margin).toBeGreaterThan(1e-4);
      expect(ref.spikes.flat().filter((s) => s === 1).length).toBeGreaterThan(500);
      tf.tidy(() => {
        const node = new AdaptiveLIFNode({
          tau: 2,
          vReset,
          thetaPlus: 0.2,
          tauTheta: 30,
          stepMode: 'm',
          storeVSeq: true,
        });
        const spikes = node.forward(tf.tensor3d(xs.map((x) => [x])));
        expect(spikes.arraySync()).toEqual(ref.spikes.map((s) => [s]));
        // float32 vs float64: within 1e-4 relative, plus 1e-5 absolute where V passes near 0.
        expectClose(
          node.vSeq as Tensor,
          ref.v.map((r) => [r]),
          { rtol: 1e-4, atol: 1e-5 },
        );
        expectClose(node.theta, [ref.theta], { rtol: 1e-4, atol: 1e-6 });
        node.dispose();
      });
    },
  );

  it('raises the threshold with every spike, so the rate drops under constant input; thetaPlus 0 is LIF', () => {
    tf.tidy(() => {
      const T = 400;
      const x = tf.mul(tf.ones([T, 1, 3]), tf.tensor1d([1.5, 3, 0.5]));
      const node = new AdaptiveLIFNode({ thetaPlus: 0.1, tauTheta: 100, stepMode: 'm' });
      const s = (node.forward(x).arraySync() as number[][][]).map((r) => r[0] as number[]);
      const count = (from: number, to: number, i: number) =>
        s.slice(from, to).reduce((c, r) => c + (r[i] as number), 0);
      const theta = Array.from(node.theta.dataSync());
      for (const i of [0, 1]) {
        expect(count(0, 50, i)).toBeGreaterThan(1.5 * count(350, 400, i));
        expect(theta[i] as number).toBeGreaterThan(0.5);
      }
      expect(count(0, T, 2)).toBe(0); // 0.5 never reaches 1: no spikes, no adaptation
      expect(theta[2]).toBe(0);
      // Without a threshold rise the node is SpikingJelly's LIF, spike for spike.
      const flat = new AdaptiveLIFNode({ thetaPlus: 0, stepMode: 'm' });
      const lif = new LIFNode({ stepMode: 'm' });
      expect(flat.forward(x).arraySync()).toEqual(lif.forward(x).arraySync());
      node.dispose();
      flat.dispose();
      lif.dispose();
    });
  });

  it('the pure adaptiveLIFStep gives the same numbers as the node', () => {
    tf.tidy(() => {
      const p = resolveAdaptiveLIFParams('test', { thetaPlus: 0.2, vReset: null });
      const node = new AdaptiveLIFNode({ thetaPlus: 0.2, vReset: null });
      let s: AdaptiveLIFState = { v: tf.scalar(0), theta: tf.scalar(0) };
      for (const row of uniform(100, 5, 0, 2.5, 11)) {
        const x = tf.tensor2d([row]);
        const r = adaptiveLIFStep(x, s, p);
        s = r.state;
        expect(Array.from(node.forward(x).dataSync())).toEqual(Array.from(r.spike.dataSync()));
      }
      expect(Array.from(node.v.dataSync())).toEqual(Array.from(s.v.dataSync()));
      expect(Array.from(node.theta.dataSync())).toEqual(Array.from(s.theta.dataSync()));
      node.dispose();
    });
  });

  it('keeps tf.memory() flat over 1,000 steps', () => {
    expectNodeNoLeak((o) => new AdaptiveLIFNode(o), 1.5);
  });

  it('rejects bad parameters with named errors, allocating nothing', () => {
    const before = tf.memory().numTensors;
    expect(() => new AdaptiveLIFNode({ tauTheta: 0 })).toThrow(
      "AdaptiveLIFNode: 'tauTheta' must be a finite number > 1, got 0",
    );
    expect(() => new AdaptiveLIFNode({ tau: -2 })).toThrow(
      "AdaptiveLIFNode: 'tau' must be a finite number > 1, got -2",
    );
    expect(() => new AdaptiveLIFNode({ thetaPlus: Number.NaN })).toThrow(
      "AdaptiveLIFNode: 'thetaPlus' must be a finite number, got NaN",
    );
    expect(() => new AdaptiveLIFNode({ decayInput: 1 as unknown as boolean })).toThrow(ValueError);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('rejects a shape change between steps and keeps its state', () => {
    const node = new AdaptiveLIFNode();
    tf.dispose(node.forward(tf.fill([2, 3], 3)));
    const snap = () => node.namedMemories().map(([k, t]) => [k, Array.from(t.dataSync())]);
    const before = snap();
    const bad = tf.zeros([2, 2]);
    expect(() => node.forward(bad)).toThrow(ShapeError);
    expect(snap()).toEqual(before);
    bad.dispose();
    node.dispose();
  });
});

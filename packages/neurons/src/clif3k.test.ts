import { type Module, ValueError } from '@snn/core';
import { describeBackends, expectClose, expectNoLeak } from '@snn/core/testing';
import type { Tensor } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import { CLIF2KNode } from './clif2k.js';
import { CLIF3KNode, clif3kInitialState, clif3kStep } from './clif3k.js';
import { uniform } from './test-support.js';

/**
 * Independent float64 kernel CLIF: I = V0 X with V0 = β^{β/(β−1)}/(β − 1), β = τp/τq;
 * M ← e^{−dt/τp} M + I; S ← e^{−dt/τq} S + I; V = M − S − E; O = [V > θ]; E ← e^{−dt/τm} E + θ O.
 */
function reference(xs: number[][], tm: number, tp: number, tq: number, th = 1, dt = 0.1) {
  const N = (xs[0] as number[]).length;
  const [dM, dP, dQ] = [tm, tp, tq].map((t) => Math.exp(-dt / t)) as [number, number, number];
  const beta = tp / tq;
  const v0 = beta ** (beta / (beta - 1)) / (beta - 1);
  let m = new Array<number>(N).fill(0);
  let s = m.slice();
  let e = m.slice();
  const spikes: number[][] = [];
  const vs: number[][] = [];
  let margin = Number.POSITIVE_INFINITY;
  for (const x of xs) {
    m = m.map((mk, k) => dP * mk + v0 * (x[k] as number));
    s = s.map((sk, k) => dQ * sk + v0 * (x[k] as number));
    const v = m.map((mk, k) => mk - (s[k] as number) - (e[k] as number));
    margin = Math.min(margin, ...v.map((vk) => Math.abs(vk - th)));
    const o = v.map((vk) => (vk > th ? 1 : 0));
    e = e.map((ek, k) => dM * ek + th * (o[k] as number));
    spikes.push(o);
    vs.push(v);
  }
  return { spikes, v: vs, m, s, e, margin };
}

function expectLeakFree(make: (o: { stepMode?: 's' | 'm'; storeVSeq?: boolean }) => Module, value: number) {
  const node = make({});
  const x = tf.fill([4, 8], value);
  expectNoLeak(() => tf.dispose(node.forward(x)), 1000);
  const m = make({ stepMode: 'm', storeVSeq: true });
  const xs = tf.fill([5, 4, 8], value);
  expectNoLeak(() => tf.dispose(m.forward(xs)), 100);
  tf.dispose([x, xs]);
  node.dispose();
  m.dispose();
}

describeBackends('CLIF3KNode, CLIF2KNode', () => {
  it.each([
    [
      'CLIF3KNode (clif), τm 20, τp 12, τq 8',
      () => new CLIF3KNode({ stepMode: 'm', storeVSeq: true }),
      [20, 12, 8],
      0,
      0.02,
      2,
    ],
    [
      'CLIF2KNode (clif2k), τm 10, τs 4',
      () => new CLIF2KNode({ tauM: 10, tauS: 4, stepMode: 'm', storeVSeq: true }),
      [10, 10, 4],
      0,
      0.03,
      19,
    ],
  ] as const)('%s: matches a float64 integration over 1,500 steps', (_n, make, taus, lo, hi, seed) => {
    const xs = uniform(1500, 4, lo, hi, seed);
    const ref = reference(xs, ...(taus as unknown as [number, number, number]));
    expect(ref.margin).toBeGreaterThan(1e-4); // no close calls: float32's error on V is ~1e-6
    expect(ref.spikes.flat().filter((s) => s === 1).length).toBeGreaterThan(50);
    tf.tidy(() => {
      const node = make();
      const spikes = node.forward(tf.tensor3d(xs.map((x) => [x])));
      expect(spikes.arraySync()).toEqual(ref.spikes.map((s) => [s]));
      const tol = { rtol: 1e-4, atol: 1e-4 };
      expectClose(
        node.vSeq as Tensor,
        ref.v.map((v) => [v]),
        tol,
      );
      expectClose(node.m, [ref.m], tol);
      expectClose(node.s, [ref.s], tol);
      expectClose(node.e, [ref.e], tol);
      node.dispose();
    });
  });

  it('one unit of input gives the PSP V0(e^{−t/τp} − e^{−t/τq}), peaking just under 1 at t* = τpτq ln(τp/τq)/(τp − τq)', () => {
    tf.tidy(() => {
      const T = 400;
      const node = new CLIF3KNode({ vThreshold: 10, stepMode: 'm', storeVSeq: true });
      tf.dispose(node.forward(tf.concat([tf.ones([1, 1, 1]), tf.zeros([T - 1, 1, 1])])));
      const v = Array.from((node.vSeq as Tensor).dataSync());
      const peak = Math.max(...v);
      const tStar = ((12 * 8) / (12 - 8)) * Math.log(12 / 8); // 9.73 ms
      expect(Math.abs(v.indexOf(peak) * 0.1 - tStar)).toBeLessThan(0.1);
      expect(peak).toBeLessThanOrEqual(1);
      expect(peak).toBeGreaterThan(0.9999);
      node.dispose();
    });
  });

  it('a spike subtracts vThreshold from V from the next step on, decaying with τm', () => {
    tf.tidy(() => {
      const node = new CLIF3KNode({ stepMode: 'm', storeVSeq: true });
      const x = tf.concat([tf.fill([1, 1, 1], 1), tf.zeros([199, 1, 1])]);
      const free = new CLIF3KNode({ vThreshold: 100, stepMode: 'm', storeVSeq: true });
      tf.dispose([free.forward(x), node.forward(tf.mul(x, 1.5))]);
      const v = Array.from((node.vSeq as Tensor).dataSync());
      const psp = Array.from((free.vSeq as Tensor).dataSync());
      const first = v.findIndex((vk) => vk > 1);
      expect(first).toBeGreaterThan(0);
      // Until the spike V = 1.5·PSP; the next step it is lower by exactly vThreshold.
      expect(v[first]).toBeCloseTo(1.5 * (psp[first] as number), 5);
      expect(v[first + 1]).toBeCloseTo(1.5 * (psp[first + 1] as number) - 1, 5);
      node.dispose();
      free.dispose();
    });
  });

  it("the pure clif3kStep gives the node's numbers", () => {
    tf.tidy(() => {
      const node = new CLIF3KNode();
      let s = clif3kInitialState();
      for (const row of uniform(50, 3, 0, 0.1, 6)) {
        const x = tf.tensor2d([row]);
        const r = clif3kStep(x, s, node);
        s = r.state;
        expect(Array.from(node.forward(x).dataSync())).toEqual(Array.from(r.spike.dataSync()));
      }
      for (const k of ['m', 's', 'e', 'v'] as const)
        expect(Array.from(node.getMemory(k).dataSync())).toEqual(Array.from(s[k].dataSync()));
      node.dispose();
    });
  });

  it('keeps tf.memory() flat', () => {
    expectLeakFree((o) => new CLIF3KNode(o), 0.05);
    expectLeakFree((o) => new CLIF2KNode(o), 0.05);
  });

  it('rejects bad options with named errors, allocating nothing', () => {
    const before = tf.memory().numTensors;
    expect(() => new CLIF3KNode({ tauP: 8, tauQ: 8 })).toThrow(
      "CLIF3KNode: 'tauQ' must be different from 'tauP' (equal kernels cancel: M − S = 0), got 8",
    );
    expect(() => new CLIF2KNode({ tauS: 20 })).toThrow("CLIF2KNode: 'tauS' must be different from 'tauM'");
    expect(() => new CLIF3KNode({ tauM: 0 })).toThrow("CLIF3KNode: 'tauM' must be a finite number > 0, got 0");
    expect(() => new CLIF2KNode({ dt: Number.NaN })).toThrow(ValueError);
    expect(() => new CLIF2KNode({ tauQ: 3 } as never)).toThrow("CLIF2KNode: unknown option 'tauQ'");
    expect(tf.memory().numTensors).toBe(before);
  });
});

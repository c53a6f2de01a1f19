import { type Module, ValueError } from '@snn/core';
import { describeBackends, expectClose, expectNoLeak } from '@snn/core/testing';
import { sigmoid } from '@snn/surrogates';
import type { Tensor } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import {
  ConstantCurrentLIFNode,
  type ConstantCurrentLIFState,
  constantCurrentLIFStep,
} from './constant-current-lif.js';
import { uniform } from './test-support.js';

/**
 * Independent float64 Euler LIF, τ dV/dt = vReset − V + I: H = V + (dt/τ)(vReset − V + X);
 * S = [H > θ]; V = vReset where S (or, `delayed`, where the previous step fired; SPAIC's code).
 */
function reference(xs: number[][], dt: number, tau: number, th: number, vReset: number, delayed: boolean) {
  const N = (xs[0] as number[]).length;
  let v = new Array<number>(N).fill(vReset);
  let o = new Array<number>(N).fill(0);
  const spikes: number[][] = [];
  const vs: number[][] = [];
  let margin = Number.POSITIVE_INFINITY;
  for (const x of xs) {
    const h = v.map((vk, k) => vk + (dt / tau) * (vReset - vk + (x[k] as number)));
    margin = Math.min(margin, ...h.map((hk) => Math.abs(hk - th)));
    const s = h.map((hk) => (hk > th ? 1 : 0));
    const r = delayed ? o : s;
    v = h.map((hk, k) => (r[k] ? vReset : hk));
    o = s;
    spikes.push(s);
    vs.push(v);
  }
  return { spikes, v: vs, margin };
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

describeBackends('ConstantCurrentLIFNode', () => {
  it.each([
    ['reset in the spike step, vReset −0.2', -0.2, false, 36],
    ['delayed reset (SPAIC 0.6.3), vReset 0', 0, true, 34],
  ] as const)('matches a float64 Euler integration over 1,500 steps (%s)', (_n, vReset, delayedReset, seed) => {
    const xs = uniform(1500, 6, 0.8, 2.5, seed);
    const ref = reference(xs, 0.1, 5, 1, vReset, delayedReset);
    expect(ref.margin).toBeGreaterThan(1e-4); // no close calls: float32's error on V is ~1e-6
    expect(ref.spikes.flat().filter((s) => s === 1).length).toBeGreaterThan(30);
    tf.tidy(() => {
      const node = new ConstantCurrentLIFNode({ tauM: 5, vReset, delayedReset, stepMode: 'm', storeVSeq: true });
      const spikes = node.forward(tf.tensor3d(xs.map((x) => [x])));
      expect(spikes.arraySync()).toEqual(ref.spikes.map((s) => [s]));
      expectClose(
        node.vSeq as Tensor,
        ref.v.map((v) => [v]),
        { rtol: 1e-4, atol: 1e-5 },
      );
      node.dispose();
    });
  });

  it('a constant current I fires first at the step where I(1 − (1 − dt/τ)^{n+1}) exceeds θ', () => {
    tf.tidy(() => {
      const I = 1.5;
      const rate = Math.fround(0.1 / 20);
      // Euler from V = 0: V_n = I(1 − (1 − rate)^{n+1}) after step n.
      const first = Math.ceil(Math.log(1 - 1 / I) / Math.log(1 - rate)) - 1;
      const node = new ConstantCurrentLIFNode({ stepMode: 'm' });
      const spikes = Array.from(node.forward(tf.fill([first + 2, 1, 1], I)).dataSync());
      expect(spikes.indexOf(1)).toBe(first);
      node.dispose();
    });
  });

  it("SPAIC's delayed reset fires twice in a row where the documented reset fires once", () => {
    tf.tidy(() => {
      const x = tf.fill([400, 1, 1], 3);
      const documented = Array.from(new ConstantCurrentLIFNode({ stepMode: 'm' }).forward(x).dataSync());
      const spaic = Array.from(new ConstantCurrentLIFNode({ stepMode: 'm', delayedReset: true }).forward(x).dataSync());
      const first = documented.indexOf(1);
      expect(first).toBeGreaterThan(0);
      expect(documented[first + 1]).toBe(0);
      expect([spaic[first], spaic[first + 1], spaic[first + 2]]).toEqual([1, 1, 0]);
    });
  });

  it("the pure step gives the node's numbers", () => {
    tf.tidy(() => {
      const node = new ConstantCurrentLIFNode({ tauM: 2, vReset: 0.1 });
      const p = { rate: node.rate, vReset: 0.1, delayedReset: false, vThreshold: 1, surrogate: sigmoid(4) };
      let s: ConstantCurrentLIFState = { v: tf.scalar(0.1), o: tf.scalar(0) };
      for (const row of uniform(60, 4, 0, 3, 8)) {
        const x = tf.tensor2d([row]);
        const r = constantCurrentLIFStep(x, s, p);
        s = r.state;
        expect(Array.from(node.forward(x).dataSync())).toEqual(Array.from(r.spike.dataSync()));
      }
      expect(Array.from(node.v.dataSync())).toEqual(Array.from(s.v.dataSync()));
      node.dispose();
    });
  });

  it('keeps tf.memory() flat', () => {
    expectLeakFree((o) => new ConstantCurrentLIFNode(o), 2);
  });

  it('rejects bad options with named errors, allocating nothing', () => {
    const before = tf.memory().numTensors;
    const fn = 'ConstantCurrentLIFNode';
    expect(() => new ConstantCurrentLIFNode({ tauM: 0 })).toThrow(`${fn}: 'tauM' must be a finite number > 0, got 0`);
    expect(() => new ConstantCurrentLIFNode({ tauM: 0.05 })).toThrow(`${fn}: 'tauM' must be at least dt (0.1 ms)`);
    expect(() => new ConstantCurrentLIFNode({ dt: -1 })).toThrow(`${fn}: 'dt' must be a finite number > 0, got -1`);
    expect(() => new ConstantCurrentLIFNode({ vReset: Number.NaN })).toThrow(ValueError);
    expect(tf.memory().numTensors).toBe(before);
  });
});

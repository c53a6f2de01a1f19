import { loadState, ShapeError, saveState, ValueError } from '@snn/core';
import { describeBackends, expectClose } from '@snn/core/testing';
import type { Tensor } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import { DiehlCookNode, diehlCookInitialState, diehlCookStep, resolveDiehlCookParams } from './diehl-cook.js';
import { expectNodeNoLeak, lcg } from './test-support.js';

interface RefOptions {
  rest: number;
  vReset: number;
  vth: number;
  tau: number;
  refrac: number;
  dt: number;
  tauTheta: number;
  thetaPlus: number;
  lb: number | null;
  oneSpike: boolean;
}

/**
 * Independent float64 integration of the Diehl & Cook neuron, `xs[t][b][n]` in mV per step:
 * H = rest + (V − rest)·e^{−dt/τ} + X·[not refractory]; θd = θ·e^{−dt/τθ}; S = [H ≥ vth + θd]
 * (with oneSpike only the largest H − (vth + θd) of each sample); V = vReset where S, then
 * max(V, lb); refractory counter ← ceil(refrac/dt) where S, else max(c − 1, 0);
 * θ = θd + θ₊·Σ_b S. `margin`: smallest |H − (vth + θd)| met.
 */
function reference(xs: number[][][], o: RefOptions) {
  const B = (xs[0] as number[][]).length;
  const N = ((xs[0] as number[][])[0] as number[]).length;
  const steps = Math.ceil(o.refrac / o.dt - 1e-9);
  let v = Array.from({ length: B }, () => new Array<number>(N).fill(o.rest));
  let count = Array.from({ length: B }, () => new Array<number>(N).fill(0));
  let theta = new Array<number>(N).fill(0);
  const out = {
    spikes: [] as number[][][],
    v: [] as number[][][],
    theta,
    refrac: count,
    margin: Number.POSITIVE_INFINITY,
  };
  for (const x of xs) {
    const thetaD = theta.map((q) => q * Math.exp(-o.dt / o.tauTheta));
    const h = v.map((row, b) =>
      row.map((vk, n) => {
        const input = (count[b]?.[n] as number) > 0 ? 0 : (x[b]?.[n] as number);
        return o.rest + (vk - o.rest) * Math.exp(-o.dt / o.tau) + input;
      }),
    );
    const z = h.map((row) => row.map((hk, n) => hk - (o.vth + (thetaD[n] as number))));
    for (const row of z) for (const zk of row) out.margin = Math.min(out.margin, Math.abs(zk));
    const s = z.map((row) => {
      const winner = row.indexOf(Math.max(...row));
      return row.map((zk, n) => (zk >= 0 && (!o.oneSpike || n === winner) ? 1 : 0));
    });
    v = h.map((row, b) =>
      row.map((hk, n) => {
        const vn = s[b]?.[n] ? o.vReset : hk;
        return o.lb === null ? vn : Math.max(vn, o.lb);
      }),
    );
    count = count.map((row, b) => row.map((c, n) => (s[b]?.[n] ? steps : Math.max(c - 1, 0))));
    theta = thetaD.map((q, n) => q + o.thetaPlus * s.reduce((a, row) => a + (row[n] as number), 0));
    out.spikes.push(s);
    out.v.push(v);
  }
  out.theta = theta;
  out.refrac = count;
  return out;
}

const snap = (node: DiehlCookNode) => node.namedMemories().map(([k, t]) => [k, Array.from(t.dataSync())]);

describeBackends('DiehlCookNode', () => {
  it('has the documented defaults; starts at rest; reset() keeps theta unless keepTheta is false', () => {
    const node = new DiehlCookNode();
    expect([node.dt, node.vRest, node.tau, node.refrac, node.thetaPlus, node.tauTheta]).toEqual([
      1, -65, 100, 5, 0.05, 1e7,
    ]);
    expect([node.vLowerBound, node.oneSpike, node.keepTheta]).toEqual([null, false, true]);
    expect([node.params.vThreshold, node.params.vReset]).toEqual([-52, -60]);
    expectClose(node.v, [-65]);
    tf.dispose(node.forward(tf.fill([1, 3], 20))); // all three fire
    expectClose(node.theta, [0.05, 0.05, 0.05]);
    node.reset();
    expectClose(node.v, [-65]);
    expectClose(node.refracSteps, [0]);
    expectClose(node.theta, [0.05, 0.05, 0.05]); // homeostasis outlives the sample
    node.resetTheta();
    expectClose(node.theta, [0]);
    const forget = new DiehlCookNode({ keepTheta: false });
    tf.dispose(forget.forward(tf.fill([1, 3], 20)));
    forget.reset();
    expectClose(forget.theta, [0]);
    node.dispose();
    forget.dispose();
  });

  it('keeps theta as persistent state: saveState carries it, loadState restores it, reset() keeps it', () => {
    const a = new DiehlCookNode({ thetaPlus: 0.5 });
    tf.dispose(a.forward(tf.tensor2d([[20, 0, 20]])));
    expect(a.isPersistent('theta')).toBe(true);
    const state = JSON.parse(JSON.stringify(saveState(a)));
    expect(Object.keys(state.persistent)).toEqual(['theta']);
    const b = new DiehlCookNode({ thetaPlus: 0.5 });
    loadState(b, state);
    b.reset();
    expectClose(b.theta, [0.5, 0, 0.5]);
    expectClose(b.v, [-65]);
    expect(new DiehlCookNode({ keepTheta: false }).isPersistent('theta')).toBe(false);
    a.dispose();
    b.dispose();
  });

  it.each([
    ['every spike', false],
    ['oneSpike', true],
  ] as const)('matches a float64 integration over 1,000 steps (%s): spikes equal, state to 1e-4', (_n, oneSpike) => {
    const r = lcg(17); // a seed with no close calls
    const xs = Array.from({ length: 1000 }, () =>
      Array.from({ length: 2 }, () => Array.from({ length: 5 }, () => -2 + 5 * r())),
    );
    const o = { dt: 0.5, refrac: 5, tauTheta: 2000, thetaPlus: 0.5, vLowerBound: -70, oneSpike };
    const ref = reference(xs, {
      ...o,
      rest: -65,
      vReset: -60,
      vth: -52,
      tau: 100,
      lb: -70,
    });
    // No spike is a close call: |H − (vth + θ)| ≥ 1e-3 mV at every step (7.5e-3 here), 150x
    // float32's error on V (≤ 5.1e-5 mV seen).
    expect(ref.margin).toBeGreaterThan(1e-3);
    expect(ref.spikes.flat(2).filter((s) => s === 1).length).toBeGreaterThan(150);
    tf.tidy(() => {
      const node = new DiehlCookNode({ ...o, stepMode: 'm', storeVSeq: true });
      const spikes = node.forward(tf.tensor3d(xs));
      expect(spikes.arraySync()).toEqual(ref.spikes);
      // float32 vs float64: V within 1e-5 relative (about 6e-4 mV; seen 5.1e-5 mV); θ within 1e-4 relative.
      expectClose(node.vSeq as Tensor, ref.v, { rtol: 1e-5, atol: 0 });
      expectClose(node.theta, ref.theta, { rtol: 1e-4, atol: 0 });
      expect(node.refracSteps.arraySync()).toEqual(ref.refrac);
      node.dispose();
    });
  });

  it('does not integrate during the refractory period: V only leaks for ceil(refrac/dt) steps', () => {
    tf.tidy(() => {
      for (const [dt, refrac, steps] of [
        [1, 5, 5],
        [2, 5, 3],
        [0.5, 2, 4],
      ] as const) {
        const node = new DiehlCookNode({ dt, refrac, thetaPlus: 0, stepMode: 'm', storeVSeq: true });
        const T = 3 * (steps + 1);
        const s = Array.from(node.forward(tf.fill([T, 1, 1], 20)).dataSync());
        const v = Array.from((node.vSeq as Tensor).dataSync());
        // 20 mV lifts V from below −60 over −52 at once, so it fires whenever it integrates.
        expect(s).toEqual(Array.from({ length: T }, (_, t) => (t % (steps + 1) === 0 ? 1 : 0)));
        const decay = Math.exp(-dt / 100);
        for (let t = 0; t < T; t++) {
          const k = t % (steps + 1);
          if (k === 0) expect(v[t]).toBeCloseTo(-60, 4);
          else expect(v[t]).toBeCloseTo(-65 + 5 * decay ** k, 4); // pure leak from the reset
        }
        node.dispose();
      }
    });
  });

  it('raises theta with each spike, so the rate drops; eval() freezes theta', () => {
    tf.tidy(() => {
      const node = new DiehlCookNode({ thetaPlus: 2, stepMode: 'm' });
      const T = 600;
      const s = (node.forward(tf.fill([T, 1, 2], 1.5)).arraySync() as number[][][]).map((r) => r[0] as number[]);
      const count = (from: number, to: number) => s.slice(from, to).reduce((c, r) => c + (r[0] as number), 0);
      expect(count(0, 150)).toBeGreaterThan(2 * count(450, 600));
      const theta = Array.from(node.theta.dataSync());
      expect(theta[0]).toBeCloseTo(2 * count(0, T), 1); // θ₊ = 2 mV per spike, τθ = 1e7 ms: hardly any decay
      node.eval();
      const frozen = Array.from(node.theta.dataSync());
      tf.dispose(node.forward(tf.fill([200, 1, 2], 5)));
      expect(Array.from(node.theta.dataSync())).toEqual(frozen);
      node.dispose();
    });
  });

  it('keeps V at or above vLowerBound', () => {
    tf.tidy(() => {
      const x = tf.concat([tf.fill([100, 1, 3], -5), tf.fill([100, 1, 3], 3)]);
      const bounded = new DiehlCookNode({ vLowerBound: -70, stepMode: 'm', storeVSeq: true });
      tf.dispose(bounded.forward(x));
      const v = Array.from((bounded.vSeq as Tensor).dataSync());
      expect(Math.min(...v)).toBeCloseTo(-70, 5);
      expect(v.every((u) => u >= -70 - 1e-4)).toBe(true);
      const free = new DiehlCookNode({ stepMode: 'm', storeVSeq: true });
      tf.dispose(free.forward(x));
      expect(Math.min(...Array.from((free.vSeq as Tensor).dataSync()))).toBeLessThan(-200);
      bounded.dispose();
      free.dispose();
    });
  });

  it('with oneSpike, lets only the neuron furthest above threshold fire in each sample', () => {
    tf.tidy(() => {
      const node = new DiehlCookNode({ oneSpike: true });
      const s = node.forward(
        tf.tensor2d([
          [14, 16, 15, 0],
          [0, 0, 13.5, 20],
        ]),
      );
      expect(s.arraySync()).toEqual([
        [0, 1, 0, 0],
        [0, 0, 0, 1],
      ]);
      expectClose(node.theta, [0, 0.05, 0, 0.05]);
      // The losers were not reset: they stay above threshold and not refractory.
      expect(Array.from(node.refracSteps.dataSync())).toEqual([0, 5, 0, 0, 0, 0, 0, 5]);
      node.dispose();
    });
  });

  it('the pure diehlCookStep gives the same numbers as the node', () => {
    tf.tidy(() => {
      const o = { dt: 0.5, thetaPlus: 0.3, vLowerBound: -68 };
      const p = resolveDiehlCookParams('test', o);
      const node = new DiehlCookNode(o);
      let s = diehlCookInitialState(p);
      const r = lcg(5);
      for (let t = 0; t < 200; t++) {
        const x = tf.tensor2d([Array.from({ length: 4 }, () => -1 + 4 * r())]);
        const out = diehlCookStep(x, s, p);
        s = out.state;
        expect(Array.from(node.forward(x).dataSync())).toEqual(Array.from(out.spike.dataSync()));
      }
      for (const k of ['v', 'theta', 'refrac'] as const) {
        expect(Array.from(node.getMemory(k).dataSync())).toEqual(Array.from(s[k].dataSync()));
      }
      node.dispose();
    });
  });

  it('keeps tf.memory() flat over 1,000 steps', () => {
    expectNodeNoLeak((o) => new DiehlCookNode({ oneSpike: true, vLowerBound: -70, ...o }), 3);
  });

  it('rejects bad parameters with named errors, allocating nothing', () => {
    const before = tf.memory().numTensors;
    expect(() => new DiehlCookNode({ dt: 0 })).toThrow("DiehlCookNode: 'dt' must be a finite number > 0, got 0");
    expect(() => new DiehlCookNode({ tau: -100 })).toThrow(
      "DiehlCookNode: 'tau' must be a finite number > 0, got -100",
    );
    expect(() => new DiehlCookNode({ tauTheta: 0 })).toThrow(
      "DiehlCookNode: 'tauTheta' must be a finite number > 0, got 0",
    );
    expect(() => new DiehlCookNode({ refrac: -1 })).toThrow("DiehlCookNode: 'refrac' must be a finite number >= 0");
    expect(() => new DiehlCookNode({ vReset: null })).toThrow("DiehlCookNode: 'vReset' must be a finite number");
    expect(() => new DiehlCookNode({ vLowerBound: Number.NaN })).toThrow(ValueError);
    expect(() => new DiehlCookNode({ oneSpike: 'yes' as unknown as boolean })).toThrow(ValueError);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('rejects a shape change between steps, a missing batch axis, or neurons that do not fit theta', () => {
    const node = new DiehlCookNode();
    tf.dispose(node.forward(tf.fill([2, 3], 20)));
    const before = snap(node);
    const bad = tf.zeros([2, 4]);
    expect(() => node.forward(bad)).toThrow(ShapeError);
    expect(() => node.forward(bad)).toThrow("DiehlCookNode.forward: 'x' must have the shape of the state, [2, 3]");
    expect(snap(node)).toEqual(before);
    node.reset(); // V is free again, theta (kept) is not
    expect(() => node.forward(bad)).toThrow("'x' must have neurons of the shape of theta, [3]");
    tf.dispose(node.forward(tf.zeros([5, 3]))); // another batch size is fine
    node.resetTheta();
    node.reset();
    tf.dispose(node.forward(bad));
    const flat = new DiehlCookNode();
    expect(() => flat.forward(tf.zeros([4]))).toThrow("'x' must have a batch axis and neurons");
    bad.dispose();
    node.dispose();
    flat.dispose();
  });
});

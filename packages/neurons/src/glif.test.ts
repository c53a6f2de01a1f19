import { ShapeError, ValueError } from '@snn/core';
import { describeBackends, expectClose } from '@snn/core/testing';
import type { Tensor } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import { GLIFNode, glifInitialState, glifStep, resolveGLIFParams } from './glif.js';
import { expectNodeNoLeak } from './test-support.js';

/** The defaults, in the node's units (mV, ms, nA, nS, pF). */
const P = {
  dt: 0.1,
  cm: 100,
  gL: 5,
  eL: -70,
  thInf: -50,
  amps: [-0.02, -0.005],
  taus: [10, 100],
  dThS: 2,
  bS: 0.1,
  aV: 0.005,
  bV: 0.1,
  fV: 0.3,
  dV: 2,
};

interface Trace {
  spikes: number[][];
  v: number[][];
  state: number[][]; // final [thetaS, thetaV, asc1, asc2] per neuron
  margin: number;
}

/**
 * Independent float64 integration of GLIF5 with the node's scheme: forward Euler for V and Θv,
 * exact decay for Θs and the after-spike currents, spike when V' ≥ Θ∞ + Θs' + Θv', then
 * V ← EL + fV (V' − EL) − δV, Θs += δΘs, I_j += A_j. `margin`: smallest |V' − threshold| met.
 */
function reference(xs: number[][], amps = P.amps): Trace {
  const N = (xs[0] as number[]).length;
  const v = new Array<number>(N).fill(P.eL);
  const ts = new Array<number>(N).fill(0);
  const tv = new Array<number>(N).fill(0);
  const i1 = new Array<number>(N).fill(0);
  const i2 = new Array<number>(N).fill(0);
  const out: Trace = { spikes: [], v: [], state: [], margin: Number.POSITIVE_INFINITY };
  for (const x of xs) {
    const s: number[] = [];
    for (let k = 0; k < N; k++) {
      const V = v[k] as number;
      let vn =
        V + (P.dt / P.cm) * (1000 * ((x[k] as number) + (i1[k] as number) + (i2[k] as number)) - P.gL * (V - P.eL));
      const tvn = (tv[k] as number) + P.dt * (P.aV * (V - P.eL) - P.bV * (tv[k] as number));
      let tsn = (ts[k] as number) * Math.exp(-P.bS * P.dt);
      let i1n = (i1[k] as number) * Math.exp(-P.dt / (P.taus[0] as number));
      let i2n = (i2[k] as number) * Math.exp(-P.dt / (P.taus[1] as number));
      const threshold = P.thInf + tsn + tvn;
      out.margin = Math.min(out.margin, Math.abs(vn - threshold));
      const spike = vn >= threshold ? 1 : 0;
      if (spike) {
        vn = P.eL + P.fV * (vn - P.eL) - P.dV;
        tsn += P.dThS;
        i1n += amps[0] as number;
        i2n += amps[1] as number;
      }
      s.push(spike);
      v[k] = vn;
      ts[k] = tsn;
      tv[k] = tvn;
      i1[k] = i1n;
      i2[k] = i2n;
    }
    out.spikes.push(s);
    out.v.push([...v]);
  }
  out.state = [ts, tv, i1, i2];
  return out;
}

const isis = (spikes: number[][], i: number): number[] => {
  const times = spikes.flatMap((s, t) => (s[i] === 1 ? [t] : []));
  return times.slice(1).map((t, k) => t - (times[k] as number));
};

describeBackends('GLIFNode', () => {
  it('has the documented defaults; V starts at E_L and reset() restores every state', () => {
    const node = new GLIFNode();
    expect([node.dt, node.cm, node.gL, node.eL, node.params.vThreshold]).toEqual([0.1, 100, 5, -70, -50]);
    expect([node.ascAmps, node.ascTau]).toEqual([
      [-0.02, -0.005],
      [10, 100],
    ]);
    expect([node.deltaThetaS, node.bS, node.aV, node.bV, node.fV, node.deltaV]).toEqual([2, 0.1, 0.005, 0.1, 0.3, 2]);
    const initial = node.namedMemories().map(([k, t]) => [k, Array.from(t.dataSync())]);
    tf.dispose(node.forward(tf.fill([2, 3], 50)));
    node.reset();
    expect(node.namedMemories().map(([k, t]) => [k, Array.from(t.dataSync())])).toEqual(initial);
    expectClose(node.v, [-70]);
    node.dispose();
  });

  it('matches a float64 integration over 1,000 steps: spikes equal, state to 1e-4', () => {
    const T = 1000;
    const xs = Array.from({ length: T }, (_, t) => [
      0.05,
      0.22,
      0.25,
      0.3,
      0.6,
      0.2 + 0.1 * Math.sin((2 * Math.PI * t) / 300),
    ]);
    const ref = reference(xs);
    // No spike is a close call: |V' − threshold| ≥ 2e-3 mV at every step (5.5e-3 here), about 100x
    // float32's error on V (≤ 4.3e-5 mV seen).
    expect(ref.margin).toBeGreaterThan(2e-3);
    const counts = [0, 1, 2, 3, 4, 5].map((i) => ref.spikes.reduce((c, s) => c + (s[i] as number), 0));
    expect(counts[0]).toBe(0);
    expect(Math.min(...counts.slice(1))).toBeGreaterThan(2);
    tf.tidy(() => {
      const node = new GLIFNode({ stepMode: 'm', storeVSeq: true });
      const spikes = node.forward(tf.tensor3d(xs.map((x) => [x])));
      expect(spikes.arraySync()).toEqual(ref.spikes.map((s) => [s]));
      // float32 vs float64: V within 1e-4 relative over the whole run (seen 7e-7); the threshold components
      // and currents within 1e-4 relative plus 1e-7 (mV or nA) absolute for values near 0.
      expectClose(
        node.vSeq as Tensor,
        ref.v.map((row) => [row]),
        { rtol: 1e-4, atol: 0 },
      );
      const got = tf.stack([node.thetaS, node.thetaV, node.asc1, node.asc2]);
      expectClose(
        got,
        ref.state.map((row) => [row]),
        { rtol: 1e-4, atol: 1e-7 },
      );
      node.dispose();
    });
  });

  it('the pure glifStep gives the same numbers as the node', () => {
    tf.tidy(() => {
      const p = resolveGLIFParams('test', {});
      const node = new GLIFNode();
      let s = glifInitialState(p);
      const x = tf.tensor2d([[0.1, 0.3, 0.6]]);
      for (let t = 0; t < 300; t++) {
        const r = glifStep(x, s, p);
        s = r.state;
        expect(Array.from(node.forward(x).dataSync())).toEqual(Array.from(r.spike.dataSync()));
      }
      for (const k of ['v', 'thetaS', 'thetaV', 'asc1', 'asc2'] as const) {
        expect(Array.from(node.getMemory(k).dataSync())).toEqual(Array.from(s[k].dataSync()));
      }
      node.dispose();
    });
  });

  it('after-spike currents change the inter-spike intervals: hyperpolarising ones lengthen them over a train', () => {
    tf.tidy(() => {
      const T = 2000; // 200 ms at 0.2 nA
      const run = (ascAmps: [number, number]) => {
        const node = new GLIFNode({ ascAmps, stepMode: 'm' });
        const s = (node.forward(tf.fill([T, 1, 1], 0.2)).arraySync() as number[][][]).map((r) => r[0] as number[]);
        node.dispose();
        return isis(s, 0);
      };
      const none = run([0, 0]);
      const adapting = run([-0.02, -0.005]);
      const depolarising = run([0.01, 0]);
      // Without after-spike currents the train is regular (the threshold terms settle at once).
      expect(Math.max(...none) - Math.min(...none)).toBeLessThanOrEqual(2);
      // Negative currents: every interval longer than without, and growing along the train.
      expect(Math.min(...adapting)).toBeGreaterThan(Math.max(...none));
      expect(adapting.at(-1) as number).toBeGreaterThan(1.15 * (adapting[0] as number));
      // A positive current shortens them.
      expect(Math.max(...depolarising)).toBeLessThan(Math.min(...none));
    });
  });

  it('keeps tf.memory() flat over 1,000 steps', () => {
    expectNodeNoLeak((o) => new GLIFNode(o), 0.3);
  });

  it('rejects bad parameters with named errors, allocating nothing', () => {
    const before = tf.memory().numTensors;
    expect(() => new GLIFNode({ dt: 0 })).toThrow("GLIFNode: 'dt' must be a finite number > 0, got 0");
    expect(() => new GLIFNode({ ascTau: [10, -1] })).toThrow(
      "GLIFNode: 'ascTau[1]' must be a finite number > 0, got -1",
    );
    expect(() => new GLIFNode({ ascTau: [10] as unknown as [number, number] })).toThrow(
      "GLIFNode: 'ascTau' must be an array of 2 numbers",
    );
    expect(() => new GLIFNode({ cm: -1 })).toThrow(ValueError);
    expect(() => new GLIFNode({ bS: -0.1 })).toThrow("GLIFNode: 'bS' must be a finite number >= 0, got -0.1");
    expect(() => new GLIFNode({ vReset: -70 })).toThrow("GLIFNode: 'vReset' must be left unset");
    expect(() => new GLIFNode({ ascAmps: [Number.NaN, 0] })).toThrow("GLIFNode: 'ascAmps[0]' must be a finite number");
    expect(tf.memory().numTensors).toBe(before);
  });

  it('rejects a shape change between steps and keeps its state', () => {
    const node = new GLIFNode();
    tf.dispose(node.forward(tf.fill([2, 3], 1)));
    tf.dispose(node.forward(tf.fill([2, 3], 1)));
    const snap = () => node.namedMemories().map(([k, t]) => [k, Array.from(t.dataSync())]);
    const before = snap();
    const bad = tf.zeros([6]);
    expect(() => node.forward(bad)).toThrow(ShapeError);
    expect(() => node.forward(bad)).toThrow("GLIFNode.forward: 'x' must have the shape of the state, [2, 3]");
    expect(snap()).toEqual(before);
    bad.dispose();
    node.dispose();
  });
});

import { describeBackends, expectClose, expectNoLeak } from '@snn/core/testing';
import { sigmoid } from '@snn/surrogates';
import type { Tensor } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import { PLIF2KNode, type PLIF2KState, plif2kStep } from './plif2k.js';
import { uniform } from './test-support.js';

/** Independent float64 PLIF 2-kernel: M ← dM(M + X); S ← dS(S + X); E ← dM E + θ O_prev; V = M − S − E; O = [V > θ]. */
function reference(xs: number[][], dM: number, dS: number) {
  const N = (xs[0] as number[]).length;
  let [m, s, e, o] = [0, 1, 2, 3].map(() => new Array<number>(N).fill(0)) as [number[], number[], number[], number[]];
  const spikes: number[][] = [];
  const vs: number[][] = [];
  let margin = Number.POSITIVE_INFINITY;
  for (const x of xs) {
    m = m.map((mk, k) => dM * (mk + (x[k] as number)));
    s = s.map((sk, k) => dS * (sk + (x[k] as number)));
    e = e.map((ek, k) => dM * ek + (o[k] as number));
    const v = m.map((mk, k) => mk - (s[k] as number) - (e[k] as number));
    margin = Math.min(margin, ...v.map((vk) => Math.abs(vk - 1)));
    o = v.map((vk) => (vk > 1 ? 1 : 0));
    spikes.push(o);
    vs.push(v);
  }
  return { spikes, v: vs, margin };
}

describeBackends('PLIF2KNode', () => {
  it('matches a float64 integration over 500 steps (decays 0.9, 0.6)', () => {
    const xs = uniform(500, 4, -0.5, 2.5, 1);
    const ref = reference(xs, Math.fround(0.9), Math.fround(0.6));
    expect(ref.margin).toBeGreaterThan(1e-4); // no close calls: float32's error on V is ~1e-6
    expect(ref.spikes.flat().filter((s) => s === 1).length).toBeGreaterThan(100);
    tf.tidy(() => {
      const node = new PLIF2KNode({ stepMode: 'm', storeVSeq: true });
      const spikes = node.forward(tf.tensor3d(xs.map((x) => [x])));
      expect(spikes.arraySync()).toEqual(ref.spikes.map((s) => [s]));
      expectClose(
        node.vSeq as Tensor,
        ref.v.map((v) => [v]),
        { rtol: 1e-5, atol: 1e-5 },
      );
      node.dispose();
    });
  });

  it('learns its decays: BPTT reaches decayM and decayS, which are registered parameters', () => {
    tf.tidy(() => {
      const node = new PLIF2KNode({ stepMode: 'm' });
      expect(node.parameters().map((p) => p.name)).toEqual([node.decayM.name, node.decayS.name]);
      const xs = tf.tensor3d(uniform(40, 3, 0, 2, 3).map((x) => [x]));
      const { grads } = tf.variableGrads(() => {
        node.reset();
        return tf.sum(node.forward(xs));
      }, [node.decayM, node.decayS]);
      expect(Math.abs(grads[node.decayM.name]?.dataSync()[0] as number)).toBeGreaterThan(0);
      expect(Math.abs(grads[node.decayS.name]?.dataSync()[0] as number)).toBeGreaterThan(0);
      const frozen = new PLIF2KNode({ trainableDecay: false });
      expect(frozen.parameters(true)).toEqual([]);
      node.dispose();
      frozen.dispose();
    });
  });

  it("the pure plif2kStep gives the node's numbers, with number decays too", () => {
    tf.tidy(() => {
      const node = new PLIF2KNode({ decayM: 0.8, decayS: 0.5 });
      const zero = () => tf.scalar(0);
      let s: PLIF2KState = { m: zero(), s: zero(), e: zero(), v: zero(), o: zero() };
      for (const row of uniform(40, 3, 0, 2, 9)) {
        const x = tf.tensor2d([row]);
        const r = plif2kStep(x, s, { decayM: 0.8, decayS: 0.5 }, { vThreshold: 1, surrogate: sigmoid(4) });
        s = r.state;
        expect(Array.from(node.forward(x).dataSync())).toEqual(Array.from(r.spike.dataSync()));
      }
      expect(Array.from(node.v.dataSync())).toEqual(Array.from(s.v.dataSync()));
      node.dispose();
    });
  });

  it('keeps tf.memory() flat', () => {
    const node = new PLIF2KNode();
    const x = tf.fill([4, 8], 0.7);
    expectNoLeak(() => tf.dispose(node.forward(x)), 1000);
    const m = new PLIF2KNode({ stepMode: 'm', storeVSeq: true });
    const xs = tf.fill([5, 4, 8], 0.7);
    expectNoLeak(() => tf.dispose(m.forward(xs)), 100);
    tf.dispose([x, xs]);
    node.dispose();
    m.dispose();
  });

  it('rejects bad options with named errors, allocating nothing', () => {
    const before = tf.memory().numTensors;
    expect(() => new PLIF2KNode({ decayM: 1.5 })).toThrow("PLIF2KNode: 'decayM' must be a number in (0, 1], got 1.5");
    expect(() => new PLIF2KNode({ decayS: 0 })).toThrow("PLIF2KNode: 'decayS' must be a number in (0, 1], got 0");
    expect(() => new PLIF2KNode({ tauM: 0.9 } as never)).toThrow("PLIF2KNode: unknown option 'tauM'");
    expect(tf.memory().numTensors).toBe(before);
  });
});

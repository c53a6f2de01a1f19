import { ShapeError, UnknownOptionError, ValueError } from '@snn/core';
import { describeBackends, expectClose, expectNoLeak } from '@snn/core/testing';
import { sigmoid } from '@snn/surrogates';
import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import { QLIF_STATE_KEYS, QLIFNode, type QLIFState, qlifStep } from './qlif.js';
import { uniform } from './test-support.js';

type Grid = number[][];

/**
 * Independent float64 QLIF (SPAIC's documented equations), one neuron row at a time:
 * E ← βm E + θ O; V = X − E; O = [V > θ]; Mp ← βm Mp + Wp, Sp ← βs Sp + Wp, P = Mp − Sp (Q alike
 * from Wq); R ← (1 − O) βs R + O; F = 1 − R; QP = Q − P; BQ = R Q + F P;
 * TP = R P + F reward − P_prev; TQ = F Q + R reward − Q_prev.
 */
function reference(xs: Grid, wps: Grid, wqs: Grid, rewards: Grid) {
  const N = (xs[0] as number[]).length;
  const [bm, bs] = [Math.exp(-0.1 / 20), Math.exp(-0.1 / 8)];
  const z = () => new Array<number>(N).fill(0);
  const st = { e: z(), o: z(), mp: z(), sp: z(), p: z(), mq: z(), sq: z(), q: z(), r: z() };
  const out: Record<'spikes' | 'v' | 'p' | 'q' | 'r' | 'bq' | 'qp' | 'tp' | 'tq', Grid> = {
    spikes: [],
    v: [],
    p: [],
    q: [],
    r: [],
    bq: [],
    qp: [],
    tp: [],
    tq: [],
  };
  let margin = Number.POSITIVE_INFINITY;
  xs.forEach((x, t) => {
    const row = (g: Grid, k: number) => (g[t] as number[])[k] as number;
    const rec: Record<string, number[]> = {};
    for (const key of Object.keys(out)) rec[key] = [];
    for (let k = 0; k < N; k++) {
      const e = bm * (st.e[k] as number) + (st.o[k] as number);
      const v = (x[k] as number) - e;
      margin = Math.min(margin, Math.abs(v - 1));
      const o = v > 1 ? 1 : 0;
      const mp = bm * (st.mp[k] as number) + row(wps, k);
      const sp = bs * (st.sp[k] as number) + row(wps, k);
      const mq = bm * (st.mq[k] as number) + row(wqs, k);
      const sq = bs * (st.sq[k] as number) + row(wqs, k);
      const [p, q] = [mp - sp, mq - sq];
      const r = (1 - o) * bs * (st.r[k] as number) + o;
      const f = 1 - r;
      const reward = row(rewards, k);
      const vals = {
        spikes: o,
        v,
        p,
        q,
        r,
        bq: r * q + f * p,
        qp: q - p,
        tp: r * p + f * reward - (st.p[k] as number),
        tq: f * q + r * reward - (st.q[k] as number),
      };
      for (const [key, val] of Object.entries(vals)) (rec[key] as number[]).push(val);
      st.e[k] = e;
      st.o[k] = o;
      st.mp[k] = mp;
      st.sp[k] = sp;
      st.mq[k] = mq;
      st.sq[k] = sq;
      st.p[k] = p;
      st.q[k] = q;
      st.r[k] = r;
    }
    for (const key of Object.keys(out)) (out[key as keyof typeof out] as Grid).push(rec[key] as number[]);
  });
  return { ...out, margin };
}

describeBackends('QLIFNode', () => {
  it('matches a float64 integration of the documented equations over 300 steps, every variable every step', () => {
    const xs = uniform(300, 4, 0.5, 2.5, 2197);
    const wps = uniform(300, 4, -0.5, 1, 5);
    const wqs = uniform(300, 4, -0.5, 1, 6);
    const rewards = uniform(300, 4, -1, 1, 7);
    const ref = reference(xs, wps, wqs, rewards);
    expect(ref.margin).toBeGreaterThan(1e-3); // no close calls
    expect(ref.spikes.flat().filter((s) => s === 1).length).toBeGreaterThan(10);
    const node = new QLIFNode();
    const t2 = (g: Grid, t: number) => tf.tensor2d([g[t] as number[]]);
    for (let t = 0; t < xs.length; t++) {
      tf.tidy(() => {
        const spikes = node.forwardWith(t2(xs, t), { wpSum: t2(wps, t), wqSum: t2(wqs, t), reward: t2(rewards, t) });
        expect(Array.from(spikes.dataSync())).toEqual(ref.spikes[t]);
        for (const key of ['v', 'p', 'q', 'r', 'bq', 'qp', 'tp', 'tq'] as const) {
          expectClose(node.getMemory(key), [ref[key][t] as number[]], { rtol: 1e-4, atol: 1e-4 });
        }
      });
    }
    node.dispose();
  });

  it('R is 1 in the step of a spike and decays with τs after it; BQ is then Q, later P; TP, TQ use the previous P, Q', () => {
    tf.tidy(() => {
      const node = new QLIFNode({ stepMode: 'm' });
      const x = tf.concat([tf.fill([1, 1, 1], 2), tf.zeros([9, 1, 1])]); // one spike at step 0
      const wp = tf.fill([10, 1, 1], 0.3);
      const wq = tf.fill([10, 1, 1], 0.7);
      const spikes = node.forwardWith(x, { wpSum: wp, wqSum: wq, reward: 2 });
      expect(Array.from(spikes.dataSync())).toEqual([1, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
      const bs = Math.exp(-0.1 / 8);
      expectClose(node.r, [[bs ** 9]], { rtol: 1e-5 });
      const [p, q, r] = [node.p, node.q, node.r].map((t) => t.dataSync()[0] as number) as [number, number, number];
      expectClose(node.bq, [[r * q + (1 - r) * p]], { rtol: 1e-5 });
      node.dispose();
      const one = new QLIFNode();
      tf.dispose(one.forwardWith(tf.tensor2d([[2]]), { wpSum: 0.5, wqSum: 1, reward: 3 }));
      // Step 0: O = R = 1, F = 0; P = Q = 0 (M − S of one equal input); TQ = F·Q + R·reward − 0 = 3.
      expectClose(one.r, [[1]]);
      expectClose(one.tq, [[3]]);
      expectClose(one.tp, [[0]]);
      one.dispose();
    });
  });

  it("forward(x) is forwardWith(x, {}) (zero values and reward); the pure qlifStep gives the node's numbers", () => {
    tf.tidy(() => {
      const a = new QLIFNode();
      const b = new QLIFNode();
      const p = { decayM: a.decayM, decayS: a.decayS, vThreshold: 1, surrogate: sigmoid(4) };
      const zero = tf.scalar(0);
      let s = Object.fromEntries(QLIF_STATE_KEYS.map((k) => [k, zero])) as QLIFState;
      for (const row of uniform(40, 3, 0, 2.5, 2)) {
        const x = tf.tensor2d([row]);
        const r = qlifStep(x, s, p, { wpSum: x, reward: 1 });
        s = r.state;
        const sa = a.forwardWith(x, { wpSum: x, reward: 1 });
        expect(Array.from(sa.dataSync())).toEqual(Array.from(r.spike.dataSync()));
        expect(Array.from(b.forward(x).dataSync())).toEqual(Array.from(r.spike.dataSync()));
      }
      // The pure step leaves undriven variables scalar (wqSum 0 here); the node broadcasts them.
      for (const k of QLIF_STATE_KEYS) {
        const got = a.getMemory(k);
        expect(Array.from(got.dataSync())).toEqual(Array.from(tf.broadcastTo(s[k], got.shape).dataSync()));
      }
      a.dispose();
      b.dispose();
    });
  });

  it('keeps tf.memory() flat', () => {
    const node = new QLIFNode();
    const x = tf.fill([4, 8], 1.5);
    expectNoLeak(() => tf.dispose(node.forwardWith(x, { wpSum: x, wqSum: x, reward: 1 })), 500);
    const m = new QLIFNode({ stepMode: 'm', storeVSeq: true });
    const xs = tf.fill([5, 4, 8], 1.5);
    expectNoLeak(() => tf.dispose(m.forwardWith(xs, { reward: xs })), 100);
    tf.dispose([x, xs]);
    node.dispose();
    m.dispose();
  });

  it('refuses bad inputs by name, leaving the state and tf.memory() alone', () => {
    const node = new QLIFNode();
    const x = tf.fill([2, 3], 1.2);
    tf.dispose(node.forward(x));
    const before = node.namedMemories().map(([k, t]) => [k, Array.from(t.dataSync())]);
    const tensors = tf.memory().numTensors;
    const wrong = tf.zeros([2, 4]);
    expect(() => node.forwardWith(x, { rewrad: 1 } as never)).toThrow(UnknownOptionError);
    expect(() => node.forwardWith(x, { rewrad: 1 } as never)).toThrow("did you mean 'reward'?");
    expect(() => node.forwardWith(x, { wqSum: wrong })).toThrow(ShapeError);
    expect(() => node.forwardWith(x, { wqSum: wrong })).toThrow(
      "QLIFNode.forwardWith: 'wqSum' must have the shape of x, [2, 3], got shape [2, 4]",
    );
    expect(() => node.forwardWith(x, { reward: Number.NaN })).toThrow(ValueError);
    expect(() => node.forwardWith(x, null as never)).toThrow(ValueError);
    expect(node.namedMemories().map(([k, t]) => [k, Array.from(t.dataSync())])).toEqual(before);
    expect(tf.memory().numTensors).toBe(tensors + 1);
    tf.dispose([x, wrong]);
    node.dispose();
    expect(() => new QLIFNode({ tauS: 0 })).toThrow("QLIFNode: 'tauS' must be a finite number > 0, got 0");
    expect(() => new QLIFNode({ tauQ: 8 } as never)).toThrow("QLIFNode: unknown option 'tauQ'");
  });
});

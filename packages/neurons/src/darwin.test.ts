// The Darwin-chip models (SPAIC's darwin_clif, darwin_alif, darwin_random): SPAIC's own numbers
// (test/golden/spaic.json), a float32 reference in plain JavaScript (Math.fround after every
// operation, as the chip's float32 code runs), seeded initial potentials and noise, no leaks,
// named errors for bad input.
import { readFileSync } from 'node:fs';
import { createRng, DTypeError, ShapeError, UnknownOptionError, ValueError } from '@snn/core';
import { describeBackends, expectNoLeak } from '@snn/core/testing';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { DarwinALIFNode } from './darwin-alif.js';
import { DarwinCLIFNode, type DarwinCLIFState, darwinCLIFStep } from './darwin-clif.js';
import { quantize16, roundHalfEven } from './darwin-common.js';
import { DarwinRandomNode } from './darwin-random.js';
import { lcg } from './test-support.js';

type Nested = number[][][];
interface SpaicCase {
  name: string;
  inputs: { Isyn_seq?: Nested; initial_state: Record<string, number[][]> };
  outputs: Record<string, Nested>;
  params: { resolved: Record<string, Record<string, number>> };
}
const spaic = (name: string): SpaicCase => {
  const file = JSON.parse(readFileSync(new URL('../test/golden/spaic.json', import.meta.url), 'utf8'));
  const c = file.cases.find((k: SpaicCase) => k.name === name);
  if (c === undefined) throw new Error(`no case ${name}`);
  return c;
};
const f = Math.fround;
const q16 = (x: number): number => f(roundHalfEven(Math.min(Math.max(f(x + 32768), 0), 65536)) - 32768);

/** Steps `node` over `xSeq` one step at a time, recording the spikes and the named memories after each step. */
function run(node: DarwinCLIFNode | DarwinALIFNode | DarwinRandomNode, xSeq: Nested, keys: string[]) {
  const out: Record<string, Nested> = { O: [] };
  for (const k of keys) out[k] = [];
  for (const xt of xSeq) {
    const x = tf.tensor(xt);
    const s = node.forward(x);
    out.O?.push(s.arraySync() as number[][]);
    for (const k of keys) out[k]?.push(node.getMemory(k).arraySync() as number[][]);
    tf.dispose([x, s]);
  }
  return out;
}

describeBackends('Darwin models', () => {
  describe('SPAIC 0.6.3 defaults', () => {
    it('darwin_clif: every V, I and spike exactly (V starts at the recorded draw)', () => {
      const c = spaic('spaic_darwin_clif_default');
      const vInit = tf.tensor(c.inputs.initial_state.V?.[0] as number[]);
      const node = new DarwinCLIFNode({ vInit });
      const consts = c.params.resolved['constant_variables (stored as given)'] as Record<string, number>;
      expect([node.p0, node.p4, node.p1, node.vThreshold]).toEqual([consts.P0, consts.P4, consts.P1, consts.Vth]);
      const r = run(node, c.inputs.Isyn_seq as Nested, ['v', 'i']);
      expect(r.O).toEqual(c.outputs.O_seq);
      expect(r.v).toEqual(c.outputs.V_seq);
      expect(r.i).toEqual(c.outputs.I_seq);
      node.dispose();
      vInit.dispose();
    });

    it('darwin_alif: every V, I, threshold and spike exactly', () => {
      const c = spaic('spaic_darwin_alif_default');
      const vInit = tf.tensor(c.inputs.initial_state.V?.[0] as number[]);
      const node = new DarwinALIFNode({ vInit, stepMode: 'm' });
      const consts = c.params.resolved['constant_variables (stored as given)'] as Record<string, number>;
      expect([node.p0, node.p4, node.p1, node.p2, node.c1, node.c2].map((k) => Math.fround(k))).toEqual(
        [consts.P0, consts.P4, consts.P1, consts.P2, consts.C1, consts.C2].map((k) => Math.fround(k as number)),
      );
      // One multi-step call, then the state; and single steps through a second node.
      const x = tf.tensor(c.inputs.Isyn_seq as Nested);
      const spikes = node.forward(x);
      expect(spikes.arraySync()).toEqual(c.outputs.O_seq);
      const single = new DarwinALIFNode({ vInit });
      const r = run(single, c.inputs.Isyn_seq as Nested, ['v', 'i', 'vth']);
      expect(r.O).toEqual(c.outputs.O_seq);
      expect(r.v).toEqual(c.outputs.V_seq);
      expect(r.i).toEqual(c.outputs.I_seq);
      // JSON holds the shortest decimal of each float32: Math.fround gives the value back.
      expect(r.vth?.flat(2)).toEqual(c.outputs.Vth_seq?.flat(2).map(Math.fround));
      expect(Array.from(node.vth.dataSync())).toEqual(c.outputs.Vth_seq?.at(-1)?.flat().map(Math.fround));
      tf.dispose([x, spikes, vInit]);
      node.dispose();
      single.dispose();
    });

    it('darwin_random (std 0, no input: zeros): every V exactly, no spikes', () => {
      const c = spaic('spaic_darwin_random_default');
      const vInit = tf.tensor(c.inputs.initial_state.V?.[0] as number[]);
      const node = new DarwinRandomNode({ vInit });
      const consts = c.params.resolved['constant_variables (stored as given)'] as Record<string, number>;
      expect([Math.fround(node.p0), node.bias, node.std, node.vThreshold]).toEqual(
        [consts.P0, consts.bias, consts.std, consts.Vth].map((k) => Math.fround(k as number)),
      );
      const zeros = (c.outputs.V_seq as Nested).map((s) => s.map((row) => row.map(() => 0)));
      const r = run(node, zeros, ['v']);
      expect(r.v?.flat(2)).toEqual(c.outputs.V_seq?.flat(2).map(Math.fround));
      expect(r.O?.flat(2).every((s) => s === 0)).toBe(true);
      node.dispose();
      vInit.dispose();
    });
  });

  it('q16: round half to even, clamp to the 16-bit range', () => {
    const x = tf.tensor([0.5, 1.5, 2.5, -0.5, -1.5, 100.4, 40000, -40000, 32767.5]);
    expect(Array.from(quantize16(x).dataSync())).toEqual([0, 2, 2, 0, -2, 100, 32768, -32768, 32768]);
    x.dispose();
  });

  it('CLIF and ALIF match a float32 JavaScript reference with a bias, other time constants and random drive', () => {
    const rand = lcg(11);
    const B = 2;
    const N = 5;
    const xs = Array.from({ length: 80 }, () =>
      Array.from({ length: B }, () => Array.from({ length: N }, () => Math.round((rand() - 0.2) * 2500))),
    );
    const v0 = Array.from({ length: N }, (_, i) => -8000 + 4000 * i);
    const o = { tauM: 9, tauS: 4, bias: 0.3, dt: 0.2, vThreshold: 12000 };
    const vInit = tf.tensor(v0);
    const clif = new DarwinCLIFNode({ ...o, vInit });
    const alif = new DarwinALIFNode({ ...o, vInit, p2: 0.99, c2: 5000 });
    expect(clif.p1).toBe(Math.round(0.3 * 32768) / 32768);
    const rc = run(clif, xs, ['v']);
    const ra = run(alif, xs, ['v', 'vth']);
    // Reference: the same equations, one float32 rounding per operation.
    for (const [node, r, adaptive] of [
      [clif, rc, false],
      [alif, ra, true],
    ] as const) {
      // Flat [B·N] state, index b·N + n.
      const v = Array.from({ length: B * N }, (_, k) => v0[k % N] as number);
      const i = new Array<number>(B * N).fill(0);
      const th = new Array<number>(B * N).fill(12000);
      let spikes = 0;
      xs.forEach((xt, t) => {
        const x = xt.flat();
        const o = ((r.O as Nested)[t] as number[][]).flat();
        const vGot = ((r.v as Nested)[t] as number[][]).flat();
        const thGot = adaptive ? ((r.vth as Nested)[t] as number[][]).flat() : [];
        const want: number[] = [];
        for (let k = 0; k < B * N; k++) {
          i[k] = q16(f(f((i[k] as number) * f(node.p4)) + (x[k] as number)));
          const vq = q16(f(f(f((v[k] as number) * f(node.p0)) + (i[k] as number)) + f(node.p1)));
          const spike = vq > (th[k] as number) ? 1 : 0;
          spikes += spike;
          want.push(spike);
          v[k] = f(vq - f(vq * spike));
          if (adaptive) {
            const a = node as DarwinALIFNode;
            th[k] = f(f(f((th[k] as number) * f(a.p2)) + a.c1) + f(spike * a.c2));
          }
        }
        expect(o).toEqual(want);
        expect(vGot).toEqual(v);
        if (adaptive) expect(thGot).toEqual(th);
      });
      expect(spikes).toBeGreaterThan(5);
    }
    tf.dispose(vInit);
    clif.dispose();
    alif.dispose();
  });

  it('initial potentials: drawn once per neuron from the seeded stream, shared by the batch, kept by reset()', () => {
    const a = new DarwinCLIFNode({ seed: 5 });
    const b = new DarwinCLIFNode({ rng: createRng(5) });
    const x = tf.zeros([3, 200]);
    tf.dispose([a.forward(x), b.forward(x)]);
    const va = a.v.arraySync() as number[][];
    expect(b.v.arraySync()).toEqual(va);
    // One step from V0 with no input: V = q16(V0·P0), so V0·P0 lies within 0.5 of V.
    const expected = createRng(5).uniform([200], 10000, 15000);
    const e = expected.dataSync();
    for (const row of va) {
      row.forEach((v, n) => {
        expect(Math.abs(v - f(e[n] as number) * a.p0)).toBeLessThanOrEqual(0.501);
      });
    }
    expect(va[1]).toEqual(va[0]);
    a.reset();
    tf.dispose(a.forward(x));
    expect(a.v.arraySync()).toEqual(va);
    const other = new DarwinCLIFNode({ seed: 6 });
    tf.dispose(other.forward(x));
    expect(other.v.arraySync()).not.toEqual(va);
    tf.dispose([x, expected]);
    for (const n of [a, b, other]) n.dispose();
    const fixed = new DarwinALIFNode({ vInit: 100 });
    const one = tf.zeros([1, 2]);
    tf.dispose(fixed.forward(one));
    expect(Array.from(fixed.v.dataSync())).toEqual([Math.round(100 * fixed.p0), Math.round(100 * fixed.p0)]);
    one.dispose();
    fixed.dispose();
  });

  it('Darwin Random with noise: round(std·u − std/2) from the seeded stream, as a JavaScript reference drawn from the same seed', () => {
    const std = 400;
    const node = new DarwinRandomNode({ std, seed: 9, vInit: 0, vThreshold: 600, tauM: 5 });
    const ref = createRng(9);
    const T = 300;
    let v = [0, 0, 0, 0, 0, 0];
    let spikes = 0;
    let noiseSum = 0;
    const x = tf.zeros([2, 3]);
    for (let t = 0; t < T; t++) {
      const s = node.forward(x);
      const u = new Float32Array(6);
      ref.fillUniform(u);
      v = v.map((vi, k) => {
        const noise = roundHalfEven(f(f(std * (u[k] as number)) - std / 2));
        noiseSum += noise;
        const vn = f(f(f(vi * f(node.p0)) + noise) + 0);
        return vn > 600 ? 0 : vn;
      });
      const got = Array.from(node.v.dataSync());
      expect(got).toEqual(v.map((k) => f(k)));
      spikes += tf.sum(s).dataSync()[0] as number;
      tf.dispose(s);
    }
    expect(spikes).toBeGreaterThan(0);
    expect(Math.abs(noiseSum / (T * 6))).toBeLessThan(15); // uniform on [−200, 200]: mean 0, sd 115/√1800
    x.dispose();
    node.dispose();
  });

  it('the pure CLIF step agrees with the node', () => {
    const node = new DarwinCLIFNode({ vInit: 15000 });
    let s: DarwinCLIFState = { v: tf.scalar(15000), i: tf.scalar(0) };
    for (const xt of [[[900, 2000]], [[900, -500]]]) {
      const x = tf.tensor(xt);
      const r = darwinCLIFStep(x, s, node);
      const spike = node.forward(x);
      expect(r.spike.arraySync()).toEqual(spike.arraySync());
      expect(r.state.v.arraySync()).toEqual(node.v.arraySync());
      tf.dispose([s.v, s.i, r.spike, x, spike]);
      s = r.state;
    }
    tf.dispose([s.v, s.i]);
    node.dispose();
  });

  it('no leaks, in either step mode, for all three', () => {
    for (const make of [
      (m: 's' | 'm') => new DarwinCLIFNode({ stepMode: m, storeVSeq: m === 'm', seed: 1 }),
      (m: 's' | 'm') => new DarwinALIFNode({ stepMode: m, storeVSeq: m === 'm', seed: 1 }),
      (m: 's' | 'm') => new DarwinRandomNode({ stepMode: m, storeVSeq: m === 'm', seed: 1, std: 300 }),
    ]) {
      const s = make('s');
      const x = tf.fill([4, 8], 900);
      expectNoLeak(() => tf.dispose(s.forward(x)), 200);
      const m = make('m');
      const xs = tf.fill([5, 4, 8], 900);
      expectNoLeak(() => {
        m.reset();
        tf.dispose(m.forward(xs));
      }, 30);
      tf.dispose([x, xs]);
      s.dispose();
      m.dispose();
    }
  });

  it('bad input: named errors, state and tensor count unchanged', () => {
    const node = new DarwinCLIFNode({ seed: 1 });
    const x = tf.fill([2, 3], 500);
    tf.dispose(node.forward(x));
    const v = node.v.arraySync();
    const before = tf.memory().numTensors;
    const int = tf.fill([2, 3], 500, 'int32');
    const noBatch = tf.fill([3], 500);
    const wrong = tf.fill([2, 4], 500);
    expect(() => node.forward(int)).toThrow(DTypeError);
    expect(() => node.forward(noBatch)).toThrow(ShapeError);
    expect(() => node.forward(wrong)).toThrow(ShapeError);
    tf.dispose([int, noBatch, wrong]);
    expect(tf.memory().numTensors).toBe(before);
    expect(node.v.arraySync()).toEqual(v);
    tf.dispose(x);
    node.dispose();
    const vInit = tf.zeros([3]);
    const shaped = new DarwinCLIFNode({ vInit });
    const four = tf.zeros([1, 4]);
    expect(() => shaped.forward(four)).toThrow(
      "DarwinCLIFNode.forward: 'x' must have neurons of the shape of vInit, [3]",
    );
    tf.dispose([vInit, four]);
    shaped.dispose();
  });

  it('options: checked before anything is made', () => {
    const before = tf.memory().numTensors;
    expect(() => new DarwinCLIFNode({ tauM: 0 })).toThrow("DarwinCLIFNode: 'tauM' must be a finite number > 0, got 0");
    expect(() => new DarwinCLIFNode({ seed: 1, rng: createRng(1) })).toThrow(ValueError);
    expect(() => new DarwinCLIFNode({ vInit: { low: 5, high: 5 } })).toThrow(
      "DarwinCLIFNode: 'vInit' must be { low, high } with finite low < high",
    );
    expect(() => new DarwinALIFNode({ p2: 1.5 })).toThrow("DarwinALIFNode: 'p2' must be a number in [0, 1], got 1.5");
    expect(() => new DarwinRandomNode({ std: -1 })).toThrow(ValueError);
    expect(() => new DarwinRandomNode({ dt: 0 })).toThrow("DarwinRandomNode: 'dt' must be a finite number > 0, got 0");
    expect(() => new DarwinRandomNode({ sed: 1 } as never)).toThrow(UnknownOptionError);
    expect(tf.memory().numTensors).toBe(before);
  });
});

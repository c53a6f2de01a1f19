// LIF-int (SPAIC's `lifint`): SPAIC's own numbers (test/golden/spaic.json), a hand-worked example,
// an integer reference in plain JavaScript, no leaks, named errors for bad input.
import { readFileSync } from 'node:fs';
import { DTypeError, ShapeError, UnknownOptionError, ValueError } from '@snn/core';
import { describeBackends, expectNoLeak } from '@snn/core/testing';
import type { Tensor } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { LIFIntNode, type LIFIntNodeOptions, lifIntInitialState, lifIntStep } from './lif-int.js';
import { lcg } from './test-support.js';

type Nested = number[][][];
interface SpaicCase {
  name: string;
  inputs: { Isyn_seq: Nested; initial_state: Record<string, number[][]> };
  outputs: Record<string, Nested>;
  params: { resolved: Record<string, Record<string, number>> };
}
const spaic = (name: string): SpaicCase => {
  const file = JSON.parse(readFileSync(new URL('../test/golden/spaic.json', import.meta.url), 'utf8'));
  const c = file.cases.find((k: SpaicCase) => k.name === name);
  if (c === undefined) throw new Error(`no case ${name}`);
  return c;
};

const ints = (t: Tensor): number[] => Array.from(t.dataSync());

/** Runs `node` over `xSeq` one step at a time; V, refrac and spikes after every step. */
function run(node: LIFIntNode, xSeq: number[][][], dtype: 'int32' | 'float32' = 'int32') {
  const out = { v: [] as number[][], refrac: [] as number[][], spike: [] as number[][] };
  for (const xt of xSeq) {
    const x = tf.tensor(xt, undefined, dtype);
    const s = node.forward(x);
    out.spike.push(ints(s));
    out.v.push(ints(node.v));
    out.refrac.push(ints(node.refracSteps));
    tf.dispose([x, s]);
  }
  return out;
}

/** The model in plain JavaScript integers (`>>` is JS's exact arithmetic shift on int32). */
function reference(
  xs: number[][],
  p: Required<Omit<LIFIntNodeOptions, 'stepMode' | 'storeVSeq' | 'checkFiniteInput'>>,
) {
  const n = (xs[0] as number[]).length;
  const v = new Array<number>(n).fill(p.vRest);
  const refrac = new Array<number>(n).fill(0);
  const out = { v: [] as number[][], refrac: [] as number[][], spike: [] as number[][] };
  for (const x of xs) {
    const spike: number[] = [];
    for (let i = 0; i < n; i++) {
      let h = ((p.decay * ((v[i] as number) - p.vRest)) >> p.shiftVoltage) + p.vRest;
      if ((refrac[i] as number) === 0) h += x[i] as number;
      const fired = h >= p.vThreshold;
      refrac[i] = fired ? p.refrac : Math.max((refrac[i] as number) - 1, 0);
      v[i] = fired ? p.vReset : h;
      spike.push(fired ? 1 : 0);
    }
    out.v.push([...v]);
    out.refrac.push([...refrac]);
    out.spike.push(spike);
  }
  return out;
}

describeBackends('LIFIntNode', () => {
  describe('SPAIC 0.6.3 (spaic_lifint_default)', () => {
    const c = spaic('spaic_lifint_default');
    const consts = c.params.resolved['constant_variables (stored as given)'] as Record<string, number>;
    const xSeq = c.inputs.Isyn_seq;
    // SPAIC's counter keeps counting down below 0 (and starts at −1 after its build-time dry
    // run); only "> 0" matters to the model, so ours stops at 0: compare max(SPAIC's, 0).
    const refracSeq = (c.outputs.refrac_count_seq as Nested).map((s) => s.map((r) => r.map((k) => Math.max(k, 0))));

    it('SPAIC ran its defaults: threshold 1, no leak, no refractory period', () => {
      expect(consts).toMatchObject({ thresh: 1, decay: 1, Vreset: 0, Vrest: 0, reset_refrac: 0 });
    });

    it('float32 input, as SPAIC ran it (multiples of 1/4): every V, counter and spike exactly', () => {
      // SPAIC's lifint computes in float32; quarters are exact there, and truncating them to
      // int32 would lose them. Scaled by 4 (threshold 4) the same run is whole numbers: with
      // decay 1 the model is linear in V, X, thresholds and resets, so V scales and spikes do not.
      const node = new LIFIntNode({ vThreshold: 4 });
      const r = run(
        node,
        xSeq.map((s) => s.map((row) => row.map((x) => x * 4))),
        'float32',
      );
      expect(r.spike).toEqual(c.outputs.O_seq?.map((s) => s[0]));
      expect(r.v).toEqual(c.outputs.V_seq?.map((s) => (s[0] as number[]).map((v) => v * 4)));
      expect(r.refrac).toEqual(refracSeq.map((s) => s[0]));
      node.dispose();
    });

    it('int32 input, multi-step: the same numbers, V in int32', () => {
      const node = new LIFIntNode({ vThreshold: 4, stepMode: 'm', storeVSeq: true });
      const x = tf.tensor(
        xSeq.map((s) => s.map((row) => row.map((v) => v * 4))),
        undefined,
        'int32',
      );
      const spikes = node.forward(x);
      expect(spikes.dtype).toBe('float32');
      expect(node.v.dtype).toBe('int32');
      expect(spikes.arraySync()).toEqual(c.outputs.O_seq);
      expect(node.vSeq?.arraySync()).toEqual(c.outputs.V_seq?.map((s) => s.map((row) => row.map((v) => v * 4))));
      tf.dispose([x, spikes]);
      node.dispose();
    });
  });

  it('a hand-worked example: leak ×3/4 by multiply and shift, refractory 2 steps, threshold 10', () => {
    // decay 3, shiftVoltage 2: H = floor(3·V/4) + X. Input 4 every step:
    //   t0: floor(3·0/4) = 0, + 4 = 4          t1: floor(12/4) = 3, + 4 = 7
    //   t2: floor(21/4) = 5, + 4 = 9           t3: floor(27/4) = 6, + 4 = 10 ≥ 10: spike, V = 0, refrac 2
    //   t4: 0, input dropped (refrac 2 → 1)    t5: 0, dropped (1 → 0)      t6: 0 + 4 = 4
    // Input −5 once, then 0: V = −5, floor(−15/4) = −4, floor(−12/4) = −3, floor(−9/4) = −3, ...
    // (the shift rounds toward −∞, so a negative V stops at −3 instead of decaying to 0).
    const pos = new LIFIntNode({ vThreshold: 10, decay: 3, shiftVoltage: 2, refrac: 2 });
    const a = run(
      pos,
      [4, 4, 4, 4, 4, 4, 4].map((x) => [[x]]),
    );
    expect(a.v.map((v) => v[0])).toEqual([4, 7, 9, 0, 0, 0, 4]);
    expect(a.spike.map((s) => s[0])).toEqual([0, 0, 0, 1, 0, 0, 0]);
    expect(a.refrac.map((k) => k[0])).toEqual([0, 0, 0, 2, 1, 0, 0]);
    pos.dispose();
    const neg = new LIFIntNode({ vThreshold: 10, decay: 3, shiftVoltage: 2 });
    const b = run(
      neg,
      [-5, 0, 0, 0, 0].map((x) => [[x]]),
    );
    expect(b.v.map((v) => v[0])).toEqual([-5, -4, -3, -3, -3]);
    neg.dispose();
  });

  it('inclusive threshold: V = vThreshold fires', () => {
    const node = new LIFIntNode({ vThreshold: 3 });
    const r = run(node, [[[1, 3, 2]], [[1, 0, 1]], [[1, 0, 0]]]);
    expect(r.spike).toEqual([
      [0, 1, 0],
      [0, 0, 1],
      [1, 0, 0],
    ]);
    node.dispose();
  });

  it('matches an integer reference over random drives, batches and parameters', () => {
    const rand = lcg(19);
    for (const p of [
      { vThreshold: 50, vReset: -10, vRest: 5, decay: 7, shiftVoltage: 3, refrac: 3 },
      { vThreshold: 250, vReset: 0, vRest: -100, decay: 1013, shiftVoltage: 10, refrac: 0 },
      { vThreshold: 3, vReset: 1, vRest: 0, decay: 1, shiftVoltage: 0, refrac: 1 },
    ]) {
      const xs = Array.from({ length: 60 }, () => Array.from({ length: 6 }, () => Math.floor(rand() * 60) - 20));
      const ref = reference(xs, p);
      const node = new LIFIntNode(p);
      const got = run(
        node,
        xs.map((x) => [x.slice(0, 3), x.slice(3)]),
      );
      expect(got.v.map((v) => v.flat())).toEqual(ref.v);
      expect(got.refrac.map((v) => v.flat())).toEqual(ref.refrac);
      expect(got.spike.map((v) => v.flat())).toEqual(ref.spike);
      expect(ref.spike.flat().some((s) => s === 1)).toBe(true);
      node.dispose();
    }
  });

  it('exact beyond float32: a potential above 2^24 decays by the exact shift', () => {
    // 33554431 = 2^25 − 1 is not a float32; (3·33554431) >> 2 = 75497469 exactly.
    const node = new LIFIntNode({ vThreshold: 2147483647, decay: 3, shiftVoltage: 2 });
    const r = run(node, [[[33554431]], [[0]]]);
    expect(r.v.map((v) => v[0])).toEqual([33554431, Math.floor((3 * 33554431) / 4)]);
    node.dispose();
  });

  it('the pure step function agrees with the node', () => {
    const p = { vThreshold: 5, vReset: 0, vRest: 0, decay: 3, shiftVoltage: 2, refrac: 1 };
    let s = lifIntInitialState(p);
    const node = new LIFIntNode(p);
    for (const xt of [[[3, 6]], [[3, 1]], [[2, 2]]]) {
      const x = tf.tensor(xt, undefined, 'int32');
      const r = lifIntStep(x, s, p);
      const spike = node.forward(x);
      expect(ints(r.spike)).toEqual(ints(spike));
      expect(ints(r.state.v)).toEqual(ints(node.v));
      tf.dispose([s.v, s.refrac, r.spike, x, spike]);
      s = r.state;
    }
    tf.dispose([s.v, s.refrac]);
    node.dispose();
  });

  it('does not leak tensors, in either step mode', () => {
    const node = new LIFIntNode({ vThreshold: 10, decay: 3, shiftVoltage: 2, refrac: 2 });
    const x = tf.fill([4, 8], 3, 'int32');
    expectNoLeak(() => tf.dispose(node.forward(x)), 300);
    const m = new LIFIntNode({ stepMode: 'm', storeVSeq: true, refrac: 1 });
    const xs = tf.fill([5, 4, 8], 0.5);
    expectNoLeak(() => tf.dispose(m.forward(xs)), 50);
    tf.dispose([x, xs]);
    node.dispose();
    m.dispose();
  });

  it('bad input: named errors, state and tensor count unchanged', () => {
    const node = new LIFIntNode({ vThreshold: 5 });
    const x = tf.fill([2, 3], 2, 'int32');
    tf.dispose(node.forward(x));
    const v = ints(node.v);
    const before = tf.memory().numTensors;
    const bool = tf.fill([2, 3], 1, 'bool');
    const wrong = tf.fill([2, 4], 1, 'int32');
    expect(() => node.forward(bool)).toThrow(DTypeError);
    expect(() => node.forward(bool)).toThrow("LIFIntNode.forward: 'x' must have dtype int32 or float32, got bool");
    expect(() => node.forward(wrong)).toThrow(ShapeError);
    expect(() => node.forward([1, 2] as never)).toThrow(ValueError);
    tf.dispose([bool, wrong]);
    expect(tf.memory().numTensors).toBe(before);
    expect(ints(node.v)).toEqual(v);
    tf.dispose(x);
    node.dispose();
  });

  it('options: whole numbers in range, checked before anything is made', () => {
    const before = tf.memory().numTensors;
    expect(() => new LIFIntNode({ vThreshold: 1.5 })).toThrow(
      "LIFIntNode: 'vThreshold' must be an int32 integer, got 1.5",
    );
    expect(() => new LIFIntNode({ shiftVoltage: 31 })).toThrow(
      "LIFIntNode: 'shiftVoltage' must be an integer in [0, 30], got 31",
    );
    expect(() => new LIFIntNode({ refrac: -1 })).toThrow(ValueError);
    expect(() => new LIFIntNode({ decay: 2 ** 31 })).toThrow(ValueError);
    expect(() => new LIFIntNode({ thresh: 2 } as never)).toThrow(UnknownOptionError);
    expect(tf.memory().numTensors).toBe(before);
  });
});

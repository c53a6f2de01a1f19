// Diehl & Cook int (SPAIC's `diehlandcook`): SPAIC's own numbers (test/golden/spaic.json), a
// hand-worked example, an integer reference in plain JavaScript, no leaks, named errors.
import { readFileSync } from 'node:fs';
import { DTypeError, ShapeError, UnknownOptionError, ValueError } from '@snn/core';
import { describeBackends, expectNoLeak } from '@snn/core/testing';
import type { Tensor } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import {
  DiehlCookIntNode,
  type DiehlCookIntNodeOptions,
  diehlCookIntInitialState,
  diehlCookIntStep,
  resolveDiehlCookIntParams,
} from './diehl-cook-int.js';
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

/** Runs `node` over `xSeq` one step at a time; V, threshold, refrac and spikes after every step. */
function run(node: DiehlCookIntNode, xSeq: number[][][], dtype: 'int32' | 'float32' = 'int32') {
  const out = { v: [] as number[][], threshold: [] as number[][], refrac: [] as number[][], spike: [] as number[][] };
  for (const xt of xSeq) {
    const x = tf.tensor(xt, undefined, dtype);
    const s = node.forward(x);
    out.spike.push(ints(s));
    out.v.push(ints(node.v));
    out.threshold.push(ints(node.threshold));
    out.refrac.push(ints(node.refracSteps));
    tf.dispose([x, s]);
  }
  return out;
}

/** The model in plain JavaScript integers, one sample (`>>`: JS's arithmetic shift on int32). */
function reference(xs: number[][], o: DiehlCookIntNodeOptions) {
  const p = resolveDiehlCookIntParams('reference', o);
  const n = (xs[0] as number[]).length;
  const v = new Array<number>(n).fill(p.vRest);
  const th = new Array<number>(n).fill(p.vThreshold);
  const refrac = new Array<number>(n).fill(0);
  const out = { v: [] as number[][], threshold: [] as number[][], spike: [] as number[][] };
  for (const x of xs) {
    const spike: number[] = [];
    for (let i = 0; i < n; i++) {
      const xc = Math.min(Math.max(Math.trunc(x[i] as number), p.weightSumMin), p.weightSumMax);
      if ((th[i] as number) > p.maxThreshold) th[i] = (th[i] as number) >> 1;
      let h = ((p.decay * ((v[i] as number) - p.vRest)) >> p.shiftVoltage) + p.vRest;
      if ((refrac[i] as number) === 0) h += (xc * p.weightSumCoef) >> p.shiftWeightSumCoef;
      const fired = h > (th[i] as number);
      refrac[i] = fired ? p.refrac : Math.max((refrac[i] as number) - 1, 0);
      if (fired) {
        h = p.vReset;
        th[i] = (th[i] as number) + p.thresholdPlus;
      }
      v[i] = p.vLowerBound === null ? h : Math.max(h, p.vLowerBound);
      spike.push(fired ? 1 : 0);
    }
    out.v.push([...v]);
    out.threshold.push([...th]);
    out.spike.push(spike);
  }
  return out;
}

describeBackends('DiehlCookIntNode', () => {
  describe('SPAIC 0.6.3 (spaic_diehlandcook_default, int32)', () => {
    const c = spaic('spaic_diehlandcook_default');
    const consts = c.params.resolved['constant_variables (stored as given)'] as Record<string, number>;

    it('SPAIC ran its defaults, which are ours', () => {
      const node = new DiehlCookIntNode();
      expect(consts).toMatchObject({
        max_threshold: node.maxThreshold,
        decay: node.decay,
        shift_voltage: node.shiftVoltage,
        weight_sum_coef: node.weightSumCoef,
        shift_weight_sum_coef: node.shiftWeightSumCoef,
        weight_sum_min: node.weightSumMin,
        weight_sum_max: node.weightSumMax,
        Vreset: node.vReset,
        Vrest: node.vRest,
        reset_refrac: node.refrac,
        thresh_plus: node.thresholdPlus,
        lbound: node.vLowerBound,
      });
      expect(c.inputs.initial_state.thresh?.[0]?.[0]).toBe(node.vThreshold);
      node.dispose();
    });

    it('every V, threshold, refractory counter and spike, exactly (single steps and a sequence)', () => {
      const node = new DiehlCookIntNode();
      const r = run(node, c.inputs.Isyn_seq);
      expect(r.spike).toEqual(c.outputs.O_seq?.map((s) => s[0]));
      expect(r.v).toEqual(c.outputs.V_seq?.map((s) => s[0]));
      expect(r.threshold).toEqual(c.outputs.thresh_seq?.map((s) => s[0]));
      // SPAIC's counter keeps counting down below 0 (from −1 after its build-time dry run);
      // only "≤ 0" matters, so ours stops at 0: compare max(SPAIC's, 0).
      expect(r.refrac).toEqual(c.outputs.refrac_count_seq?.map((s) => (s[0] as number[]).map((k) => Math.max(k, 0))));
      expect(r.spike.flat().filter((s) => s === 1).length).toBe(15);
      node.dispose();

      const m = new DiehlCookIntNode({ stepMode: 'm', storeVSeq: true });
      const x = tf.tensor(c.inputs.Isyn_seq, undefined, 'int32');
      const spikes = m.forward(x);
      expect(spikes.arraySync()).toEqual(c.outputs.O_seq);
      expect(m.vSeq?.arraySync()).toEqual(c.outputs.V_seq);
      tf.dispose([x, spikes]);
      m.dispose();
    });
  });

  it('a hand-worked example: leak, input scaling, spike, threshold rise and halving, lower bound', () => {
    // Defaults but maxThreshold 250 and vLowerBound −40. Neuron 0 gets 1000 per step, neuron 1 −200.
    // Input scaling: (1000·154) >> 10 = 154000 >> 10 = 150;  (−200·154) >> 10 = −30800 >> 10 = −31 (floor).
    // t0: H = (1013·0) >> 10 = 0; + 150 = 150 ≤ 213          | 0 − 31 = −31
    // t1: (1013·150) >> 10 = 151950 >> 10 = 148; + 150 = 298 > 213: spike, V = 0, refrac 5,
    //     threshold 213 + 66 = 279                             | (1013·−31) >> 10 = −31403 >> 10 = −31; −31 − 31 = −62 → −40 (bound)
    // t2: threshold 279 > 250: halved to 139 first; H = 0, input dropped (refractory) → 0
    //                                                          | (1013·−40) >> 10 = −40520 >> 10 = −40 (floor −39.57); −40 − 31 → −40
    const node = new DiehlCookIntNode({ maxThreshold: 250, vLowerBound: -40 });
    const r = run(node, [[[1000, -200]], [[1000, -200]], [[1000, -200]]]);
    expect(r.v).toEqual([
      [150, -31],
      [0, -40],
      [0, -40],
    ]);
    expect(r.spike).toEqual([
      [0, 0],
      [1, 0],
      [0, 0],
    ]);
    expect(r.threshold).toEqual([
      [213, 213],
      [279, 213],
      [139, 213],
    ]);
    expect(r.refrac).toEqual([
      [0, 0],
      [5, 0],
      [4, 0],
    ]);
    node.dispose();
  });

  it('eval() freezes the threshold (no rise, no halving); reset() keeps it unless keepThreshold is false', () => {
    const node = new DiehlCookIntNode({ maxThreshold: 250 });
    run(node, [[[1000]], [[1000]]]); // one spike: threshold 279
    expect(ints(node.threshold)).toEqual([279]);
    node.eval();
    const r = run(
      node,
      Array.from({ length: 12 }, () => [[3000]]),
    );
    expect(r.threshold.every((t) => t[0] === 279)).toBe(true);
    expect(r.spike.flat().some((s) => s === 1)).toBe(true);
    node.reset();
    expect(ints(node.threshold)).toEqual([279]);
    node.resetThreshold();
    expect(ints(node.threshold)).toEqual([213]);
    node.dispose();
    const forget = new DiehlCookIntNode({ keepThreshold: false });
    run(forget, [[[3000]]]);
    forget.reset();
    expect(ints(forget.threshold)).toEqual([213]);
    forget.dispose();
  });

  it('the threshold is shared by the batch: it rises once per spike of any sample', () => {
    const node = new DiehlCookIntNode({ refrac: 0 });
    const r = run(node, [
      [
        [3000, 0],
        [3000, 3000],
      ],
    ]);
    expect(r.spike).toEqual([[1, 0, 1, 1]]);
    expect(r.threshold).toEqual([[213 + 2 * 66, 213 + 66]]);
    node.dispose();
  });

  it('matches an integer reference over random drives and parameters (float32 input truncated)', () => {
    const rand = lcg(7);
    for (const o of [
      {},
      { maxThreshold: 400, thresholdPlus: 90, refrac: 2, vLowerBound: -100, vRest: -20, vReset: -50 },
      {
        decay: 15,
        shiftVoltage: 4,
        weightSumCoef: 3,
        shiftWeightSumCoef: 1,
        weightSumMin: -50,
        weightSumMax: 90,
        vLowerBound: null,
      },
    ] satisfies DiehlCookIntNodeOptions[]) {
      const xs = Array.from({ length: 80 }, () => Array.from({ length: 5 }, () => (rand() - 0.25) * 2400));
      const ref = reference(xs, o);
      const node = new DiehlCookIntNode(o);
      const got = run(
        node,
        xs.map((x) => [x]),
        'float32',
      );
      expect(got.v.map((v) => v.flat())).toEqual(ref.v);
      expect(got.threshold).toEqual(ref.threshold);
      expect(got.spike.map((v) => v.flat())).toEqual(ref.spike);
      expect(ref.spike.flat().filter((s) => s === 1).length).toBeGreaterThan(3);
      node.dispose();
    }
  });

  it('the pure step function agrees with the node', () => {
    const p = resolveDiehlCookIntParams('test', { maxThreshold: 300 });
    let s = diehlCookIntInitialState(p);
    const node = new DiehlCookIntNode({ maxThreshold: 300 });
    for (const xt of [[[1500, 10]], [[1500, 800]], [[1500, 2000]], [[0, 2000]]]) {
      const x = tf.tensor(xt, undefined, 'int32');
      const r = diehlCookIntStep(x, s, p);
      const spike = node.forward(x);
      expect(ints(r.spike)).toEqual(ints(spike));
      expect(ints(r.state.v)).toEqual(ints(node.v));
      expect(ints(r.state.threshold)).toEqual(ints(node.threshold));
      tf.dispose([s.v, s.threshold, s.refrac, r.spike, x, spike]);
      s = r.state;
    }
    tf.dispose([s.v, s.threshold, s.refrac]);
    node.dispose();
  });

  it('does not leak tensors, in either step mode', () => {
    const node = new DiehlCookIntNode({ maxThreshold: 400 });
    const x = tf.fill([4, 8], 1800, 'int32');
    expectNoLeak(() => tf.dispose(node.forward(x)), 300);
    const m = new DiehlCookIntNode({ stepMode: 'm', storeVSeq: true });
    const xs = tf.fill([5, 4, 8], 1800.5);
    expectNoLeak(() => tf.dispose(m.forward(xs)), 50);
    tf.dispose([x, xs]);
    node.dispose();
    m.dispose();
  });

  it('bad input: named errors, state and tensor count unchanged', () => {
    const node = new DiehlCookIntNode();
    const x = tf.fill([2, 3], 2000, 'int32');
    tf.dispose(node.forward(x));
    const v = ints(node.v);
    const th = ints(node.threshold);
    const s0 = diehlCookIntInitialState(node);
    const before = tf.memory().numTensors;
    const bool = tf.fill([2, 3], 1, 'bool');
    const otherNeurons = tf.fill([2, 4], 1, 'int32');
    const noBatch = tf.fill([3], 1, 'int32');
    expect(() => node.forward(bool)).toThrow(DTypeError);
    expect(() => node.forward(otherNeurons)).toThrow(ShapeError);
    expect(() => node.forward(noBatch)).toThrow(ShapeError);
    expect(() => diehlCookIntStep(x, s0, node, 'yes' as never)).toThrow(
      "diehlCookIntStep: 'learning' must be a boolean, got 'yes'",
    );
    tf.dispose([bool, otherNeurons, noBatch]);
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([s0.v, s0.threshold, s0.refrac]);
    expect(ints(node.v)).toEqual(v);
    expect(ints(node.threshold)).toEqual(th);
    node.reset();
    const fresh = tf.fill([1, 3], 2000, 'int32');
    expect(() => node.forward(fresh)).not.toThrow(); // a new batch size after reset(); the threshold keeps its neurons
    tf.dispose([x, fresh]);
    node.dispose();
  });

  it('options: whole numbers in range, checked before anything is made', () => {
    const before = tf.memory().numTensors;
    expect(() => new DiehlCookIntNode({ decay: 0.5 })).toThrow(
      "DiehlCookIntNode: 'decay' must be an int32 integer, got 0.5",
    );
    expect(() => new DiehlCookIntNode({ shiftWeightSumCoef: -1 })).toThrow(ValueError);
    expect(() => new DiehlCookIntNode({ weightSumMin: 10, weightSumMax: 5 })).toThrow(
      "DiehlCookIntNode: 'weightSumMax' must be an integer in [10, 2147483647], got 5",
    );
    expect(() => new DiehlCookIntNode({ lbound: 0 } as never)).toThrow(UnknownOptionError);
    expect(() => new DiehlCookIntNode({ keepThreshold: 1 as never })).toThrow(ValueError);
    expect(tf.memory().numTensors).toBe(before);
  });
});

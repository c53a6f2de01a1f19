// The rate and field models (SPAIC's meanfield, cann_field and SimpleRateModel): SPAIC's own
// numbers (test/golden/spaic.json; SimpleRate has none, SPAIC cannot build it), float64 references
// and closed forms, the external input, no leaks, named errors for bad input.
import { readFileSync } from 'node:fs';
import { DTypeError, ShapeError, UnknownOptionError, ValueError } from '@snn/core';
import { describeBackends, expectClose, expectNoLeak } from '@snn/core/testing';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { CANNFieldNode, cannFieldStep } from './cann-field.js';
import { MeanFieldNode, meanFieldStep } from './mean-field.js';
import { SimpleRateNode } from './simple-rate.js';
import { uniform } from './test-support.js';

type Nested = number[][][];
interface SpaicCase {
  name: string;
  inputs: { Isyn_seq: Nested; initial_state: Record<string, number[][]> };
  outputs: Record<string, Nested>;
  params: { resolved: Record<string, Record<string, unknown>> };
}
const spaic = (name: string): SpaicCase => {
  const file = JSON.parse(readFileSync(new URL('../test/golden/spaic.json', import.meta.url), 'utf8'));
  const c = file.cases.find((k: SpaicCase) => k.name === name);
  if (c === undefined) throw new Error(`no case ${name}`);
  return c;
};

/** Steps `node` one step at a time over `xSeq`; the outputs and U after every step. */
function run(node: MeanFieldNode | CANNFieldNode | SimpleRateNode, xSeq: Nested, iExt?: Nested) {
  const out = { o: [] as number[][][], u: [] as number[][][] };
  xSeq.forEach((xt, t) => {
    const x = tf.tensor(xt);
    const e = iExt === undefined ? undefined : tf.tensor(iExt[t] as number[][]);
    const o = e === undefined ? node.forward(x) : node.forwardWithExternal(x, e);
    out.o.push(o.arraySync() as number[][]);
    out.u.push(node.u.arraySync() as number[][]);
    tf.dispose([x, o, ...(e === undefined ? [] : [e])]);
  });
  return out;
}

/** `[T][B][N]` of `f(t, b, n)`. */
const seq = (T: number, B: number, N: number, f: (t: number, b: number, n: number) => number): Nested =>
  Array.from({ length: T }, (_, t) =>
    Array.from({ length: B }, (_, b) => Array.from({ length: N }, (_, n) => f(t, b, n))),
  );

describeBackends('rate models', () => {
  describe('SPAIC 0.6.3 defaults', () => {
    it('meanfield: every U and O within 1e-5 relative', () => {
      const c = spaic('spaic_meanfield_default');
      const node = new MeanFieldNode();
      expect(Math.fround(node.rate)).toBe(Math.fround(0.1));
      expect(node.rho).toBe(c.params.resolved['constant_variables (stored as given)']?.rho);
      const r = run(node, c.inputs.Isyn_seq);
      expectClose(r.u.flat(2), c.outputs.U_seq?.flat(2) as number[]);
      expectClose(r.o.flat(2), c.outputs.O_seq?.flat(2) as number[]);
      node.dispose();
      // The same in one multi-step call.
      const m = new MeanFieldNode({ stepMode: 'm', storeVSeq: true });
      const x = tf.tensor(c.inputs.Isyn_seq);
      const o = m.forward(x);
      expectClose(o, c.outputs.O_seq as Nested);
      expectClose(m.vSeq as tf.Tensor, c.outputs.U_seq as Nested);
      tf.dispose([x, o]);
      m.dispose();
    });

    it('cann_field (patched to run): every U and O within 1e-5 relative', () => {
      const c = spaic('spaic_cann_field_default');
      const node = new CANNFieldNode();
      const consts = c.params.resolved['constant_variables (stored as given)'] as Record<string, number>;
      expect([node.rho, node.k]).toEqual([consts.rho, consts.k_rho]);
      const r = run(node, c.inputs.Isyn_seq);
      expectClose(r.u.flat(2), c.outputs.U_seq?.flat(2) as number[]);
      expectClose(r.o.flat(2), c.outputs.O_seq?.flat(2) as number[]);
      node.dispose();
    });
  });

  it('MeanField and CANN match float64 references with an external input, batch 3', () => {
    const T = 120;
    const B = 3;
    const N = 7;
    const xs = uniform(T, B * N, -5, 5, 5);
    const ext = uniform(T, B * N, -1, 1, 6);
    const xSeq = seq(T, B, N, (t, b, n) => xs[t]?.[b * N + n] as number);
    const eSeq = seq(T, B, N, (t, b, n) => ext[t]?.[b * N + n] as number);
    const o = { tau: 2, dt: 0.1, rho: 1.5 };
    const mf = new MeanFieldNode(o);
    const cann = new CANNFieldNode({ ...o, k: 0.3 });
    const rm = run(mf, xSeq, eSeq);
    const rc = run(cann, xSeq, eSeq);
    const u = new Array<number>(B * N).fill(0);
    const rate = 0.1 / 2;
    for (let t = 0; t < T; t++) {
      for (let k = 0; k < B * N; k++) {
        u[k] = (u[k] as number) + rate * (1.5 * (xs[t]?.[k] as number) + (ext[t]?.[k] as number) - (u[k] as number));
      }
      const relu2 = u.map((v) => Math.max(v, 0) ** 2);
      const cannO = relu2.map((v, k) => {
        const b = Math.floor(k / N);
        const total = relu2.slice(b * N, b * N + N).reduce((a, z) => a + z, 0);
        return v / (1 + 0.3 * total);
      });
      expectClose(rm.u[t]?.flat() as number[], u, { rtol: 1e-5, atol: 1e-5 });
      expectClose(
        rm.o[t]?.flat() as number[],
        u.map((v) => Math.max(v, 0)),
        { rtol: 1e-5, atol: 1e-5 },
      );
      expectClose(rc.o[t]?.flat() as number[], cannO, { rtol: 1e-5, atol: 1e-6 });
    }
    expect(u.some((v) => v < 0) && u.some((v) => v > 0)).toBe(true);
    mf.dispose();
    cann.dispose();
  });

  it('SimpleRate: the closed form U_t = σ(X + I_ext)·(1 − (1 − dt/τ)^t) for a constant input', () => {
    const node = new SimpleRateNode({ tau: 5, dt: 0.5, iExt: -1 });
    const xs = seq(60, 1, 3, (_t, _b, n) => [0, 1, 3][n] as number);
    const r = run(node, xs);
    const rate = 0.5 / 5;
    r.u.forEach((ut, t) => {
      const want = [0, 1, 3].map((x) => (1 / (1 + Math.exp(-(x - 1)))) * (1 - (1 - rate) ** (t + 1)));
      expectClose(ut.flat(), want, { rtol: 1e-5, atol: 1e-6 });
      expect(r.o[t]).toEqual(ut);
    });
    node.dispose();
  });

  it('SimpleRate: a float64 reference over a random drive and external input, multi-step', () => {
    const T = 80;
    const xs = uniform(T, 4, -6, 6, 8);
    const ext = uniform(T, 4, -1, 1, 9);
    const node = new SimpleRateNode({ tau: 1.5, stepMode: 'm' });
    const x = tf.tensor(seq(T, 2, 2, (t, b, n) => xs[t]?.[2 * b + n] as number));
    const e = tf.tensor(seq(T, 2, 2, (t, b, n) => ext[t]?.[2 * b + n] as number));
    const out = node.forwardWithExternal(x, e).arraySync() as Nested;
    const u = [0, 0, 0, 0];
    const rate = 0.1 / 1.5;
    for (let t = 0; t < T; t++) {
      for (let k = 0; k < 4; k++) {
        const f = 1 / (1 + Math.exp(-((xs[t]?.[k] as number) + (ext[t]?.[k] as number))));
        u[k] = (u[k] as number) + rate * (f - (u[k] as number));
      }
      expectClose(out[t]?.flat() as number[], u, { rtol: 1e-5, atol: 1e-6 });
    }
    tf.dispose([x, e]);
    node.dispose();
  });

  it('MeanField relaxes to relu(ρ·X + I_ext): the closed form for a constant input, iExt as an option or per call', () => {
    const a = new MeanFieldNode({ tau: 1, rho: 0.5, iExt: 2 });
    const b = new MeanFieldNode({ tau: 1, rho: 0.5 });
    const xs = seq(30, 1, 3, (_t, _b, n) => [-10, 0, 4][n] as number);
    const ra = run(a, xs);
    const rb = run(
      b,
      xs,
      seq(30, 1, 3, () => 2),
    );
    ra.u.forEach((ut, t) => {
      const want = [-3, 2, 4].map((target) => target * (1 - 0.9 ** (t + 1)));
      expectClose(ut.flat(), want, { rtol: 1e-5, atol: 1e-6 });
      expect(rb.u[t]).toEqual(ut);
      expect(ra.o[t]?.flat()).toEqual(ut.flat().map((v) => Math.max(v, 0)));
    });
    a.dispose();
    b.dispose();
  });

  it('CANN: O is U₊²/(1 + k·ΣU₊²) per sample, for any batch size (SPAIC broadcasts it only for batch 1)', () => {
    const u = tf.tensor([
      [1, -2, 3],
      [0.5, 0.5, 0],
    ]);
    // rate 1 (dt = tau): U' = ρX + I_ext − 0 = X.
    const r = cannFieldStep(u, { v: tf.scalar(0) }, 0, { rate: 1, rho: 1, k: 0.5 });
    expectClose(r.out, [
      [1 / (1 + 0.5 * 10), 0, 9 / (1 + 0.5 * 10)],
      [0.25 / (1 + 0.5 * 0.5), 0.25 / (1 + 0.5 * 0.5), 0],
    ]);
    tf.dispose([u, r.out, r.state.v]);
    const s = meanFieldStep(tf.scalar(3), { v: tf.scalar(1) }, 1, { rate: 0.5, rho: 2 });
    expect(s.state.v.dataSync()[0]).toBe(1 + 0.5 * (2 * 3 + 1 - 1));
    tf.dispose([s.out, s.state.v]);
  });

  it('gradients flow through the rate models (d sum(O)/dX)', () => {
    for (const make of [() => new MeanFieldNode({ stepMode: 'm' }), () => new CANNFieldNode({ stepMode: 'm' })]) {
      const node = make();
      const x = tf.fill([5, 1, 4], 20);
      const g = tf.grad((input: tf.Tensor) => {
        node.reset();
        return tf.sum(node.forward(input));
      })(x);
      const values = Array.from(g.dataSync());
      expect(values.every((v) => Number.isFinite(v) && v > 0)).toBe(true);
      tf.dispose([x, g]);
      node.dispose();
    }
  });

  it('no leaks, in either step mode, with and without an external input', () => {
    for (const make of [
      (o: object) => new MeanFieldNode(o),
      (o: object) => new CANNFieldNode(o),
      (o: object) => new SimpleRateNode(o),
    ]) {
      const s = make({});
      const x = tf.fill([4, 8], 2);
      expectNoLeak(() => tf.dispose(s.forward(x)), 300);
      expectNoLeak(() => tf.dispose(s.forwardWithExternal(x, x)), 100);
      const m = make({ stepMode: 'm', storeVSeq: true });
      const xs = tf.fill([5, 4, 8], 2);
      expectNoLeak(() => tf.dispose(m.forwardWithExternal(xs, 1)), 50);
      tf.dispose([x, xs]);
      s.dispose();
      m.dispose();
    }
  });

  it('bad input: named errors, state and tensor count unchanged', () => {
    const node = new CANNFieldNode();
    const x = tf.fill([2, 3], 5);
    tf.dispose(node.forward(x));
    const u = node.u.arraySync();
    const before = tf.memory().numTensors;
    const int = tf.fill([2, 3], 5, 'int32');
    const wrong = tf.fill([2, 4], 5);
    const noBatch = tf.fill([3], 5);
    expect(() => node.forward(int)).toThrow(DTypeError);
    expect(() => node.forward(wrong)).toThrow(ShapeError);
    expect(() => node.forwardWithExternal(x, wrong)).toThrow(
      "CANNFieldNode.forwardWithExternal: 'iExt' must have the shape of x, [2, 3], got shape [2, 4]",
    );
    expect(() => node.forwardWithExternal(x, Number.NaN)).toThrow(ValueError);
    expect(node.u.arraySync()).toEqual(u);
    node.reset();
    expect(() => node.forward(noBatch)).toThrow(ShapeError);
    tf.dispose([int, wrong, noBatch]);
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose(x);
    node.dispose();
  });

  it('options: checked before anything is made', () => {
    const before = tf.memory().numTensors;
    expect(() => new MeanFieldNode({ tau: 0.05 })).toThrow(
      "MeanFieldNode: 'tau' must be at least dt (0.1 ms): the Euler step overshoots below, got 0.05",
    );
    expect(() => new CANNFieldNode({ k: -1 })).toThrow("CANNFieldNode: 'k' must be a finite number >= 0, got -1");
    expect(() => new SimpleRateNode({ rho: 1 } as never)).toThrow(UnknownOptionError);
    expect(() => new MeanFieldNode({ iExt: Number.POSITIVE_INFINITY })).toThrow(ValueError);
    expect(tf.memory().numTensors).toBe(before);
  });
});

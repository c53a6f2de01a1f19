import { Module, ShapeError, StateError, ValueError } from '@snn/core';
import { describeBackends, expectClose } from '@snn/core/testing';
import { IFNode, LIFNode } from '@snn/neurons';
import type { Tensor } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import { Monitor } from './monitor.js';

const B = 2;
const N = 3;
/** A drive that makes the neurons fire at different rates: x[t, b, n] = 0.35 + 0.2·n + 0.1·b + 0.3·sin(t). */
function drive(T: number, t0 = 0): number[][][] {
  return Array.from({ length: T }, (_, t) =>
    Array.from({ length: B }, (_, b) =>
      Array.from({ length: N }, (_, n) => 0.35 + 0.2 * n + 0.1 * b + 0.3 * Math.sin(t + t0)),
    ),
  );
}

/** Runs a single-step node over `xs` by hand, collecting its output and `v` after every step. */
function handLoop(node: Module, xs: number[][][]): { spike: number[]; v: number[]; input: number[] } {
  const spike: number[] = [];
  const v: number[] = [];
  const input: number[] = [];
  for (const row of xs) {
    const x = tf.tensor2d(row);
    const s = node.forward(x);
    spike.push(...s.dataSync());
    v.push(...node.getMemory('v').dataSync());
    input.push(...x.dataSync());
    tf.dispose([x, s]);
  }
  return { spike, v, input };
}

/** Rows `[from, to)` of a flat `[T, B·N]` list. */
const rows = (flat: number[], from: number, to: number, every = 1): number[] => {
  const out: number[] = [];
  for (let t = from; t < to; t += every) out.push(...flat.slice(t * B * N, (t + 1) * B * N));
  return out;
};

/** A stateless module: y = 2x. */
class Double extends Module {
  protected override singleStepForward(x: Tensor): Tensor {
    return tf.mul(x, 2);
  }
}

describeBackends('Monitor', () => {
  it('records what a hand loop collects, in step mode s', () => {
    const xs = drive(20);
    const expected = handLoop(new LIFNode({ tau: 2 }), xs);
    const lif = new LIFNode({ tau: 2 });
    const mon = new Monitor(lif, ['spike', 'v', 'input']);
    const got = handLoop(lif, xs);
    expect(got).toEqual(expected); // the monitor changed nothing
    expect(mon.steps).toBe(20);
    expect(mon.recordedSteps).toBe(20);
    const s = mon.toArray('spike');
    expect(s.shape).toEqual([20, B, N]);
    expect([...s.steps]).toEqual(Array.from({ length: 20 }, (_, t) => t));
    expect([...s.data]).toEqual(expected.spike.map(Math.fround));
    expect(expected.spike.some((x) => x === 1)).toBe(true);
    expect(expected.spike.some((x) => x === 0)).toBe(true);
    expectClose(mon.toArray('v').data, expected.v, { rtol: 0, atol: 0 });
    expectClose(mon.toArray('input').data, expected.input, { rtol: 0, atol: 0 });
    const v = mon.get('v');
    expect(v.shape).toEqual([20, B, N]);
    expect(v.dtype).toBe('float32');
    expectClose(v, expected.v, { rtol: 0, atol: 0 });
    v.dispose();
    mon.dispose();
    lif.dispose();
  });

  it('records T steps per multi-step forward, equal to the single-step run', () => {
    const xs = drive(12);
    const expected = handLoop(new LIFNode({ tau: 2 }), xs);
    const lif = new LIFNode({ tau: 2, stepMode: 'm', storeVSeq: true });
    const mon = new Monitor(lif, ['spike', 'v', 'input']);
    for (const [t0, t1] of [
      [0, 5],
      [5, 12],
    ] as const) {
      const x = tf.tensor3d(xs.slice(t0, t1));
      tf.dispose([x, lif.forward(x)]);
    }
    expect(mon.steps).toBe(12);
    expect(mon.toArray('spike').shape).toEqual([12, B, N]);
    expectClose(mon.toArray('spike').data, expected.spike, { rtol: 0, atol: 0 });
    expectClose(mon.toArray('v').data, expected.v, { rtol: 1e-6, atol: 1e-6 });
    expectClose(mon.toArray('input').data, expected.input, { rtol: 0, atol: 0 });
    mon.dispose();
    lif.dispose();
  });

  it('asks for storeVSeq when a multi-step node cannot give v per step', () => {
    const lif = new IFNode({ stepMode: 'm' });
    expect(() => new Monitor(lif, ['spike', 'v'])).toThrow(ValueError);
    expect(() => new Monitor(lif, 'v')).toThrow(/storeVSeq: true/);
    expect(lif.forwardHookCount).toBe(0);
    const ok = new Monitor(lif, 'spike'); // the output needs nothing
    ok.dispose();
    lif.dispose();
  });

  it('keeps exactly the last N steps with { last: N }, across multi-step forwards', () => {
    const xs = drive(25);
    const expected = handLoop(new LIFNode({ tau: 2 }), xs);
    const lif = new LIFNode({ tau: 2, stepMode: 'm', storeVSeq: true });
    const mon = new Monitor(lif, ['spike', 'v'], { keep: { last: 10 } });
    const sizes = [3, 9, 1, 12]; // wraps inside a forward
    let t0 = 0;
    for (const size of sizes) {
      const x = tf.tensor3d(xs.slice(t0, t0 + size));
      tf.dispose([x, lif.forward(x)]);
      t0 += size;
      const kept = Math.min(10, t0);
      const v = mon.toArray('v');
      expect(v.shape).toEqual([kept, B, N]);
      expect([...v.steps]).toEqual(Array.from({ length: kept }, (_, i) => t0 - kept + i));
      expectClose(v.data, rows(expected.v, t0 - kept, t0), { rtol: 1e-6, atol: 1e-6 });
    }
    expect(mon.steps).toBe(25);
    expect(mon.recordedSteps).toBe(10);
    expectClose(mon.toArray('spike').data, rows(expected.spike, 15, 25), { rtol: 0, atol: 0 });
    const bytes = mon.byteLength;
    for (let t = 0; t < 30; t++) tf.dispose(lif.forward(tf.tidy(() => tf.fill([1, B, N], 0.5))));
    expect(mon.byteLength).toBe(bytes); // a ring: allocated once
    mon.dispose();
    lif.dispose();
  });

  it('keeps exactly steps 0, k, 2k, ... with { every: k }, counted across forwards', () => {
    const xs = drive(23);
    const expected = handLoop(new LIFNode({ tau: 2 }), xs);
    const single = new LIFNode({ tau: 2 });
    const m1 = new Monitor(single, ['v'], { keep: { every: 4 } });
    handLoop(single, xs);
    const multi = new LIFNode({ tau: 2, stepMode: 'm', storeVSeq: true });
    const m2 = new Monitor(multi, ['v', 'spike'], { keep: { every: 4 } });
    let t0 = 0;
    for (const size of [5, 7, 11]) {
      const x = tf.tensor3d(xs.slice(t0, t0 + size));
      tf.dispose([x, multi.forward(x)]);
      t0 += size;
    }
    const want = [0, 4, 8, 12, 16, 20];
    for (const m of [m1, m2]) {
      const v = m.toArray('v');
      expect([...v.steps]).toEqual(want);
      expect(v.shape).toEqual([6, B, N]);
      expectClose(v.data, rows(expected.v, 0, 23, 4), { rtol: 1e-6, atol: 1e-6 });
      expect(m.steps).toBe(23);
    }
    expectClose(m2.toArray('spike').data, rows(expected.spike, 0, 23, 4), { rtol: 0, atol: 0 });
    // every and last together: the last 2 of the sampled steps
    const lif = new LIFNode({ tau: 2 });
    const m3 = new Monitor(lif, 'v', { keep: { every: 4, last: 2 } });
    handLoop(lif, xs);
    expect([...m3.toArray('v').steps]).toEqual([16, 20]);
    expectClose(m3.toArray('v').data, [...rows(expected.v, 16, 17), ...rows(expected.v, 20, 21)], {
      rtol: 1e-6,
      atol: 1e-6,
    });
    for (const m of [m1, m2, m3]) m.dispose();
    for (const n of [single, multi, lif]) n.dispose();
  });

  it("keeps only sums with keep: 'reduce', folded to float64 every flushEvery steps", () => {
    const xs = drive(40);
    const expected = handLoop(new LIFNode({ tau: 2 }), xs);
    const lif = new LIFNode({ tau: 2, stepMode: 'm', storeVSeq: true });
    const mon = new Monitor(lif, ['spike', 'v'], { keep: 'reduce', flushEvery: 7, dt: 0.5 });
    for (let t0 = 0; t0 < 40; t0 += 8) {
      const x = tf.tensor3d(xs.slice(t0, t0 + 8));
      tf.dispose([x, lif.forward(x)]);
    }
    const counts = new Array(B * N).fill(0);
    const vSum = new Array(B * N).fill(0);
    for (let t = 0; t < 40; t++) {
      for (let i = 0; i < B * N; i++) {
        counts[i] += expected.spike[t * B * N + i] as number;
        vSum[i] += expected.v[t * B * N + i] as number;
      }
    }
    expect(mon.recordedSteps).toBe(40);
    expect([...mon.spikeCounts()]).toEqual(counts);
    expectClose(
      mon.firingRates(),
      counts.map((c) => c / (40 * 0.5)),
      { rtol: 1e-12, atol: 0 },
    );
    expectClose(
      mon.mean('v'),
      vSum.map((s) => s / 40),
      { rtol: 1e-5, atol: 1e-6 },
    );
    const s = mon.summary('spike');
    expect(s.shape).toEqual([B, N]);
    expect(s.steps).toBe(40);
    expect(() => mon.get('spike')).toThrow(StateError);
    expect(() => mon.toArray('v')).toThrow(/keeps no time series; use summary\(\)/);
    mon.dispose();
    lif.dispose();
  });

  it('removes its hook with remove() and dispose(), keeping the data after remove()', () => {
    const lif = new LIFNode();
    const a = new Monitor(lif, 'spike');
    const b = new Monitor(lif, 'v', { keep: 'reduce' });
    expect(lif.forwardHookCount).toBe(2);
    handLoop(lif, drive(3));
    a.remove();
    expect(lif.forwardHookCount).toBe(1);
    expect(a.attached).toBe(false);
    handLoop(lif, drive(2));
    expect(a.steps).toBe(3);
    expect(a.toArray('spike').shape).toEqual([3, B, N]);
    expect(b.steps).toBe(5);
    const before = tf.memory().numTensors;
    b.dispose();
    expect(tf.memory().numTensors).toBe(before - 1); // its device sum
    expect(lif.forwardHookCount).toBe(0);
    a.remove(); // idempotent
    b.dispose();
    lif.dispose();
  });

  it('pauses, resumes and clears', () => {
    const lif = new LIFNode();
    const mon = new Monitor(lif, 'v');
    handLoop(lif, drive(3));
    mon.pause();
    expect(mon.recording).toBe(false);
    handLoop(lif, drive(4));
    mon.resume();
    handLoop(lif, drive(2));
    expect(mon.steps).toBe(5);
    expect([...mon.toArray('v').steps]).toEqual([0, 1, 2, 3, 4]);
    mon.clear();
    expect(mon.steps).toBe(0);
    expect(mon.toArray('v').shape).toEqual([0]);
    handLoop(lif, drive(1));
    expect(mon.toArray('v').shape).toEqual([1, B, N]);
    mon.dispose();
    lif.dispose();
  });

  it('records a probe, and a stateless module whose output is not a spike', () => {
    const lif = new LIFNode({ tau: 2 });
    const mon = new Monitor(lif, [{ name: 'vOverTh', read: (m) => tf.div(m.getMemory('v'), 2) }, 'v']);
    const dbl = new Double();
    const m2 = new Monitor(dbl, ['output', 'input']);
    for (let t = 0; t < 3; t++) {
      const x = tf.fill([B, N], 0.3);
      tf.dispose([x, lif.forward(x), dbl.forward(x)]);
    }
    expectClose(
      mon.toArray('vOverTh').data,
      Array.from(mon.toArray('v').data, (v) => v / 2),
    );
    expect([...m2.toArray('output').data]).toEqual(new Array(3 * B * N).fill(Math.fround(0.6)));
    mon.dispose();
    m2.dispose();
    lif.dispose();
  });

  it('allocates no tensor per step while recording everything', () => {
    const lif = new LIFNode();
    const mon = new Monitor(lif, ['spike', 'v', { name: 'h', read: (m) => tf.mul(m.getMemory('v'), 3) }], {
      initialSteps: 2,
    });
    const x = tf.fill([B, N], 0.7);
    tf.dispose(lif.forward(x));
    const before = tf.memory().numTensors;
    for (let t = 0; t < 100; t++) tf.dispose(lif.forward(x));
    expect(tf.memory().numTensors).toBe(before);
    expect(mon.recordedSteps).toBe(101); // grew from 2 rows by doubling
    // reduce mode inside a caller's tidy: the device sums must outlive it
    const red = new Monitor(lif, 'spike', { keep: 'reduce' });
    tf.tidy(() => {
      for (let t = 0; t < 5; t++) lif.forward(x);
    });
    expect(red.summary('spike').steps).toBe(5);
    tf.dispose(x);
    mon.dispose();
    red.dispose();
    lif.dispose();
  });
});

it('names what is wrong', () => {
  const lif = new LIFNode();
  expect(() => new Monitor(lif, ['w'])).toThrow(
    /Monitor: 'vars' must be names of LIFNode's state: one of 'v', 'output'/,
  );
  expect(() => new Monitor(lif, [])).toThrow(ValueError);
  expect(() => new Monitor(lif, ['v', 'v'])).toThrow(/distinct names/);
  expect(() => new Monitor(lif, 'v', { keep: { last: 0 } })).toThrow(/'keep.last' must be an integer >= 1/);
  expect(() => new Monitor(lif, 'v', { keep: {} })).toThrow(/'keep' must be 'all', 'reduce'/);
  expect(() => new Monitor(lif, 'v', { keep: 'some' as 'all' })).toThrow(ValueError);
  expect(() => new Monitor(lif, 'v', { dt: 0 })).toThrow(/'dt' must be a finite number > 0/);
  expect(() => new Monitor({} as Module, 'v')).toThrow(/'module' must be a Module/);
  expect(lif.forwardHookCount).toBe(0);
  const mon = new Monitor(lif, 'v');
  expect(() => mon.get('spike')).toThrow(/Monitor.get: 'name' must be one of 'v', got 'spike'/);
  tf.dispose(lif.forward(tf.zeros([2, 3])));
  lif.reset();
  const other = tf.zeros([4, 3]);
  expect(() => lif.forward(other)).toThrow(ShapeError);
  expect(() => lif.forward(other)).toThrow(/the per-step shape it was first recorded with, \[2, 3\]/);
  other.dispose();
  mon.dispose();
  lif.dispose();
});

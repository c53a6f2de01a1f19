// What every node of this package must do, whatever its model: keep tf.memory() flat, reject bad
// input with named errors before touching state, and give the same numbers step by step as in
// one multi-step call.
import { ShapeError, UnknownOptionError, ValueError } from '@snn/core';
import { describeBackends, expectNoLeak } from '@snn/core/testing';
import type { Tensor } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import type { BaseNode, BaseNodeOptions } from './base-node.js';
import { EIFNode } from './eif.js';
import { IFNode } from './if.js';
import { IzhikevichNode } from './izhikevich.js';
import { LIFNode } from './lif.js';
import { NonSpikingLIFNode } from './non-spiking-lif.js';
import { ParametricLIFNode } from './parametric-lif.js';
import { QIFNode } from './qif.js';
import { RecurrentIFNode } from './recurrent-if.js';

interface Entry {
  readonly name: string;
  readonly make: (o?: BaseNodeOptions) => BaseNode;
  /** The option that is a time constant (> 1), if the model has one. */
  readonly tauOption?: string;
  /** The model has no threshold, surrogate or reset options (they are unknown options). */
  readonly nonSpiking?: true;
}

const NODES: readonly Entry[] = [
  { name: 'IFNode', make: (o) => new IFNode(o) },
  { name: 'LIFNode', make: (o) => new LIFNode(o), tauOption: 'tau' },
  { name: 'ParametricLIFNode', make: (o) => new ParametricLIFNode(o), tauOption: 'initTau' },
  { name: 'QIFNode', make: (o) => new QIFNode(o), tauOption: 'tau' },
  { name: 'EIFNode', make: (o) => new EIFNode(o), tauOption: 'tau' },
  {
    name: 'IzhikevichNode',
    make: (o) => new IzhikevichNode({ ...o, tauW: 4, a: 0.2, b: 0.3 }),
    tauOption: 'tau',
  },
  { name: 'RecurrentIFNode', make: (o) => new RecurrentIFNode({ ...o, initW: -0.1 }) },
  { name: 'NonSpikingLIFNode', make: (o) => new NonSpikingLIFNode(o), tauOption: 'tau', nonSpiking: true },
];

const rows = NODES.map((e) => [e.name, e] as const);

/** Every memory of `node` as plain numbers (to compare state before and after a throw). */
const snapshot = (node: BaseNode): Record<string, number[]> =>
  Object.fromEntries(node.namedMemories().map(([k, t]) => [k, Array.from(t.dataSync())]));

/** A fixed input that makes every model fire now and then: `[T, B, N]`. */
const input = (T: number, B = 3, N = 5): Tensor =>
  tf.tidy(() => tf.mul(tf.randomUniform([T, B, N], 0, 1, 'float32', 7), 1.6));

describeBackends('every node', () => {
  it.each(rows)('%s keeps tf.memory() flat: 1,000 single steps, 200 multi-step calls', (_n, e) => {
    const node = e.make();
    const x = tf.fill([4, 8], 0.7);
    expectNoLeak(() => tf.dispose(node.forward(x)), 1000);
    const m = e.make({ stepMode: 'm', storeVSeq: true });
    const xs = input(6, 4, 8);
    expectNoLeak(() => tf.dispose(m.forward(xs)), 200);
    const plain = e.make({ stepMode: 'm' });
    expectNoLeak(() => tf.dispose(plain.forward(xs)), 50);
    tf.dispose([x, xs]);
    node.dispose();
    m.dispose();
    plain.dispose();
  });

  it.each(rows)('%s keeps tf.memory() flat while taking gradients', (_n, e) => {
    const node = e.make({ stepMode: 'm', storeVSeq: true });
    const xs = input(5);
    const params = node.parameters(true);
    expectNoLeak(() => {
      node.reset();
      const f = (x: Tensor) => tf.add(tf.sum(node.forward(x)), tf.sum(node.vSeq as Tensor));
      tf.dispose(tf.grad(f)(xs));
      if (params.length > 0) {
        const { value, grads } = tf.variableGrads(() => f(xs) as tf.Scalar, params);
        tf.dispose([value, grads]);
      }
    }, 30);
    xs.dispose();
    node.dispose();
  });

  it.each(rows)('%s: single steps give the same numbers as one multi-step call', (_n, e) => {
    tf.tidy(() => {
      const xs = input(12);
      const multi = e.make({ stepMode: 'm', storeVSeq: true });
      const out = multi.forward(xs);
      const single = e.make();
      const outs: Tensor[] = [];
      const vs: Tensor[] = [];
      for (let t = 0; t < 12; t++) {
        outs.push(single.forward(tf.squeeze(tf.slice(xs, t, 1), [0])));
        vs.push(tf.clone(single.v));
      }
      expect(out.shape).toEqual([12, 3, 5]);
      expect(Array.from(tf.stack(outs).dataSync())).toEqual(Array.from(out.dataSync()));
      expect(Array.from(tf.stack(vs).dataSync())).toEqual(Array.from((multi.vSeq as Tensor).dataSync()));
      expect(snapshot(single)).toEqual(snapshot(multi));
      multi.dispose();
      single.dispose();
    });
  });

  it.each(rows)('%s: reset() restores the initial state', (_n, e) => {
    const node = e.make();
    const initial = snapshot(node);
    tf.dispose(node.forward(tf.fill([2, 3], 0.9)));
    expect(snapshot(node)).not.toEqual(initial);
    node.reset();
    expect(snapshot(node)).toEqual(initial);
    node.dispose();
  });

  it.each(rows)('%s rejects a shape change between steps and keeps its state', (_n, e) => {
    const node = e.make();
    tf.dispose(node.forward(tf.fill([4, 8], 0.6)));
    const before = snapshot(node);
    const bad = tf.zeros([4, 9]);
    expect(() => node.forward(bad)).toThrow(ShapeError);
    expect(() => node.forward(bad)).toThrow(`${e.name}.forward: 'x' must have the shape of the state, [4, 8] per step`);
    expect(snapshot(node)).toEqual(before);
    node.setStepMode('m');
    expect(() => node.forward(tf.zeros([3, 4, 9]))).toThrow(ShapeError);
    expect(snapshot(node)).toEqual(before);
    node.reset();
    tf.dispose(node.forward(tf.zeros([3, 4, 9]))); // reset() frees the shape
    bad.dispose();
    node.dispose();
  });

  it.each(rows)('%s rejects non-finite input with checkFiniteInput and keeps its state', (_n, e) => {
    const node = e.make({ checkFiniteInput: true });
    tf.dispose(node.forward(tf.fill([2, 3], 0.6)));
    const before = snapshot(node);
    for (const value of [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY]) {
      const x = tf.tensor2d([
        [0, 0, 0],
        [0, value, 0],
      ]);
      expect(() => node.forward(x)).toThrow(ValueError);
      expect(() => node.forward(x)).toThrow(`${e.name}.forward: 'x' must be finite everywhere`);
      x.dispose();
    }
    expect(snapshot(node)).toEqual(before);
    node.dispose();
  });

  it.each(rows)('%s rejects T = 0 and non-tensors in multi-step mode', (_n, e) => {
    const node = e.make({ stepMode: 'm' });
    const initial = snapshot(node);
    const empty = tf.zeros([0, 2, 3]);
    expect(() => node.forward(empty)).toThrow(ValueError);
    expect(() => node.forward(empty)).toThrow(
      `${e.name}.forward: 'xSeq.shape[0] (T)' must be at least 1 time step, got 0`,
    );
    expect(() => node.forward([1, 2] as unknown as Tensor)).toThrow(ValueError);
    expect(snapshot(node)).toEqual(initial);
    empty.dispose();
    node.dispose();
  });

  it.each(rows)('%s rejects bad common options with named errors, allocating nothing', (_n, e) => {
    const before = tf.memory().numTensors;
    if (e.nonSpiking) {
      expect(() => e.make({ vThreshold: 1 })).toThrow(UnknownOptionError);
    } else {
      expect(() => e.make({ vThreshold: Number.NaN })).toThrow(
        `${e.name}: 'vThreshold' must be a finite number, got NaN`,
      );
      expect(() => e.make({ vThreshold: Number.POSITIVE_INFINITY })).toThrow(ValueError);
    }
    expect(() => e.make({ vReset: Number.NaN })).toThrow(`${e.name}: 'vReset' must be a finite number, got NaN`);
    expect(() => e.make({ stepMode: 'x' as 's' })).toThrow(ValueError);
    if (e.tauOption !== undefined) {
      for (const tau of [0, -2, 1, 0.5, Number.NaN, Number.POSITIVE_INFINITY]) {
        expect(() => e.make({ [e.tauOption as string]: tau } as BaseNodeOptions)).toThrow(ValueError);
      }
      expect(() => e.make({ [e.tauOption as string]: -2 } as BaseNodeOptions)).toThrow(
        `${e.name}: '${e.tauOption}' must be a finite number > 1, got -2`,
      );
    }
    expect(tf.memory().numTensors).toBe(before);
  });
});

it('takes only booleans for the boolean options of every node (a string is not read as true)', () => {
  for (const e of rows.map(([, r]) => r)) {
    for (const flag of ['detachReset', 'storeVSeq', 'checkFiniteInput'] as const) {
      if (e.nonSpiking && flag === 'detachReset') continue;
      expect(() => e.make({ [flag]: 'no' } as unknown as BaseNodeOptions)).toThrow(
        `${e.name}: '${flag}' must be a boolean, got 'no'`,
      );
    }
  }
});

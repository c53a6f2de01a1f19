import { createRng, DTypeError, ShapeError, ValueError } from '@snn/core';
import { describeBackends, expectClose, expectNoLeak } from '@snn/core/testing';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { kaimingUniformBound } from './init.js';
import { Linear } from './linear.js';

describeBackends('Linear', () => {
  it('computes y = x Wᵀ + b (hand-computed)', () => {
    const fc = new Linear(2, 3, { seed: 0 });
    fc.weight.assign(tf.tensor2d([1, 2, 3, 4, 5, 6], [3, 2]));
    fc.bias?.assign(tf.tensor1d([0.5, -1, 0]));
    tf.tidy(() => {
      const y = fc.forward(tf.tensor2d([1, 1, 0, -2], [2, 2]));
      expect(y.shape).toEqual([2, 3]);
      // [1, 1]: [1+2, 3+4, 5+6] + b;  [0, -2]: [-4, -8, -12] + b
      expectClose(y, [
        [3.5, 6, 11],
        [-3.5, -9, -12],
      ]);
    });
    fc.dispose();
  });

  it('matches tf.matMul on [B, ..., in] and without bias', () => {
    const fc = new Linear(5, 4, { seed: 3 });
    const plain = new Linear(5, 4, { seed: 3, bias: false });
    tf.tidy(() => {
      const x = tf.randomUniform([2, 3, 5], -1, 1, 'float32', 1);
      const ref = tf.add(tf.reshape(tf.matMul(tf.reshape(x, [6, 5]), fc.weight, false, true), [2, 3, 4]), fc.bias!);
      expectClose(fc.forward(x), ref);
      expectClose(plain.forward(x), tf.sub(ref, fc.bias!), { atol: 1e-5 });
      expect(plain.bias).toBeNull();
      expect(plain.namedParameters().map(([n]) => n)).toEqual(['weight']);
    });
    fc.dispose();
    plain.dispose();
  });

  it('in step mode m equals the single-step layer at every t', () => {
    const fc = new Linear(6, 3, { seed: 5, stepMode: 'm' });
    tf.tidy(() => {
      const xSeq = tf.randomUniform([4, 2, 6], -1, 1, 'float32', 2);
      const ySeq = fc.forward(xSeq);
      expect(ySeq.shape).toEqual([4, 2, 3]);
      fc.setStepMode('s');
      const steps = tf.stack(tf.unstack(xSeq).map((x) => fc.forward(x)));
      expectClose(ySeq, steps);
    });
    fc.dispose();
  });

  it('has the gradients of a matMul', () => {
    const fc = new Linear(3, 2, { seed: 1 });
    tf.tidy(() => {
      const x = tf.tensor2d([1, 2, 3, -1, 0, 1], [2, 3]);
      const { grads } = tf.variableGrads(() => tf.sum(fc.forward(x)) as tf.Scalar);
      // d/dW Σ (x Wᵀ + b) = column sums of x for every output; d/db = batch size.
      expectClose(grads[fc.weight.name]!, [
        [0, 2, 4],
        [0, 2, 4],
      ]);
      expectClose(grads[fc.bias!.name]!, [2, 2]);
    });
    fc.dispose();
  });

  it('keeps tf.memory() flat over 1,000 forwards', () => {
    const fc = new Linear(8, 4, { seed: 0, stepMode: 'm' });
    const x = tf.ones([2, 3, 8]);
    expectNoLeak(() => tf.dispose(fc.forward(x)));
    x.dispose();
    fc.dispose();
  });

  it('rejects bad inputs with named errors', () => {
    const fc = new Linear(4, 2, { seed: 0 });
    const bad = tf.zeros([3, 5]);
    expect(() => fc.forward(bad)).toThrow(ShapeError);
    expect(() => fc.forward(bad)).toThrow(
      "Linear.forward: 'x' must have shape [B, ..., 4] (last axis = inFeatures 4), got shape [3, 5]",
    );
    const ints = tf.zeros([3, 4], 'int32');
    expect(() => fc.forward(ints)).toThrow(DTypeError);
    fc.setStepMode('m');
    const flat = tf.zeros([4]);
    expect(() => fc.forward(flat)).toThrow("Linear.forward: 'xSeq' must have rank >= 2");
    const empty = tf.zeros([0, 2, 4]);
    expect(() => fc.forward(empty)).toThrow(ValueError);
    expect(() => fc.forward(tf.zeros([2, 3, 5]))).toThrow(
      "'xSeq' must have shape [T, B, ..., 4] (last axis = inFeatures 4), got shape [2, 3, 5]",
    );
    tf.dispose([bad, ints, flat, empty]);
    fc.dispose();
  });
});

describe('Linear construction', () => {
  it('initialises as PyTorch: weight and bias uniform in ±1/√inFeatures', () => {
    const fc = new Linear(400, 50, { seed: 11 });
    const bound = kaimingUniformBound(400);
    expect(bound).toBeCloseTo(0.05, 12);
    const w = Array.from(fc.weight.dataSync());
    const b = Array.from(fc.bias!.dataSync());
    expect(fc.weight.shape).toEqual([50, 400]);
    expect(Math.max(...w.map(Math.abs))).toBeLessThanOrEqual(bound);
    expect(Math.max(...w.map(Math.abs))).toBeGreaterThan(0.99 * bound);
    expect(Math.max(...b.map(Math.abs))).toBeLessThanOrEqual(bound);
    const mean = w.reduce((a, v) => a + v, 0) / w.length;
    const variance = w.reduce((a, v) => a + (v - mean) ** 2, 0) / w.length;
    expect(Math.abs(mean)).toBeLessThan(0.002);
    expect(variance).toBeCloseTo(bound ** 2 / 3, 4); // U(−a, a) has variance a²/3
    fc.dispose();
  });

  it('is reproducible for a seed and draws weight then bias from an Rng', () => {
    const a = new Linear(10, 5, { seed: 42 });
    const b = new Linear(10, 5, { seed: 42 });
    const c = new Linear(10, 5, { seed: 43 });
    expect(a.weight.dataSync()).toEqual(b.weight.dataSync());
    expect(a.bias!.dataSync()).toEqual(b.bias!.dataSync());
    expect(a.weight.dataSync()).not.toEqual(c.weight.dataSync());
    const rng = createRng(42);
    const d = new Linear(10, 5, { rng });
    expect(d.weight.dataSync()).toEqual(a.weight.dataSync());
    const next = new Linear(10, 5, { rng }); // the shared stream has moved on
    expect(next.weight.dataSync()).not.toEqual(a.weight.dataSync());
    const reference = createRng(42);
    const wRef = reference.uniform([5, 10], -1 / Math.sqrt(10), 1 / Math.sqrt(10));
    const bRef = reference.uniform([5], -1 / Math.sqrt(10), 1 / Math.sqrt(10));
    expectClose(a.weight, wRef, { rtol: 0, atol: 0 });
    expectClose(a.bias!, bRef, { rtol: 0, atol: 0 });
    tf.dispose([wRef, bRef]);
    for (const m of [a, b, c, d, next]) m.dispose();
  });

  it('rejects bad hyper-parameters with ValueError', () => {
    expect(() => new Linear(0, 2)).toThrow("Linear: 'inFeatures' must be an integer >= 1, got 0");
    expect(() => new Linear(2, 1.5)).toThrow(ValueError);
    expect(() => new Linear(2, 2, { bias: 1 as unknown as boolean })).toThrow("'bias' must be a boolean");
    expect(() => new Linear(2, 2, { seed: 1, rng: createRng(1) })).toThrow("Linear: 'seed' must be undefined");
    expect(() => new Linear(2, 2, { seed: 0.5 })).toThrow("Linear: 'seed' must be a safe integer, got 0.5");
    expect(() => new Linear(2, 2, { rng: {} as never })).toThrow("Linear: 'rng' must be an Rng");
    expect(() => new Linear(2, 2, { constraint: 'positive' as never })).toThrow(
      "Linear: 'constraint' must be one of 'nonNegative', 'nonPositive', got 'positive'",
    );
    expect(() => new Linear(2, 2, { stepMode: 'x' as never })).toThrow(ValueError);
  });
});

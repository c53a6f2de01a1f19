import { createRng, ShapeError, ValueError } from '@snn/core';
import { describeBackends, expectClose } from '@snn/core/testing';
import { PostPre, WeightDependentPostPre } from '@snn/learning';
import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import { Connection, Conv2dConnection, LocalConnection, SparseConnection } from './connection.js';
import { Network } from './network.js';
import { Input, lifNodes } from './population.js';

describeBackends('connections', () => {
  it('dense: I = W·s (+ b); default weights follow the bounds; norm scales each target row', () => {
    const X = new Input(3);
    const Y = lifNodes(2);
    const c = new Connection(X, Y, {
      w: tf.tensor2d([
        [1, 2, 3],
        [-4, 5, 6],
      ]),
      bias: tf.tensor1d([0.5, -0.5]),
      norm: 3,
    });
    const s = tf.tensor2d([[1, 0, 1]]);
    expectClose(c.propagate(s), [[4.5, 1.5]]);
    c.normalize();
    expectClose(c.w, [
      [0.5, 1, 1.5],
      [-0.8, 1, 1.2],
    ]);
    const bounded = new Connection(X, Y, { wmin: 0.2, wmax: 0.3, seed: 4 });
    const w = Array.from(bounded.w.dataSync());
    expect(w.every((v) => v >= 0.2 && v < 0.3)).toBe(true);
    tf.dispose(s);
    c.dispose();
    bounded.dispose();
  });

  it('sparse: absent synapses are 0 and stay 0 under learning', () => {
    const net = new Network();
    const X = new Input(40);
    const Y = lifNodes(30);
    net.addLayer(X, 'X');
    net.addLayer(Y, 'Y');
    const c = new SparseConnection(X, Y, {
      density: 0.25,
      w: tf.fill([30, 40], 2),
      rule: new PostPre({ nu: [0.01, 0.05] }),
      seed: 3,
    });
    net.addConnection(c, 'X', 'Y');
    const present = Array.from((c.connectivity as tf.Tensor).dataSync());
    const fraction = present.reduce((a, b) => a + b, 0) / present.length;
    expect(fraction).toBeGreaterThan(0.2);
    expect(fraction).toBeLessThan(0.3);
    const x = tf.tidy(() => createRng(5).bernoulli(0.5, [40, 1, 40]));
    net.run({ inputs: { X: x }, time: 40 });
    const w = Array.from(c.w.dataSync());
    expect(w.every((v, i) => (present[i] === 0 ? v === 0 : true))).toBe(true);
    expect(w.some((v, i) => present[i] === 1 && v !== 2)).toBe(true);
    tf.dispose(x);
    net.dispose();
  });

  it('conv2d: the same as a dense connection with the unrolled kernel', () => {
    const X = new Input([2, 5, 5]);
    const Y = lifNodes([3, 3, 3]);
    const conv = new Conv2dConnection(X, Y, { kernelSize: 3, stride: 2, padding: 1, seed: 2 });
    const W = conv.w.arraySync() as number[][][][];
    const dense = new Float32Array(27 * 50);
    for (let o = 0; o < 3; o++)
      for (let y = 0; y < 3; y++)
        for (let x = 0; x < 3; x++)
          for (let c = 0; c < 2; c++)
            for (let i = 0; i < 3; i++)
              for (let j = 0; j < 3; j++) {
                const r = y * 2 + i - 1;
                const q = x * 2 + j - 1;
                if (r >= 0 && r < 5 && q >= 0 && q < 5)
                  dense[((o * 3 + y) * 3 + x) * 50 + (c * 5 + r) * 5 + q] = W[o]?.[c]?.[i]?.[j] ?? 0;
              }
    const s = tf.tidy(() => createRng(9).bernoulli(0.5, [2, 2, 5, 5]));
    const got = conv.propagate(s);
    expect(got.shape).toEqual([2, 3, 3, 3]);
    const want = tf.tidy(() => tf.matMul(tf.reshape(s, [2, 50]), tf.tensor2d(dense, [27, 50]), false, true));
    expectClose(tf.reshape(got, [2, 27]), want, { atol: 1e-5 });
    expect(() => new Conv2dConnection(X, lifNodes([3, 4, 4]), { kernelSize: 3, stride: 2, padding: 1 })).toThrow(
      ShapeError,
    );
    tf.dispose([s, got, want]);
    conv.dispose();
  });

  it('conv2d learns with PostPre: ΔW has the kernel shape and follows the pairings', () => {
    const net = new Network();
    const X = new Input([1, 4, 4]);
    const Y = lifNodes([2, 2, 2]);
    net.addLayer(X, 'X');
    net.addLayer(Y, 'Y');
    const c = new Conv2dConnection(X, Y, {
      kernelSize: 3,
      w: tf.fill([2, 1, 3, 3], 0.5),
      rule: new PostPre({ nu: [0, 0.1] }),
    });
    net.addConnection(c, 'X', 'Y');
    const x = tf.ones([3, 1, 1, 4, 4]);
    const clamp = tf.tensor4d([
      [
        [
          [0, 0],
          [0, 0],
        ],
        [
          [0, 0],
          [0, 0],
        ],
      ],
      [
        [
          [0, 0],
          [0, 0],
        ],
        [
          [0, 0],
          [0, 0],
        ],
      ],
      [
        [
          [0, 0],
          [0, 0],
        ],
        [
          [0, 0],
          [0, 1],
        ],
      ],
    ]);
    net.run({ inputs: { X: x }, time: 3, clamp: { Y: clamp } });
    // Only filter 1 at position (1, 1) fired (at step 2, every pre trace 1): +0.1 on all its 9 weights.
    const w = c.w.arraySync() as number[][][][];
    expect(w[0]?.flat(2).every((v) => v === 0.5)).toBe(true);
    expect(w[1]?.flat(2).every((v) => Math.abs(v - 0.6) < 1e-6)).toBe(true);
    tf.dispose([x, clamp]);
    net.dispose();
  });

  it('local: each output position has its own weights over its patch only', () => {
    const X = new Input([1, 4, 4]);
    const Y = lifNodes([2, 2, 2]);
    const local = new LocalConnection(X, Y, { kernelSize: 3, wmin: 0, wmax: 1, seed: 1 });
    const conn = Array.from((local.connectivity as tf.Tensor).dataSync());
    expect(conn.reduce((a, b) => a + b, 0)).toBe(8 * 9);
    // Output (filter 0, y 0, x 1) sees input rows 0-2, columns 1-3.
    const row = conn.slice(1 * 16, 2 * 16);
    expect(row).toEqual([0, 1, 1, 1, 0, 1, 1, 1, 0, 1, 1, 1, 0, 0, 0, 0]);
    expect(Array.from(local.w.dataSync()).every((v, i) => (conn[i] === 0 ? v === 0 : true))).toBe(true);
    local.dispose();
  });

  it('rejects bad options', () => {
    const X = new Input(3);
    const Y = lifNodes(2);
    expect(() => new Connection(X, Y, { w: tf.ones([3, 2]) })).toThrow(
      "Connection: 'w' must have shape [2, 3], got shape [3, 2]",
    );
    expect(() => new Connection(X, Y, { wmin: 1, wmax: 0 })).toThrow(
      "Connection: 'wmax' must be a number >= wmin (1), got 0",
    );
    expect(() => new Connection(X, Y, { rule: new WeightDependentPostPre() })).toThrow(ValueError);
    expect(() => new SparseConnection(X, Y, { density: 0 })).toThrow(
      "SparseConnection: 'density' must be a number in (0, 1], got 0",
    );
    expect(() => new Connection({} as never, Y)).toThrow("Connection: 'source' must be a Population");
  });
});

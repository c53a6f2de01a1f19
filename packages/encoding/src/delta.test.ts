// Importing @snn/core registers its cpu backend, which describeBackends switches to.
import '@snn/core';
import { describeBackends, expectNoLeak } from '@snn/core/testing';
import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import { DeltaEncoder, deltaEncode } from './delta.js';
import { EncodingShapeError, EncodingValueError } from './errors.js';

describeBackends('delta coding', () => {
  it('ON where x rose by >= θ, OFF where it fell by >= θ; step 0 silent without initial', () => {
    tf.tidy(() => {
      const x = tf.tensor2d([[0], [0.5], [0.5], [0.1], [0.25]]); // [T=5, B=1]
      const s = deltaEncode(x, { threshold: 0.2 });
      expect(s.shape).toEqual([5, 1, 2]);
      expect(s.arraySync()).toEqual([[[0, 0]], [[1, 0]], [[0, 0]], [[0, 1]], [[0, 0]]]);
    });
  });

  it('compares step 0 with `initial`, and puts the channel after the batch: [T, B, 2, ...]', () => {
    tf.tidy(() => {
      const x = tf.tensor3d([[[0.3, -0.3]], [[0.3, 0.3]]]); // [T=2, B=1, N=2]
      const s = deltaEncode(x, { threshold: 0.25, initial: 0 });
      expect(s.shape).toEqual([2, 1, 2, 2]);
      // t=0: ON for +0.3, OFF for −0.3; t=1: element 1 rose by 0.6
      expect(s.arraySync()).toEqual([
        [
          [
            [1, 0],
            [0, 1],
          ],
        ],
        [
          [
            [0, 1],
            [0, 0],
          ],
        ],
      ]);
    });
  });

  it('DeltaEncoder gives step by step what deltaEncode gives for the sequence', () => {
    const xs = [
      [0, 1, 2],
      [0.5, 1, 1],
      [0.4, 1.5, 1],
    ];
    const enc = new DeltaEncoder({ threshold: 0.3, initial: 0.5 });
    const steps = xs.map((row) => {
      const x = tf.tensor2d([row]);
      const s = enc.forward(x);
      const v = s.arraySync();
      tf.dispose([x, s]);
      return v;
    });
    const seq = tf.tensor3d(xs.map((r) => [r]));
    const all = deltaEncode(seq, { threshold: 0.3, initial: 0.5 });
    expect(steps).toEqual(all.arraySync());
    tf.dispose([seq, all]);
    enc.reset();
    const x = tf.tensor2d([[9, 9, 9]]);
    const again = enc.forward(x); // compared with initial again after reset
    expect(again.arraySync()).toEqual([
      [
        [1, 1, 1],
        [0, 0, 0],
      ],
    ]);
    tf.dispose([x, again]);
    enc.dispose();
  });

  it('DeltaEncoder keeps tf.memory() flat over 1,000 steps', () => {
    const enc = new DeltaEncoder();
    const a = tf.ones([2, 4]);
    const b = tf.zeros([2, 4]);
    let flip = false;
    expectNoLeak(() => {
      flip = !flip;
      tf.dispose(enc.forward(flip ? a : b));
    }, 1000);
    const before = tf.memory().numTensors;
    enc.dispose();
    expect(tf.memory().numTensors).toBe(before - 1);
    tf.dispose([a, b]);
  });

  it('rejects a threshold <= 0, T = 0, rank < 2, non-finite input, a change of shape', () => {
    tf.tidy(() => {
      const x = tf.zeros([3, 2]);
      expect(() => deltaEncode(x, { threshold: 0 })).toThrow(
        "deltaEncode: 'threshold' must be a finite number > 0, got 0",
      );
      expect(() => deltaEncode(tf.zeros([0, 2]))).toThrow(EncodingValueError);
      expect(() => deltaEncode(tf.zeros([3]))).toThrow(EncodingShapeError);
      expect(() => deltaEncode(tf.tensor2d([[Number.NaN]]))).toThrow(
        "deltaEncode: 'xSeq[0]' must be a finite number, got NaN",
      );
      expect(() => new DeltaEncoder({ initial: Number.NaN })).toThrow(EncodingValueError);
      const enc = new DeltaEncoder();
      enc.forward(tf.zeros([2, 3]));
      expect(() => enc.forward(tf.zeros([2, 4]))).toThrow(
        "DeltaEncoder.forward: 'x' must have the previous input's shape [2, 3], got shape [2, 4]",
      );
      enc.dispose();
    });
  });
});

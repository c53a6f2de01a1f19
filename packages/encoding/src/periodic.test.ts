// Importing @snn/core registers its cpu backend, which describeBackends switches to.
import '@snn/core';
import { describeBackends, expectNoLeak } from '@snn/core/testing';
import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import { EncodingShapeError, EncodingValueError } from './errors.js';
import { PeriodicEncoder, periodicEncode } from './periodic.js';

const PATTERN = [[[1, 0, 0]], [[0, 1, 0]], [[0, 0, 1]]]; // [P=3, B=1, N=3]

describeBackends('periodic coding', () => {
  it('periodicEncode repeats the pattern: S[t] = pattern[t mod P]', () => {
    tf.tidy(() => {
      const p = tf.tensor3d(PATTERN);
      expect(periodicEncode(p, 7).arraySync()).toEqual([0, 1, 2, 0, 1, 2, 0].map((k) => PATTERN[k]));
      expect(periodicEncode(p, 2).arraySync()).toEqual(PATTERN.slice(0, 2));
    });
  });

  it('PeriodicEncoder cycles through the pattern and reset() restarts it', () => {
    const p = tf.tensor3d(PATTERN);
    const enc = new PeriodicEncoder(p);
    p.dispose(); // the encoder keeps its own copy
    expect(enc.period).toBe(3);
    const seen = [0, 1, 2, 3, 4].map(() => {
      const s = enc.forward();
      const v = s.arraySync();
      s.dispose();
      return v;
    });
    expect(seen).toEqual([0, 1, 2, 0, 1].map((k) => PATTERN[k]));
    expect(enc.step).toBe(2);
    enc.reset();
    const s = enc.forward(tf.zeros([1, 3])); // an input is ignored
    expect(s.arraySync()).toEqual(PATTERN[0]);
    s.dispose();
    enc.dispose();
  });

  it('keeps tf.memory() flat over 1,000 steps', () => {
    const p = tf.tensor3d(PATTERN);
    const enc = new PeriodicEncoder(p);
    expectNoLeak(() => tf.dispose(enc.forward()), 1000);
    const before = tf.memory().numTensors;
    enc.dispose();
    expect(tf.memory().numTensors).toBe(before - 1);
    p.dispose();
  });

  it('rejects rank < 2, an empty pattern, T <= 0', () => {
    tf.tidy(() => {
      expect(() => periodicEncode(tf.tensor1d([1, 0]), 4)).toThrow(
        "periodicEncode: 'pattern' must have rank >= 2 ([P, B, ...]), got shape [2]",
      );
      expect(() => periodicEncode(tf.zeros([0, 1]), 4)).toThrow(
        "periodicEncode: 'pattern.shape[0] (T)' must be at least 1 time step, got 0",
      );
      expect(() => periodicEncode(tf.tensor3d(PATTERN), 0)).toThrow(EncodingValueError);
      expect(() => new PeriodicEncoder(tf.tensor1d([1]))).toThrow(EncodingShapeError);
    });
  });
});

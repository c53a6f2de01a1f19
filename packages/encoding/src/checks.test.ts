// Importing @snn/core registers its cpu backend, which describeBackends switches to.
import '@snn/core';
import { describeBackends } from '@snn/core/testing';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { roundHalfEven } from './checks.js';
import { EncodingError, EncodingShapeError, EncodingValueError } from './errors.js';

describeBackends('roundHalfEven', () => {
  it('rounds ties to even, everything else to nearest (as torch.round)', () => {
    tf.tidy(() => {
      const x = tf.tensor1d([0.5, 1.5, 2.5, 3.5, -0.5, -1.5, -2.5, 0.49999997, 0.50000006, 2.4, 2.6, 7, -7.2]);
      // (the sign of a zero is not compared)
      expect(Array.from(roundHalfEven(x).dataSync(), (v) => v + 0)).toEqual([0, 2, 2, 4, 0, -2, -2, 0, 1, 2, 3, 7, -7]);
    });
  });
});

describe('errors', () => {
  it('name the function, the argument, what was expected and what came', () => {
    const e = new EncodingValueError('latencyEncode', 'T', 'an integer >= 1', 0);
    expect(e).toBeInstanceOf(EncodingError);
    expect(e).toBeInstanceOf(Error);
    expect(e.name).toBe('EncodingValueError');
    expect(e.message).toBe("latencyEncode: 'T' must be an integer >= 1, got 0");
    expect([e.fn, e.arg, e.expected, e.got]).toEqual(['latencyEncode', 'T', 'an integer >= 1', 0]);
    const s = new EncodingShapeError('f', 'x', 'rank 3 ([B, n, k])', [2, 3]);
    expect(s).toBeInstanceOf(EncodingError);
    expect(s.name).toBe('EncodingShapeError');
    expect(s.message).toBe("f: 'x' must have rank 3 ([B, n, k]), got shape [2, 3]");
    const big = new EncodingValueError('f', 'a', 'short', new Array(100).fill(0));
    expect(big.message).toBe("f: 'a' must be short, got an array of length 100");
  });
});

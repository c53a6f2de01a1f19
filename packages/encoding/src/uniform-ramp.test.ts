/** SPAIC's `UniformEncoding` and `Ramp_Generator` (`'uniform'`, `'ramp'`): hand-worked cases, bad input, leaks. */
// Importing @snn/core registers its cpu backend, which describeBackends switches to.
import '@snn/core';
import { describeBackends, expectClose } from '@snn/core/testing';
import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import { EncodingShapeError, EncodingValueError } from './errors.js';
import { RampCurrentGenerator, rampCurrent } from './generators.js';
import { uniformEncode } from './uniform.js';

/** The steps at which element `i` of a `[T, B, N]` train fires, per sample. */
function firingSteps(s: tf.Tensor): number[][][] {
  const [T, B, N] = s.shape as [number, number, number];
  const v = s.dataSync();
  return Array.from({ length: B }, (_, b) =>
    Array.from({ length: N }, (_, i) =>
      Array.from({ length: T }, (_, t) => t).filter((t) => v[(t * B + b) * N + i] === 1),
    ),
  );
}

describeBackends('uniform encoding and ramp current', () => {
  it('uniformEncode, defaults: period ceil(maxTime·(bias + hi − x)/((bias + hi − lo)·dt)), the minimum silent', () => {
    tf.tidy(() => {
      // T = 10, dt = 1, maxTime = 10, bias = 0.05, hi = 1, lo = 0:
      // x = 1: ceil(10·0.05/1.05) = 1 (every step); x = 0.5: ceil(10·0.55/1.05) = ceil(5.24) = 6 (t + 1 = 6);
      // x = 0: the minimum, silent
      const s = uniformEncode(tf.tensor2d([[0, 0.5, 1]]), 10);
      expect(s.shape).toEqual([10, 1, 3]);
      expect(firingSteps(s)).toEqual([[[], [5], [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]]]);
    });
  });

  it('uniformEncode: the range is the whole batch (SPAIC), and dt, maxTime, amp, bias scale the periods', () => {
    tf.tidy(() => {
      // hi = 1, lo = 0.2 over both samples; T = 12, dt = 0.5, maxTime = 4, amp = 2, bias = 0.1:
      // period = ceil(8·(1.1 − x)/0.45): x = 1 → 2 (t = 1, 3, ..., 11); x = 0.6 → ceil(8.89) = 9 (t = 8);
      // x = 0.4 → ceil(12.4) = 13 (after the window); x = 0.2 is the minimum: silent
      const x = tf.tensor2d([
        [0.2, 0.6],
        [1, 0.4],
      ]);
      const s = uniformEncode(x, 12, { dt: 0.5, maxTime: 4, amp: 2, bias: 0.1 });
      expect(firingSteps(s)).toEqual([
        [[], [8]],
        [[1, 3, 5, 7, 9, 11], []],
      ]);
      // any rank; int input
      expect(uniformEncode(tf.ones([2, 2, 3], 'int32'), 4).shape).toEqual([4, 2, 2, 3]);
      // all equal: every element is the minimum, all silent
      expect(tf.sum(uniformEncode(tf.fill([2, 3], 0.7), 20)).dataSync()[0]).toBe(0);
    });
  });

  it('rampCurrent and RampCurrentGenerator: base + slope·t inside [start, stop), else 0', () => {
    tf.tidy(() => {
      const seq = rampCurrent({ slope: 0.5, base: 1, duration: 6, dt: 1, start: 1, stop: 4 });
      expect(seq.shape).toEqual([6, 1]);
      expectClose(seq, [[0], [1.5], [2], [2.5], [0], [0]]);
      // a slope per neuron, dt = 0.5 ms
      const slopes = tf.tensor2d([[1, -2]]);
      expectClose(rampCurrent({ slope: slopes, duration: 1.5, dt: 0.5 }), [[[0, 0]], [[0.5, -1]], [[1, -2]]]);
    });
    const gen = new RampCurrentGenerator({ slope: 2, shape: [1, 2], stop: 3 });
    tf.tidy(() => {
      expectClose(gen.step(), [[0, 0]]);
      expectClose(gen.generate(3), [[[2, 2]], [[4, 4]], [[0, 0]]]);
      gen.reset();
      expectClose(gen.step(), [[0, 0]]);
    });
    gen.dispose();
  });

  it('bad input is a named error and leaves the tensor count unchanged', () => {
    const x = tf.tensor2d([[0.1, 0.5]]);
    const nan = tf.tensor2d([[0.1, Number.NaN]]);
    const scalar = tf.scalar(1);
    const badSlope = tf.tensor1d([1, Number.POSITIVE_INFINITY]);
    const before = tf.memory().numTensors;
    const cases: [() => unknown, new (...args: never[]) => Error, string?][] = [
      [() => uniformEncode(x, 0), EncodingValueError, "uniformEncode: 'T' must be an integer >= 1, got 0"],
      [() => uniformEncode(nan, 4), EncodingValueError, "uniformEncode: 'x[1]' must be a finite number, got NaN"],
      [() => uniformEncode(scalar, 4), EncodingShapeError],
      [
        () => uniformEncode(x, 4, { bias: 0 }),
        EncodingValueError,
        "uniformEncode: 'bias' must be a finite number > 0, got 0",
      ],
      [() => uniformEncode(x, 4, { amp: -1 }), EncodingValueError],
      [() => uniformEncode(x, 4, { maxTime: Number.NaN }), EncodingValueError],
      [() => uniformEncode(x, 4, { dt: 0 }), EncodingValueError],
      [() => rampCurrent({ slope: 1, duration: 0 }), EncodingValueError],
      [
        () => rampCurrent({ slope: Number.NaN, duration: 5 }),
        EncodingValueError,
        "rampCurrent: 'slope' must be a finite number, got NaN",
      ],
      [
        () => rampCurrent({ slope: badSlope, duration: 5 }),
        EncodingValueError,
        "rampCurrent: 'slope[1]' must be a finite number, got Infinity",
      ],
      [() => rampCurrent({ slope: 1, base: Number.NaN, duration: 5 }), EncodingValueError],
      [() => rampCurrent({ slope: 1, duration: 5, start: 3, stop: 2 }), EncodingValueError],
      [() => new RampCurrentGenerator({ slope: badSlope }), EncodingValueError],
      [() => new RampCurrentGenerator({ slope: 'a' as never }), EncodingValueError],
      [() => new RampCurrentGenerator(undefined as never), EncodingValueError],
    ];
    for (const [call, type, message] of cases) {
      let thrown: unknown;
      try {
        call();
      } catch (e) {
        thrown = e;
      }
      expect(thrown, String(call)).toBeInstanceOf(type);
      if (message !== undefined) expect((thrown as Error).message).toBe(message);
      expect(tf.memory().numTensors, String(call)).toBe(before);
    }
    tf.dispose([x, nan, scalar, badSlope]);
  });

  it('leaks nothing', () => {
    const x = tf.tensor2d([[0.1, 0.5, 0.9]]);
    const slope = tf.tensor1d([1, 2]);
    const gen = new RampCurrentGenerator({ slope, stop: 10 });
    const before = tf.memory().numTensors;
    for (let i = 0; i < 10; i++) {
      tf.dispose([uniformEncode(x, 8), rampCurrent({ slope, duration: 5 }), gen.step(), gen.generate(3)]);
    }
    expect(tf.memory().numTensors).toBe(before);
    gen.dispose();
    tf.dispose([x, slope]);
  });
});

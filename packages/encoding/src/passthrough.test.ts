// Importing @snn/core registers its cpu backend, which describeBackends switches to.
import '@snn/core';
import { describeBackends } from '@snn/core/testing';
import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import { EncodingShapeError, EncodingValueError } from './errors.js';
import { FloatEncoding, floatEncode, NullDecoder, NullEncoder, nullDecode, nullEncode } from './passthrough.js';

const values = (t: tf.Tensor) => t.arraySync();

describeBackends('pass-through coders', () => {
  it('nullEncode: time-first data passed on as float32; batchFirst moves [B, T, ...] to [T, B, ...]', () => {
    tf.tidy(() => {
      const seq = tf.tensor3d([[[1, 0]], [[0, 1]], [[1, 1]]], [3, 1, 2], 'int32'); // [T = 3, B = 1, N = 2]
      const out = nullEncode(seq);
      expect(out.dtype).toBe('float32');
      expect(out).not.toBe(seq);
      expect(values(out)).toEqual(values(seq));
      // SPAIC's layout: [B = 2, T = 3, N = 1]
      const batchFirst = tf.tensor3d([
        [[1], [2], [3]],
        [[4], [5], [6]],
      ]);
      const moved = nullEncode(batchFirst, { batchFirst: true });
      expect(moved.shape).toEqual([3, 2, 1]);
      expect(values(moved)).toEqual([
        [[1], [4]],
        [[2], [5]],
        [[3], [6]],
      ]);
      expect(seq.isDisposed || batchFirst.isDisposed).toBe(false);
    });
  });

  it('floatEncode: the source, times amplitude, at every step', () => {
    tf.tidy(() => {
      const x = tf.tensor2d([
        [0.5, -2],
        [3, 0],
      ]);
      const out = floatEncode(x, 3);
      expect(out.shape).toEqual([3, 2, 2]);
      for (const step of tf.unstack(out)) expect(values(step)).toEqual(values(x));
      expect(values(floatEncode(x, 2, { amplitude: 2 }))).toEqual([
        [
          [1, -4],
          [6, 0],
        ],
        [
          [1, -4],
          [6, 0],
        ],
      ]);
      expect(floatEncode(tf.tensor1d([1, 2, 3], 'int32'), 4).shape).toEqual([4, 3]);
    });
  });

  it('nullDecode: the record as float32, time first', () => {
    tf.tidy(() => {
      const rec = tf.tensor3d([[[0.5, 1]], [[2, -1]]]);
      const { value } = nullDecode(rec);
      expect(value).not.toBe(rec);
      expect(values(value)).toEqual(values(rec));
    });
  });

  it('NullEncoder, FloatEncoding, NullDecoder: the same as the functions, with the names SPAIC registers', () => {
    tf.tidy(() => {
      const seq = tf.tensor3d([[[1, 0]], [[0, 1]]]);
      const enc = new NullEncoder();
      expect(enc.name).toBe('null');
      expect(values(enc.encode(seq, 2))).toEqual(values(seq));
      const bf = new NullEncoder({ batchFirst: true });
      expect(bf.encode(tf.zeros([4, 2, 3]), 2).shape).toEqual([2, 4, 3]);
      const float = new FloatEncoding({ amplitude: 3 });
      expect(float.name).toBe('float');
      expect(values(float.encode(tf.tensor1d([1, 2]), 2))).toEqual([
        [3, 6],
        [3, 6],
      ]);
      const dec = new NullDecoder();
      expect(dec.name).toBe('null');
      expect(values(dec.decode(seq).value)).toEqual(values(seq));
      dec.dispose();
    });
  });

  it('bad input is a named error and leaves the tensor count unchanged', () => {
    const flat = tf.zeros([4]);
    const seq = tf.zeros([3, 1, 2]);
    const nan = tf.tensor2d([[1, Number.NaN]]);
    const scalar = tf.scalar(1);
    const enc = new NullEncoder();
    const before = tf.memory().numTensors;
    const cases: [() => unknown, new (...args: never[]) => Error, string?][] = [
      [() => nullEncode(flat), EncodingShapeError, "nullEncode: 'x' must have rank >= 2 ([T, B, ...]), got shape [4]"],
      [
        () => nullEncode(seq, { batchFirst: 1 as never }),
        EncodingValueError,
        "nullEncode: 'batchFirst' must be a boolean, got 1",
      ],
      [() => nullEncode([1, 2] as never), EncodingValueError],
      [() => floatEncode(seq, 0), EncodingValueError, "floatEncode: 'T' must be an integer >= 1, got 0"],
      [() => floatEncode(nan, 2), EncodingValueError, "floatEncode: 'x[1]' must be a finite number, got NaN"],
      [() => floatEncode(scalar, 2), EncodingShapeError],
      [() => floatEncode(seq, 2, { amplitude: Number.POSITIVE_INFINITY }), EncodingValueError],
      [() => new FloatEncoding({ amplitude: Number.NaN }), EncodingValueError],
      [
        () => nullDecode(flat),
        EncodingShapeError,
        "nullDecode: 'record' must have rank >= 3 ([T, B, N, ...]), got shape [4]",
      ],
      [
        () => enc.encode(seq, 5),
        EncodingShapeError,
        "NullEncoder.encode: 'x' must have 5 steps on axis 0 ([T, B, ...]), got shape [3, 1, 2]",
      ],
      [() => enc.encode(seq, 1.5), EncodingValueError],
      [() => new NullEncoder({ batchFirst: 'yes' as never }), EncodingValueError],
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
    tf.dispose([flat, seq, nan, scalar]);
  });

  it('leaks nothing', () => {
    const x = tf.ones([2, 3]);
    const seq = tf.ones([4, 2, 3]);
    const before = tf.memory().numTensors;
    for (let i = 0; i < 10; i++) {
      tf.dispose([
        nullEncode(seq),
        nullEncode(seq, { batchFirst: true }),
        floatEncode(x, 4),
        floatEncode(x, 4, { amplitude: 0.5 }),
        nullDecode(seq).value,
      ]);
    }
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([x, seq]);
  });
});

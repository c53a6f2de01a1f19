// The exact int32 helpers of the integer models, against JavaScript's own `>>` on every backend.
import { DTypeError, ValueError } from '@snn/core';
import { describeBackends } from '@snn/core/testing';
import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import { INT32_MAX, INT32_MIN, shiftRightInt32, toInt32 } from './int-ops.js';

describeBackends('int-ops', () => {
  it('shiftRightInt32 equals >> for 100,000 int32 values and every shift 0..30', () => {
    const n = 100_000;
    const values = new Int32Array(n);
    let s = 12345;
    for (let i = 0; i < n; i++) {
      s = (Math.imul(s, 1103515245) + 12345) | 0;
      values[i] = s >> (i % 24); // every magnitude from 2^7 to 2^31
    }
    // Edges, and values just above 2^24 where a float32 division goes wrong.
    values.set([0, -1, 1, INT32_MAX, INT32_MIN, 33554431, -33554431, 16777217, -16777217, 65535, -65536, 65536]);
    const a = tf.tensor(values, [n], 'int32');
    for (let k = 0; k <= 30; k++) {
      const r = shiftRightInt32(a, k);
      expect(r.dtype).toBe('int32');
      const got = r.dataSync();
      let bad = -1;
      for (let i = 0; i < n && bad < 0; i++) if (got[i] !== (values[i] as number) >> k) bad = i;
      expect(bad < 0 ? 'ok' : `${values[bad]} >> ${k}: got ${got[bad]}, want ${(values[bad] as number) >> k}`).toBe(
        'ok',
      );
      r.dispose();
    }
    a.dispose();
  });

  it('shiftRightInt32 refuses a shift outside 0..30 and a float tensor', () => {
    const a = tf.tensor([1], [1], 'int32');
    const f = tf.tensor([1]);
    const before = tf.memory().numTensors;
    expect(() => shiftRightInt32(a, 31)).toThrow(ValueError);
    expect(() => shiftRightInt32(a, 1.5)).toThrow("shiftRightInt32: 'k' must be an integer in [0, 30], got 1.5");
    expect(() => shiftRightInt32(f, 1)).toThrow(DTypeError);
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([a, f]);
  });

  it('toInt32 truncates toward zero (torch .int()) and refuses bool', () => {
    const x = tf.tensor([1.9, -1.9, 2.5, -0.5, 7]);
    const r = toInt32('f', 'x', x);
    expect(r.dtype).toBe('int32');
    expect(Array.from(r.dataSync())).toEqual([1, -1, 2, 0, 7]);
    const b = tf.tensor([true], [1], 'bool');
    expect(() => toInt32('f', 'x', b)).toThrow("f: 'x' must have dtype int32 or float32, got bool");
    tf.dispose([x, r, b]);
  });
});

import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import '@snn/backend-wasm';
import { describeBackends, expectNoLeak } from '@snn/core/testing';
import { tfjsWasmSlice } from './Slice.js';

describeBackends('wasm Slice (heap view instead of a full copy)', () => {
  it('is the registered wasm Slice kernel', () => {
    expect((tf.getKernel('Slice', 'wasm') as { snnFastSlice?: boolean }).snnFastSlice).toBe(true);
  });

  it('gives the same slices as cpu, contiguous or not, for every dtype', () => {
    const cases: [number[], number[], number[]][] = [
      [
        [5, 7],
        [2, 0],
        [1, 7],
      ], // one time step: contiguous
      [
        [5, 7],
        [1, 0],
        [3, -1],
      ], // several rows
      [
        [5, 7],
        [1, 2],
        [3, 4],
      ], // a window: not contiguous
      [
        [2, 3, 4],
        [1, 1, 0],
        [1, 2, 4],
      ], // rank 3, contiguous
      [
        [2, 3, 4],
        [0, 1, 1],
        [2, 2, 2],
      ], // rank 3, not contiguous
      [[9], [3], [4]],
    ];
    for (const [shape, begin, size] of cases) {
      const n = shape.reduce((a, b) => a * b, 1);
      for (const dtype of ['float32', 'int32', 'bool'] as const) {
        const values = Array.from({ length: n }, (_, i) => (dtype === 'bool' ? i % 3 === 0 : i * 2 - 7));
        const x = tf.tensor(values as number[], shape, dtype);
        const y = tf.slice(x, begin, size);
        const expected = values.filter((_, i) => {
          const idx = shape.map(
            (_, d) => Math.floor(i / shape.slice(d + 1).reduce((a, b) => a * b, 1)) % (shape[d] as number),
          );
          return idx.every(
            (v, d) => v >= (begin[d] as number) && (size[d] === -1 || v < (begin[d] as number) + (size[d] as number)),
          );
        });
        expect(y.dtype).toBe(dtype);
        expect(Array.from(y.dataSync() as ArrayLike<number>).map(Number)).toEqual(expected.map(Number));
        tf.dispose([x, y]);
      }
    }
  });

  it('survives heap growth between calls and does not leak', () => {
    const x = tf.randomUniform([32, 1000], 0, 1, 'float32', 3);
    const row = Array.from(x.dataSync().subarray(5000, 6000));
    const big = tf.zeros([4, 4_000_000]); // grows the wasm heap
    const y = tf.slice(x, [5, 0], [1, 1000]);
    expect(Array.from(y.dataSync())).toEqual(row);
    expectNoLeak(() => tf.dispose(tf.slice(x, [7, 0], [1, 1000])), 200);
    tf.dispose([x, big, y]);
  });
}, ['wasm']);

describeBackends("wasm Slice equals tfjs's own kernel", () => {
  it('on 400 random slices of every rank 1-5, dtype and begin/size (including -1)', async () => {
    const original = tfjsWasmSlice();
    expect(original).toBeDefined();
    const ours = tf.getKernel('Slice', 'wasm') as tf.KernelConfig;
    let seed = 12345;
    const rand = (n: number) => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return (seed >>> 8) % n;
    };
    const dtypes = ['float32', 'int32', 'bool'] as const;
    for (let k = 0; k < 400; k++) {
      const rank = 1 + rand(5);
      const shape = Array.from({ length: rank }, () => 1 + rand(5));
      const begin = shape.map((d) => rand(d));
      const size = shape.map((d, i) => (rand(4) === 0 ? -1 : 1 + rand(d - (begin[i] as number))));
      const dtype = dtypes[rand(3)] as (typeof dtypes)[number];
      const n = shape.reduce((a, b) => a * b, 1);
      const values =
        dtype === 'bool'
          ? Array.from({ length: n }, (_, i) => (i * 7) % 3 === 0)
          : Array.from({ length: n }, (_, i) => i * 1.5 - 3);
      const x = tf.tensor(values, shape, dtype);
      const a = tf.slice(x, begin, size);
      tf.unregisterKernel('Slice', 'wasm');
      tf.registerKernel(original as tf.KernelConfig);
      const e = tf.slice(x, begin, size);
      tf.unregisterKernel('Slice', 'wasm');
      tf.registerKernel(ours);
      expect(a.shape, `shape of case ${k}`).toEqual(e.shape);
      expect(a.dtype).toBe(e.dtype);
      expect(Array.from(await a.data()), `values of case ${k}: ${shape} ${begin} ${size} ${dtype}`).toEqual(
        Array.from(await e.data()),
      );
      tf.dispose([x, a, e]);
    }
    expect((tf.getKernel('Slice', 'wasm') as { snnFastSlice?: boolean }).snnFastSlice).toBe(true);
  });
}, ['wasm']);

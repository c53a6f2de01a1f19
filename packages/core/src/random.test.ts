import { createRng, useBackend, ValueError } from '@snn/core';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';

describe('createRng', () => {
  it('gives the same numbers for the same seed and different ones for another seed', () => {
    const a = createRng(7).uniform([1000]).dataSync();
    const b = createRng(7).uniform([1000]).dataSync();
    const c = createRng(8).uniform([1000]).dataSync();
    expect(Array.from(a)).toEqual(Array.from(b));
    expect(Array.from(a)).not.toEqual(Array.from(c));
  });

  it('gives the same spikes on cpu and wasm (drawn in JavaScript)', async () => {
    await useBackend('cpu');
    const onCpu = Array.from(createRng(3).bernoulli(0.3, [500]).dataSync());
    await useBackend('wasm');
    const onWasm = Array.from(createRng(3).bernoulli(0.3, [500]).dataSync());
    await useBackend('cpu');
    expect(onWasm).toEqual(onCpu);
  });

  it('has the right moments: uniform, normal, bernoulli (1e5 draws, within 5 sigma: catches bias, not luck)', () => {
    const n = 100_000;
    const rng = createRng(123);
    const mean = (a: ArrayLike<number>) => Array.from(a).reduce((s, v) => s + v, 0) / a.length;
    const u = rng.uniform([n], -1, 3).dataSync();
    expect(Math.min(...u)).toBeGreaterThanOrEqual(-1);
    expect(Math.max(...u)).toBeLessThan(3);
    expect(Math.abs(mean(u) - 1)).toBeLessThan(5 * Math.sqrt(16 / 12 / n));
    const z = rng.normal([n], 2, 0.5).dataSync();
    const m = mean(z);
    const sd = Math.sqrt(mean(Array.from(z, (v) => (v - m) ** 2)));
    expect(Math.abs(m - 2)).toBeLessThan(5 * (0.5 / Math.sqrt(n)));
    expect(Math.abs(sd - 0.5)).toBeLessThan(0.01);
    const p = tf.fill([n], 0.2);
    const s = rng.bernoulli(p).dataSync();
    expect(new Set(s)).toEqual(new Set([0, 1]));
    expect(Math.abs(mean(s) - 0.2)).toBeLessThan(5 * Math.sqrt((0.2 * 0.8) / n));
    p.dispose();
  });

  it('starts well mixed even for small seeds (first draws are not stuck near 0 or 1)', () => {
    const firsts = [0, 1, 2, 3, 7, 42].map((seed) => createRng(seed).nextFloat());
    const mean = firsts.reduce((a, b) => a + b, 0) / firsts.length;
    expect(Math.max(...firsts)).toBeLessThan(0.999);
    expect(mean).toBeGreaterThan(0.15);
    expect(mean).toBeLessThan(0.85);
    expect(new Set(firsts).size).toBe(firsts.length);
  });

  it('forks independent, reproducible child streams', () => {
    const parent1 = createRng(5);
    const child1 = parent1.fork();
    const parent2 = createRng(5);
    const child2 = parent2.fork();
    const a = Array.from(child1.uniform([100]).dataSync());
    expect(Array.from(child2.uniform([100]).dataSync())).toEqual(a);
    expect(Array.from(parent1.uniform([100]).dataSync())).not.toEqual(a);
    const perm = createRng(1).permutation(50);
    expect([...perm].sort((x, y) => x - y)).toEqual(Array.from({ length: 50 }, (_, i) => i));
  });

  it('rejects bad arguments with named errors', () => {
    const rng = createRng(1);
    expect(() => createRng(1.5)).toThrow("createRng: 'seed' must be an integer, got 1.5");
    expect(() => rng.bernoulli(1.5, [2])).toThrow("Rng.bernoulli: 'p' must be a probability in [0, 1], got 1.5");
    const p = tf.tensor1d([0.1, Number.NaN]);
    expect(() => rng.bernoulli(p)).toThrow("Rng.bernoulli: 'p[1]' must be a probability in [0, 1], got NaN");
    expect(() => rng.normal([2], 0, 0)).toThrow(ValueError);
    expect(() => rng.uniform([2, -1])).toThrow("Rng.uniform: 'shape' must be an array of integers >= 0, got [2, -1]");
    p.dispose();
  });
});

it('fillUniform refuses high < low and non-finite bounds by name', () => {
  const rng = createRng(1);
  const out = new Float32Array(4);
  expect(() => rng.fillUniform(out, 1, 0)).toThrow("Rng.fillUniform: 'high' must be a number ≥ low (1), got 0");
  expect(() => rng.fillUniform(out, Number.NaN, 1)).toThrow(ValueError);
  expect(Array.from(out)).toEqual([0, 0, 0, 0]);
  expect(Array.from(rng.fillUniform(out, 2, 2))).toEqual([2, 2, 2, 2]);
});

it('methods that take a tensor or a typed array refuse anything else by name, drawing nothing', () => {
  const rng = createRng(3);
  const twin = createRng(3);
  const before = tf.memory().numTensors;
  expect(() => rng.bernoulli([0.5, 0.5] as never)).toThrow("Rng.bernoulli: 'p' must be a tf.Tensor, got [0.5, 0.5]");
  expect(() => rng.bernoulli('0.5' as never)).toThrow(ValueError);
  expect(() => rng.bernoulli(null as never)).toThrow("Rng.bernoulli: 'p' must be a tf.Tensor, got null");
  const gone = tf.tensor1d([0.5]);
  gone.dispose();
  expect(() => rng.bernoulli(gone)).toThrow("Rng.bernoulli: 'p' must be a tensor that is not disposed");
  expect(() => rng.fillUniform([0, 0] as never)).toThrow(
    "Rng.fillUniform: 'out' must be a Float32Array or Float64Array, got [0, 0]",
  );
  expect(() => rng.fillNormal(new Int32Array(2) as never)).toThrow("Rng.fillNormal: 'out' must be a Float32Array");
  expect(() => rng.fillNormal(new Float32Array(2), Number.NaN)).toThrow(
    "Rng.fillNormal: 'mean' must be a finite number",
  );
  expect(() => rng.fillNormal(new Float32Array(2), 0, -1)).toThrow(
    "Rng.fillNormal: 'std' must be a finite number >= 0",
  );
  expect(tf.memory().numTensors).toBe(before);
  // Nothing was drawn: the stream is where its twin is.
  expect(rng.nextFloat()).toBe(twin.nextFloat());
});

import { createRng } from '@snn/core';
import { describeBackends } from '@snn/core/testing';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { EncodingValueError } from './errors.js';
import { createRandom, SeededRandom, toRandomSource } from './random.js';

describe('createRandom (xoshiro128** seeded by splitmix64)', () => {
  it('gives the reference outputs of xoshiro128** for known seeds', () => {
    // From a C build of the published algorithm, state = two splitmix64 outputs of the seed.
    const expected: Record<number, number[]> = {
      0: [3737715805, 2584255861, 2876756834, 3286328325, 1553311962],
      42: [1776835114, 4165204688, 17111135, 2317295270, 2792088233],
      [-7]: [2770651774, 585381616, 711422325, 2297772603, 2628463860],
    };
    for (const [seed, values] of Object.entries(expected)) {
      const r = createRandom(Number(seed));
      expect(values.map(() => r.nextUint32())).toEqual(values);
    }
  });

  it('same seed, same numbers; different seeds differ', () => {
    const a = createRandom(123);
    const b = createRandom(123);
    const c = createRandom(124);
    const xa = Array.from({ length: 100 }, () => a.nextFloat());
    expect(Array.from({ length: 100 }, () => b.nextFloat())).toEqual(xa);
    expect(Array.from({ length: 100 }, () => c.nextFloat())).not.toEqual(xa);
  });

  it('nextFloat is in [0, 1) on a 2^-24 grid with mean 1/2 and variance 1/12', () => {
    const r = createRandom(9);
    const n = 200_000;
    let sum = 0;
    let sq = 0;
    let offGrid = 0;
    for (let i = 0; i < n; i++) {
      const u = r.nextFloat();
      if (!(u >= 0 && u < 1 && Number.isInteger(u * 2 ** 24))) offGrid++;
      sum += u;
      sq += u * u;
    }
    expect(offGrid).toBe(0);
    const mean = sum / n;
    expect(Math.abs(mean - 0.5)).toBeLessThan(3 * Math.sqrt(1 / 12 / n));
    expect(Math.abs(sq / n - mean * mean - 1 / 12)).toBeLessThan(0.002);
  });

  it('fork() gives a child that continues the stream while the parent jumps ahead', () => {
    const parent = createRandom(5);
    const twin = createRandom(5);
    const child = parent.fork();
    const c = Array.from({ length: 50 }, () => child.nextFloat());
    expect(Array.from({ length: 50 }, () => twin.nextFloat())).toEqual(c);
    const p = Array.from({ length: 50 }, () => parent.nextFloat());
    expect(p).not.toEqual(c);
    // Deterministic: forking the same seed again gives the same two streams.
    const again = createRandom(5);
    const child2 = again.fork();
    expect(Array.from({ length: 50 }, () => child2.nextFloat())).toEqual(c);
    expect(Array.from({ length: 50 }, () => again.nextFloat())).toEqual(p);
  });

  it("fork()'s jump is the generator's transition applied 2^64 times (checked over GF(2))", () => {
    // The state update of xoshiro128** is linear over GF(2): build its 128×128 matrix (as the
    // images of the unit vectors), square it 64 times, and compare with the jump function.
    const M32 = 0xffffffffn;
    const rotl = (x: bigint, k: bigint) => ((x << k) | (x >> (32n - k))) & M32;
    const update = (v: bigint): bigint => {
      let [s0, s1, s2, s3] = [0n, 32n, 64n, 96n].map((sh) => (v >> sh) & M32) as [bigint, bigint, bigint, bigint];
      const t = (s1 << 9n) & M32;
      s2 ^= s0;
      s3 ^= s1;
      s1 ^= s2;
      s0 ^= s3;
      s2 ^= t;
      s3 = rotl(s3, 11n);
      return s0 | (s1 << 32n) | (s2 << 64n) | (s3 << 96n);
    };
    const apply = (cols: bigint[], v: bigint): bigint => {
      let r = 0n;
      for (let j = 0; v !== 0n; j++, v >>= 1n) if (v & 1n) r ^= cols[j] as bigint;
      return r;
    };
    let power = Array.from({ length: 128 }, (_, j) => update(1n << BigInt(j)));
    for (let i = 0; i < 64; i++) power = power.map((c) => apply(power, c));
    const words = [0x12345678, 0x9abcdef0, 0x0fedcba9, 0x87654321] as const;
    const packed = words.reduce((acc, w, i) => acc | (BigInt(w >>> 0) << BigInt(32 * i)), 0n);
    const jumped = apply(power, packed);
    const parent = new SeededRandom(0, words);
    parent.fork();
    const expected = new SeededRandom(
      0,
      [0n, 32n, 64n, 96n].map((sh) => Number((jumped >> sh) & M32)) as [number, number, number, number],
    );
    const n = Array.from({ length: 8 }, () => expected.nextUint32());
    expect(Array.from({ length: 8 }, () => parent.nextUint32())).toEqual(n);
  });

  it('rejects seeds that are not safe integers', () => {
    expect(() => createRandom(1.5)).toThrow(EncodingValueError);
    expect(() => createRandom(Number.NaN)).toThrow("createRandom: 'seed' must be a safe integer, got NaN");
  });

  it('toRandomSource takes a seed, a core Rng, or nothing (the default stream)', () => {
    expect(toRandomSource('f', 3)).toBeInstanceOf(SeededRandom);
    const rng = createRng(3);
    expect(toRandomSource('f', rng)).toBe(rng);
    expect(toRandomSource('f', undefined)).toBe(toRandomSource('f', undefined));
    expect(() => toRandomSource('f', 0.5)).toThrow("f: 'rng' must be a safe-integer seed or a source, got 0.5");
    expect(() => toRandomSource('f', {} as never)).toThrow(EncodingValueError);
  });
});

describeBackends('SeededRandom tensors', () => {
  it('uniform(shape, low, high) has the shape, the range and the stream of nextFloat', () => {
    const u = createRandom(1).uniform([3, 4], -2, 2);
    expect(u.shape).toEqual([3, 4]);
    const ref = createRandom(1);
    const expected = Array.from({ length: 12 }, () => Math.fround(-2 + 4 * ref.nextFloat()));
    expect(Array.from(u.dataSync())).toEqual(expected);
    u.dispose();
    expect(() => createRandom(1).uniform([2], 1, 1)).toThrow(EncodingValueError);
    expect(() => createRandom(1).uniform([-1])).toThrow(
      "SeededRandom.uniform: 'shape' must be an array of integers >= 0",
    );
  });

  it('bernoulli(p, shape) and bernoulli(tensor) draw u < p', () => {
    const s = createRandom(2).bernoulli(0.3, [1000]);
    const ref = createRandom(2);
    expect(Array.from(s.dataSync())).toEqual(Array.from({ length: 1000 }, () => +(ref.nextFloat() < 0.3)));
    const p = tf.tensor1d([0, 1, 0, 1]);
    const t = createRandom(2).bernoulli(p);
    expect(Array.from(t.dataSync())).toEqual([0, 1, 0, 1]);
    expect(() => createRandom(2).bernoulli(1.5, [2])).toThrow(EncodingValueError);
    expect(() => createRandom(2).bernoulli(0.5)).toThrow("'shape' must be an array when p is a number");
    const bad = tf.tensor1d([0.5, -0.1]);
    expect(() => createRandom(2).bernoulli(bad)).toThrow(
      "SeededRandom.bernoulli: 'p[1]' must be a probability in [0, 1]",
    );
    tf.dispose([s, p, t, bad]);
  });
});

import { createRng } from '@snn/core';
import { describeBackends } from '@snn/core/testing';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { EncodingValueError } from './errors.js';
import { createRandom, drawUniform, resolveRandom, SeededRandom } from './random.js';

const M32 = 0xffffffffn;
const M64 = (1n << 64n) - 1n;
const rotl64 = (x: bigint, k: bigint) => ((x << k) | (x >> (64n - k))) & M64;

/**
 * xoroshiro128+ (24, 16, 37) written from the published 64-bit algorithm with BigInt, as an
 * independent route: state (s0, s1), output s0 + s1; a 32-bit draw is the output's low word.
 */
class Reference {
  constructor(
    public s0: bigint,
    public s1: bigint,
  ) {}
  static fromWords([s01, s00, s11, s10]: readonly number[]): Reference {
    const u = (w: number | undefined) => BigInt((w as number) >>> 0);
    return new Reference((u(s01) << 32n) | u(s00), (u(s11) << 32n) | u(s10));
  }
  next(): number {
    const out = Number((this.s0 + this.s1) & M32);
    const s1 = this.s1 ^ this.s0;
    this.s0 = rotl64(this.s0, 24n) ^ s1 ^ ((s1 << 16n) & M64);
    this.s1 = rotl64(s1, 37n);
    return out;
  }
}

const SEEDS = [0, 1, 42, -7, 2 ** 31, -(2 ** 31) - 5, 2 ** 40 + 3, Number.MAX_SAFE_INTEGER, Number.MIN_SAFE_INTEGER];

describe('createRandom: the stream of @snn/core createRng, draw for draw', () => {
  it("equals core's createRng(seed).nextFloat() for every seed over 5,000 draws", () => {
    for (const seed of SEEDS) {
      const ours = createRandom(seed);
      const core = createRng(seed);
      const a = Array.from({ length: 5000 }, () => ours.nextFloat());
      const b = Array.from({ length: 5000 }, () => core.nextFloat());
      expect(a, `seed ${seed}`).toEqual(b);
    }
  });

  it("fork() gives the same child and parent streams as core's Rng.fork()", () => {
    for (const seed of [3, 42, -1]) {
      const ours = createRandom(seed);
      const core = createRng(seed);
      ours.nextFloat();
      core.nextFloat();
      const [oc, cc] = [ours.fork(), core.fork()];
      const draw = (r: { nextFloat(): number }) => Array.from({ length: 1000 }, () => r.nextFloat());
      expect(draw(oc)).toEqual(draw(cc));
      expect(draw(ours)).toEqual(draw(core));
    }
  });

  it('is xoroshiro128+ as published (a BigInt build of the 64-bit algorithm) from any state, 10,000 draws', () => {
    const states: [number, number, number, number][] = [
      createRandom(42).getState(),
      createRandom(-7).getState(),
      [0x12345678, 0x9abcdef0, 0x0fedcba9, 0x87654321],
      [0, 1, 0, 0],
    ];
    for (const state of states) {
      const ours = new SeededRandom(0, state);
      const ref = Reference.fromWords(state);
      const a = Array.from({ length: 10_000 }, () => ours.nextUint32());
      expect(a).toEqual(Array.from({ length: 10_000 }, () => ref.next()));
    }
  });

  it('maps a draw to a float as core does: its high 24 bits over 2^24', () => {
    const ours = createRandom(11);
    const ref = Reference.fromWords(createRandom(11).getState());
    for (let i = 0; i < 1000; i++) expect(ours.nextFloat()).toBe(Math.floor(ref.next() / 256) / 2 ** 24);
  });

  it('spreads the seed as core does: small seeds do not start near 0 or 1', () => {
    for (const seed of [0, 1, 2, 3]) {
      const first = createRandom(seed).nextFloat();
      expect(first).toBeGreaterThan(1e-3);
      expect(first).toBeLessThan(1 - 1e-3);
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
    // xoroshiro128+'s state update is linear over GF(2): build its 128×128 matrix (as the images
    // of the unit vectors), square it 64 times, and compare with the jump of fork().
    const update = (v: bigint): bigint => {
      const r = new Reference(v & M64, v >> 64n);
      r.next();
      return r.s0 | (r.s1 << 64n);
    };
    const apply = (cols: bigint[], v: bigint): bigint => {
      let r = 0n;
      for (let j = 0; v !== 0n; j++, v >>= 1n) if (v & 1n) r ^= cols[j] as bigint;
      return r;
    };
    let power = Array.from({ length: 128 }, (_, j) => update(1n << BigInt(j)));
    for (let i = 0; i < 64; i++) power = power.map((c) => apply(power, c));
    const words = [0x12345678, 0x9abcdef0, 0x0fedcba9, 0x87654321] as const;
    const start = Reference.fromWords(words);
    const jumped = apply(power, start.s0 | (start.s1 << 64n));
    const parent = new SeededRandom(0, words);
    parent.fork();
    const expected = new Reference(jumped & M64, jumped >> 64n);
    const n = Array.from({ length: 8 }, () => expected.next());
    expect(Array.from({ length: 8 }, () => parent.nextUint32())).toEqual(n);
  });

  it('rejects seeds that are not safe integers', () => {
    expect(() => createRandom(1.5)).toThrow(EncodingValueError);
    expect(() => createRandom(Number.NaN)).toThrow("createRandom: 'seed' must be a safe integer, got NaN");
  });

  it('resolveRandom takes { seed } or { rng } (a core Rng, a source, or a seed as before), at most one', () => {
    expect(resolveRandom('f', { seed: 3 })).toBeInstanceOf(SeededRandom);
    expect(resolveRandom('f', { seed: 3 }).nextFloat()).toBe(createRng(3).nextFloat());
    expect(resolveRandom('f', { rng: 3 }).nextFloat()).toBe(createRng(3).nextFloat());
    const rng = createRng(3);
    expect(resolveRandom('f', { rng })).toBe(rng);
    const own = { nextFloat: () => 0.5 };
    expect(resolveRandom('f', { rng: own })).toBe(own);
    expect(resolveRandom('f', {})).toBe(resolveRandom('f', {}));
    expect(() => resolveRandom('f', { seed: 1, rng })).toThrow(
      "f: 'seed' must be undefined when 'rng' is given (pass one of the two), got 1",
    );
    expect(() => resolveRandom('f', { seed: 0.5 })).toThrow("f: 'seed' must be a safe integer, got 0.5");
    expect(() => resolveRandom('f', { seed: '1' as never })).toThrow(EncodingValueError);
    expect(() => resolveRandom('f', { rng: 0.5 })).toThrow("f: 'rng' must be a source or a safe-integer seed, got 0.5");
    expect(() => resolveRandom('f', { rng: {} as never })).toThrow(
      "f: 'rng' must be a source (an object with nextFloat()) or a seed",
    );
  });

  it('drawUniform refuses a source of your own that returns NaN or numbers outside [0, 1]', () => {
    const returning = (v: unknown) => ({ nextFloat: () => v as number });
    expect(() => drawUniform('f', returning(Number.NaN), 3)).toThrow(
      "f: 'rng' must be a source whose nextFloat() returns numbers in [0, 1), got NaN",
    );
    expect(() => drawUniform('f', returning(1.5), 3)).toThrow(EncodingValueError);
    expect(() => drawUniform('f', returning(-0.1), 3)).toThrow(EncodingValueError);
    expect(() => drawUniform('f', returning('0.5'), 3)).toThrow(EncodingValueError);
    // A double just below 1 stays below 1 in float32.
    expect(drawUniform('f', returning(0.99999999), 1)[0]).toBe(1 - 2 ** -24);
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
    expect(() => createRandom(2).bernoulli([0.5, 0.5] as never)).toThrow(
      "SeededRandom.bernoulli: 'p' must be a tf.Tensor, got [0.5, 0.5]",
    );
    tf.dispose([s, p, t, bad]);
  });
});

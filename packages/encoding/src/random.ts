/**
 * The package's own seeded random source, so that `@snn/encoding` needs nothing but tfjs-core.
 *
 * Generator: xoshiro128** (Blackman & Vigna, 2018), 128 bits of state, period 2^128 − 1, with
 * a jump of 2^64 draws for independent child streams. Its state is filled from the seed with
 * splitmix64, as the generator's authors recommend. Numbers are drawn in JavaScript, so the
 * same seed gives the same spikes on every tfjs backend.
 */
import type { Tensor } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';
import { EncodingValueError } from './errors.js';

const TWO_POW_24 = 16777216;
/** The largest float32 below 1 (1 − 2^-24). */
const LARGEST_BELOW_ONE = 1 - 2 ** -24;

/**
 * Anything that draws uniform floats in [0, 1): this package's {@link SeededRandom}, or
 * `@snn/core`'s `Rng`, or an adapter of your own. Encoders and generators use nothing else.
 */
export interface RandomSource {
  /** A float uniform in [0, 1). */
  nextFloat(): number;
}

/**
 * Where a stochastic function takes its randomness from: a seed (an integer, which starts a
 * fresh {@link SeededRandom}) or a {@link RandomSource} that is drawn from and advanced.
 */
export type RandomLike = number | RandomSource;

/** xoshiro128**'s jump polynomial for 2^64 steps. */
const JUMP = [0x8764000b, 0xf542d2d3, 0x6fa035c3, 0x77f2db5b] as const;

const rotl = (x: number, k: number): number => (x << k) | (x >>> (32 - k));

/**
 * A seeded stream of random numbers (xoshiro128**). Same seed, same numbers, on every backend.
 * Its methods match those of `@snn/core`'s `Rng` that encoders need: `nextFloat`, `uniform`,
 * `bernoulli`, `fork`. Tensors it returns are float32 and owned by the caller.
 *
 * @example
 * ```ts
 * const rng = createRandom(42);
 * const u = rng.uniform([2, 3]);            // U[0, 1)
 * const s = rng.bernoulli(0.2, [100]);       // 0/1, P(1) = 0.2
 * const child = rng.fork();                 // an independent stream
 * ```
 */
export class SeededRandom implements RandomSource {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;

  /**
   * Use {@link createRandom}. The state is four 32-bit words, not all zero.
   * @param seed - The seed this stream (or its first ancestor) was created with.
   * @param state - The generator's four state words.
   */
  constructor(
    readonly seed: number,
    state: readonly [number, number, number, number],
  ) {
    [this.s0, this.s1, this.s2, this.s3] = state.map((w) => w | 0) as [number, number, number, number];
    if ((this.s0 | this.s1 | this.s2 | this.s3) === 0) this.s0 = 1;
  }

  /** The next 32 random bits, as an unsigned integer in [0, 2^32). */
  nextUint32(): number {
    const result = Math.imul(rotl(Math.imul(this.s1, 5), 7), 9) >>> 0;
    const t = this.s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    return result;
  }

  /** A float in [0, 1) from the 24 high bits (every float32 step of that range, equally likely). */
  nextFloat(): number {
    return (this.nextUint32() >>> 8) / TWO_POW_24;
  }

  /** Fills `out` with floats uniform in [low, high) and returns it. */
  fillUniform<A extends Float32Array | Float64Array>(out: A, low = 0, high = 1): A {
    const span = high - low;
    for (let i = 0; i < out.length; i++) out[i] = low + span * this.nextFloat();
    return out;
  }

  /**
   * A float32 tensor of `shape` uniform in [low, high).
   * @throws EncodingValueError for a bad shape or `high <= low`.
   */
  uniform(shape: readonly number[], low = 0, high = 1): Tensor {
    const n = checkShapeArg('SeededRandom.uniform', shape);
    if (!(Number.isFinite(low) && Number.isFinite(high) && high > low)) {
      throw new EncodingValueError('SeededRandom.uniform', 'high', `a finite number > low (${low})`, high);
    }
    return tf.tensor(this.fillUniform(new Float32Array(n), low, high), [...shape], 'float32');
  }

  /**
   * 0/1 float32 draws with P(1) = `p`: a number (then `shape` is required) or a tensor of
   * probabilities (the output has its shape). A draw is `u < p` with `u` from {@link nextFloat},
   * so `p = 0` never fires and `p = 1` always does.
   * @throws EncodingValueError when a probability is outside [0, 1] or `shape` is missing.
   */
  bernoulli(p: number | Tensor, shape?: readonly number[]): Tensor {
    if (typeof p === 'number') {
      if (!(p >= 0 && p <= 1))
        throw new EncodingValueError('SeededRandom.bernoulli', 'p', 'a probability in [0, 1]', p);
      if (shape === undefined) {
        throw new EncodingValueError('SeededRandom.bernoulli', 'shape', 'an array when p is a number', shape);
      }
      const n = checkShapeArg('SeededRandom.bernoulli', shape);
      const out = new Float32Array(n);
      for (let i = 0; i < n; i++) out[i] = +(this.nextFloat() < p);
      return tf.tensor(out, [...shape], 'float32');
    }
    const probs = p.dataSync();
    const out = new Float32Array(probs.length);
    for (let i = 0; i < probs.length; i++) {
      const q = probs[i] as number;
      if (!(q >= 0 && q <= 1))
        throw new EncodingValueError('SeededRandom.bernoulli', `p[${i}]`, 'a probability in [0, 1]', q);
      out[i] = +(this.nextFloat() < q);
    }
    return tf.tensor(out, p.shape, 'float32');
  }

  /**
   * An independent child stream: the child continues from this stream's position while this
   * stream jumps 2^64 draws ahead, so the two never overlap in practice. Deterministic for a seed.
   */
  fork(): SeededRandom {
    const child = new SeededRandom(this.seed, [this.s0, this.s1, this.s2, this.s3]);
    this.jump();
    return child;
  }

  /** Advances the stream by 2^64 draws (xoshiro128**'s jump function). */
  private jump(): void {
    let a = 0;
    let b = 0;
    let c = 0;
    let d = 0;
    for (const word of JUMP) {
      for (let bit = 0; bit < 32; bit++) {
        if ((word >>> bit) & 1) {
          a ^= this.s0;
          b ^= this.s1;
          c ^= this.s2;
          d ^= this.s3;
        }
        this.nextUint32();
      }
    }
    this.s0 = a;
    this.s1 = b;
    this.s2 = c;
    this.s3 = d;
  }
}

/**
 * A reproducible random source: xoshiro128** with its state spread from `seed` by splitmix64.
 * @param seed - Any safe integer (negative ones too).
 * @throws EncodingValueError when `seed` is not a safe integer.
 * @example
 * ```ts
 * const a = createRandom(7).nextFloat();
 * const b = createRandom(7).nextFloat();   // a === b
 * ```
 */
export function createRandom(seed: number): SeededRandom {
  if (!Number.isSafeInteger(seed)) throw new EncodingValueError('createRandom', 'seed', 'a safe integer', seed);
  return new SeededRandom(seed, splitmix64State(seed));
}

const MASK64 = (1n << 64n) - 1n;

/** Four 32-bit words from two splitmix64 outputs (low word first) of the seed. */
function splitmix64State(seed: number): [number, number, number, number] {
  let x = BigInt.asUintN(64, BigInt(seed));
  const next = (): bigint => {
    x = (x + 0x9e3779b97f4a7c15n) & MASK64;
    let z = x;
    z = ((z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n) & MASK64;
    z = ((z ^ (z >> 27n)) * 0x94d049bb133111ebn) & MASK64;
    return z ^ (z >> 31n);
  };
  const a = next();
  const b = next();
  const lo = (v: bigint): number => Number(v & 0xffffffffn);
  const hi = (v: bigint): number => Number(v >> 32n);
  return [lo(a), hi(a), lo(b), hi(b)];
}

/** Validates a shape argument; returns its number of elements. */
function checkShapeArg(fn: string, shape: readonly number[]): number {
  if (!Array.isArray(shape) || shape.some((d) => !Number.isInteger(d) || d < 0)) {
    throw new EncodingValueError(fn, 'shape', 'an array of integers >= 0', shape);
  }
  return shape.reduce((a, b) => a * b, 1);
}

/** The stream stochastic functions draw from when they are given neither a seed nor a source. */
let defaultSource: SeededRandom | undefined;

/**
 * Turns a {@link RandomLike} into a source to draw from: a seed starts a fresh
 * {@link SeededRandom}; an object with `nextFloat()` is used as it is. Without either, the
 * package's default stream is used: one {@link SeededRandom} seeded with 0 when first needed,
 * shared by every call that passes nothing (so a program gives the same numbers run to run).
 * @param fn - The calling function's name, for the error message.
 * @throws EncodingValueError when `random` is neither a safe integer nor a source.
 */
export function toRandomSource(fn: string, random: RandomLike | undefined): RandomSource {
  if (random === undefined) {
    defaultSource ??= createRandom(0);
    return defaultSource;
  }
  if (typeof random === 'number') {
    if (!Number.isSafeInteger(random))
      throw new EncodingValueError(fn, 'rng', 'a safe-integer seed or a source', random);
    return createRandom(random);
  }
  if (typeof random !== 'object' || random === null || typeof random.nextFloat !== 'function') {
    throw new EncodingValueError(fn, 'rng', 'a seed or an object with nextFloat()', random);
  }
  return random;
}

/** `n` uniform floats in [0, 1) from `source`, as float32. */
export function drawUniform(source: RandomSource, n: number): Float32Array {
  if (source instanceof SeededRandom) return source.fillUniform(new Float32Array(n));
  // A foreign source may return doubles that round up to 1 in float32; keep them below 1.
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = Math.min(source.nextFloat(), LARGEST_BELOW_ONE);
  return out;
}

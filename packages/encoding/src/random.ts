/**
 * The package's own seeded random source, so that `@snn/encoding` needs nothing but tfjs-core.
 *
 * It is the generator of `@snn/core`'s `createRng`, written out here so that one seed gives one
 * stream wherever it is drawn: xoroshiro128+ (Blackman & Vigna), 128 bits of state as four 32-bit
 * words, each draw the low 32 bits of the 64-bit sum, exactly as pure-rand's `xoroshiro128plus`
 * (which core uses); the state filled from the seed by splitmix32, as core's `createRng` does; a
 * float is the draw's high 24 bits over 2^24, as core's `Rng.nextFloat`; `fork()` is pure-rand's
 * jump of 2^64 draws. A test checks the two streams equal. Numbers are drawn in JavaScript, so
 * the same seed gives the same spikes on every tfjs backend.
 */
import type { Tensor } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';
import { checkTensor } from './checks.js';
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
 * What the `rng` option takes: a {@link RandomSource} that is drawn from and advanced, or
 * (kept for compatibility; prefer the `seed` option) a seed.
 */
export type RandomLike = number | RandomSource;

/**
 * The options every stochastic function and class of this package takes, as layers and timing
 * do: give at most one of the two; with neither, the package's default stream is used.
 */
export interface RandomOptions {
  /** A seed (a safe integer): the call draws from its own fresh `createRandom(seed)`. */
  readonly seed?: number;
  /**
   * A random source shared with other components — `createRandom(seed)`, `@snn/core`'s
   * `createRng(seed)`, or any object with `nextFloat()` — drawn from and advanced. A number is
   * still taken as a seed (as `seed`), for code written before `seed` existed.
   */
  readonly rng?: RandomLike;
}

/** The option names of {@link RandomOptions}, for the option lists of stochastic functions. */
export const RANDOM_OPTIONS = ['seed', 'rng'] as const;

/** xoroshiro128+'s jump polynomial for 2^64 draws, as pure-rand writes it (32-bit words). */
const JUMP = [0xd8f554a5, 0xdf900294, 0x4b3201fc, 0x170865df] as const;

/**
 * A seeded stream of random numbers: xoroshiro128+, the generator of `@snn/core`'s `Rng`, draw
 * for draw. Same seed, same numbers, on every backend and in both packages. Its methods match
 * those of core's `Rng` that encoders need: `nextFloat`, `uniform`, `bernoulli`, `fork`.
 * Tensors it returns are float32 and owned by the caller.
 *
 * @example
 * ```ts
 * const rng = createRandom(42);             // the stream of @snn/core's createRng(42)
 * const u = rng.uniform([2, 3]);            // U[0, 1)
 * const s = rng.bernoulli(0.2, [100]);       // 0/1, P(1) = 0.2
 * const child = rng.fork();                 // an independent stream
 * ```
 */
export class SeededRandom implements RandomSource {
  // The state in pure-rand's layout: s0 = (s01 << 32) | s00, s1 = (s11 << 32) | s10.
  private s01: number;
  private s00: number;
  private s11: number;
  private s10: number;

  /**
   * Use {@link createRandom}.
   * @param seed - The seed this stream (or its first ancestor) was created with.
   * @param state - The four state words in pure-rand's order `[s01, s00, s11, s10]` (high and
   *   low word of `s0`, then of `s1`); not all zero.
   */
  constructor(
    readonly seed: number,
    state: readonly [number, number, number, number],
  ) {
    [this.s01, this.s00, this.s11, this.s10] = state.map((w) => w | 0) as [number, number, number, number];
  }

  /** The generator's state words `[s01, s00, s11, s10]`, as pure-rand's `getState()`. */
  getState(): [number, number, number, number] {
    return [this.s01, this.s00, this.s11, this.s10];
  }

  /** The next 32 random bits, as a signed 32-bit integer (pure-rand's `next()`). */
  nextInt32(): number {
    const out = (this.s00 + this.s10) | 0;
    const a0 = this.s10 ^ this.s00;
    const a1 = this.s11 ^ this.s01;
    const s00 = this.s00;
    const s01 = this.s01;
    this.s00 = (s00 << 24) ^ (s01 >>> 8) ^ a0 ^ (a0 << 16);
    this.s01 = (s01 << 24) ^ (s00 >>> 8) ^ a1 ^ ((a1 << 16) | (a0 >>> 16));
    this.s10 = (a1 << 5) ^ (a0 >>> 27);
    this.s11 = (a0 << 5) ^ (a1 >>> 27);
    return out;
  }

  /** The next 32 random bits, as an unsigned integer in [0, 2^32). */
  nextUint32(): number {
    return this.nextInt32() >>> 0;
  }

  /** A float in [0, 1) from the 24 high bits (every float32 step of that range, equally likely), as core's `Rng.nextFloat`. */
  nextFloat(): number {
    return (this.nextInt32() >>> 8) / TWO_POW_24;
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
   * @throws EncodingValueError when `p` is neither a number nor a tensor, a probability is
   * outside [0, 1], or `shape` is missing.
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
    checkTensor('SeededRandom.bernoulli', 'p', p);
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
   * stream jumps 2^64 draws ahead, so the two never overlap in practice. Deterministic for a
   * seed, and the same two streams as core's `Rng.fork()`.
   */
  fork(): SeededRandom {
    const child = new SeededRandom(this.seed, this.getState());
    this.jump();
    return child;
  }

  /** Advances the stream by 2^64 draws (pure-rand's `jump()`). */
  private jump(): void {
    let n01 = 0;
    let n00 = 0;
    let n11 = 0;
    let n10 = 0;
    for (const word of JUMP) {
      for (let bit = 0; bit < 32; bit++) {
        if ((word >>> bit) & 1) {
          n01 ^= this.s01;
          n00 ^= this.s00;
          n11 ^= this.s11;
          n10 ^= this.s10;
        }
        this.nextInt32();
      }
    }
    this.s01 = n01;
    this.s00 = n00;
    this.s11 = n11;
    this.s10 = n10;
  }
}

/**
 * A reproducible random source: xoroshiro128+ with its state spread from `seed` by splitmix32 —
 * the stream of `@snn/core`'s `createRng(seed)`, draw for draw.
 * @param seed - Any safe integer (negative ones too).
 * @throws EncodingValueError when `seed` is not a safe integer.
 * @example
 * ```ts
 * const a = createRandom(7).nextFloat();
 * const b = createRandom(7).nextFloat();   // a === b, and === createRng(7).nextFloat() of @snn/core
 * ```
 */
export function createRandom(seed: number): SeededRandom {
  if (!Number.isSafeInteger(seed)) throw new EncodingValueError('createRandom', 'seed', 'a safe integer', seed);
  return new SeededRandom(seed, seedState(seed));
}

/**
 * Spreads a seed over the 128 bits of state with splitmix32, as `@snn/core`'s `createRng` does
 * (the bare integer of pure-rand's `xoroshiro128plus(seed)` leaves the first draws of small
 * seeds near 1). The words go to pure-rand's `[s01, s00, s11, s10]` in that order.
 */
function seedState(seed: number): [number, number, number, number] {
  let x = (seed ^ Math.floor(seed / 2 ** 32)) | 0;
  const next = (): number => {
    x = (x + 0x9e3779b9) | 0;
    let z = x;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) | 0;
  };
  return [next(), next(), next(), next()];
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
 * The source a stochastic function draws from, from its `{ seed, rng }` options: `seed` starts a
 * fresh {@link SeededRandom}; `rng` is used as it is (a number there is taken as a seed). With
 * neither, the package's default stream: one {@link SeededRandom} seeded with 0 when first
 * needed, shared by every call that passes nothing (so a program gives the same numbers run to
 * run). The shape and the rules are those of `@snn/layers` and `@snn/timing`.
 * @param fn - The calling function's name, for the error message.
 * @throws EncodingValueError when both are given, the seed is not a safe integer, or `rng` is
 * neither a source (an object with `nextFloat()`) nor a seed.
 */
export function resolveRandom(fn: string, options: RandomOptions): RandomSource {
  const { seed, rng } = options;
  if (seed !== undefined && rng !== undefined) {
    throw new EncodingValueError(fn, 'seed', "undefined when 'rng' is given (pass one of the two)", seed);
  }
  if (seed !== undefined) {
    if (!Number.isSafeInteger(seed)) throw new EncodingValueError(fn, 'seed', 'a safe integer', seed);
    return createRandom(seed);
  }
  if (rng === undefined) {
    defaultSource ??= createRandom(0);
    return defaultSource;
  }
  if (typeof rng === 'number') {
    if (!Number.isSafeInteger(rng)) throw new EncodingValueError(fn, 'rng', 'a source or a safe-integer seed', rng);
    return createRandom(rng);
  }
  if (typeof rng !== 'object' || rng === null || typeof rng.nextFloat !== 'function') {
    throw new EncodingValueError(fn, 'rng', 'a source (an object with nextFloat()) or a seed', rng);
  }
  return rng;
}

/**
 * `n` uniform floats in [0, 1) from `source`, as float32.
 * @param fn - The calling function's name, for the error message.
 * @throws EncodingValueError when a source of your own returns something that is not a number
 * in [0, 1] (NaN, a string, a negative number): spikes drawn from it would mean nothing.
 */
export function drawUniform(fn: string, source: RandomSource, n: number): Float32Array {
  if (source instanceof SeededRandom) return source.fillUniform(new Float32Array(n));
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const u = source.nextFloat();
    if (!(typeof u === 'number' && u >= 0 && u <= 1)) {
      throw new EncodingValueError(fn, 'rng', 'a source whose nextFloat() returns numbers in [0, 1)', u);
    }
    // A double just below 1 would round up to 1 in float32 (and then fire at p = 1 − 2^-24 < u).
    out[i] = Math.min(u, LARGEST_BELOW_ONE);
  }
  return out;
}

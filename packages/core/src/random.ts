import type { Tensor } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';
import { xoroshiro128plusFromState } from 'pure-rand/generator/xoroshiro128plus';
import type { JumpableRandomGenerator } from 'pure-rand/types/JumpableRandomGenerator';
import { checkFinite, checkInteger, checkPositive, checkTensor } from './checks.js';
import { ValueError } from './errors.js';

const TWO_POW_24 = 16777216;

function checkFloatArray(fn: string, out: unknown): void {
  if (!(out instanceof Float32Array || out instanceof Float64Array)) {
    throw new ValueError(fn, 'out', 'a Float32Array or Float64Array', out);
  }
}

function checkShapeArg(fn: string, shape: readonly number[]): number {
  if (!Array.isArray(shape) || shape.some((d) => !Number.isInteger(d) || d < 0)) {
    throw new ValueError(fn, 'shape', 'an array of integers >= 0', shape);
  }
  return shape.reduce((a, b) => a * b, 1);
}

/**
 * A seeded random source (xoroshiro128+ from pure-rand) drawn in JavaScript, so the same seed
 * gives the same numbers on every backend. Tensors it returns are float32 and owned by the caller.
 *
 * @example
 * ```ts
 * const rng = createRng(42);
 * const spikes = rng.bernoulli(tf.fill([4, 10], 0.2)); // 0/1, P(1) = 0.2
 * const w = rng.normal([10, 5], 0, 0.1);
 * const other = rng.fork();                          // an independent stream
 * ```
 */
export class Rng {
  private spareNormal: number | undefined;

  /** Use {@link createRng}. */
  constructor(
    /** The seed this stream (or its first ancestor) was created with. */
    readonly seed: number,
    private readonly gen: JumpableRandomGenerator,
  ) {}

  /** A float in [0, 1) with 24 random bits (every float32 step in that range). */
  nextFloat(): number {
    return (this.gen.next() >>> 8) / TWO_POW_24;
  }

  /** An integer in [0, n). */
  nextInt(n: number): number {
    checkInteger('Rng.nextInt', 'n', n, 1);
    return Math.floor(this.nextFloat() * n);
  }

  /** Fills `out` with floats uniform in [low, high) and returns it. @throws ValueError unless low ≤ high, both finite. */
  fillUniform<A extends Float32Array | Float64Array>(out: A, low = 0, high = 1): A {
    checkFloatArray('Rng.fillUniform', out);
    checkFinite('Rng.fillUniform', 'low', low);
    checkFinite('Rng.fillUniform', 'high', high);
    if (high < low) throw new ValueError('Rng.fillUniform', 'high', `a number ≥ low (${low})`, high);
    const span = high - low;
    for (let i = 0; i < out.length; i++) out[i] = low + span * ((this.gen.next() >>> 8) / TWO_POW_24);
    return out;
  }

  /** Fills `out` with normal draws (Box–Muller) and returns it. @throws ValueError unless mean is finite and std ≥ 0 finite. */
  fillNormal<A extends Float32Array | Float64Array>(out: A, mean = 0, std = 1): A {
    checkFloatArray('Rng.fillNormal', out);
    checkFinite('Rng.fillNormal', 'mean', mean);
    if (!(typeof std === 'number' && Number.isFinite(std) && std >= 0)) {
      throw new ValueError('Rng.fillNormal', 'std', 'a finite number >= 0', std);
    }
    for (let i = 0; i < out.length; i++) out[i] = mean + std * this.standardNormal();
    return out;
  }

  /** A float32 tensor of `shape` uniform in [low, high). */
  uniform(shape: readonly number[], low = 0, high = 1): Tensor {
    const n = checkShapeArg('Rng.uniform', shape);
    checkFinite('Rng.uniform', 'low', low);
    checkFinite('Rng.uniform', 'high', high);
    if (!(high > low)) throw new ValueError('Rng.uniform', 'high', `a number > low (${low})`, high);
    return tf.tensor(this.fillUniform(new Float32Array(n), low, high), [...shape], 'float32');
  }

  /** A float32 tensor of `shape` drawn from N(mean, std²). */
  normal(shape: readonly number[], mean = 0, std = 1): Tensor {
    const n = checkShapeArg('Rng.normal', shape);
    checkFinite('Rng.normal', 'mean', mean);
    checkPositive('Rng.normal', 'std', std);
    return tf.tensor(this.fillNormal(new Float32Array(n), mean, std), [...shape], 'float32');
  }

  /**
   * 0/1 float32 draws with P(1) = `p`: a number (then `shape` is required) or a tensor of
   * probabilities (the output has its shape). Probabilities must lie in [0, 1].
   * @throws ValueError when `p` is neither a number nor a tensor (an array is refused), a
   * probability is outside [0, 1], or `shape` is missing for a number `p`.
   */
  bernoulli(p: number | Tensor, shape?: readonly number[]): Tensor {
    if (typeof p === 'number') {
      if (!(p >= 0 && p <= 1)) throw new ValueError('Rng.bernoulli', 'p', 'a probability in [0, 1]', p);
      if (shape === undefined) throw new ValueError('Rng.bernoulli', 'shape', 'an array when p is a number', shape);
      const n = checkShapeArg('Rng.bernoulli', shape);
      const out = new Float32Array(n);
      for (let i = 0; i < n; i++) out[i] = +((this.gen.next() >>> 8) / TWO_POW_24 < p);
      return tf.tensor(out, [...shape], 'float32');
    }
    checkTensor('Rng.bernoulli', 'p', p);
    const probs = p.dataSync();
    const out = new Float32Array(probs.length);
    for (let i = 0; i < probs.length; i++) {
      const q = probs[i] as number;
      if (!(q >= 0 && q <= 1)) {
        throw new ValueError('Rng.bernoulli', `p[${i}]`, 'a probability in [0, 1]', q);
      }
      out[i] = +((this.gen.next() >>> 8) / TWO_POW_24 < q);
    }
    return tf.tensor(out, p.shape, 'float32');
  }

  /** A random permutation of 0..n-1 (Fisher–Yates), e.g. for shuffling a dataset. */
  permutation(n: number): Int32Array {
    checkInteger('Rng.permutation', 'n', n, 0);
    const out = new Int32Array(n);
    for (let i = 0; i < n; i++) out[i] = i;
    for (let i = n - 1; i > 0; i--) {
      const j = Math.floor(this.nextFloat() * (i + 1));
      const tmp = out[i] as number;
      out[i] = out[j] as number;
      out[j] = tmp;
    }
    return out;
  }

  /**
   * An independent child stream: it continues from this stream's position while this stream
   * jumps 2^64 draws ahead, so the two never overlap in practice. Deterministic for a seed.
   */
  fork(): Rng {
    const child = this.gen.clone();
    this.gen.jump();
    this.spareNormal = undefined;
    return new Rng(this.seed, child);
  }

  private standardNormal(): number {
    if (this.spareNormal !== undefined) {
      const z = this.spareNormal;
      this.spareNormal = undefined;
      return z;
    }
    // Box–Muller; 1 - u keeps the logarithm's argument in (0, 1].
    const u = 1 - this.nextFloat();
    const v = this.nextFloat();
    const r = Math.sqrt(-2 * Math.log(u));
    this.spareNormal = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  }
}

/**
 * A reproducible random source. Same seed, same numbers, on every backend.
 * @param seed - An integer (32-bit range).
 * @throws ValueError when the seed is not a safe integer.
 */
export function createRng(seed: number): Rng {
  if (!Number.isSafeInteger(seed)) throw new ValueError('createRng', 'seed', 'an integer', seed);
  return new Rng(seed, xoroshiro128plusFromState(seedState(seed)));
}

/**
 * Spreads a seed over xoroshiro128+'s 128 bits of state with splitmix32. Seeding the state with
 * the bare integer (as `xoroshiro128plus(seed)` does) makes the first draws of small seeds
 * nearly 1 (seed 42 gave 0.9999999).
 */
function seedState(seed: number): number[] {
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

import { createRng, type Rng, ValueError } from '@snn/core';
import type { Tensor } from '@tensorflow/tfjs-core';
import { keysOf } from './options.js';

/** Where a layer takes its randomness from (weight init, dropout masks). Give at most one of the two. */
export interface RandomOptions {
  /** A seed: the layer draws from its own `createRng(seed)`. */
  readonly seed?: number;
  /** A random source shared with other components; the layer draws from it (and advances it). */
  readonly rng?: Rng;
}

/** The keys of {@link RandomOptions}. */
export const RANDOM_OPTION_KEYS = keysOf<RandomOptions>()(['seed', 'rng']);

let defaultRng: Rng | undefined;

/**
 * The random source of a layer: `options.rng`, else `createRng(options.seed)`, else the package's
 * default stream (`createRng(0)`, created at first use and shared by every layer built without a
 * seed, so a program that builds its layers in the same order gets the same weights every run).
 *
 * @throws ValueError when both `seed` and `rng` are given, the seed is not a safe integer, or `rng`
 * is not an `Rng` of `@snn/core`.
 */
export function resolveRng(fn: string, options: RandomOptions): Rng {
  const { seed, rng } = options;
  if (seed !== undefined && rng !== undefined) {
    throw new ValueError(fn, 'seed', "undefined when 'rng' is given (pass one of the two)", seed);
  }
  if (rng !== undefined) {
    const r = rng as Partial<Rng> | null;
    if (r === null || typeof r !== 'object' || typeof r.uniform !== 'function' || typeof r.bernoulli !== 'function') {
      throw new ValueError(fn, 'rng', "an Rng from @snn/core's createRng", rng);
    }
    return rng;
  }
  if (seed !== undefined) {
    if (!Number.isSafeInteger(seed)) throw new ValueError(fn, 'seed', 'a safe integer', seed);
    return createRng(seed);
  }
  defaultRng ??= createRng(0);
  return defaultRng;
}

/**
 * The bound of PyTorch's default weight init, `kaiming_uniform_(w, a = √5)`:
 * gain = √(2 / (1 + a²)) = √(1/3), bound = gain · √(3 / fanIn) = 1 / √fanIn.
 * The bias of `nn.Linear` and `nn.ConvNd` is drawn from the same U(−1/√fanIn, 1/√fanIn).
 * @param fanIn - Inputs per output: `inFeatures`, or `inChannels · kH · kW` for a convolution.
 */
export function kaimingUniformBound(fanIn: number): number {
  return 1 / Math.sqrt(fanIn);
}

/**
 * PyTorch's default init of a weight of `shape` and its bias (`outFeatures` long, or none): both
 * uniform in ±1/√fanIn, the weight drawn first (row-major), then the bias. Tensors are new and
 * owned by the caller.
 */
export function initWeightAndBias(
  rng: Rng,
  shape: readonly number[],
  fanIn: number,
  withBias: boolean,
): { weight: Tensor; bias: Tensor | null } {
  const bound = kaimingUniformBound(fanIn);
  const weight = rng.uniform(shape, -bound, bound);
  const bias = withBias ? rng.uniform([shape[0] as number], -bound, bound) : null;
  return { weight, bias };
}

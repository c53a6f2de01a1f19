/**
 * Weighted phase coding (Kim et al., 2018; SpikingJelly's WeightedPhaseEncoder): `K` phases,
 * phase `k` carrying weight `2^-(k+1)`; the spikes of one period are the binary expansion of `x`.
 */
import type { Tensor } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';
import { checkInteger, checkMinRank, checkRange, checkSteps } from './checks.js';
import { CyclicEncoder } from './cyclic-encoder.js';

/**
 * The weight of each phase: `w[k] = 2^-(k+1)` for `k = 0 .. K-1` (0.5, 0.25, ...).
 * @param K - Number of phases, an integer >= 1.
 * @throws EncodingValueError when `K` is not an integer >= 1.
 * @example
 * ```ts
 * phaseWeights(3);   // [0.5, 0.25, 0.125]
 * ```
 */
export function phaseWeights(K: number): number[] {
  checkInteger('phaseWeights', 'K', K, 1);
  return Array.from({ length: K }, (_, k) => 2 ** -(k + 1));
}

function encode(fn: string, x: Tensor, K: number): Tensor {
  checkMinRank(fn, 'x', x, 1, '[B, ...]');
  checkInteger(fn, 'K', K, 1);
  checkRange(fn, 'x', x, 0, 1 - 2 ** -K);
  return tf.tidy(() => {
    let r = tf.cast(x, 'float32');
    const phases: Tensor[] = [];
    for (let k = 0; k < K; k++) {
      const w = 2 ** -(k + 1);
      const s = tf.cast(tf.greaterEqual(r, w), 'float32');
      r = tf.sub(r, tf.mul(s, w));
      phases.push(s);
    }
    return tf.stack(phases);
  });
}

/**
 * Weighted phase coding of one period: the greedy binary expansion of `x`,
 * `r₀ = x;  S[k] = (r_k >= 2^-(k+1));  r_{k+1} = r_k − 2^-(k+1) · S[k]`, for `k = 0 .. K-1`,
 * so that `Σ_k 2^-(k+1) · S[k] = x` for every `x` that is a multiple of `2^-K`.
 *
 * @param x - Values `[B, ...]` in [0, 1 − 2^-K] (values outside are an error).
 * @param K - Number of phases (the period), an integer >= 1.
 * @returns Spikes `[K, B, ...]`, float32 0/1.
 * @throws EncodingValueError for a bad `K` or a value outside [0, 1 − 2^-K].
 * @throws EncodingShapeError when `x` is a scalar.
 * @example
 * ```ts
 * const s = weightedPhaseEncode(tf.tensor2d([[0.75, 0.125]]), 3);   // [3, 1, 2]
 * // 0.75 = 0.5 + 0.25 → [1, 1, 0];  0.125 → [0, 0, 1]
 * ```
 */
export function weightedPhaseEncode(x: Tensor, K: number): Tensor {
  return encode('weightedPhaseEncode', x, K);
}

/**
 * The inverse of {@link weightedPhaseEncode}: `x = Σ_k 2^-(k+1) · S[k]` over the `K` phases of
 * `spikes` (the first axis).
 * @param spikes - Spikes `[K, B, ...]`.
 * @returns Values `[B, ...]`, float32.
 * @throws EncodingShapeError when `spikes` has rank < 2; EncodingValueError when K = 0.
 * @example
 * ```ts
 * weightedPhaseDecode(weightedPhaseEncode(x, 8));   // x, to 2^-8
 * ```
 */
export function weightedPhaseDecode(spikes: Tensor): Tensor {
  const fn = 'weightedPhaseDecode';
  checkMinRank(fn, 'spikes', spikes, 2, '[K, B, ...]');
  checkSteps(fn, 'spikes', spikes);
  const K = spikes.shape[0] as number;
  return tf.tidy(() => {
    const w = tf.reshape(tf.tensor1d(phaseWeights(K), 'float32'), [K, ...spikes.shape.slice(1).map(() => 1)]);
    return tf.sum(tf.mul(tf.cast(spikes, 'float32'), w), 0);
  });
}

/**
 * SpikingJelly's stateful WeightedPhaseEncoder: the first `forward(x)` after a reset encodes
 * `x` into `K` phases; call `k` returns phase `k mod K`. Later inputs are ignored until `reset()`.
 *
 * @example
 * ```ts
 * const enc = new WeightedPhaseEncoder(8);
 * for (let k = 0; k < 8; k++) tf.dispose(enc.forward(x));   // x: [B, ...] in [0, 1 − 2^-8]
 * enc.reset();
 * ```
 */
export class WeightedPhaseEncoder extends CyclicEncoder {
  /**
   * @param K - Number of phases (the period), an integer >= 1.
   * @throws EncodingValueError when `K` is not an integer >= 1.
   */
  constructor(readonly K: number) {
    super();
    checkInteger('WeightedPhaseEncoder', 'K', K, 1);
  }

  protected override encodeTrain(x: Tensor): Tensor {
    return encode('WeightedPhaseEncoder.forward', x, this.K);
  }
}

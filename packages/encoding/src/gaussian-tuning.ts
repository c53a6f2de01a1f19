/**
 * Population coding with Gaussian receptive fields (Bohte, Kok & La Poutré, 2002), as
 * SpikingJelly's timing-based `GaussianTuning(n, m, x_min, x_max)`: each of `n` features is
 * encoded by `m` neurons whose tuning curves tile the feature's range; a neuron fires earlier
 * the closer the value is to its centre.
 */
import type { Tensor } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';
import { checkAllFinite, checkFinite, checkInteger, checkOptions, checkRank, roundHalfEven } from './checks.js';
import { EncodingShapeError, EncodingValueError } from './errors.js';

/** Per-feature bounds: one number for every feature, or one per feature. */
export type FeatureBounds = number | readonly number[];

function bounds(fn: string, arg: string, value: FeatureBounds, n: number): number[] {
  if (typeof value === 'number') return Array.from({ length: n }, () => checkFinite(fn, arg, value));
  if (!Array.isArray(value) || value.length !== n) {
    throw new EncodingValueError(fn, arg, `a number or an array of ${n} numbers (one per feature)`, value);
  }
  return value.map((v, j) => checkFinite(fn, `${arg}[${j}]`, v));
}

/** Centres and variances `[n, m]` (kept: the caller disposes them). */
function tuningCurves(
  fn: string,
  n: number,
  m: number,
  xMin: FeatureBounds,
  xMax: FeatureBounds,
): { mu: Tensor; sigma2: Tensor } {
  checkInteger(fn, 'n', n, 1);
  checkInteger(fn, 'm', m, 3);
  const lo = bounds(fn, 'xMin', xMin, n);
  const hi = bounds(fn, 'xMax', xMax, n);
  hi.forEach((h, j) => {
    if (!(h > (lo[j] as number))) throw new EncodingValueError(fn, `xMax[${j}]`, `a number > xMin[${j}] (${lo[j]})`, h);
  });
  return tf.tidy(() => {
    const xMinT = tf.tensor2d(lo, [n, 1], 'float32');
    const span = tf.sub(tf.tensor2d(hi, [n, 1], 'float32'), xMinT);
    const offsets = tf.tensor2d(
      Array.from({ length: m }, (_, k) => (2 * (k + 1) - 3) / 2),
      [1, m],
      'float32',
    );
    const centres = tf.add(xMinT, tf.div(tf.mul(offsets, span), m - 2));
    const width = tf.div(span, 1.5 * (m - 2));
    return { mu: tf.keep(centres), sigma2: tf.keep(tf.tile(tf.square(width), [1, m])) };
  });
}

/**
 * Gaussian tuning curves for `n` features, `m` neurons each. For feature `j` and neuron
 * `i = 1 .. m`:
 * - centre `μ[j, i−1] = x_min[j] + (2i − 3)/2 · (x_max[j] − x_min[j]) / (m − 2)`
 * - variance `σ²[j, ·] = ((x_max[j] − x_min[j]) / (1.5 · (m − 2)))²`
 *
 * `encode(x, maxSpikeTime)` gives spike times
 * `t = round(maxSpikeTime · (1 − exp(−(x − μ)² / (2σ²))))` (half to even), and `−1` (no spike)
 * wherever `t >= maxSpikeTime`. Feed the times to {@link @snn/encoding!singleSpikeToBinary} for a spike train.
 *
 * @example
 * ```ts
 * const gt = new GaussianTuning(2, 6, [0, -1], [1, 1]);        // n = 2 features, m = 6 neurons each
 * const times = gt.encode(tf.tensor3d([[[0.3], [0.5]]]), 50);    // [B=1, n=2, k=1, m=6]
 * gt.dispose();
 * ```
 */
export class GaussianTuning {
  /** Centres `[n, m]` (owned by this object). */
  readonly mu: Tensor;
  /** Variances `[n, m]` (owned by this object). */
  readonly sigma2: Tensor;

  /**
   * @param n - Number of features, an integer >= 1.
   * @param m - Neurons per feature, an integer >= 3.
   * @param xMin - Lower bound of each feature's range (a number for all, or `n` numbers).
   * @param xMax - Upper bound of each feature's range; every `xMax[j] > xMin[j]`.
   * @throws EncodingValueError for `n < 1`, `m < 3`, bounds of the wrong length, or `xMin >= xMax`.
   */
  constructor(
    readonly n: number,
    readonly m: number,
    xMin: FeatureBounds,
    xMax: FeatureBounds,
  ) {
    const { mu, sigma2 } = tuningCurves('GaussianTuning', n, m, xMin, xMax);
    this.mu = mu;
    this.sigma2 = sigma2;
  }

  /**
   * Spike times of `x` through the tuning curves.
   * @param x - Values `[B, n, k]`: batch, feature, and `k` values per feature; finite.
   * @param maxSpikeTime - The latest time, an integer >= 1; times that round to it or later are −1.
   * @returns Spike times `[B, n, k, m]`, float32 integers in `[0, maxSpikeTime)` or −1.
   * @throws EncodingShapeError when `x` is not rank 3 or `x.shape[1] != n`.
   * @throws EncodingValueError for a bad `maxSpikeTime` or a non-finite value.
   */
  encode(x: Tensor, maxSpikeTime: number): Tensor {
    return encodeTimes('GaussianTuning.encode', this.mu, this.sigma2, x, maxSpikeTime);
  }

  /** Frees `mu` and `sigma2`. */
  dispose(): void {
    tf.dispose([this.mu, this.sigma2]);
  }
}

function encodeTimes(fn: string, mu: Tensor, sigma2: Tensor, x: Tensor, maxSpikeTime: number): Tensor {
  checkRank(fn, 'x', x, 3, '[B, n, k]');
  const n = mu.shape[0] as number;
  if (x.shape[1] !== n) throw new EncodingShapeError(fn, 'x', `shape [B, ${n}, k] (n = ${n} features)`, x.shape);
  checkInteger(fn, 'maxSpikeTime', maxSpikeTime, 1);
  checkAllFinite(fn, 'x', x);
  const m = mu.shape[1] as number;
  return tf.tidy(() => {
    const xs = tf.expandDims(tf.cast(x, 'float32'), 3); // [B, n, k, 1]
    const centres = tf.reshape(mu, [1, n, 1, m]);
    const variances = tf.reshape(sigma2, [1, n, 1, m]);
    const d = tf.sub(xs, centres);
    const g = tf.exp(tf.div(tf.neg(tf.square(d)), tf.mul(variances, 2)));
    const t = roundHalfEven(tf.mul(tf.sub(1, g), maxSpikeTime));
    return tf.where(tf.greaterEqual(t, maxSpikeTime), tf.fill(t.shape, -1, 'float32'), t);
  });
}

/** Options of {@link gaussianTuningEncode}. */
export interface GaussianTuningOptions {
  /** Neurons per feature, an integer >= 3. */
  readonly m: number;
  /** Lower bound of each feature's range (a number for all, or one per feature). */
  readonly xMin: FeatureBounds;
  /** Upper bound of each feature's range; every `xMax[j] > xMin[j]`. */
  readonly xMax: FeatureBounds;
  /** The latest spike time, an integer >= 1. */
  readonly maxSpikeTime: number;
}

/**
 * {@link GaussianTuning} in one call: `n` is taken from `x.shape[1]`.
 * @param x - Values `[B, n, k]`.
 * @param options - `m`, `xMin`, `xMax`, `maxSpikeTime`.
 * @returns Spike times `[B, n, k, m]`, integers in `[0, maxSpikeTime)` or −1 (no spike).
 * @throws EncodingShapeError when `x` is not rank 3; EncodingValueError as {@link GaussianTuning};
 * EncodingOptionError for an unknown option name.
 * @example
 * ```ts
 * const x = tf.tensor3d([[[0.1, 0.9]]]);                                       // [B=1, n=1, k=2]
 * const t = gaussianTuningEncode(x, { m: 5, xMin: 0, xMax: 1, maxSpikeTime: 10 });   // [1, 1, 2, 5]
 * ```
 */
export function gaussianTuningEncode(x: Tensor, options: GaussianTuningOptions): Tensor {
  const fn = 'gaussianTuningEncode';
  checkOptions(fn, options, ['m', 'xMin', 'xMax', 'maxSpikeTime'], true);
  checkRank(fn, 'x', x, 3, '[B, n, k]');
  const { mu, sigma2 } = tuningCurves(fn, x.shape[1] as number, options.m, options.xMin, options.xMax);
  try {
    return encodeTimes(fn, mu, sigma2, x, options.maxSpikeTime);
  } finally {
    tf.dispose([mu, sigma2]);
  }
}

/**
 * SPAIC's complex decoders (`Complex_Count`, `Complex_Phase`, `Complex_Latency`,
 * `Complex_TimingDistance`, `Complex_Trajectory`), which SPAIC documents only by name; the
 * semantics here are read from its source (see the package README, "Complex decoders").
 *
 * They read "complex spikes": SPAIC's complex neurons output, per step `t`, a complex number whose
 * real part is the spike (fires when > 0) and whose imaginary part is the spike's offset inside the
 * step, in steps — the spike happened at `t − imag` (SPAIC's complex synapses delay its effect by
 * `β^imag` for that reason). tfjs's wasm backend has no complex kernels, so a complex record is the
 * pair `{ real, imag }` of two float tensors of one shape, time first.
 */
import type { Tensor } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';
import { checkAllFinite, checkFinite, checkInteger, checkOptions, checkPositive, checkTensor } from './checks.js';
import { checkSeq, type Decoded, type DecodedValue, withPrediction } from './decoders.js';
import { EncodingShapeError, EncodingValueError } from './errors.js';
import type { Amount } from './generators.js';
import { RANDOM_OPTIONS, type RandomOptions, type RandomSource, resolveRandom } from './random.js';

/** A record of complex spikes: the real and imaginary parts, two tensors of one shape `[T, B, N, ...]`. */
export interface ComplexSpikes {
  /** The spikes: an element fires at step `t` when `real[t] > 0` (usually 0/1). */
  readonly real: Tensor;
  /** The spike's offset inside its step, in steps: a spike at step `t` happened at `t − imag[t]` (usually in [0, 1)). */
  readonly imag: Tensor;
}

/** Options of {@link decodeComplexCount}. */
export interface ComplexCountOptions {
  /** Spikes counted per neuron, the first ones (default 4, SPAIC's hard-coded cap: a running count below 5). */
  readonly maxSpikes?: number;
}

/** Options of {@link decodeComplexPhase}. */
export interface ComplexPhaseOptions {
  /** The time step (default 1); it scales the value (SPAIC multiplies the reference by its `dt`). */
  readonly dt?: number;
}

/** Options of {@link decodeComplexLatency}. */
export interface ComplexLatencyOptions {
  /** Spike-count scale of the weight `exp(−n / tauCount)`, `n` the neuron's spikes so far (default 5, SPAIC's constant). */
  readonly tauCount?: number;
}

/** Options of {@link decodeComplexTimingDistance}. */
export interface ComplexTimingDistanceOptions {
  /** The time step (default 1), in the unit of `filterTime`. */
  readonly dt?: number;
  /** Width of the rate filter, in the unit of `dt` (default 10, SPAIC's `filter_time`): the filter spans `filterTime` over 6 units. */
  readonly filterTime?: number;
}

/** What {@link decodeComplexTimingDistance} returns. All three tensors are the caller's. */
export interface TimingDistance extends DecodedValue {
  /** The loss: the mean squared difference of `rate` and `targetRate` (a scalar). */
  readonly value: Tensor;
  /** The filtered output spikes, batch first `[B, N, ..., T]`. */
  readonly rate: Tensor;
  /** The filtered target spikes, batch first `[B, N, ..., T]`. */
  readonly targetRate: Tensor;
}

/** The input of {@link decodeComplexTimingDistance}'s registry decoder: the output and its target. */
export interface TimingDistanceInput {
  /** The output's complex spikes `[T, B, N, ...]`. */
  readonly spikes: ComplexSpikes;
  /** The target spike train, same shape as `spikes.real` (SPAIC's target is batch first `[B, N, T]`; here it is time first as the spikes). */
  readonly target: Tensor;
}

/** Options of {@link decodeComplexTrajectory}: the per-neuron kernel parameters, given. */
export interface ComplexTrajectoryOptions {
  /** Decay time constant per neuron, > 0: a number for all, or a tensor `[N]` (unit of `dt`). */
  readonly tauD: Amount;
  /** Oscillation period per neuron, > 0: a number for all, or a tensor `[N]` (unit of `dt`). */
  readonly tauR: Amount;
  /** Read-out weight per neuron: a number for all, or a tensor `[N]`. */
  readonly weight: Amount;
  /** Groups of consecutive neurons summed into one trajectory each (default 1); must divide `N`. */
  readonly groups?: number;
  /** The time step (default 1). */
  readonly dt?: number;
}

/**
 * Options of {@link ComplexTrajectoryDecoder}: as {@link ComplexTrajectoryOptions}, but the
 * kernel parameters may be left out and are then drawn as SPAIC draws them (`tauD ~ 20 + 20·U`,
 * `tauR ~ 10 + 50·U`, `weight ~ N(0, 1)`, in that order) from `seed` or `rng`.
 */
export interface ComplexTrajectoryDecoderOptions extends RandomOptions, Partial<ComplexTrajectoryOptions> {}

const COUNT_OPTIONS = ['maxSpikes'] as const;
const PHASE_OPTIONS = ['dt'] as const;
const LATENCY_OPTIONS = ['tauCount'] as const;
const DISTANCE_OPTIONS = ['dt', 'filterTime'] as const;
const TRAJECTORY_OPTIONS = ['tauD', 'tauR', 'weight', 'groups', 'dt'] as const;

/**
 * `f(x)` as a constant for the gradient, as torch's `.detach()` or a boolean mask: the value passes,
 * no gradient flows back to `x`. The ops inside `f` are not recorded, so ops with no gradient
 * (comparisons) and ops whose tfjs gradient is wrong off the last axis (cumsum) are safe there.
 */
function constant(x: Tensor, f: (a: Tensor) => Tensor): Tensor {
  const func = (a: Tensor) => ({ value: f(a), gradFunc: () => tf.zerosLike(a) });
  return tf.customGrad(func as unknown as Parameters<typeof tf.customGrad>[0])(x);
}

/** `maxSpikes` of {@link decodeComplexCount}'s options, checked and defaulted (`fn` names the caller in errors). */
export function readCountOptions(fn: string, options: ComplexCountOptions | undefined): Required<ComplexCountOptions> {
  const o = checkOptions(fn, options, COUNT_OPTIONS);
  return { maxSpikes: checkInteger(fn, 'maxSpikes', o.maxSpikes ?? 4, 1) };
}

/** `dt` of {@link decodeComplexPhase}'s options, checked and defaulted. */
export function readPhaseOptions(fn: string, options: ComplexPhaseOptions | undefined): Required<ComplexPhaseOptions> {
  const o = checkOptions(fn, options, PHASE_OPTIONS);
  return { dt: checkPositive(fn, 'dt', o.dt ?? 1) };
}

/** `tauCount` of {@link decodeComplexLatency}'s options, checked and defaulted. */
export function readLatencyOptions(
  fn: string,
  options: ComplexLatencyOptions | undefined,
): Required<ComplexLatencyOptions> {
  const o = checkOptions(fn, options, LATENCY_OPTIONS);
  return { tauCount: checkPositive(fn, 'tauCount', o.tauCount ?? 5) };
}

/** `dt` and `filterTime` of {@link decodeComplexTimingDistance}'s options, checked and defaulted. */
export function readDistanceOptions(
  fn: string,
  options: ComplexTimingDistanceOptions | undefined,
): Required<ComplexTimingDistanceOptions> {
  const o = checkOptions(fn, options, DISTANCE_OPTIONS);
  return { dt: checkPositive(fn, 'dt', o.dt ?? 1), filterTime: checkPositive(fn, 'filterTime', o.filterTime ?? 10) };
}

/** Checks a complex record: an object of two finite tensors of one shape, rank >= 3, T >= 1. Returns float32 views' sources. */
function checkComplex(fn: string, arg: string, spikes: unknown): { real: Tensor; imag: Tensor } {
  const s = spikes as Partial<ComplexSpikes> | null;
  if (s === null || typeof s !== 'object' || !('real' in s) || !('imag' in s)) {
    throw new EncodingValueError(fn, arg, 'an object { real, imag } of two tensors [T, B, N, ...]', spikes);
  }
  const real = checkSeq(fn, `${arg}.real`, s.real as Tensor);
  const imag = checkTensor(fn, `${arg}.imag`, s.imag);
  if (!sameShape(real.shape, imag.shape)) {
    throw new EncodingShapeError(
      fn,
      `${arg}.imag`,
      `the shape of ${arg}.real ([${real.shape.join(', ')}])`,
      imag.shape,
    );
  }
  checkAllFinite(fn, `${arg}.real`, real);
  checkAllFinite(fn, `${arg}.imag`, imag);
  return { real, imag };
}

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

/** The step index `t` as a float32 tensor `[T, 1, 1, ...]` of rank `rank`. */
function timeAxis(T: number, rank: number): Tensor {
  return tf.reshape(tf.range(0, T, 1, 'float32'), [T, ...Array.from({ length: rank - 1 }, () => 1)]);
}

/** The feature axes of a `[T, B, ...]` tensor: 2 .. rank − 1. */
function featureAxes(rank: number): number[] {
  return Array.from({ length: rank - 2 }, (_, i) => i + 2);
}

/**
 * Complex count (SPAIC's `Complex_Count`, `'complex_count'`): each of a neuron's first
 * `maxSpikes` spikes adds minus its precise time over the window,
 * `value[b, i] = Σ_t kept[t, b, i] · (−(t − imag[t, b, i]) / T) + 1e−6`, where `kept` marks the
 * spikes (`real > 0`) while the neuron's running count is at most `maxSpikes`. An early spike adds
 * about 0, a late one about −1: the value is largest for few, early spikes. Class = the largest
 * value. Differentiable in `imag`.
 * @param spikes - `{ real, imag }`, each `[T, B, N, ...]`.
 * @param options - `maxSpikes` (default 4).
 * @returns `value` `[B, N, ...]`, `prediction` `[B]`.
 * @throws EncodingValueError for a record that is not `{ real, imag }`, non-finite values, T = 0 or a
 * bad option; EncodingShapeError when rank < 3 or the shapes differ.
 * @example
 * ```ts
 * const { value } = decodeComplexCount({ real: spikes, imag: offsets });   // [T, B, N] each → [B, N]
 * ```
 */
export function decodeComplexCount(spikes: ComplexSpikes, options?: ComplexCountOptions): Decoded {
  const fn = 'decodeComplexCount';
  const { maxSpikes } = readCountOptions(fn, options);
  const { real, imag } = checkComplex(fn, 'spikes', spikes);
  const T = real.shape[0] as number;
  return withPrediction(
    tf.tidy(() => {
      // the first maxSpikes spikes of each neuron: a mask, no gradient (a comparison in SPAIC)
      const kept = constant(tf.cast(real, 'float32'), (re) => {
        const spk = tf.cast(tf.greater(re, 0), 'float32');
        return tf.mul(spk, tf.cast(tf.lessEqual(tf.cumsum(spk, 0), maxSpikes), 'float32'));
      });
      const t = timeAxis(T, real.rank);
      const contribution = tf.div(tf.neg(tf.sub(t, tf.cast(imag, 'float32'))), T);
      return tf.add(tf.sum(tf.mul(kept, contribution), 0), 1e-6);
    }),
  );
}

/**
 * Complex phase (SPAIC's `Complex_Phase`, `'complex_phase'`): a reference over time from the
 * sample's mean magnitude, `ref[t, b] = dt · softmax_t(mean_i |z[t, b, i]|)`, weights each element's
 * phase term `real / (|z| + 1)`: `value[b, i] = Σ_t ref[t, b] · real[t, b, i] / (|z[t, b, i]| + 1)`,
 * with `|z| = sqrt(real² + imag²)` and the mean over all of the sample's features. Class = the
 * largest value. Differentiable in both parts.
 * @param spikes - `{ real, imag }`, each `[T, B, N, ...]`.
 * @param options - `dt` (default 1).
 * @returns `value` `[B, N, ...]`, `prediction` `[B]`.
 * @throws EncodingValueError for a record that is not `{ real, imag }`, non-finite values, T = 0 or a
 * bad `dt`; EncodingShapeError when rank < 3 or the shapes differ.
 * @example
 * ```ts
 * const { value, prediction } = decodeComplexPhase({ real, imag }, { dt: 0.1 });
 * ```
 */
export function decodeComplexPhase(spikes: ComplexSpikes, options?: ComplexPhaseOptions): Decoded {
  const fn = 'decodeComplexPhase';
  const { dt } = readPhaseOptions(fn, options);
  const { real, imag } = checkComplex(fn, 'spikes', spikes);
  return withPrediction(
    tf.tidy(() => {
      const re = tf.cast(real, 'float32');
      const im = tf.cast(imag, 'float32');
      const magnitude = tf.sqrt(tf.add(tf.square(re), tf.square(im)));
      const mean = tf.mean(magnitude, featureAxes(real.rank), true); // [T, B, 1, ...]
      // softmax over time (axis 0), shifted by the maximum as softmax is
      const e = tf.exp(tf.sub(mean, tf.max(mean, 0, true)));
      const reference = tf.mul(tf.div(e, tf.sum(e, 0, true)), dt);
      const phase = tf.div(re, tf.add(magnitude, 1));
      return tf.sum(tf.mul(phase, reference), 0);
    }),
  );
}

/**
 * Complex latency (SPAIC's `Complex_Latency`, `'complex_latency'`): each spike is scored by how
 * early it came relative to the sample's earliest spike, and down-weighted by the neuron's spikes
 * so far. With `spk = real > 0`, `s[t] = (T − (t − imag[t])) · spk[t]` (the time left after the
 * spike), `m[b] = max over t and the sample's features of s`,
 * `value[b, i] = Σ_t exp(−cumsum_t(real)[t, b, i] / tauCount) · real[t, b, i] · exp((s[t, b, i] − m[b]) / T) · spk[t, b, i]`.
 * Class = the largest value. Differentiable in both parts, with SPAIC's gradient: `m` and the
 * running count are constants for it (SPAIC detaches them).
 * @param spikes - `{ real, imag }`, each `[T, B, N, ...]`.
 * @param options - `tauCount` (default 5).
 * @returns `value` `[B, N, ...]`, `prediction` `[B]`.
 * @throws EncodingValueError for a record that is not `{ real, imag }`, non-finite values, T = 0 or a
 * bad option; EncodingShapeError when rank < 3 or the shapes differ.
 * @example
 * ```ts
 * const { prediction } = decodeComplexLatency({ real, imag });   // the earliest, least repetitive neuron wins
 * ```
 */
export function decodeComplexLatency(spikes: ComplexSpikes, options?: ComplexLatencyOptions): Decoded {
  const fn = 'decodeComplexLatency';
  const { tauCount } = readLatencyOptions(fn, options);
  const { real, imag } = checkComplex(fn, 'spikes', spikes);
  const T = real.shape[0] as number;
  return withPrediction(
    tf.tidy(() => {
      const re = tf.cast(real, 'float32');
      const spk = constant(re, (a) => tf.cast(tf.greater(a, 0), 'float32'));
      const t = timeAxis(T, real.rank);
      const left = tf.mul(tf.sub(T, tf.sub(t, tf.cast(imag, 'float32'))), spk);
      // SPAIC detaches the reference maximum and the running count: constants for the gradient
      const latest = constant(left, (a) => tf.max(a, [0, ...featureAxes(real.rank)], true)); // [1, B, 1, ...]
      const early = tf.exp(tf.div(tf.sub(left, latest), T));
      const weight = tf.exp(tf.div(tf.neg(constant(re, (a) => tf.cumsum(a, 0))), tauCount));
      return tf.sum(tf.mul(tf.mul(tf.mul(weight, re), early), spk), 0);
    }),
  );
}

/**
 * The two filters of {@link decodeComplexTimingDistance}, as SPAIC builds them: on the grid
 * `u_k = k · du`, `du = 6·dt/filterTime`, `k = 0 .. ceil((6 + du)/du) − 1` (torch.arange's length),
 * the rate filter `exp(−(u − 2)²)` and the offset filter `0.5·(u − 2)·exp(−(u − 1)²)·du·0.01`.
 */
export function timingDistanceFilters(dt: number, filterTime: number): { rate: Float32Array; offset: Float32Array } {
  const du = (6 * dt) / filterTime;
  const K = Math.ceil((6 + du) / du);
  const rate = new Float32Array(K);
  const offset = new Float32Array(K);
  for (let k = 0; k < K; k++) {
    const u = Math.fround(k * du);
    rate[k] = Math.exp(-((u - 2) ** 2));
    offset[k] = 0.5 * (u - 2) * Math.exp(-((u - 1) ** 2)) * du * 0.01;
  }
  return { rate, offset };
}

/**
 * `x` `[M, T]` correlated with `w` over time, zero-padded to length `T` as torch's
 * `conv1d(padding='same')` does (`⌊(K−1)/2⌋` zeros before, the rest after):
 * `out[m, s] = Σ_k x[m, s + k − ⌊(K−1)/2⌋] · w[k]`.
 */
function correlateSame(x: Tensor, w: Float32Array): Tensor {
  const K = w.length;
  const before = Math.floor((K - 1) / 2);
  const [M, T] = x.shape as [number, number];
  const padded = tf.pad(x, [
    [0, 0],
    [before, K - 1 - before],
  ]);
  const out = tf.conv1d(tf.reshape(padded, [M, T + K - 1, 1]) as tf.Tensor3D, tf.tensor3d(w, [K, 1, 1]), 1, 'valid');
  return tf.reshape(out, [M, T]);
}

/**
 * Complex timing distance (SPAIC's `Complex_TimingDistance`, `'complex_timing_distance'`): a loss
 * between output spikes and a target spike train, compared as smoothed rates. The output's rate
 * corrects the rate filter `f` with an offset filter `g` applied to the sub-step offsets:
 * `rate = real ⋆ f − imag ⋆ g`, `targetRate = target ⋆ f`, `value = mean((rate − targetRate)²)`,
 * where `⋆` is torch's `conv1d(padding='same')` along time (a cross-correlation) and `f`, `g` are
 * `timingDistanceFilters` (of this file). Differentiable in both parts.
 * @param spikes - `{ real, imag }`, each `[T, B, N, ...]`.
 * @param target - The target spike train, same shape as `spikes.real`, time first.
 * @param options - `dt` (default 1), `filterTime` (default 10).
 * @returns `value` (the loss, a scalar), `rate` and `targetRate` `[B, N, ..., T]`.
 * @throws EncodingValueError for a record that is not `{ real, imag }`, non-finite values, T = 0 or a
 * bad option; EncodingShapeError when rank < 3 or a shape differs.
 * @example
 * ```ts
 * const { value: loss, rate } = decodeComplexTimingDistance({ real, imag }, targetSpikes, { dt: 0.1 });
 * ```
 */
export function decodeComplexTimingDistance(
  spikes: ComplexSpikes,
  target: Tensor,
  options?: ComplexTimingDistanceOptions,
): TimingDistance {
  const fn = 'decodeComplexTimingDistance';
  const { dt, filterTime } = readDistanceOptions(fn, options);
  const { real, imag } = checkComplex(fn, 'spikes', spikes);
  checkTensor(fn, 'target', target);
  if (!sameShape(real.shape, target.shape)) {
    throw new EncodingShapeError(fn, 'target', `the shape of spikes.real ([${real.shape.join(', ')}])`, target.shape);
  }
  checkAllFinite(fn, 'target', target);
  const filters = timingDistanceFilters(dt, filterTime);
  const T = real.shape[0] as number;
  const batchFirst = [...real.shape.slice(1), T];
  return tf.tidy(() => {
    // [T, B, ...] → batch first [B, ..., T] → one row per element [B·N·..., T]
    const perm = Array.from({ length: real.rank - 1 }, (_, i) => i + 1).concat(0);
    const rows = (x: Tensor) => tf.reshape(tf.transpose(tf.cast(x, 'float32'), perm), [-1, T]);
    const rate = tf.sub(correlateSame(rows(real), filters.rate), correlateSame(rows(imag), filters.offset));
    const targetRate = correlateSame(rows(target), filters.rate);
    const value = tf.mean(tf.square(tf.sub(rate, targetRate)));
    return { value, rate: tf.reshape(rate, batchFirst), targetRate: tf.reshape(targetRate, batchFirst) };
  });
}

/** Throws unless every element of `x` is > 0 (checked as float32, as it is used; NaN never is). */
function checkAllPositive(fn: string, arg: string, x: Tensor): void {
  const bad = tf.tidy(() => tf.any(tf.logicalNot(tf.greater(tf.cast(x, 'float32'), 0))));
  const anyBad = bad.dataSync()[0] !== 0;
  bad.dispose();
  if (!anyBad) return;
  const values = x.dataSync();
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as number;
    if (!(Math.fround(v) > 0)) throw new EncodingValueError(fn, `${arg}[${i}]`, 'a finite number > 0', v);
  }
}

/** A per-neuron parameter as a float32 `[N]` tensor (a number broadcast), checked to lie in (low, ∞) or be finite. */
function perNeuron(fn: string, arg: string, value: Amount, N: number, positive: boolean): Tensor {
  if (typeof value === 'number') {
    if (positive) checkPositive(fn, arg, value);
    else checkFinite(fn, arg, value);
    return tf.fill([N], value, 'float32');
  }
  checkTensor(fn, arg, value);
  if (value.rank !== 1 || value.shape[0] !== N) {
    throw new EncodingShapeError(fn, arg, `shape [${N}] (one per neuron)`, value.shape);
  }
  checkAllFinite(fn, arg, value);
  if (positive) checkAllPositive(fn, arg, value);
  return tf.cast(value, 'float32');
}

function checkTrajectoryShape(fn: string, real: Tensor, groups: number): void {
  if (real.rank !== 3) throw new EncodingShapeError(fn, 'spikes.real', 'rank 3 ([T, B, N])', real.shape);
  const N = real.shape[2] as number;
  if (N % groups !== 0) {
    throw new EncodingShapeError(
      fn,
      'spikes.real',
      `a neuron count N that is a multiple of groups (${groups})`,
      real.shape,
    );
  }
}

/** The trajectory itself, from checked inputs; parameters `[N]` float32. */
function trajectory(
  real: Tensor,
  imag: Tensor,
  tauD: Tensor,
  tauR: Tensor,
  weight: Tensor,
  groups: number,
  dt: number,
): Tensor {
  const [T, B, N] = real.shape as [number, number, number];
  return tf.tidy(() => {
    const logDecay = tf.div(-dt, tauD); // ln|β|
    const rotation = tf.div(2 * Math.PI * dt, tauR);
    const decay = tf.exp(logDecay);
    const br = tf.mul(decay, tf.cos(tf.neg(rotation)));
    const bi = tf.mul(decay, tf.sin(tf.neg(rotation)));
    // β^s as torch takes it: exp(s · log β), the principal logarithm (argument in (−π, π]).
    const arg = tf.atan2(tf.sin(tf.neg(rotation)), tf.cos(tf.neg(rotation)));
    const re = tf.cast(real, 'float32');
    const s = tf.cast(imag, 'float32');
    const magnitude = tf.exp(tf.mul(s, logDecay));
    const angle = tf.mul(s, arg);
    // the input of each step, real · i · β^s
    const ur = tf.unstack(tf.neg(tf.mul(re, tf.mul(magnitude, tf.sin(angle)))));
    const ui = tf.unstack(tf.mul(re, tf.mul(magnitude, tf.cos(angle))));
    let xr: Tensor = tf.zeros([B, N]);
    let xi: Tensor = tf.zeros([B, N]);
    const out: Tensor[] = [];
    for (let t = 0; t < T; t++) {
      const nr = tf.add(tf.sub(tf.mul(br, xr), tf.mul(bi, xi)), ur[t] as Tensor);
      const ni = tf.add(tf.add(tf.mul(br, xi), tf.mul(bi, xr)), ui[t] as Tensor);
      xr = nr;
      xi = ni;
      out.push(xr);
    }
    const weighted = tf.mul(tf.stack(out), weight); // [T, B, N]
    const summed = tf.sum(tf.reshape(weighted, [T, B, groups, N / groups]), 3); // [T, B, G]
    return tf.transpose(summed, [1, 2, 0]);
  });
}

/**
 * Complex trajectory (SPAIC's `Complex_Trajectory`, `'complex_trajectory'`): each neuron filters
 * its complex spikes with a damped rotation `β = exp(−dt/τ_d) · e^{−i·2π·dt/τ_r}`,
 * `x[t] = β · x[t−1] + real[t] · i · β^{imag[t]}` (`x[−1] = 0`), so a spike at precise time `t₀`
 * adds the kernel `exp(−(t − t₀)·dt/τ_d) · sin(2π (t − t₀)·dt/τ_r)` to `Re x`; the read-out sums
 * `weight · Re x` over each group of `N / groups` consecutive neurons:
 * `value[b, g, t] = Σ_{i in g} weight[i] · Re x[t, b, i]`. Differentiable in the spikes and in
 * tensor parameters.
 * @param spikes - `{ real, imag }`, each `[T, B, N]`.
 * @param options - `tauD`, `tauR`, `weight` (each a number or a tensor `[N]`), `groups` (default 1), `dt` (default 1).
 * @returns `value` `[B, groups, T]`.
 * @throws EncodingValueError for a record that is not `{ real, imag }`, non-finite values, T = 0 or a
 * bad option (`tauD`, `tauR` must be > 0); EncodingShapeError when the spikes are not rank 3, the
 * shapes differ, `groups` does not divide `N` or a parameter tensor is not `[N]`.
 * @example
 * ```ts
 * const { value } = decodeComplexTrajectory({ real, imag }, { tauD: 20, tauR: 40, weight: 1, dt: 0.1 });
 * ```
 */
export function decodeComplexTrajectory(spikes: ComplexSpikes, options: ComplexTrajectoryOptions): DecodedValue {
  const fn = 'decodeComplexTrajectory';
  const o = checkOptions(fn, options, TRAJECTORY_OPTIONS, true);
  const groups = checkInteger(fn, 'groups', o.groups ?? 1, 1);
  const dt = checkPositive(fn, 'dt', o.dt ?? 1);
  const { real, imag } = checkComplex(fn, 'spikes', spikes);
  checkTrajectoryShape(fn, real, groups);
  const N = real.shape[2] as number;
  const params: Tensor[] = [];
  try {
    params.push(perNeuron(fn, 'tauD', o.tauD, N, true));
    params.push(perNeuron(fn, 'tauR', o.tauR, N, true));
    params.push(perNeuron(fn, 'weight', o.weight, N, false));
    const [tauD, tauR, weight] = params as [Tensor, Tensor, Tensor];
    return { value: trajectory(real, imag, tauD, tauR, weight, groups, dt) };
  } finally {
    tf.dispose(params);
  }
}

/** `n` standard normal draws (Box–Muller on pairs of uniforms), as SPAIC's `torch.randn` default weight. */
function normals(source: RandomSource, n: number): Float32Array {
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const u1 = source.nextFloat();
    const u2 = source.nextFloat();
    out[i] = Math.sqrt(-2 * Math.log(1 - u1)) * Math.cos(2 * Math.PI * u2);
  }
  return out;
}

/**
 * {@link decodeComplexTrajectory} with its parameters kept, as SPAIC's decoder object: parameters
 * left out are drawn once, as SPAIC draws them (`tauD = 20 + 20·U`, `tauR = 10 + 50·U`,
 * `weight ~ N(0, 1)` per neuron, in that order), from `seed` or `rng`. `decode()` reuses them;
 * `dispose()` frees them.
 * @example
 * ```ts
 * const dec = new ComplexTrajectoryDecoder(10, { groups: 2, dt: 0.1, seed: 1 });
 * const { value } = dec.decode({ real, imag });   // [B, 2, T]
 * dec.dispose();
 * ```
 */
export class ComplexTrajectoryDecoder {
  /** The name SPAIC registers it under. */
  readonly name = 'complex_trajectory';
  /** Decay time constants `[N]`. */
  readonly tauD: Tensor;
  /** Oscillation periods `[N]`. */
  readonly tauR: Tensor;
  /** Read-out weights `[N]`. */
  readonly weight: Tensor;
  /** Neurons per sample. */
  readonly num: number;
  /** Groups of consecutive neurons per trajectory. */
  readonly groups: number;
  /** The time step. */
  readonly dt: number;

  /**
   * @param num - Neurons `N`, an integer >= 1.
   * @param options - `tauD`, `tauR`, `weight` (numbers or tensors `[N]`; drawn when left out), `groups` (default 1), `dt` (default 1), `seed` or `rng`.
   * @throws EncodingValueError for a bad `num` or option; EncodingShapeError when `groups` does not divide `num` or a parameter tensor is not `[num]`.
   */
  constructor(num: number, options?: ComplexTrajectoryDecoderOptions) {
    const fn = 'ComplexTrajectoryDecoder';
    const o = checkOptions(fn, options, [...TRAJECTORY_OPTIONS, ...RANDOM_OPTIONS]);
    this.num = checkInteger(fn, 'num', num, 1);
    this.groups = checkInteger(fn, 'groups', o.groups ?? 1, 1);
    if (num % this.groups !== 0) {
      throw new EncodingValueError(fn, 'groups', `a divisor of num (${num})`, this.groups);
    }
    this.dt = checkPositive(fn, 'dt', o.dt ?? 1);
    const needsDraws = o.tauD === undefined || o.tauR === undefined || o.weight === undefined;
    const source = needsDraws || o.seed !== undefined || o.rng !== undefined ? resolveRandom(fn, o) : undefined;
    // Check the given parameters before drawing or keeping anything.
    const given: Tensor[] = [];
    try {
      const draw = (arg: 'tauD' | 'tauR', low: number, span: number): Tensor => {
        const value = o[arg];
        if (value !== undefined) return perNeuron(fn, arg, value, num, true);
        const u = Float32Array.from({ length: num }, () => low + span * (source as RandomSource).nextFloat());
        return tf.tensor1d(u, 'float32');
      };
      given.push(draw('tauD', 20, 20));
      given.push(draw('tauR', 10, 50));
      given.push(
        o.weight === undefined
          ? tf.tensor1d(normals(source as RandomSource, num), 'float32')
          : perNeuron(fn, 'weight', o.weight, num, false),
      );
    } catch (e) {
      tf.dispose(given);
      throw e;
    }
    [this.tauD, this.tauR, this.weight] = given.map((t) => tf.keep(t)) as [Tensor, Tensor, Tensor];
  }

  /**
   * The trajectories of `spikes` with this decoder's parameters.
   * @param spikes - `{ real, imag }`, each `[T, B, num]`.
   * @returns `value` `[B, groups, T]`.
   * @throws As {@link decodeComplexTrajectory}; EncodingShapeError when `N` is not `num`.
   */
  decode(spikes: ComplexSpikes): DecodedValue {
    const fn = 'ComplexTrajectoryDecoder.decode';
    if (this.weight.isDisposed) {
      throw new EncodingValueError(fn, 'this', 'a decoder that is not disposed', 'a disposed decoder');
    }
    const { real, imag } = checkComplex(fn, 'spikes', spikes);
    checkTrajectoryShape(fn, real, this.groups);
    if (real.shape[2] !== this.num) {
      throw new EncodingShapeError(fn, 'spikes.real', `[T, B, ${this.num}]`, real.shape);
    }
    return { value: trajectory(real, imag, this.tauD, this.tauR, this.weight, this.groups, this.dt) };
  }

  /** Frees the kept parameters. */
  dispose(): void {
    tf.dispose([this.tauD, this.tauR, this.weight]);
  }
}

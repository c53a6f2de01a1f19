import { checkInteger, checkOptions, checkPositive, ValueError } from '@snn/core';
import { dims, type Recording } from './recording.js';

/** Options of the measures that turn steps into time. */
export interface TimeOptions {
  /** Duration of one step (ms, s, or steps: rates come out per that unit). Default 1. */
  readonly dt?: number;
}

/** Options of {@link populationRate}. */
export interface PopulationRateOptions extends TimeOptions {
  /** Steps per bin: the rate is averaged over non-overlapping bins of this many rows. Default 1. */
  readonly bin?: number;
}

/** Spike events of a recording: parallel arrays of spike times and neuron indices, ordered by time. */
export interface SpikeEvents {
  /** Time of each spike, `step · dt`. */
  readonly times: Float64Array;
  /** Neuron of each spike: the index into one step's flattened elements (or into one sample's with `batch`). */
  readonly neurons: Int32Array;
  /** Number of neurons the indices range over. */
  readonly size: number;
}

function stepOf(rec: Recording, t: number): number {
  return rec.steps === undefined ? t : (rec.steps[t] as number);
}

/**
 * Spikes per element: `count[i] = Σ_t s[t, i]` over the T recorded rows. Element `i` runs over
 * one step's values in row-major order (`b · N + n` for `[T, B, N]`).
 *
 * @param spikes - A recording `[T, B, ...]` of 0/1 spikes.
 * @throws ShapeError when data and shape disagree.
 * @example
 * ```ts
 * const counts = spikeCounts(monitor.toArray('spike')); // Float64Array(B · N)
 * ```
 */
export function spikeCounts(spikes: Recording): Float64Array {
  const { T, E } = dims('spikeCounts', spikes);
  const out = new Float64Array(E);
  const d = spikes.data;
  for (let t = 0; t < T; t++) {
    const base = t * E;
    for (let i = 0; i < E; i++) out[i] = (out[i] as number) + (d[base + i] as number);
  }
  return out;
}

/**
 * Mean firing rate per element: `rate[i] = count[i] / (T · dt)`, spikes per unit of `dt`
 * (per ms for dt in ms; multiply by 1000 for Hz).
 *
 * @throws ValueError when T = 0 or dt is not a positive number.
 */
export function firingRates(spikes: Recording, options: TimeOptions = {}): Float64Array {
  checkOptions('firingRates', options, ['dt']);
  const dt = checkPositive('firingRates', 'dt', options.dt ?? 1);
  const { T } = dims('firingRates', spikes);
  if (T === 0) throw new ValueError('firingRates', 'spikes', 'a recording of at least one step', 'T = 0');
  const counts = spikeCounts(spikes);
  for (let i = 0; i < counts.length; i++) counts[i] = (counts[i] as number) / (T * dt);
  return counts;
}

/**
 * Population rate over time: the mean over all elements of each row, per unit of `dt`, averaged
 * over non-overlapping bins of `bin` rows: `r[k] = Σ_{t ∈ bin k} Σ_i s[t, i] / (|bin k| · E · dt)`.
 * The last bin may be shorter.
 *
 * @returns `ceil(T / bin)` rates.
 * @throws ValueError when `bin` is not a positive integer or `dt` not positive.
 */
export function populationRate(spikes: Recording, options: PopulationRateOptions = {}): Float64Array {
  const fn = 'populationRate';
  checkOptions(fn, options, ['dt', 'bin']);
  const dt = checkPositive(fn, 'dt', options.dt ?? 1);
  const bin = checkInteger(fn, 'bin', options.bin ?? 1, 1);
  const { T, E } = dims(fn, spikes);
  const out = new Float64Array(Math.ceil(T / bin));
  const d = spikes.data;
  for (let k = 0; k < out.length; k++) {
    const t0 = k * bin;
    const t1 = Math.min(T, t0 + bin);
    let sum = 0;
    for (let j = t0 * E; j < t1 * E; j++) sum += d[j] as number;
    out[k] = E === 0 ? 0 : sum / ((t1 - t0) * E * dt);
  }
  return out;
}

/**
 * Inter-spike intervals of each element: the differences of its successive spike times, where a
 * row's time is `steps[t] · dt` (so intervals stay right for a ring buffer). Not meaningful for a
 * recording kept `every: k > 1`, which misses spikes.
 *
 * @returns One `Float64Array` of intervals per element (empty when it fired fewer than twice).
 */
export function interSpikeIntervals(spikes: Recording, options: TimeOptions = {}): Float64Array[] {
  checkOptions('interSpikeIntervals', options, ['dt']);
  const dt = checkPositive('interSpikeIntervals', 'dt', options.dt ?? 1);
  const { T, E } = dims('interSpikeIntervals', spikes);
  const d = spikes.data;
  const lists: number[][] = Array.from({ length: E }, () => []);
  const last = new Float64Array(E).fill(Number.NaN);
  for (let t = 0; t < T; t++) {
    const time = stepOf(spikes, t) * dt;
    const base = t * E;
    for (let i = 0; i < E; i++) {
      if ((d[base + i] as number) > 0) {
        const prev = last[i] as number;
        if (!Number.isNaN(prev)) (lists[i] as number[]).push(time - prev);
        last[i] = time;
      }
    }
  }
  return lists.map((l) => Float64Array.from(l));
}

/**
 * Coefficient of variation of the inter-spike intervals of each element: `CV = σ / μ` with the
 * population standard deviation (1 for a Poisson process, 0 for a regular one). NaN for an
 * element with fewer than two intervals.
 *
 * @param spikesOrIntervals - A spike recording, or intervals from {@link interSpikeIntervals}.
 */
export function coefficientOfVariation(spikesOrIntervals: Recording | readonly ArrayLike<number>[]): Float64Array {
  const isis = Array.isArray(spikesOrIntervals)
    ? (spikesOrIntervals as readonly ArrayLike<number>[])
    : interSpikeIntervals(spikesOrIntervals as Recording);
  const out = new Float64Array(isis.length);
  for (const [i, isi] of isis.entries()) {
    const n = isi.length;
    if (n < 2) {
      out[i] = Number.NaN;
      continue;
    }
    let mean = 0;
    for (let j = 0; j < n; j++) mean += isi[j] as number;
    mean /= n;
    let v = 0;
    for (let j = 0; j < n; j++) v += ((isi[j] as number) - mean) ** 2;
    out[i] = Math.sqrt(v / n) / mean;
  }
  return out;
}

/**
 * The spikes of a recording as events (time, neuron), ordered by time then neuron: what a
 * raster plot draws.
 *
 * @param options.batch - For `[T, B, ...]`: keep only sample `batch`, neurons then index one
 * sample's elements. Default: every element of the step.
 * @throws ValueError when `batch` is out of range.
 */
export function spikeEvents(spikes: Recording, options: TimeOptions & { readonly batch?: number } = {}): SpikeEvents {
  const fn = 'spikeEvents';
  checkOptions(fn, options, ['dt', 'batch']);
  const dt = checkPositive(fn, 'dt', options.dt ?? 1);
  const { T, E } = dims(fn, spikes);
  let first = 0;
  let size = E;
  if (options.batch !== undefined) {
    const B = spikes.shape.length >= 3 ? (spikes.shape[1] as number) : 1;
    const b = checkInteger(fn, 'batch', options.batch, 0);
    if (b >= B) throw new ValueError(fn, 'batch', `an index below the batch size ${B}`, b);
    size = B === 0 ? 0 : E / B;
    first = b * size;
  }
  const times: number[] = [];
  const neurons: number[] = [];
  const d = spikes.data;
  for (let t = 0; t < T; t++) {
    const base = t * E + first;
    const time = stepOf(spikes, t) * dt;
    for (let i = 0; i < size; i++) {
      if ((d[base + i] as number) > 0) {
        times.push(time);
        neurons.push(i);
      }
    }
  }
  return { times: Float64Array.from(times), neurons: Int32Array.from(neurons), size };
}

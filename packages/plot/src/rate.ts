import type { TopLevelSpec } from 'vega-lite';
import { type ArrayND, checkArray, checkCount, PlotError, pickDt, rowTime } from './data.js';
import { CATEGORY_COLORS } from './image.js';
import { checkPlotOptions, PLOT_KEYS } from './options.js';
import { type PlotOptions, renderSpec, titleOf } from './render.js';

/** Options of {@link ratePlot}. */
export interface RateOptions extends PlotOptions {
  /** Steps per bin: the rate is averaged over non-overlapping bins. Default 1. */
  readonly bin?: number;
  /** Duration of one step (default: the array's own `dt`, else 1). */
  readonly dt?: number;
  /**
   * Unit of time. `'ms'` or `'s'` plot the rate in Hz; any other unit `u` in spikes per
   * neuron per `u`. Default `'step'`.
   */
  readonly timeUnit?: string;
}

/** Spikes `[T, ...]` (averaged over every element of a step) or a rate already computed per step. */
export type RateInput = ArrayND | ArrayLike<number>;

function isArrayND(x: unknown): x is ArrayND {
  return typeof x === 'object' && x !== null && 'shape' in x && 'data' in x;
}

/** The bins of one series: start time, rate in spikes per neuron per unit of time, and duration; and the end of the last bin. */
export function binnedRate(fn: string, input: RateInput, bin: number, dtOption: number | undefined) {
  if (isArrayND(input)) {
    const a = checkArray(fn, 'spikes', input, 1);
    const dt = pickDt(fn, dtOption, a);
    const T = a.shape[0] as number;
    const E = a.shape.slice(1).reduce((p, d) => p * d, 1);
    const out: { t: number; r: number; span: number }[] = [];
    for (let t0 = 0; t0 < T; t0 += bin) {
      const t1 = Math.min(T, t0 + bin);
      let sum = 0;
      for (let j = t0 * E; j < t1 * E; j++) sum += a.data[j] as number;
      out.push({ t: rowTime(a, t0, dt), r: E === 0 ? 0 : sum / ((t1 - t0) * E * dt), span: (t1 - t0) * dt });
    }
    return { points: out, end: T === 0 ? 0 : rowTime(a, T - 1, dt) + dt };
  }
  if (input === null || typeof input !== 'object' || typeof (input as ArrayLike<number>).length !== 'number') {
    throw new PlotError(fn, 'rates', 'spikes { data, shape } or an array of rates', input);
  }
  const dt = pickDt(fn, dtOption);
  const rates = input as ArrayLike<number>;
  const out: { t: number; r: number; span: number }[] = [];
  for (let t0 = 0; t0 < rates.length; t0 += bin) {
    const t1 = Math.min(rates.length, t0 + bin);
    let sum = 0;
    for (let j = t0; j < t1; j++) sum += rates[j] as number;
    out.push({ t: t0 * dt, r: sum / (t1 - t0), span: (t1 - t0) * dt });
  }
  return { points: out, end: rates.length * dt };
}

/**
 * Population rate over time: for spikes, the mean over every neuron of each step, averaged over
 * bins of `bin` steps, `r = Σ spikes / (neurons · bin · dt)`; one line per population. With
 * `timeUnit` `'ms'` or `'s'` the rate is in Hz.
 *
 * @param input - Spikes `[T, ...]` (e.g. `monitor.toArray('spike')`) or rates per step, or several as `{ name: input }`.
 * @returns An SVG document.
 * @example
 * ```ts
 * const svg = await ratePlot({ exc: excMon.toArray('spike'), inh: inhMon.toArray('spike') }, { bin: 10, timeUnit: 'ms' });
 * ```
 */
export async function ratePlot(
  input: RateInput | Readonly<Record<string, RateInput>>,
  options: RateOptions = {},
): Promise<string> {
  const fn = 'ratePlot';
  checkPlotOptions(fn, options, [...PLOT_KEYS, 'bin', 'dt', 'timeUnit']);
  const bin = checkCount(fn, 'bin', options.bin ?? 1);
  const width = checkCount(fn, 'width', options.width ?? 600);
  const height = checkCount(fn, 'height', options.height ?? 200);
  const single = isArrayND(input) || Array.isArray(input) || ArrayBuffer.isView(input);
  const entries: [string, RateInput][] = single
    ? [['', input as RateInput]]
    : Object.entries(input as Record<string, RateInput>);
  if (entries.length === 0) throw new PlotError(fn, 'input', 'at least one series', input);
  const unit = options.timeUnit ?? 'step';
  const toHz = unit === 'ms' ? 1000 : unit === 's' ? 1 : null;
  const values: { t: number; r: number; pop: string }[] = [];
  let tStart = Number.POSITIVE_INFINITY;
  let tEnd = Number.NEGATIVE_INFINITY;
  for (const [name, series] of entries) {
    const { points, end } = binnedRate(fn, series, bin, options.dt);
    // each bin's rate at the middle of the bin
    for (const p of points) values.push({ t: p.t + p.span / 2, r: p.r * (toHz ?? 1), pop: name });
    if (points[0] !== undefined) {
      tStart = Math.min(tStart, points[0].t);
      tEnd = Math.max(tEnd, end);
    }
  }
  const names = entries.map(([n]) => n);
  const color = single
    ? { value: CATEGORY_COLORS[0] }
    : {
        field: 'pop',
        type: 'nominal',
        title: 'population',
        scale: { domain: names, range: names.map((_, i) => CATEGORY_COLORS[i % CATEGORY_COLORS.length]) },
      };
  const yTitle = toHz !== null ? 'rate (Hz)' : unit === 'step' ? 'rate (spikes / neuron / step)' : `rate (1 / ${unit})`;
  const spec = {
    width,
    height,
    ...titleOf(options.title, bin > 1 ? `mean over bins of ${bin} steps` : undefined),
    data: { values },
    mark: { type: 'line', strokeWidth: 1.5, interpolate: 'monotone' },
    name: 'rates',
    encoding: {
      x: {
        field: 't',
        type: 'quantitative',
        title: `time (${unit})`,
        scale: Number.isFinite(tStart)
          ? { domain: [tStart, Math.max(tEnd, tStart + 1e-9)], nice: false, zero: false }
          : {},
      },
      y: { field: 'r', type: 'quantitative', title: yTitle, scale: { zero: true } },
      color,
    },
  };
  return renderSpec(spec as unknown as TopLevelSpec);
}

import type { TopLevelSpec } from 'vega-lite';
import { type ArrayND, checkArray, checkCount, extent, PlotError, pickDt, rowTime } from './data.js';
import { CATEGORY_COLORS } from './image.js';
import { checkPlotOptions, PLOT_KEYS } from './options.js';
import { type PlotOptions, renderSpec, titleOf } from './render.js';
import { unitTicks, X_TICK_SPACING } from './ticks.js';

/** Options of {@link voltageTraces}. */
export interface VoltageOptions extends PlotOptions {
  /** Neurons to draw: indices into one sample's flattened elements. Default the first `min(5, N)`. */
  readonly neurons?: readonly number[];
  /** Firing threshold: drawn as a dashed red line. */
  readonly threshold?: number;
  /** Reset potential: drawn as a dotted grey line. */
  readonly reset?: number;
  /** Spikes of the same neurons (`[T, ...]` like `v`): each drawn as a stroke rising from the threshold. */
  readonly spikes?: ArrayND;
  /** Duration of one step (default: the array's own `dt`, else 1). */
  readonly dt?: number;
  /** Unit of time for the axis title. Default `'step'`. */
  readonly timeUnit?: string;
  /** Unit of the potential for the axis title, e.g. `'mV'`. Default none. */
  readonly vUnit?: string;
  /** For `[T, B, ...]`: the sample to draw. Default 0. */
  readonly batch?: number;
}

/** Rows of sample `batch` of a `[T]`, `[T, N]` or `[T, B, ...]` array: `(t, i) => value`. */
export function sampleView(fn: string, arg: string, a: ArrayND, batch: number) {
  checkArray(fn, arg, a, 1);
  const T = a.shape[0] as number;
  const E = a.shape.slice(1).reduce((p, d) => p * d, 1);
  let size = E;
  let first = 0;
  if (a.shape.length >= 3) {
    const B = a.shape[1] as number;
    if (batch >= B) throw new PlotError(fn, 'batch', `an index below the batch size ${B}`, batch);
    size = E / B;
    first = batch * size;
  }
  return { T, size, at: (t: number, i: number): number => a.data[t * E + first + i] as number };
}

/**
 * Indices of the points kept when drawing `n` points into `buckets` pixels: all of them when
 * they fit, else the first, the smallest, the largest and the last of each bucket, in order, so
 * spikes and resets survive the thinning.
 */
export function thinIndices(n: number, buckets: number, value: (i: number) => number): number[] {
  if (n <= 2 * buckets) return Array.from({ length: n }, (_, i) => i);
  const out: number[] = [];
  const per = n / buckets;
  for (let b = 0; b < buckets; b++) {
    const start = Math.floor(b * per);
    const end = Math.min(n, Math.floor((b + 1) * per));
    if (start >= end) continue;
    let lo = start;
    let hi = start;
    for (let i = start; i < end; i++) {
      if (value(i) < value(lo)) lo = i;
      if (value(i) > value(hi)) hi = i;
    }
    for (const i of [...new Set([start, lo, hi, end - 1])].sort((a, c) => a - c)) out.push(i);
  }
  return out;
}

/** Pixels between legend columns. */
const LEGEND_COLUMN_PADDING = 10;

/**
 * Columns of a legend of `labels` that fit in `width` pixels (at least one). Vega lays the legend
 * out with its own estimate of text width when there is no canvas (0.8 × font size per
 * character, 11 px labels), after a 16-pixel symbol: count with the same numbers.
 */
export function legendColumns(labels: readonly string[], width: number): number {
  const chars = Math.max(0, ...labels.map((l) => l.length));
  const entry = 16 + Math.ceil(0.8 * 11 * chars);
  const fit = Math.floor((width + LEGEND_COLUMN_PADDING) / (entry + LEGEND_COLUMN_PADDING));
  return Math.max(1, Math.min(labels.length, fit));
}

/**
 * Membrane-potential traces over time, one line per neuron, with the threshold as a dashed red
 * line (and the reset potential, dotted, when given). Long recordings are thinned to a few
 * points per pixel keeping each pixel's extremes, so spikes and resets stay visible.
 *
 * @param v - Potentials `[T]`, `[T, N]` or `[T, B, ...]` (e.g. `monitor.toArray('v')`).
 * @returns An SVG document.
 * @throws PlotError for a neuron index out of range or arrays that do not match.
 * @example
 * ```ts
 * const svg = await voltageTraces(mon.toArray('v'), { neurons: [0, 1, 2], threshold: 1, reset: 0 });
 * ```
 */
export async function voltageTraces(v: ArrayND, options: VoltageOptions = {}): Promise<string> {
  const fn = 'voltageTraces';
  checkPlotOptions(fn, options, [
    ...PLOT_KEYS,
    'neurons',
    'threshold',
    'reset',
    'spikes',
    'dt',
    'timeUnit',
    'vUnit',
    'batch',
  ]);
  const batch = checkCount(fn, 'batch', options.batch ?? 0, 0);
  const view = sampleView(fn, 'v', v, batch);
  const dt = pickDt(fn, options.dt, v);
  const width = checkCount(fn, 'width', options.width ?? 600);
  const height = checkCount(fn, 'height', options.height ?? 260);
  const neurons = options.neurons ?? Array.from({ length: Math.min(5, view.size) }, (_, i) => i);
  for (const n of neurons) {
    if (!(Number.isInteger(n) && n >= 0 && n < view.size)) {
      throw new PlotError(fn, 'neurons', `indices in [0, ${view.size})`, n);
    }
  }
  const label = (n: number): string => `neuron ${n}`;
  const values: { t: number; v: number; neuron: string }[] = [];
  for (const n of neurons) {
    for (const t of thinIndices(view.T, width, (i) => view.at(i, n))) {
      values.push({ t: rowTime(v, t, dt), v: view.at(t, n), neuron: label(n) });
    }
  }
  const [vMin, vMax] = extent(values.map((p) => p.v));
  const levels = [options.threshold, options.reset].filter((x): x is number => x !== undefined);
  for (const level of levels) {
    if (!Number.isFinite(level)) throw new PlotError(fn, 'threshold', 'a finite number', level);
  }
  let lo = Math.min(...[vMin, ...levels].filter(Number.isFinite));
  let hi = Math.max(...[vMax, ...levels].filter(Number.isFinite));
  if (!Number.isFinite(lo)) [lo, hi] = [0, 1];
  if (lo === hi) [lo, hi] = [lo - 1, hi + 1];
  const drawSpikes = options.spikes !== undefined && options.threshold !== undefined;
  const spikeTop = drawSpikes ? (options.threshold as number) + 0.3 * (hi - lo) : hi;
  const t0 = view.T === 0 ? 0 : rowTime(v, 0, dt);
  const t1 = view.T === 0 ? dt : rowTime(v, view.T - 1, dt);
  // ticks on step times, where the samples are
  const ticks = unitTicks(t0, Math.max(t1, t0 + dt), dt, width / X_TICK_SPACING);
  const x = {
    field: 't',
    type: 'quantitative',
    title: `time (${options.timeUnit ?? 'step'})`,
    scale: { domain: [t0, Math.max(t1, t0 + dt)], nice: false, zero: false },
    axis: { values: ticks.values, format: ticks.format },
  };
  const yScale = {
    domain: [lo - 0.05 * (hi - lo), Math.max(hi, spikeTop) + 0.05 * (hi - lo)],
    nice: false,
    zero: false,
  };
  const yTitle = options.vUnit === undefined ? 'membrane potential' : `membrane potential (${options.vUnit})`;
  const colors = neurons.map((_, i) => CATEGORY_COLORS[i % CATEGORY_COLORS.length] as string);
  const color =
    neurons.length > 1
      ? {
          field: 'neuron',
          type: 'nominal',
          title: null,
          scale: { domain: neurons.map(label), range: colors },
          // above the plot (the right margin holds the threshold and reset labels), in as many
          // columns as fit the plot's width: one long row would widen the picture past the plot
          legend: {
            orient: 'top',
            direction: 'horizontal',
            columns: legendColumns(neurons.map(label), width),
            columnPadding: LEGEND_COLUMN_PADDING,
          },
        }
      : { value: colors[0] };
  const layers: Record<string, unknown>[] = [
    {
      name: 'traces',
      data: { values },
      mark: { type: 'line', strokeWidth: 1.25, clip: true },
      encoding: { x, y: { field: 'v', type: 'quantitative', title: yTitle, scale: yScale }, color },
    },
  ];
  if (drawSpikes) {
    const s = sampleView(fn, 'spikes', options.spikes as ArrayND, batch);
    if (s.T !== view.T || s.size !== view.size) {
      throw new PlotError(fn, 'spikes', `the shape of v, [${v.shape.join(', ')}]`, options.spikes);
    }
    const strokes: { t: number; v: number; v2: number; neuron: string }[] = [];
    for (const n of neurons) {
      for (let t = 0; t < s.T; t++) {
        if (s.at(t, n) > 0)
          strokes.push({ t: rowTime(v, t, dt), v: options.threshold as number, v2: spikeTop, neuron: label(n) });
      }
    }
    layers.push({
      name: 'spikes',
      data: { values: strokes },
      mark: { type: 'rule', strokeWidth: 1.25 },
      encoding: { x, y: { field: 'v', type: 'quantitative', scale: yScale }, y2: { field: 'v2' }, color },
    });
  }
  const rule = (name: string, level: number, stroke: string, dash: number[], text: string) => ({
    name,
    data: { values: [{ v: level, label: text }] },
    layer: [
      {
        mark: { type: 'rule', stroke, strokeDash: dash, strokeWidth: 1.25 },
        encoding: { y: { field: 'v', type: 'quantitative', scale: yScale } },
      },
      {
        // labelled in the right margin, where no trace can hide it
        mark: { type: 'text', align: 'left', baseline: 'middle', dx: 4, color: stroke, fontSize: 11 },
        encoding: {
          y: { field: 'v', type: 'quantitative', scale: yScale },
          x: { value: width },
          text: { field: 'label' },
        },
      },
    ],
  });
  if (options.threshold !== undefined)
    layers.push(rule('threshold', options.threshold, '#d62728', [6, 4], 'threshold'));
  if (options.reset !== undefined) layers.push(rule('reset', options.reset, '#777777', [2, 3], 'reset'));
  const spec = { width, height, ...titleOf(options.title), layer: layers };
  return renderSpec(spec as unknown as TopLevelSpec);
}

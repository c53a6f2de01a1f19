import type { TopLevelSpec } from 'vega-lite';
import {
  type ArrayND,
  checkArray,
  checkCount,
  PlotError,
  pickDt,
  rowTime,
  type SpikeInput,
  type SpikeTrains,
} from './data.js';
import { CATEGORY_COLORS, parseColor, pngDataUrl } from './image.js';
import { checkPlotOptions, PLOT_KEYS } from './options.js';
import { type PlotOptions, renderSpec, titleOf } from './render.js';
import { unitTicks, X_TICK_SPACING } from './ticks.js';

/** One population of a stacked raster. */
export interface Population {
  readonly name: string;
  readonly spikes: SpikeInput;
  /** CSS colour; default the next of Vega's `tableau10`. */
  readonly color?: string;
}

/** Options of {@link raster}. */
export interface RasterOptions extends PlotOptions {
  /** Duration of one step (default: the array's own `dt`, else 1). */
  readonly dt?: number;
  /** Unit of time for the axis title, e.g. `'ms'`. Default `'step'`. */
  readonly timeUnit?: string;
  /** For dense `[T, B, ...]` spikes: the sample to draw. Default 0. */
  readonly batch?: number;
  /**
   * Most spikes drawn as one mark each; past that the raster is binned into an image, one pixel
   * per (time bin, neuron bin), its opacity the density of spikes there. Default 10,000.
   */
  readonly maxMarks?: number;
  /** Force one mark per spike (`'marks'`) or the binned image (`'image'`). Default `'auto'`. */
  readonly mode?: 'auto' | 'marks' | 'image';
}

/** Colour of a single, unnamed population. */
const SINGLE = '#222222';

interface Events {
  name: string;
  color: string;
  times: Float64Array;
  neurons: Int32Array;
  size: number;
  t0: number;
  t1: number;
}

function isSpikeInput(x: unknown): x is SpikeInput {
  return (
    typeof x === 'object' &&
    x !== null &&
    (('data' in x && 'shape' in x) || ('times' in x && 'neurons' in x)) &&
    !Array.isArray(x)
  );
}

/** Dense spikes `[T]`, `[T, N]` or `[T, B, ...]` (sample `batch`) as events. */
function denseEvents(fn: string, a: ArrayND, dtOption: number | undefined, batch: number) {
  checkArray(fn, 'spikes', a, 1);
  const dt = pickDt(fn, dtOption, a);
  const T = a.shape[0] as number;
  const E = a.shape.slice(1).reduce((p, d) => p * d, 1);
  let first = 0;
  let size = E;
  if (a.shape.length >= 3) {
    const B = a.shape[1] as number;
    if (batch >= B) throw new PlotError(fn, 'batch', `an index below the batch size ${B}`, batch);
    size = E / B;
    first = batch * size;
  }
  const times: number[] = [];
  const neurons: number[] = [];
  for (let t = 0; t < T; t++) {
    const time = rowTime(a, t, dt);
    const base = t * E + first;
    for (let i = 0; i < size; i++) {
      if ((a.data[base + i] as number) > 0) {
        times.push(time);
        neurons.push(i);
      }
    }
  }
  const t0 = T === 0 ? 0 : rowTime(a, 0, dt);
  const t1 = T === 0 ? dt : rowTime(a, T - 1, dt) + dt;
  return { times: Float64Array.from(times), neurons: Int32Array.from(neurons), size, t0, t1, dt };
}

function trainEvents(fn: string, s: SpikeTrains, dtOption: number | undefined) {
  const dt = pickDt(fn, dtOption);
  if (s.times.length !== s.neurons.length) {
    throw new PlotError(fn, 'spikes.neurons', `as long as spikes.times (${s.times.length})`, s.neurons.length);
  }
  let maxN = -1;
  let maxT = 0;
  for (let i = 0; i < s.neurons.length; i++) {
    const n = s.neurons[i] as number;
    if (!(Number.isInteger(n) && n >= 0)) throw new PlotError(fn, 'spikes.neurons', 'integers >= 0', n);
    if (n > maxN) maxN = n;
    const t = s.times[i] as number;
    if (!Number.isFinite(t)) throw new PlotError(fn, 'spikes.times', 'finite numbers', t);
    if (t > maxT) maxT = t;
  }
  const size = s.size ?? maxN + 1;
  if (maxN >= size) throw new PlotError(fn, 'spikes.size', `larger than every neuron index (max ${maxN})`, size);
  return {
    times: Float64Array.from(s.times),
    neurons: Int32Array.from(s.neurons),
    size,
    t0: 0,
    t1: maxT + dt,
    dt,
  };
}

/** Normalises the first argument of {@link raster} into named populations of events. */
function populationsOf(
  fn: string,
  input: SpikeInput | readonly Population[] | Readonly<Record<string, SpikeInput>>,
  options: RasterOptions,
): { pops: Events[]; dt: number; named: boolean } {
  let list: Population[];
  let named = true;
  if (Array.isArray(input)) list = input as Population[];
  else if (isSpikeInput(input)) {
    list = [{ name: '', spikes: input }];
    named = false;
  } else if (typeof input === 'object' && input !== null) {
    list = Object.entries(input as Record<string, SpikeInput>).map(([name, spikes]) => ({ name, spikes }));
  } else throw new PlotError(fn, 'spikes', 'spikes, a list of populations or { name: spikes }', input);
  if (list.length === 0) throw new PlotError(fn, 'spikes', 'at least one population', input);
  const batch = checkCount(fn, 'batch', options.batch ?? 0, 0);
  let dt = 1;
  const pops = list.map((p, i) => {
    if (!isSpikeInput(p?.spikes))
      throw new PlotError(fn, `spikes[${i}].spikes`, 'dense spikes or { times, neurons }', p);
    const e =
      'times' in p.spikes ? trainEvents(fn, p.spikes, options.dt) : denseEvents(fn, p.spikes, options.dt, batch);
    dt = e.dt;
    return {
      ...e,
      name: p.name,
      color: p.color ?? (named ? (CATEGORY_COLORS[i % CATEGORY_COLORS.length] as string) : SINGLE),
    };
  });
  return { pops, dt, named };
}

/**
 * A spike raster: one mark per spike at (time, neuron), several populations stacked on the
 * neuron axis in the order given, each in its colour, with a legend. Neuron 0 of the first
 * population is at the bottom.
 *
 * Dense rasters stay usable: past `maxMarks` spikes the raster is binned into an embedded PNG
 * of at most `width × height` pixels, each pixel's opacity the density of spikes in its bin
 * (square-root scaled, densest bin opaque), and the subtitle says how much each pixel holds.
 *
 * @param spikes - Dense 0/1 spikes `[T, N]` or `[T, B, ...]` (e.g. `monitor.toArray('spike')`), events
 * `{ times, neurons }`, or several populations: `[{ name, spikes, color? }]` or `{ name: spikes }`.
 * @returns An SVG document.
 * @throws PlotError for input that is not spikes, or a `batch` out of range.
 * @example
 * ```ts
 * const svg = await raster({ exc: mon.toArray('spike'), inh: inhMon.toArray('spike') }, { dt: 1, timeUnit: 'ms' });
 * ```
 */
export async function raster(
  spikes: SpikeInput | readonly Population[] | Readonly<Record<string, SpikeInput>>,
  options: RasterOptions = {},
): Promise<string> {
  const fn = 'raster';
  checkPlotOptions(fn, options, [...PLOT_KEYS, 'dt', 'timeUnit', 'batch', 'maxMarks', 'mode']);
  const width = checkCount(fn, 'width', options.width ?? 600);
  const { pops, dt, named } = populationsOf(fn, spikes, options);
  const maxMarks = checkCount(fn, 'maxMarks', options.maxMarks ?? 10_000, 0);
  const mode = options.mode ?? 'auto';
  if (!['auto', 'marks', 'image'].includes(mode)) throw new PlotError(fn, 'mode', "'auto', 'marks' or 'image'", mode);
  const total = pops.reduce((n, p) => n + p.size, 0);
  const height = checkCount(fn, 'height', options.height ?? Math.min(400, Math.max(150, total * 4)));
  const t0 = Math.min(...pops.map((p) => p.t0));
  const t1 = Math.max(...pops.map((p) => p.t1));
  const count = pops.reduce((n, p) => n + p.times.length, 0);
  const asImage = mode === 'image' || (mode === 'auto' && count > maxMarks);
  const offsets = pops.map((_, i) => pops.slice(0, i).reduce((n, p) => n + p.size, 0));
  const multi = named;

  // ticks on step times, where the spikes are (not on the half-step edges of the axis)
  const ticks = unitTicks(t0, t1 - dt, dt, width / X_TICK_SPACING);
  const x = {
    field: 't',
    type: 'quantitative',
    title: `time (${options.timeUnit ?? 'step'})`,
    // each step's spikes sit on its time, the axis reaching half a step either side
    scale: { domain: [t0 - dt / 2, t1 - dt / 2], nice: false, zero: false },
    axis: { values: ticks.values, format: ticks.format },
  };
  const y = {
    field: 'n',
    type: 'quantitative',
    title: 'neuron',
    scale: { domain: [-0.5, Math.max(0.5, total - 0.5)], nice: false, zero: false },
    axis: { tickMinStep: 1, format: 'd' },
  };
  const color = multi
    ? {
        field: 'pop',
        type: 'nominal',
        title: 'population',
        scale: { domain: pops.map((p) => p.name), range: pops.map((p) => p.color) },
        legend: { symbolType: 'square' },
      }
    : { value: SINGLE };

  const layers: Record<string, unknown>[] = [];
  if (multi) {
    // A faint band per population: separates them and carries the legend in both modes.
    layers.push({
      name: 'bands',
      data: {
        values: pops.map((p, i) => ({
          pop: p.name,
          t: t0 - dt / 2,
          t2: t1 - dt / 2,
          n: (offsets[i] as number) - 0.5,
          n2: (offsets[i] as number) + p.size - 0.5,
        })),
      },
      mark: { type: 'rect', opacity: 0.08 },
      encoding: { x, x2: { field: 't2' }, y, y2: { field: 'n2' }, color },
    });
  }
  let subtitle: string | undefined;
  if (!asImage) {
    const values: { t: number; n: number; pop: string }[] = [];
    for (const [i, p] of pops.entries()) {
      const off = offsets[i] as number;
      for (let k = 0; k < p.times.length; k++)
        values.push({ t: p.times[k] as number, n: (p.neurons[k] as number) + off, pop: p.name });
    }
    const steps = Math.max(1, (t1 - t0) / dt);
    layers.push({
      name: 'spikes',
      data: { values },
      mark: {
        type: 'tick',
        orient: 'vertical',
        opacity: 1,
        size: Math.max(1, Math.min(10, (0.8 * height) / Math.max(1, total))),
        thickness: Math.max(1, Math.min(2, (0.6 * width) / steps)),
      },
      encoding: { x, y, color },
    });
  } else {
    const img = binnedImage(pops, offsets, total, t0, t1, dt, width, height);
    subtitle = `${count.toLocaleString('en-US')} spikes as density: ${img.perPixel} per pixel`;
    layers.push({
      name: 'density',
      data: { values: [{ t: t0 - dt / 2, t2: t1 - dt / 2, n: -0.5, n2: total - 0.5, url: img.url }] },
      mark: { type: 'image', aspect: false, smooth: false },
      encoding: { x, x2: { field: 't2' }, y, y2: { field: 'n2' }, url: { field: 'url', type: 'nominal' } },
    });
  }
  const spec = {
    width,
    height,
    ...titleOf(options.title, subtitle),
    layer: layers,
  };
  return renderSpec(spec as unknown as TopLevelSpec);
}

/** Bins events into an RGBA image of at most width × height pixels (row 0 at the top: the highest neurons). */
function binnedImage(
  pops: readonly Events[],
  offsets: readonly number[],
  total: number,
  t0: number,
  t1: number,
  dt: number,
  width: number,
  height: number,
): { url: string; perPixel: string } {
  const steps = Math.max(1, Math.round((t1 - t0) / dt));
  const nx = Math.max(1, Math.min(width, steps));
  const ny = Math.max(1, Math.min(height, total));
  const counts = new Float64Array(nx * ny);
  const rowOf = (g: number): number => ny - 1 - Math.min(ny - 1, Math.floor((g * ny) / total));
  for (const [i, p] of pops.entries()) {
    const off = offsets[i] as number;
    for (let k = 0; k < p.times.length; k++) {
      const ix = Math.min(nx - 1, Math.max(0, Math.floor((((p.times[k] as number) - t0 + dt / 2) / (t1 - t0)) * nx)));
      const j = rowOf((p.neurons[k] as number) + off) * nx + ix;
      counts[j] = (counts[j] as number) + 1;
    }
  }
  // neurons per row and the population (colour) of each row
  const neuronsInRow = new Float64Array(ny);
  const rowColor: [number, number, number][] = new Array(ny);
  for (const [i, p] of pops.entries()) {
    const rgb = parseColor(p.color);
    for (let n = 0; n < p.size; n++) {
      const r = rowOf(n + (offsets[i] as number));
      if ((neuronsInRow[r] as number) === 0) rowColor[r] = rgb;
      neuronsInRow[r] = (neuronsInRow[r] as number) + 1;
    }
  }
  const stepsPerColumn = steps / nx;
  let maxDensity = 0;
  const density = new Float64Array(nx * ny);
  for (let r = 0; r < ny; r++) {
    const capacity = stepsPerColumn * Math.max(1, neuronsInRow[r] as number);
    for (let c = 0; c < nx; c++) {
      const d = (counts[r * nx + c] as number) / capacity;
      density[r * nx + c] = d;
      if (d > maxDensity) maxDensity = d;
    }
  }
  const rgba = new Uint8Array(nx * ny * 4);
  for (let r = 0; r < ny; r++) {
    const [cr, cg, cb] = rowColor[r] ?? [0, 0, 0];
    for (let c = 0; c < nx; c++) {
      const d = density[r * nx + c] as number;
      if (d === 0) continue;
      const o = (r * nx + c) * 4;
      rgba[o] = cr;
      rgba[o + 1] = cg;
      rgba[o + 2] = cb;
      rgba[o + 3] = Math.max(40, Math.round(255 * Math.sqrt(d / maxDensity)));
    }
  }
  const fmt = (v: number): string => (Number.isInteger(v) ? String(v) : v.toFixed(1));
  const neuronsPerRow = total / ny;
  const perPixel = `${fmt(stepsPerColumn)} step${stepsPerColumn === 1 ? '' : 's'} × ${fmt(neuronsPerRow)} neuron${neuronsPerRow === 1 ? '' : 's'}`;
  return { url: pngDataUrl(nx, ny, rgba), perPixel };
}

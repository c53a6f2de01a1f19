import type { TopLevelSpec } from 'vega-lite';
import { checkCount, extent, type Matrix, PlotError, toMatrix } from './data.js';
import { isContinuousScheme, pngDataUrl, schemeTable } from './image.js';
import { COLOR_KEYS, checkPlotOptions, PLOT_KEYS } from './options.js';
import { type PlotOptions, renderSpec, titleOf } from './render.js';
import { unitTicks, X_TICK_SPACING, Y_TICK_SPACING } from './ticks.js';

/** Colour options shared by {@link weightHeatmap} and {@link receptiveFields}. */
export interface ColorOptions {
  /**
   * A continuous Vega colour scheme (`'viridis'`, `'greys'`, `'blueorange'`, `'redblue'`, ...).
   * Default: `'blueorange'` centred on 0 when values have both signs, else `'viridis'`.
   */
  readonly scheme?: string;
  /** Values mapped to the ends of the scheme. Default: the data's range (symmetric about 0 when signed). */
  readonly domain?: readonly [number, number];
}

/** Options of {@link weightHeatmap}. */
export interface HeatmapOptions extends PlotOptions, ColorOptions {
  /** Axis title of the rows (y, row 0 at the top). Default `'input'`. */
  readonly rowTitle?: string;
  /** Axis title of the columns (x). Default `'output'`. */
  readonly colTitle?: string;
  /** Legend title. Default `'weight'`. */
  readonly legendTitle?: string;
  /** Most cells drawn as one rectangle each; larger matrices become an embedded image. Default 4,096. */
  readonly maxMarks?: number;
}

/** Option names of {@link weightHeatmap}. */
const HEATMAP_KEYS = [...PLOT_KEYS, ...COLOR_KEYS, 'rowTitle', 'colTitle', 'legendTitle', 'maxMarks'];

/** The scheme and domain a colour scale uses for `data`, per {@link ColorOptions}. */
export function resolveColor(
  fn: string,
  data: ArrayLike<number>,
  o: ColorOptions,
): { scheme: string; domain: [number, number] } {
  const [lo, hi] = extent(data);
  const signed = lo < 0 && hi > 0;
  const scheme = o.scheme ?? (signed ? 'blueorange' : 'viridis');
  if (!isContinuousScheme(scheme))
    throw new PlotError(fn, 'scheme', 'a continuous Vega colour scheme, e.g. viridis', scheme);
  let domain: [number, number];
  if (o.domain !== undefined) {
    const [a, b] = o.domain;
    if (!(Number.isFinite(a) && Number.isFinite(b) && a < b))
      throw new PlotError(fn, 'domain', '[low, high] with low < high', o.domain);
    domain = [a, b];
  } else if (!Number.isFinite(lo)) domain = [0, 1];
  else if (signed) {
    const m = Math.max(-lo, hi);
    domain = [-m, m];
  } else domain = lo === hi ? [lo - 0.5, hi + 0.5] : [lo, hi];
  return { scheme, domain };
}

/** Maps a value to a scheme table index (0-255), clamped to the domain; NaN gives -1. */
export function colorIndex(v: number, domain: readonly [number, number]): number {
  if (Number.isNaN(v)) return -1;
  const t = (v - domain[0]) / (domain[1] - domain[0]);
  return Math.round(Math.min(1, Math.max(0, t)) * 255);
}

/** A legend-only layer: an invisible mark whose colour scale draws the gradient legend. */
export function legendLayer(title: string, scheme: string, domain: readonly [number, number]): Record<string, unknown> {
  return {
    name: 'legend',
    data: { values: [{ w: domain[0] }, { w: domain[1] }] },
    mark: { type: 'point', opacity: 0 },
    encoding: {
      color: {
        field: 'w',
        type: 'quantitative',
        title,
        scale: { scheme, domain: [...domain], nice: false, zero: false },
      },
    },
  };
}

/**
 * A weight matrix as a heatmap: row r, column c coloured by `w[r][c]`, row 0 at the top, with a
 * gradient legend. Signed weights get a diverging scheme centred on 0. Up to `maxMarks` cells
 * are SVG rectangles; larger matrices (e.g. 784 × 100) are an embedded PNG with one pixel per
 * weight, scaled without smoothing.
 *
 * @param weights - `[rows, cols]` as `{ data, shape }` or rows of numbers.
 * @returns An SVG document.
 * @throws PlotError for a non-matrix, an unknown scheme or a bad domain.
 * @example
 * ```ts
 * const svg = await weightHeatmap({ data: w.dataSync(), shape: w.shape }, { rowTitle: 'pre', colTitle: 'post' });
 * ```
 */
export async function weightHeatmap(weights: Matrix, options: HeatmapOptions = {}): Promise<string> {
  checkPlotOptions('weightHeatmap', options, HEATMAP_KEYS);
  const fn = 'weightHeatmap';
  const { data, rows, cols } = toMatrix(fn, 'weights', weights);
  if (rows === 0 || cols === 0)
    throw new PlotError(fn, 'weights', 'a matrix with at least one row and column', [rows, cols]);
  const { scheme, domain } = resolveColor(fn, data, options);
  const maxMarks = checkCount(fn, 'maxMarks', options.maxMarks ?? 4096, 0);
  const cell = Math.min(30, 600 / cols, 400 / rows);
  const width = checkCount(fn, 'width', options.width ?? Math.round(Math.min(600, Math.max(160, cols * cell))));
  const height = checkCount(fn, 'height', options.height ?? Math.round(Math.min(400, Math.max(100, rows * cell))));
  const legendTitle = options.legendTitle ?? 'weight';
  // Cell (r, c) spans r - 0.5 .. r + 0.5 and c - 0.5 .. c + 0.5, so the integer ticks, labelled
  // with the row and column indices, sit at the cells' centres rather than on their edges.
  const xTicks = unitTicks(0, cols - 1, 1, width / X_TICK_SPACING);
  const yTicks = unitTicks(0, rows - 1, 1, height / Y_TICK_SPACING);
  const x = {
    field: 'c',
    type: 'quantitative',
    title: options.colTitle ?? 'output',
    scale: { domain: [-0.5, cols - 0.5], nice: false, zero: false },
    axis: { values: xTicks.values, format: xTicks.format },
  };
  const y = {
    field: 'r',
    type: 'quantitative',
    title: options.rowTitle ?? 'input',
    scale: { domain: [rows - 0.5, -0.5], nice: false, zero: false },
    axis: { values: yTicks.values, format: yTicks.format },
  };
  let layers: Record<string, unknown>[];
  if (rows * cols <= maxMarks) {
    const values: { r: number; r2: number; c: number; c2: number; w: number }[] = [];
    for (let r = 0; r < rows; r++) {
      for (let c = 0; c < cols; c++)
        values.push({ r: r - 0.5, r2: r + 0.5, c: c - 0.5, c2: c + 0.5, w: data[r * cols + c] as number });
    }
    layers = [
      {
        name: 'cells',
        data: { values },
        mark: { type: 'rect' },
        encoding: {
          x,
          x2: { field: 'c2' },
          y,
          y2: { field: 'r2' },
          color: {
            field: 'w',
            type: 'quantitative',
            title: legendTitle,
            scale: { scheme, domain, nice: false, zero: false },
          },
        },
      },
    ];
  } else {
    const table = schemeTable(scheme);
    const rgba = new Uint8Array(rows * cols * 4);
    for (let i = 0; i < rows * cols; i++) {
      const k = colorIndex(data[i] as number, domain);
      if (k < 0) continue; // NaN: transparent
      rgba.set([table[k * 3] as number, table[k * 3 + 1] as number, table[k * 3 + 2] as number, 255], i * 4);
    }
    layers = [
      {
        name: 'cells',
        data: { values: [{ c: -0.5, c2: cols - 0.5, r: -0.5, r2: rows - 0.5, url: pngDataUrl(cols, rows, rgba) }] },
        mark: { type: 'image', aspect: false, smooth: false },
        encoding: { x, x2: { field: 'c2' }, y, y2: { field: 'r2' }, url: { field: 'url', type: 'nominal' } },
      },
      legendLayer(legendTitle, scheme, domain),
    ];
  }
  const spec = { width, height, ...titleOf(options.title), layer: layers };
  return renderSpec(spec as unknown as TopLevelSpec);
}

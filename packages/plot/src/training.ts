import type { TopLevelSpec } from 'vega-lite';
import { checkCount, PlotError } from './data.js';
import { CATEGORY_COLORS } from './image.js';
import { checkPlotOptions, PLOT_KEYS } from './options.js';
import { type PlotOptions, renderSpec, titleOf } from './render.js';
import { unitTicks, X_TICK_SPACING } from './ticks.js';

/**
 * Training curves: one panel per metric; a metric is one series of values (one per epoch or
 * step) or several named series (e.g. `{ train: [...], test: [...] }`).
 */
export type Curves = Readonly<Record<string, ArrayLike<number> | Readonly<Record<string, ArrayLike<number>>>>>;

/** Options of {@link trainingCurves}. */
export interface TrainingCurveOptions extends PlotOptions {
  /** Title of the shared x axis. Default `'epoch'`. */
  readonly xTitle?: string;
  /** The x value of the first entry of every series. Default 1. */
  readonly x0?: number;
  /** Draw a dot at every value: default when the longest series has at most 60 values. */
  readonly points?: boolean;
}

/**
 * The y scale of a panel. A metric with a single value (one epoch) would get a zero-width domain,
 * which Vega labels with the value itself (`1.745935`); widen it by 10 % either side so the
 * ticks are round numbers around it.
 */
function yScale(values: readonly { y: number | null }[]): Record<string, unknown> {
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (const { y } of values) {
    if (y === null) continue;
    lo = Math.min(lo, y);
    hi = Math.max(hi, y);
  }
  if (!(lo === hi)) return { zero: false }; // several values, or none
  const pad = lo === 0 ? 1 : Math.abs(lo) / 10;
  return { domain: [lo - pad, hi + pad], nice: true, zero: false };
}

const isSeries = (x: unknown): x is ArrayLike<number> =>
  Array.isArray(x) || (ArrayBuffer.isView(x) && !(x instanceof DataView));

/**
 * Training curves as stacked panels, one per metric (loss, accuracy, ...), each with its own y
 * scale and a shared x axis; several series of a metric (train, test) are coloured alike in every
 * panel and share one legend. Non-finite values leave gaps.
 *
 * @param curves - `{ metric: values }` or `{ metric: { series: values } }`.
 * @returns An SVG document.
 * @throws PlotError when there is no metric or a value list is not an array.
 * @example
 * ```ts
 * const svg = await trainingCurves({ loss: { train: trainLoss, test: testLoss }, accuracy: { train: trainAcc, test: testAcc } });
 * ```
 */
export async function trainingCurves(curves: Curves, options: TrainingCurveOptions = {}): Promise<string> {
  const fn = 'trainingCurves';
  checkPlotOptions(fn, options, [...PLOT_KEYS, 'xTitle', 'x0', 'points']);
  if (curves === null || typeof curves !== 'object' || Object.keys(curves).length === 0) {
    throw new PlotError(fn, 'curves', '{ metric: values } with at least one metric', curves);
  }
  const width = checkCount(fn, 'width', options.width ?? 600);
  const height = checkCount(fn, 'height', options.height ?? 160);
  const x0 = options.x0 ?? 1;
  const metrics = Object.entries(curves).map(([metric, v]) => {
    let series: [string, ArrayLike<number>][];
    if (isSeries(v)) series = [['', v]];
    else if (v !== null && typeof v === 'object') series = Object.entries(v);
    else throw new PlotError(fn, `curves.${metric}`, 'an array of values or { series: values }', v);
    for (const [name, values] of series) {
      if (!isSeries(values)) throw new PlotError(fn, `curves.${metric}.${name}`, 'an array of values', values);
    }
    return { metric, series };
  });
  const seriesNames = [...new Set(metrics.flatMap((m) => m.series.map(([n]) => n)))];
  const named = seriesNames.some((n) => n !== '');
  const longest = Math.max(0, ...metrics.flatMap((m) => m.series.map(([, v]) => v.length)));
  const points = options.points ?? longest <= 60;
  const color = named
    ? {
        field: 'series',
        type: 'nominal',
        title: null,
        scale: { domain: seriesNames, range: seriesNames.map((_, i) => CATEGORY_COLORS[i % CATEGORY_COLORS.length]) },
      }
    : { value: CATEGORY_COLORS[0] };
  // Ticks on the epochs themselves (x0, x0 + 1, ...); one epoch gets half an epoch either side
  // instead of an axis that runs on to an epoch that never happened.
  const xDomain = longest <= 1 ? [x0 - 0.5, x0 + 0.5] : [x0, x0 + longest - 1];
  const xTicks = unitTicks(0, Math.max(0, longest - 1), 1, width / X_TICK_SPACING).values.map((i) => x0 + i);
  const panels = metrics.map(({ metric, series }, k) => {
    const values: { x: number; y: number | null; series: string }[] = [];
    for (const [name, v] of series) {
      for (let i = 0; i < v.length; i++) {
        const y = v[i] as number;
        values.push({ x: x0 + i, y: Number.isFinite(y) ? y : null, series: name });
      }
    }
    const encoding = {
      x: {
        field: 'x',
        type: 'quantitative',
        title: k === metrics.length - 1 ? (options.xTitle ?? 'epoch') : null,
        scale: { domain: xDomain, nice: false, zero: false },
        axis: { values: xTicks, format: Number.isInteger(x0) ? '.0f' : '~f' },
      },
      y: { field: 'y', type: 'quantitative', title: metric, scale: yScale(values) },
      color,
    };
    return {
      width,
      height,
      data: { values },
      layer: [
        { name: `curve_${k}`, mark: { type: 'line', strokeWidth: 1.75 }, encoding },
        ...(points
          ? [{ name: `points_${k}`, mark: { type: 'point', filled: true, size: 18, opacity: 1 }, encoding }]
          : []),
      ],
    };
  });
  const spec = { ...titleOf(options.title), vconcat: panels, spacing: 12 };
  return renderSpec(spec as unknown as TopLevelSpec);
}

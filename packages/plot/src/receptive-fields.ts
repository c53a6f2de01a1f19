import type { TopLevelSpec } from 'vega-lite';
import { checkCount, extent, type Matrix, PlotError, toMatrix } from './data.js';
import { type ColorOptions, colorIndex, legendLayer, resolveColor } from './heatmap.js';
import { pngDataUrl, schemeTable } from './image.js';
import { COLOR_KEYS, checkPlotOptions, PLOT_KEYS } from './options.js';
import { type PlotOptions, renderSpec, titleOf } from './render.js';

/** Options of {@link receptiveFields}. */
export interface ReceptiveFieldOptions extends PlotOptions, ColorOptions {
  /** `[height, width]` of one field, e.g. `[28, 28]` for MNIST. */
  readonly imageShape: readonly [number, number];
  /**
   * Which axis of the matrix indexes the neurons: `1` for `[inputs, neurons]` (a dense layer's
   * weight), `0` for `[neurons, inputs]`. Default: the axis whose size is not `height · width`;
   * `1` when both are.
   */
  readonly neuronAxis?: 0 | 1;
  /** The neurons to show, in order. Default all. */
  readonly neurons?: readonly number[];
  /** Fields per row of the grid. Default `ceil(sqrt(n))`. */
  readonly columns?: number;
  /** `'all'`: one colour scale for every field, with a legend (default). `'each'`: each field spans the whole scheme. */
  readonly normalize?: 'all' | 'each';
  /** Screen pixels of white between fields. Default 2 (1 when a weight gets a single pixel). */
  readonly gap?: number;
  /** Screen pixels per weight. Default: as many as fit the grid in about 600 pixels across (at least 1). */
  readonly pixelSize?: number;
}

/**
 * Receptive fields as a grid of images: the weights into each neuron reshaped to `imageShape`
 * (e.g. 28 × 28 per output neuron), neuron 0 at the top left, filled row by row. Drawn as one
 * embedded PNG: `pixelSize` × `pixelSize` screen pixels per weight, `gap` white pixels between fields. Non-negative weights
 * default to `'greys'` (strong weights dark, like ink); signed ones to `'blueorange'` about 0.
 *
 * @param weights - `[inputs, neurons]` (or `[neurons, inputs]`, see `neuronAxis`).
 * @returns An SVG document.
 * @throws PlotError when neither axis has `height · width` entries, or for bad options.
 * @example
 * ```ts
 * const svg = await receptiveFields({ data: w.dataSync(), shape: w.shape }, { imageShape: [28, 28] });
 * ```
 */
export async function receptiveFields(weights: Matrix, options: ReceptiveFieldOptions): Promise<string> {
  const fn = 'receptiveFields';
  checkPlotOptions(fn, options, [
    ...PLOT_KEYS,
    ...COLOR_KEYS,
    'imageShape',
    'neuronAxis',
    'neurons',
    'columns',
    'normalize',
    'gap',
    'pixelSize',
  ]);
  const { data, rows, cols } = toMatrix(fn, 'weights', weights);
  const shape = options?.imageShape;
  if (!Array.isArray(shape) || shape.length !== 2) throw new PlotError(fn, 'imageShape', '[height, width]', shape);
  const h = checkCount(fn, 'imageShape[0]', shape[0]);
  const w = checkCount(fn, 'imageShape[1]', shape[1]);
  const pixels = h * w;
  let axis = options.neuronAxis;
  if (axis === undefined) {
    if (rows === pixels) axis = 1;
    else if (cols === pixels) axis = 0;
    else throw new PlotError(fn, 'weights', `an axis of ${h}·${w} = ${pixels} inputs`, [rows, cols]);
  }
  if (axis !== 0 && axis !== 1) throw new PlotError(fn, 'neuronAxis', '0 or 1', axis);
  const count = axis === 1 ? cols : rows;
  if ((axis === 1 ? rows : cols) !== pixels) {
    throw new PlotError(fn, 'weights', `${pixels} inputs along axis ${1 - axis}`, [rows, cols]);
  }
  const weightOf = (neuron: number, p: number): number =>
    (axis === 1 ? data[p * cols + neuron] : data[neuron * cols + p]) as number;
  const neurons = options.neurons ?? Array.from({ length: count }, (_, i) => i);
  if (neurons.length === 0) throw new PlotError(fn, 'neurons', 'at least one neuron', neurons);
  for (const n of neurons) {
    if (!(Number.isInteger(n) && n >= 0 && n < count))
      throw new PlotError(fn, 'neurons', `indices in [0, ${count})`, n);
  }
  const columns = checkCount(fn, 'columns', options.columns ?? Math.ceil(Math.sqrt(neurons.length)));
  const gridRows = Math.ceil(neurons.length / columns);
  const u = checkCount(
    fn,
    'pixelSize',
    options.pixelSize ?? Math.max(1, Math.min(32, Math.floor(600 / (columns * w)))),
  );
  const gap = checkCount(fn, 'gap', options.gap ?? (u === 1 ? 1 : 2), 0);
  const normalize = options.normalize ?? 'all';
  if (normalize !== 'all' && normalize !== 'each') throw new PlotError(fn, 'normalize', "'all' or 'each'", normalize);

  const shown = new Float64Array(neurons.length * pixels);
  neurons.forEach((n, k) => {
    for (let p = 0; p < pixels; p++) shown[k * pixels + p] = weightOf(n, p);
  });
  const { scheme, domain } = resolveColor(fn, shown, {
    ...options,
    scheme: options.scheme ?? (extent(shown)[0] < 0 ? undefined : 'greys'),
  });
  const table = schemeTable(scheme);
  // the mosaic at screen resolution: u × u pixels per weight, white gaps
  const mw = columns * (w * u + gap) - gap;
  const mh = gridRows * (h * u + gap) - gap;
  const rgba = new Uint8Array(mw * mh * 4).fill(255);
  neurons.forEach((_, k) => {
    const field = shown.subarray(k * pixels, (k + 1) * pixels);
    const d =
      normalize === 'each'
        ? resolveColor(fn, field, { scheme, domain: eachDomain(field, options.domain) }).domain
        : domain;
    const ox = (k % columns) * (w * u + gap);
    const oy = Math.floor(k / columns) * (h * u + gap);
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        const i = colorIndex(field[y * w + x] as number, d);
        if (i < 0) continue;
        for (let dy = 0; dy < u; dy++) {
          for (let dx = 0; dx < u; dx++) {
            const o = ((oy + y * u + dy) * mw + ox + x * u + dx) * 4;
            rgba[o] = table[i * 3] as number;
            rgba[o + 1] = table[i * 3 + 1] as number;
            rgba[o + 2] = table[i * 3 + 2] as number;
          }
        }
      }
    }
  });
  const width = checkCount(fn, 'width', options.width ?? mw);
  const height = checkCount(fn, 'height', options.height ?? Math.round((width * mh) / mw));
  const layers: Record<string, unknown>[] = [
    {
      name: 'fields',
      data: { values: [{ x: 0, x2: mw, y: 0, y2: mh, url: pngDataUrl(mw, mh, rgba) }] },
      mark: { type: 'image', aspect: false, smooth: false },
      encoding: {
        x: { field: 'x', type: 'quantitative', axis: null, scale: { domain: [0, mw], nice: false, zero: false } },
        x2: { field: 'x2' },
        y: { field: 'y', type: 'quantitative', axis: null, scale: { domain: [mh, 0], nice: false, zero: false } },
        y2: { field: 'y2' },
        url: { field: 'url', type: 'nominal' },
      },
    },
  ];
  if (normalize === 'all') layers.push(legendLayer('weight', scheme, domain));
  const subtitle = `${neurons.length} neuron${neurons.length === 1 ? '' : 's'}, ${h}×${w} each${
    normalize === 'each' ? ', each scaled to its own range' : ''
  }`;
  const spec = {
    width,
    height,
    ...titleOf(options.title ?? 'Receptive fields', subtitle),
    view: { stroke: null },
    layer: layers,
  };
  return renderSpec(spec as unknown as TopLevelSpec);
}

/** With `normalize: 'each'`: the field's own range, symmetric about 0 when signed, unless a domain was given. */
function eachDomain(field: Float64Array, given: readonly [number, number] | undefined): [number, number] | undefined {
  if (given !== undefined) return [given[0], given[1]];
  const [lo, hi] = extent(field);
  if (!Number.isFinite(lo)) return undefined;
  if (lo < 0 && hi > 0) {
    const m = Math.max(-lo, hi);
    return [-m, m];
  }
  return lo === hi ? [lo - 0.5, hi + 0.5] : [lo, hi];
}

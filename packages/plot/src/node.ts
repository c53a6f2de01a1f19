/**
 * `@snn/plot/node`: PNG files from the SVG plots, in Node only (resvg is a native addon).
 * The main entry `@snn/plot` stays free of Node-only code, so it bundles for the browser.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, extname } from 'node:path';
import { Resvg } from '@resvg/resvg-js';
import { PlotError } from './data.js';
import { checkPlotOptions } from './options.js';

/** Options of {@link svgToPng} and {@link savePlot}. */
export interface PngOptions {
  /** Pixels per SVG unit: 2 gives a sharp picture on high-density screens. Default 2. */
  readonly scale?: number;
  /** Background behind transparent parts. Default `'white'`. */
  readonly background?: string;
}

/**
 * Rasterises an SVG string to PNG bytes with resvg (fonts from the system: Liberation Sans,
 * Arial, Helvetica or DejaVu Sans, whichever is there). Embedded images (dense rasters,
 * heatmaps) are scaled without smoothing, so each bin stays a crisp block.
 *
 * @throws PlotError when `scale` is not a positive number or `svg` is not a string.
 * @example
 * ```ts
 * fs.writeFileSync('raster.png', svgToPng(await raster(mon.toArray('spike'))));
 * ```
 */
export function svgToPng(svg: string, options: PngOptions = {}): Uint8Array {
  checkPlotOptions('svgToPng', options, ['scale', 'background']);
  const scale = options.scale ?? 2;
  if (!(Number.isFinite(scale) && scale > 0)) throw new PlotError('svgToPng', 'scale', 'a finite number > 0', scale);
  if (typeof svg !== 'string') throw new PlotError('svgToPng', 'svg', 'an SVG string', svg);
  const resvg = new Resvg(svg, {
    fitTo: { mode: 'zoom', value: scale },
    background: options.background ?? 'white',
    // optimizeSpeed: nearest-neighbour scaling of embedded images
    imageRendering: 1,
    font: { loadSystemFonts: true, defaultFontFamily: 'Liberation Sans', sansSerifFamily: 'Liberation Sans' },
  });
  return resvg.render().asPng();
}

/**
 * Writes a plot to `path`: PNG for `.png`, the SVG itself for `.svg`. Creates missing folders.
 * Takes the SVG or the promise a plot function returns, so one line does it.
 *
 * @returns The path written.
 * @throws PlotError for another extension.
 * @example
 * ```ts
 * await savePlot('out/raster.png', raster(mon.toArray('spike')));
 * ```
 */
export async function savePlot(
  path: string,
  plot: string | Promise<string>,
  options: PngOptions = {},
): Promise<string> {
  checkPlotOptions('savePlot', options, ['scale', 'background']);
  const ext = extname(path).toLowerCase();
  if (ext !== '.png' && ext !== '.svg')
    throw new PlotError('savePlot', 'path', "a file name ending in '.png' or '.svg'", path);
  const svg = await plot;
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, ext === '.png' ? svgToPng(svg, options) : svg);
  return path;
}

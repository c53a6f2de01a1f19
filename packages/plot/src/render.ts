import { parse, View } from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';

/**
 * Fonts tried in order: metric-compatible with Arial first (Vega estimates text widths for
 * Arial-like fonts when no canvas is at hand), then what Linux machines usually have.
 */
export const FONT = 'Liberation Sans, Arial, Helvetica, DejaVu Sans, sans-serif';

/** Vega-Lite config shared by every plot: white background, no per-mark ARIA labels (they would repeat the data). */
const CONFIG = {
  background: 'white',
  font: FONT,
  padding: 8,
  mark: { aria: false },
  axis: { labelFontSize: 11, titleFontSize: 12, titleFontWeight: 'normal', grid: false },
  legend: { labelFontSize: 11, titleFontSize: 12, titleFontWeight: 'normal', symbolOpacity: 1 },
  title: { fontSize: 14, fontWeight: 'normal', subtitleFontSize: 11, subtitleColor: '#555', anchor: 'start' },
  view: { stroke: '#bbb' },
} as const;

/** Options every plot takes. */
export interface PlotOptions {
  /** Width of the plotting area in pixels (axes, legend and title come on top). Default 600. */
  readonly width?: number;
  /** Height of the plotting area in pixels. Default depends on the plot. */
  readonly height?: number;
  /** Title above the plot. */
  readonly title?: string;
}

/** Title block for a spec: `title` with an optional grey subtitle. */
export function titleOf(title: string | undefined, subtitle?: string): Record<string, unknown> {
  if (title === undefined && subtitle === undefined) return {};
  // Vega drops a subtitle under an empty title: without a title the note takes its place, in grey.
  if (title === undefined) return { title: { text: subtitle, fontSize: 11, color: '#555' } };
  return { title: { text: title, ...(subtitle === undefined ? {} : { subtitle }) } };
}

/**
 * Renders a Vega-Lite spec to an SVG string, with no DOM and no canvas: the same code in Node and
 * the browser.
 */
export async function renderSpec(spec: TopLevelSpec): Promise<string> {
  const vg = compile(spec, { config: CONFIG as never }).spec;
  const view = new View(parse(vg), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

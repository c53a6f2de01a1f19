import { encode } from 'fast-png';
import { scheme as vegaScheme } from 'vega';

/** Colours of populations and traces: Vega's `tableau10`, so pixels drawn here match the legends. */
export const CATEGORY_COLORS: readonly string[] = [
  '#4c78a8',
  '#f58518',
  '#e45756',
  '#72b7b2',
  '#54a24b',
  '#eeca3b',
  '#b279a2',
  '#ff9da6',
  '#9d755d',
  '#bab0ac',
];

/** `'#rrggbb'`, `'#rgb'` or `'rgb(r, g, b)'` as `[r, g, b]` (0-255). */
export function parseColor(color: string): [number, number, number] {
  const c = color.trim();
  let m = /^#([0-9a-f]{6})$/i.exec(c);
  if (m) {
    const n = Number.parseInt(m[1] as string, 16);
    return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
  }
  m = /^#([0-9a-f]{3})$/i.exec(c);
  if (m) {
    const [r, g, b] = [...(m[1] as string)].map((h) => Number.parseInt(h + h, 16));
    return [r as number, g as number, b as number];
  }
  m = /^rgba?\(\s*([\d.]+)[\s,]+([\d.]+)[\s,]+([\d.]+)/i.exec(c);
  if (m) return [Math.round(Number(m[1])), Math.round(Number(m[2])), Math.round(Number(m[3]))];
  throw new Error(`cannot parse colour '${color}': use '#rrggbb' or 'rgb(r, g, b)'`);
}

/**
 * A 256-entry lookup table (RGB triplets) of a continuous Vega colour scheme, sampled as Vega-Lite
 * samples it for a linear colour scale, so an image drawn with it agrees with the scale's legend.
 * @param reverse - Flip the scheme (high values take the scheme's first colour).
 */
export function schemeTable(name: string, reverse = false): Uint8Array {
  const interpolate = vegaScheme(name) as unknown;
  if (typeof interpolate !== 'function') throw new Error(`'${name}' is not a continuous Vega colour scheme`);
  const table = new Uint8Array(256 * 3);
  for (let i = 0; i < 256; i++) {
    const t = reverse ? 1 - i / 255 : i / 255;
    const [r, g, b] = parseColor((interpolate as (t: number) => string)(t));
    table.set([r, g, b], i * 3);
  }
  return table;
}

/** Whether `name` is a continuous colour scheme Vega knows. */
export function isContinuousScheme(name: string): boolean {
  return typeof (vegaScheme(name) as unknown) === 'function';
}

/** Bytes as base64 without Node's Buffer (works in the browser too). */
export function base64(bytes: Uint8Array): string {
  let s = '';
  const chunk = 0x8000;
  for (let i = 0; i < bytes.length; i += chunk) {
    s += String.fromCharCode(...bytes.subarray(i, i + chunk));
  }
  return btoa(s);
}

/** An RGBA image (`width · height · 4` bytes, rows top to bottom) as a `data:image/png;base64,...` URL. */
export function pngDataUrl(width: number, height: number, rgba: Uint8Array): string {
  const png = encode({ width, height, data: rgba, channels: 4, depth: 8 });
  return `data:image/png;base64,${base64(png)}`;
}

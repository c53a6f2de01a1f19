// Test helpers (not part of the package: excluded from the build).
import { XMLParser, XMLValidator } from 'fast-xml-parser';

type Node = { [key: string]: unknown };

/** Parses an SVG document as XML; throws with the parser's message when it is not well-formed. */
export function parseSvg(svg: string): Node {
  const valid = XMLValidator.validate(svg);
  if (valid !== true) throw new Error(`invalid XML: ${valid.err.msg} (line ${valid.err.line})`);
  const doc = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@' }).parse(svg) as Node;
  if (doc.svg === undefined) throw new Error('no <svg> root element');
  return doc.svg as Node;
}

const asList = (x: unknown): Node[] => (x === undefined ? [] : Array.isArray(x) ? (x as Node[]) : [x as Node]);

/** Every element (with its tag) below `node`, depth first. */
function* elements(node: Node, tag = 'svg'): Generator<[string, Node]> {
  yield [tag, node];
  for (const [key, value] of Object.entries(node)) {
    if (key.startsWith('@') || key === '#text') continue;
    for (const child of asList(value)) if (typeof child === 'object' && child !== null) yield* elements(child, key);
  }
}

/** The mark groups Vega drew for the layer named `name` (class `<name>_marks`). */
export function markGroups(svg: string, name: string): Node[] {
  const root = parseSvg(svg);
  const out: Node[] = [];
  for (const [tag, el] of elements(root)) {
    const cls = el['@class'];
    if (
      tag === 'g' &&
      typeof cls === 'string' &&
      cls.split(' ').includes('role-mark') &&
      cls.split(' ').includes(`${name}_marks`)
    ) {
      out.push(el);
    }
  }
  return out;
}

/** Number of items (paths, lines, images, texts) drawn for layer `name`; one per line for line marks. */
export function countMarks(svg: string, name: string): number {
  let n = 0;
  for (const g of markGroups(svg, name)) {
    for (const tag of ['path', 'line', 'image', 'text', 'rect']) n += asList(g[tag]).length;
  }
  return n;
}

/** The `xlink:href` (or `href`) of every `<image>` in the SVG. */
export function imageUrls(svg: string): string[] {
  const urls: string[] = [];
  for (const [tag, el] of elements(parseSvg(svg))) {
    if (tag === 'image') urls.push(String(el['@xlink:href'] ?? el['@href']));
  }
  return urls;
}

/** First `translate(x, y)` of an element's `transform`, or [0, 0]. */
export function translateOf(el: Node): [number, number] {
  const m = /translate\(\s*([-\d.e]+)[ ,]+([-\d.e]+)\s*\)/.exec(String(el['@transform'] ?? ''));
  return m === null ? [0, 0] : [Number(m[1]), Number(m[2])];
}

/** Text of an element as written in the SVG (the XML parser turns `7` into a number). */
const textOf = (el: Node): string => String(el['#text'] ?? '');

/** An axis Vega drew: `x` or `y`, its title, and its visible labels with their positions along the axis. */
export interface DrawnAxis {
  readonly orient: 'x' | 'y';
  readonly title: string | undefined;
  /** `at`: the x (for an x axis) or y of the label's tick, in the coordinates of the plot's marks. */
  readonly labels: { text: string; at: number }[];
}

/** Every labelled axis of the SVG, in drawing order (grid-only axes are skipped). */
export function drawnAxes(svg: string): DrawnAxis[] {
  const out: DrawnAxis[] = [];
  for (const [tag, el] of elements(parseSvg(svg))) {
    if (tag !== 'g' || !String(el['@class'] ?? '').includes('role-axis')) continue;
    const aria = /^([XY])-axis(?: titled '([^']*)')?/.exec(String(el['@aria-label'] ?? ''));
    if (aria === null) continue;
    const orient = aria[1] === 'X' ? 'x' : 'y';
    // Vega draws one tick line and one label per value, in the same order; the tick is where the
    // value is (a label's own position is shifted by its baseline).
    let ticks: Node[] = [];
    let texts: Node[] = [];
    for (const [t, g] of elements(el)) {
      const cls = String(g['@class'] ?? '');
      if (t === 'g' && cls.includes('role-axis-tick')) ticks = asList(g.line);
      if (t === 'g' && cls.includes('role-axis-label')) texts = asList(g.text);
    }
    if (ticks.length !== texts.length) throw new Error(`${ticks.length} ticks but ${texts.length} labels`);
    const labels: { text: string; at: number }[] = [];
    for (const [i, text] of texts.entries()) {
      if (String(text['@opacity'] ?? '1') === '0') continue; // hidden by Vega's overlap removal
      const [x, y] = translateOf(ticks[i] as Node);
      labels.push({ text: textOf(text), at: orient === 'x' ? x : y });
    }
    out.push({ orient, title: aria[2], labels });
  }
  return out;
}

/** The `d` of every path drawn for layer `name`. */
export function markPaths(svg: string, name: string): string[] {
  return markGroups(svg, name).flatMap((g) => asList(g.path).map((p) => String(p['@d'])));
}

/** Width and height of the whole SVG document, in pixels. */
export function svgSize(svg: string): [number, number] {
  const root = parseSvg(svg);
  return [Number(root['@width']), Number(root['@height'])];
}

/** Left edge and width of each legend's box, in the plot's coordinates (x = 0 at the plotting area's left edge). */
export function legendBoxes(svg: string): { x: number; width: number }[] {
  const out: { x: number; width: number }[] = [];
  for (const [tag, el] of elements(parseSvg(svg))) {
    if (
      tag !== 'g' ||
      !String(el['@class'] ?? '')
        .split(' ')
        .includes('role-legend')
    )
      continue;
    const inner = asList(el.g)[0] as Node;
    const box = /^M0,0h([\d.]+)v/.exec(String((asList(inner.path)[0] as Node)['@d']));
    if (box === null) throw new Error('legend without a background box');
    out.push({ x: translateOf(inner)[0], width: Number(box[1]) });
  }
  return out;
}

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

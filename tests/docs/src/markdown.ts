// Reading the repository's Markdown: fenced code blocks, relative links and heading anchors.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The repository root. */
export const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** A file of the repository as text. */
export const readRepoFile = (path: string): string => readFileSync(`${ROOT}${path}`, 'utf8');

/** A fenced code block: its language, its code and the line of its opening fence (1-based). */
export interface CodeBlock {
  readonly lang: string;
  readonly code: string;
  readonly line: number;
}

/** Every fenced code block (```lang ... ```) of a Markdown text, in order. */
export function codeBlocks(markdown: string): CodeBlock[] {
  const blocks: CodeBlock[] = [];
  const lines = markdown.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const open = /^(`{3,})(\S*)\s*$/.exec(lines[i] as string);
    if (open === null) continue;
    const fence = open[1] as string;
    const start = i;
    const body: string[] = [];
    for (i++; i < lines.length && !(lines[i] as string).startsWith(fence); i++) body.push(lines[i] as string);
    blocks.push({ lang: open[2] as string, code: `${body.join('\n')}\n`, line: start + 1 });
  }
  return blocks;
}

/** Markdown without its fenced code blocks. */
const withoutFences = (markdown: string): string => markdown.replace(/^(`{3,})[^\n]*\n[\s\S]*?^\1\s*$/gm, '');

/** The targets of the inline links `[text](target)` of a Markdown text, outside code. */
export function linkTargets(markdown: string): string[] {
  const targets: string[] = [];
  // inline code spans hold no links
  const text = withoutFences(markdown).replace(/`[^`\n]*`/g, '');
  for (const m of text.matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)) targets.push(m[1] as string);
  return targets;
}

/**
 * GitHub's anchor of a heading: lower case, markup and punctuation other than `-` and `_`
 * dropped, spaces to `-`.
 */
export function headingSlug(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');
}

/** The anchors the headings of a Markdown text define (GitHub numbers repeats: `x`, `x-1`, ...). */
export function headingAnchors(markdown: string): Set<string> {
  const seen = new Map<string, number>();
  const anchors = new Set<string>();
  for (const line of withoutFences(markdown).split('\n')) {
    const h = /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
    if (h === null) continue;
    const slug = headingSlug(h[1] as string);
    const n = seen.get(slug) ?? 0;
    seen.set(slug, n + 1);
    anchors.add(n === 0 ? slug : `${slug}-${n}`);
  }
  return anchors;
}

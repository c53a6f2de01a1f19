// The root README and docs/ stand alone: every relative link resolves to a file of this
// repository (not ../shared or anything else outside it), and every #anchor to a heading.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { headingAnchors, headingSlug, linkTargets, ROOT, readRepoFile } from './markdown.js';

/** The Markdown files checked: the root README and every page of docs/ (not the generated docs/api/). */
const FILES = [
  'README.md',
  ...readdirSync(`${ROOT}docs`)
    .filter((f) => f.endsWith('.md'))
    .map((f) => `docs/${f}`),
];

/** Where a link leads: an error message, or null when it resolves. */
function brokenLink(from: string, target: string): string | null {
  if (/^[a-z][a-z+.-]*:/i.test(target)) return null; // https:, mailto:: not a file of the repository
  const [path = '', anchor] = target.split('#');
  const file = path === '' ? resolve(ROOT, from) : resolve(ROOT, dirname(from), decodeURIComponent(path));
  const inside = relative(ROOT, file);
  if (inside.startsWith('..')) return `${target}: outside the repository (${inside})`;
  if (!existsSync(file)) return `${target}: no such file (${inside})`;
  if (anchor !== undefined && statSync(file).isFile() && file.endsWith('.md')) {
    if (!headingAnchors(readRepoFile(inside)).has(anchor)) return `${target}: no heading '#${anchor}' in ${inside}`;
  }
  return null;
}

describe('links of the root README and docs/', () => {
  it('finds the pages and their links', () => {
    expect(FILES).toContain('docs/architecture.md');
    expect(FILES).toContain('docs/coming-from-python.md');
    expect(linkTargets(readRepoFile('README.md'))).toContain('docs/architecture.md');
  });

  for (const file of FILES) {
    it(`${file}: every relative link resolves inside the repository`, () => {
      const broken = linkTargets(readRepoFile(file))
        .map((t) => brokenLink(file, t))
        .filter((e): e is string => e !== null);
      expect(broken).toEqual([]);
    });
  }

  it('reads links and anchors the way GitHub does', () => {
    const md = [
      '# snnTorch’s `beta` as our `tau`',
      '## Design notes (departures from ARCHITECTURE.md and why)',
      '## Notes',
      '## Notes',
      'A [link](a.md#x) and `[not](a link)`, and a [second](../b.md "title").',
      '```ts',
      '// [not a link](c.md)',
      '# not a heading',
      '```',
    ].join('\n');
    expect(linkTargets(md)).toEqual(['a.md#x', '../b.md']);
    expect([...headingAnchors(md)]).toEqual([
      'snntorchs-beta-as-our-tau',
      'design-notes-departures-from-architecturemd-and-why',
      'notes',
      'notes-1',
    ]);
    expect(headingSlug('`network.run(options)`')).toBe('networkrunoptions');
    expect(brokenLink('README.md', '../shared/ARCHITECTURE.md')).toMatch(/outside the repository/);
    expect(brokenLink('README.md', 'docs/nothing.md')).toMatch(/no such file/);
    expect(brokenLink('docs/architecture.md', '../README.md#no-such-heading')).toMatch(/no heading/);
    expect(brokenLink('docs/architecture.md', 'https://example.org/x')).toBeNull();
  });
});

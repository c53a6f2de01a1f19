// The API reference builds: `pnpm run docs` (TypeDoc over every package, typedoc.config.mjs)
// exits 0, which it does not when a TSDoc {@link} resolves to nothing, and writes docs/api/
// with each package's README as the front page of its module.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, readRepoFile } from './markdown.js';

const PACKAGES = readdirSync(`${ROOT}packages`).filter((p) => existsSync(`${ROOT}packages/${p}/package.json`));

/**
 * Text of an HTML page without any white space (where a tag ends a word is not knowable from the
 * markup alone): tags dropped, the few entities TypeDoc writes decoded.
 */
const textOf = (html: string): string =>
  html
    .replace(/<[^>]*>/g, '')
    .replace(/&#39;|&#x27;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, '');
const squash = (text: string): string => text.replace(/\s+/g, '');

/** The first words of a README's first paragraph, as they read once rendered (links and code marks gone). */
function opening(readme: string): string {
  const paragraph = readme.split('\n\n').find((p) => p.trim() !== '' && !p.startsWith('#')) ?? '';
  const plain = paragraph
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/[`*]/g, '')
    .replace(/\s+/g, ' ')
    .trim();
  return plain.split(' ').slice(0, 6).join(' ');
}

describe('the API reference', () => {
  it('builds with pnpm run docs: no broken {@link}, every package with its README', () => {
    // the `docs` script of the root package.json is `typedoc`: run its bin with this Node
    const typedocPackage = createRequire(`${ROOT}package.json`).resolve('typedoc/package.json');
    const typedoc = join(dirname(typedocPackage), 'bin', 'typedoc');
    const run = spawnSync(process.execPath, [typedoc], { cwd: ROOT, encoding: 'utf8' });
    expect(run.status, `${run.stdout}${run.stderr}`).toBe(0);
    expect(existsSync(`${ROOT}docs/api/index.html`)).toBe(true);
    expect(textOf(readFileSync(`${ROOT}docs/api/index.html`, 'utf8'))).toContain(
      squash(opening(readRepoFile('README.md'))),
    );
    for (const name of PACKAGES) {
      const page = `${ROOT}docs/api/modules/_snn_${name}.html`;
      expect(existsSync(page), page).toBe(true);
      const first = opening(readRepoFile(`packages/${name}/README.md`));
      expect(first.split(' ').length, `packages/${name}/README.md`).toBe(6);
      expect(textOf(readFileSync(page, 'utf8')), `@snn/${name}'s front page`).toContain(squash(first));
    }
    // the second entry points of plot and core
    expect(existsSync(`${ROOT}docs/api/modules/_snn_plot.node.html`)).toBe(true);
    expect(existsSync(`${ROOT}docs/api/modules/_snn_core.testing.html`)).toBe(true);
  }, 900_000);
});

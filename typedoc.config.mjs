// TypeDoc over every package (`pnpm docs` → docs/api/, git-ignored): one site, each package's
// README as its front page, the root README as the index. A broken {@link} in a TSDoc comment
// fails the build (tests/docs runs it in CI).
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('.', import.meta.url));
const packages = readdirSync(`${root}packages`);

// Packages import each other by name, which resolves to their dist/ (absent before a build):
// map every name to its sources instead, so the docs build needs no build first.
const paths = {
  '@snn/core/testing': [`${root}packages/core/src/testing/index.ts`],
  '@snn/plot/node': [`${root}packages/plot/src/node.ts`],
};
for (const name of packages) {
  paths[`@snn/${name}/internal`] = [`${root}packages/${name}/src/internal.ts`];
  paths[`@snn/${name}`] = [`${root}packages/${name}/src/index.ts`];
}

/** @type {Partial<import('typedoc').TypeDocOptions>} */
export default {
  name: 'snn',
  entryPointStrategy: 'packages',
  entryPoints: packages.map((name) => `packages/${name}`),
  // each package's entry points and tsconfig: docs/typedoc-plugin.mjs
  plugin: ['./docs/typedoc-plugin.mjs'],
  packageOptions: {
    readme: 'README.md',
    disableSources: true,
    compilerOptions: { paths, rootDir: root },
    skipErrorChecking: true, // `pnpm typecheck` checks the types; this only documents them
    validation: { notExported: false },
  },
  readme: 'README.md',
  out: 'docs/api',
  // the languages of the READMEs' code blocks, besides TypeDoc's defaults
  highlightLanguages: [
    'bash',
    'sh',
    'console',
    'json',
    'typescript',
    'javascript',
    'tsx',
    'python',
    'yaml',
    'html',
    'css',
  ],
  skipErrorChecking: true,
  // A {@link} that resolves to nothing fails the build. Types that exported signatures use but
  // the entry does not export (notExported) are reported by TypeDoc but do not fail it.
  treatValidationWarningsAsErrors: true,
  validation: { invalidLink: true, rewrittenLink: true, notExported: false, notDocumented: false },
};

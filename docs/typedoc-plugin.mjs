// TypeDoc plugin for `pnpm run docs` (configured in typedoc.config.mjs). In packages mode TypeDoc
// reads each package's options separately; this reader gives each package its public entry
// points, and a tsconfig that holds them alone, without the tests (a third of the time, and
// vitest's types, for nothing).
import { mkdirSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Where the generated tsconfigs go (git-ignored). */
const CACHE = fileURLToPath(new URL('../node_modules/.cache/snn-docs/', import.meta.url));

/** The public entries of each package besides `src/index.ts` (its package.json `exports`). */
const EXTRA_ENTRIES = { core: ['src/testing/index.ts'], plot: ['src/node.ts'] };

/** @param {import('typedoc').Application} app */
export function load(app) {
  app.options.addReader({
    name: 'snn-package-entry-points',
    order: 10_000, // after every other reader: this decides
    supportsPackages: true,
    read(options, _logger, cwd) {
      if (options.packageDir === undefined) return;
      const name = basename(cwd);
      const entries = ['src/index.ts', ...(EXTRA_ENTRIES[name] ?? [])];
      options.setValue('entryPoints', entries, cwd);
      mkdirSync(CACHE, { recursive: true });
      const tsconfig = join(CACHE, `${name}.tsconfig.json`);
      const config = { extends: join(cwd, 'tsconfig.json'), include: entries.map((e) => join(cwd, e)) };
      writeFileSync(tsconfig, `${JSON.stringify(config, null, 2)}\n`);
      options.setValue('tsconfig', tsconfig, cwd);
    },
  });
}

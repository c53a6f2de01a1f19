/**
 * @snn/encoding must stay cherry-pickable: it depends on @tensorflow/tfjs-core alone. This test
 * reads package.json and every import of the package's sources (and of dist/, when it has been
 * built) and fails on anything but tfjs-core and relative paths.
 *
 * It checks src/ rather than building first (a build takes several seconds here): every import a
 * build emits, in .js or .d.ts, comes from an import in src/, and src/ is checked including
 * type-only imports, which a .d.ts would keep.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));
const ALLOWED = '@tensorflow/tfjs-core';

/** Every module specifier in `code`: static and dynamic imports, re-exports, require(). */
export function importsOf(code: string): string[] {
  const found = new Set<string>();
  const patterns = [
    /\b(?:import|export)\s+(?:type\s+)?(?:[\w*{}\s,$]+?\s+from\s+)?['"]([^'"]+)['"]/g,
    /\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)/g,
    /\brequire\s*\(\s*['"]([^'"]+)['"]\s*\)/g,
    /\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)\s*\./g,
  ];
  for (const re of patterns) for (const m of code.matchAll(re)) found.add(m[1] as string);
  return [...found];
}

const isAllowed = (spec: string): boolean => spec === ALLOWED || spec.startsWith('./') || spec.startsWith('../');

function filesUnder(dir: string, keep: (name: string) => boolean): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...filesUnder(path, keep));
    else if (keep(name)) out.push(path);
  }
  return out;
}

function offenders(files: readonly string[]): string[] {
  return files.flatMap((file) =>
    importsOf(readFileSync(file, 'utf8'))
      .filter((spec) => !isAllowed(spec))
      .map((spec) => `${file.slice(root.length)}: '${spec}'`),
  );
}

describe('@snn/encoding depends on @tensorflow/tfjs-core only', () => {
  it('the import scanner finds every kind of import', () => {
    const code = [
      "import * as tf from '@tensorflow/tfjs-core';",
      "import type { Tensor } from '@snn/core';",
      "import { a,\n  b } from './a.js';",
      "export { x } from '@snn/neurons';",
      "export * from 'lodash';",
      "import 'side-effect';",
      "const m = await import('node:fs');",
      "const r = require('left-pad');",
    ].join('\n');
    expect(importsOf(code).sort()).toEqual(
      [
        '@snn/core',
        '@snn/neurons',
        '@tensorflow/tfjs-core',
        './a.js',
        'left-pad',
        'lodash',
        'node:fs',
        'side-effect',
      ].sort(),
    );
  });

  it('package.json: no @snn/* (or any other) dependency or peer dependency', () => {
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
    for (const field of ['dependencies', 'peerDependencies', 'optionalDependencies', 'bundleDependencies']) {
      const names = Object.keys(pkg[field] ?? {});
      expect(
        names.filter((n) => n.startsWith('@snn/')),
        field,
      ).toEqual([]);
    }
    expect(Object.keys(pkg.dependencies ?? {})).toEqual([]);
    expect(Object.keys(pkg.peerDependencies ?? {})).toEqual([ALLOWED]);
  });

  it('src/ (all but tests) imports only tfjs-core and relative paths', () => {
    const files = filesUnder(join(root, 'src'), (n) => n.endsWith('.ts') && !n.endsWith('.test.ts'));
    expect(files.length).toBeGreaterThan(5);
    expect(offenders(files)).toEqual([]);
  });

  it('dist/, when built, imports only tfjs-core and relative paths (.js and .d.ts)', () => {
    const dist = join(root, 'dist');
    if (!existsSync(dist)) return; // not built: src/ above covers what a build would emit
    const files = filesUnder(dist, (n) => n.endsWith('.js') || n.endsWith('.d.ts'));
    expect(files.length).toBeGreaterThan(0);
    expect(offenders(files)).toEqual([]);
  });
});

/**
 * Every publishable package as a user gets it: built, packed with `pnpm pack` (which rewrites the
 * `workspace:` ranges), linted by publint and arethetypeswrong, installed from its tarball with
 * npm into a fresh project outside the workspace (tfjs from the registry), its README's first
 * example type-checked under `--strict --module nodenext` and run as written with exactly the
 * packages its install line names, and every entry loaded with `require()` and `import()`.
 *
 * It needs the npm registry, or an npm cache that already holds tfjs and the plot dependencies
 * (installs use --prefer-offline). Without either, the install tests fail with npm's message
 * after their timeout instead of hanging.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, posix } from 'node:path';
import { publint } from 'publint';
import { formatMessage } from 'publint/utils';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { firstBlock, importedPackage, importsOf, installLine, specName } from './readme.js';
import {
  type PackageJson,
  pool,
  publishablePackages,
  type RunResult,
  readJson,
  repoRoot,
  run,
  snnClosure,
  tail,
  type WorkspacePackage,
} from './workspace.js';

const packages = publishablePackages();
const names = new Set(packages.map((p) => p.pkg.name));
const require = createRequire(import.meta.url);
const attwBin = join(dirname(require.resolve('@arethetypeswrong/cli/package.json')), 'dist', 'index.js');

/** The tfjs version the workspace pins: README lines name tfjs without one, a user gets the latest. */
const TFJS = readJson<PackageJson>(join(repoRoot, 'package.json')).devDependencies?.['@tensorflow/tfjs-core'] ?? '';

/** Examples that need a GPU or a browser: only type-checked here (this machine has neither). */
const TYPE_CHECK_ONLY: Record<string, string> = {
  'backend-webgl': 'needs a browser with WebGL',
  'backend-webgpu': 'needs a browser with WebGPU',
};

const MINUTE = 60_000;
const NPM_TIMEOUT = 5 * MINUTE;
const NPM_ARGS = [
  'install',
  '--prefer-offline', // reruns come from the npm cache
  '--no-audit',
  '--no-fund',
  '--engine-strict', // a dependency that refuses our Node (EBADENGINE) fails the install
  '--fetch-timeout=30000',
  '--fetch-retries=1',
  '--loglevel=warn',
];

let work = '';
let tarballs = '';
const unpacked = (p: WorkspacePackage): string => join(work, 'unpacked', p.dir, 'package');
const tarball = (p: WorkspacePackage): string => join(tarballs, p.tarballName);

/** The npm install of each README's project, and of the project that requires everything. */
const installs = new Map<string, Promise<RunResult>>();

/** A fresh npm project in the temp folder. */
function freshProject(name: string): string {
  const dir = join(work, 'projects', name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'package.json'), `${JSON.stringify({ name, version: '0.0.0', private: true }, null, 2)}\n`);
  return dir;
}

/** An install spec as npm gets it: our packages from their tarballs, tfjs at the workspace's version. */
function npmSpec(spec: string): string {
  const name = specName(spec);
  const p = packages.find((q) => q.pkg.name === name);
  if (p !== undefined) return tarball(p);
  if (name === spec && name.startsWith('@tensorflow/') && TFJS !== '') return `${name}@${TFJS}`;
  return spec;
}

function npmInstall(dir: string, specs: readonly string[]): Promise<RunResult> {
  return run('npm', [...NPM_ARGS, ...specs], { cwd: dir, timeoutMs: NPM_TIMEOUT });
}

function installFailure(dir: string, r: RunResult): string {
  const why = r.timedOut ? `timed out after ${NPM_TIMEOUT / MINUTE} min` : `exit ${r.code}`;
  return (
    `npm install in ${dir} failed (${why}). These tests install tfjs from the npm registry (or ` +
    `the npm cache, --prefer-offline): is the registry reachable? npm said:\n${tail(r)}`
  );
}

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'snn-packaging-'));
  tarballs = join(work, 'tarballs');
  mkdirSync(tarballs);

  // What is packed is dist/: build it from the current sources (turbo's cache keeps reruns quick).
  const build = await run(
    'pnpm',
    ['exec', 'turbo', 'run', 'build', '--filter=./packages/*', '--output-logs=errors-only'],
    { cwd: repoRoot, timeoutMs: 15 * MINUTE, env: { TURBO_TELEMETRY_DISABLED: '1' } },
  );
  if (build.code !== 0) throw new Error(`turbo build of the packages failed:\n${tail(build)}`);

  const packs = await pool(
    3,
    packages.map(
      (p) => () => run('pnpm', ['pack', '--pack-destination', tarballs], { cwd: p.path, timeoutMs: 2 * MINUTE }),
    ),
  );
  packs.forEach((r, i) => {
    if (r.code !== 0) throw new Error(`pnpm pack of ${packages[i]?.pkg.name} failed:\n${tail(r)}`);
  });
  for (const p of packages) {
    const dest = join(work, 'unpacked', p.dir);
    mkdirSync(dest, { recursive: true });
    const r = await run('tar', ['xzf', tarball(p), '-C', dest], { cwd: work, timeoutMs: MINUTE });
    if (r.code !== 0) throw new Error(`cannot unpack ${p.tarballName}:\n${tail(r)}`);
  }

  // Installs run in the background while the lint tests run; each test awaits its own. The
  // project that installs everything goes first: it fills the npm cache with every package the
  // README projects take from the registry, so that they install from the cache. When it cannot
  // reach the registry, the others are not tried (each would only wait for its own timeout).
  const all = npmInstall(freshProject('require-all'), [...packages.map(tarball), `@tensorflow/tfjs-core@${TFJS}`]);
  installs.set('require-all', all);
  const readmes = all.then((first) =>
    pool(
      2,
      packages.map((p) => () => {
        if (first.code !== 0) {
          return Promise.resolve({ ...first, stderr: `not tried, since the first install failed:\n${first.stderr}` });
        }
        const named = installLine(p.readme);
        const extra = [...snnClosure(named.map(specName), packages)].filter(
          (n) => !named.some((s) => specName(s) === n),
        );
        return npmInstall(freshProject(`readme-${p.dir}`), [...named, ...extra].map(npmSpec));
      }),
    ),
  );
  packages.forEach((p, i) => {
    installs.set(
      p.dir,
      readmes.then((results) => results[i] as RunResult),
    );
  });
}, 25 * MINUTE);

afterAll(async () => {
  await Promise.all(installs.values()); // nothing may still write into the folder we remove
  if (work !== '' && process.env.SNN_KEEP_PACKAGING === undefined) rmSync(work, { recursive: true, force: true });
}, 20 * MINUTE);

describe('README parsing used below', () => {
  const md = [
    '# x',
    '```sh',
    'npm i @snn/a @scope/b@^2 --save   # the example',
    'npm install c # optional: faster',
    'pnpm add d',
    '```',
    '```ts',
    "import * as tf from '@tensorflow/tfjs-core';",
    "import '@snn/side';",
    "import { f } from '@snn/plot/node';",
    "import { readFileSync } from 'node:fs';",
    "const m = await import('lodash');",
    '```',
    '```ts',
    "import 'second';",
    '```',
  ].join('\n');

  it('reads the npm lines of the first sh block, without the optional ones', () => {
    expect(installLine(md)).toEqual(['@snn/a', '@scope/b@^2']);
    expect(['@snn/a', '@scope/b@^2', 'c@1'].map(specName)).toEqual(['@snn/a', '@scope/b', 'c']);
    expect(installLine('no install here')).toEqual([]);
  });

  it('finds the packages the first ts block imports', () => {
    const example = firstBlock(md, 'ts') ?? '';
    expect(example).not.toContain('second');
    const used = importsOf(example).map(importedPackage);
    expect(used.sort()).toEqual(['@snn/plot', '@snn/side', '@tensorflow/tfjs-core', 'lodash', undefined]);
  });
});

describe('engines', () => {
  it('every package and app declares the Node the root does', () => {
    const root = readJson<PackageJson>(join(repoRoot, 'package.json')).engines?.node;
    expect(root).toBe('>=20.19'); // require() of ES modules, which the exports offer, needs 20.19
    const dirs = ['packages', 'apps'].flatMap((top) =>
      readdirSync(join(repoRoot, top)).map((d) => join(repoRoot, top, d, 'package.json')),
    );
    const wrong = dirs
      .filter((f) => existsSync(f))
      .filter((f) => readJson<PackageJson>(f).engines?.node !== root)
      .map((f) => f.slice(repoRoot.length));
    expect(wrong).toEqual([]);
  });
});

describe.each(packages.map((p) => [p.pkg.name, p] as const))('%s packed', (_name, p) => {
  it('has the metadata a registry page needs', () => {
    const pkg = readJson<PackageJson>(join(unpacked(p), 'package.json'));
    expect(pkg.repository).toEqual({
      type: 'git',
      url: 'git+https://github.com/snn-js/snn.git',
      directory: `packages/${p.dir}`,
    });
    expect(pkg.homepage).toBe(`https://github.com/snn-js/snn/tree/main/packages/${p.dir}#readme`);
    expect(pkg.bugs).toEqual({ url: 'https://github.com/snn-js/snn/issues' });
    // pnpm pack rewrote every workspace: range to the version a registry would serve.
    expect(readFileSync(join(unpacked(p), 'package.json'), 'utf8')).not.toContain('workspace:');
  });

  it('ships every source its maps name, and no tests', async () => {
    const listed = await run('tar', ['tzf', tarball(p)], { cwd: work, timeoutMs: MINUTE });
    const files = new Set(
      listed.stdout
        .split('\n')
        .filter((f) => f !== '')
        .map((f) => f.replace(/^package\//, '')),
    );
    expect(files.has('README.md')).toBe(true);
    expect([...files].filter((f) => /\.test\.ts$|^src\/.*\.json$/.test(f))).toEqual([]);
    const maps = [...files].filter((f) => f.endsWith('.map'));
    expect(maps.length).toBeGreaterThan(0);
    const missing: string[] = [];
    for (const map of maps) {
      const { sources } = JSON.parse(readFileSync(join(unpacked(p), map), 'utf8')) as { sources: string[] };
      for (const source of sources) {
        const target = posix.normalize(posix.join(posix.dirname(map), source));
        if (!files.has(target)) missing.push(`${map} → ${target}`);
      }
    }
    expect(missing, 'a map without its source (stale files in dist/? rebuild from a clean dist/)').toEqual([]);
  });

  it('offers require as well as import for every entry, types first', () => {
    const pkg = readJson<PackageJson>(join(unpacked(p), 'package.json'));
    for (const [entry, target] of Object.entries(pkg.exports ?? {})) {
      if (entry === './package.json') continue;
      expect(typeof target, entry).toBe('object');
      const conditions = target as Record<string, string>;
      expect(Object.keys(conditions)[0], entry).toBe('types');
      expect(conditions.default, entry).toBe(conditions.import);
    }
  });

  it('passes publint (suggestions and warnings count as errors)', async () => {
    const bytes = readFileSync(tarball(p));
    const { messages, pkg } = await publint({
      pack: { tarball: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer },
      level: 'suggestion',
      strict: true,
    });
    expect(messages.map((m) => `${m.type}: ${formatMessage(m, pkg, { color: false })}`)).toEqual([]);
  });

  it('passes arethetypeswrong for node16 (CommonJS and ESM) and bundler resolution', async () => {
    const r = await run(process.execPath, [attwBin, tarball(p), '--format', 'json'], {
      cwd: work,
      timeoutMs: 3 * MINUTE,
    });
    expect(r.stdout.trim().startsWith('{'), tail(r)).toBe(true);
    const { analysis } = JSON.parse(r.stdout) as { analysis: { problems: AttwProblem[] } };
    expect(analysis.problems.filter((x) => !attwIgnored(x))).toEqual([]);
  });
});

/** A problem as attw's JSON reports it. */
interface AttwProblem {
  kind: string;
  entrypoint?: string;
  resolutionKind?: string;
  resolutionOption?: string;
}

/**
 * What we do not hold against a package, as `--profile node16 --ignore-rules cjs-resolves-to-esm`
 * would say, filtered here because the CLI's exit code still counts an InternalResolutionError
 * of node10 (it carries `resolutionOption`, not `resolutionKind`) that its own report shows as
 * ignored.
 */
function attwIgnored(problem: AttwProblem): boolean {
  // node10 (TypeScript's moduleResolution "node") predates the exports field: it cannot see
  // subpath entries (./internal, ./node, ./testing) or core's #imports, and TypeScript deprecates
  // it. node16, nodenext (the same rules) and bundler are checked.
  if (problem.resolutionKind === 'node10' || problem.resolutionOption === 'node10') return true;
  // Our packages are ES modules only, so a require() resolves to ESM. Node >= 20.19 (our engines)
  // loads that with require(), and TypeScript >= 5.8 types it under module node18/nodenext;
  // attw, built on TypeScript 5.6, still calls it an error. The require smoke test below checks it.
  return problem.kind === 'CJSResolvesToESM';
}

/** Parsed declaration files outside the temp projects (TypeScript's lib, @types/node): shared by every check. */
const sharedSourceFiles = new Map<string, ts.SourceFile>();

/**
 * `tsc --strict --module nodenext` over `file`, resolving packages from its project. Errors inside
 * tfjs's own declarations are not ours: tfjs-core 4.22's name `Long` and tfjs-backend-wasm's
 * `EmscriptenModule` come from @types packages tfjs does not depend on, so a user sees them only
 * with skipLibCheck off, whatever our packages do. Our declarations are checked.
 */
function typeCheck(file: string): string[] {
  const options: ts.CompilerOptions = {
    strict: true,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    target: ts.ScriptTarget.ES2022,
    noEmit: true,
    // @types/node of the workspace (the examples may use node:fs); nothing else leaks in.
    typeRoots: [join(repoRoot, 'node_modules', '@types')],
    types: ['node'],
  };
  const host = ts.createCompilerHost(options);
  const read = host.getSourceFile.bind(host);
  host.getSourceFile = (fileName, languageVersion, onError, shouldCreate) => {
    if (fileName.startsWith(work)) return read(fileName, languageVersion, onError, shouldCreate);
    let sf = sharedSourceFiles.get(fileName);
    if (sf === undefined) {
      sf = read(fileName, languageVersion, onError, shouldCreate);
      if (sf !== undefined) sharedSourceFiles.set(fileName, sf);
    }
    return sf;
  };
  const program = ts.createProgram([file], options, host);
  return ts
    .getPreEmitDiagnostics(program)
    .filter((d) => !d.file?.fileName.includes('/node_modules/@tensorflow/'))
    .map((d) => {
      const where = d.file ? `${d.file.fileName}:${d.file.getLineAndCharacterOfPosition(d.start ?? 0).line + 1}: ` : '';
      return `${where}${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`;
    });
}

describe.each(packages.map((p) => [p.pkg.name, p] as const))('README of %s', (_name, p) => {
  const named = installLine(p.readme);
  const example = firstBlock(p.readme, 'ts');
  const project = (): string => join(work, 'projects', `readme-${p.dir}`);

  it('has an install line that names every package its example imports', () => {
    expect(named, 'no `npm i` line in the first ```sh block').not.toEqual([]);
    expect(named.map(specName)).toContain(p.pkg.name);
    expect(example, 'no ```ts block').toBeDefined();
    const imported = importsOf(example ?? '').map(importedPackage);
    const listed = new Set(named.map(specName));
    expect(imported.filter((n) => n !== undefined && !listed.has(n))).toEqual([]);
  });

  it(
    'installs from the tarballs with npm into a fresh project (no EBADENGINE on Node 20)',
    async () => {
      const r = (await installs.get(p.dir)) as RunResult;
      expect(r.code, installFailure(project(), r)).toBe(0);
      expect(`${r.stdout}${r.stderr}`).not.toContain('EBADENGINE');
    },
    NPM_TIMEOUT * 3,
  );

  it(
    'has an example that type-checks under tsc --strict --module nodenext',
    async () => {
      const r = (await installs.get(p.dir)) as RunResult;
      expect(r.code, installFailure(project(), r)).toBe(0);
      const file = join(project(), 'example.mts');
      writeFileSync(file, example ?? '');
      expect(typeCheck(file)).toEqual([]);
    },
    NPM_TIMEOUT * 3,
  );

  const why = TYPE_CHECK_ONLY[p.dir];
  it.skipIf(why !== undefined)(
    `runs its example as written${why ? ` (skipped: ${why})` : ''}`,
    async () => {
      const r = (await installs.get(p.dir)) as RunResult;
      expect(r.code, installFailure(project(), r)).toBe(0);
      const js = ts.transpileModule(example ?? '', {
        compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
      }).outputText;
      writeFileSync(join(project(), 'example.mjs'), js);
      const ran = await run(process.execPath, ['example.mjs'], { cwd: project(), timeoutMs: 5 * MINUTE });
      expect(ran.code, tail(ran)).toBe(0);
    },
    NPM_TIMEOUT * 4,
  );
});

describe('every entry of every package', () => {
  /** Every `exports` entry, e.g. `@snn/core/internal`. */
  const entries = packages.flatMap((p) =>
    Object.keys(p.pkg.exports ?? { '.': '' })
      .filter((e) => e !== './package.json')
      .map((e) => (e === '.' ? p.pkg.name : `${p.pkg.name}/${e.slice(2)}`)),
  );
  /** Entries whose module imports an optional peer that a user installs to use them: only resolved. */
  const RESOLVE_ONLY: Record<string, string> = {
    '@snn/core/testing': 'imports its optional peer vitest',
  };
  /**
   * Entries that `require()` cannot load, with the error it must give (so that this test notices
   * when it starts working). @snn/plot imports vega 6, which is ESM only and has a top-level await
   * (vega-canvas probes for the optional `canvas` package), and Node's require() refuses any ES
   * module graph with one: CommonJS code uses `await import('@snn/plot')`. @snn/plot/node
   * (savePlot, svgToPng) does not load vega and requires fine.
   */
  const IMPORT_ONLY: Record<string, string> = {
    '@snn/plot': 'ERR_REQUIRE_ASYNC_MODULE',
  };

  it(
    'loads with require() and import() in Node, as the same module',
    async () => {
      const r = (await installs.get('require-all')) as RunResult;
      const dir = join(work, 'projects', 'require-all');
      expect(r.code, installFailure(dir, r)).toBe(0);
      writeFileSync(join(dir, 'smoke.cjs'), SMOKE);
      const ran = await run(
        process.execPath,
        ['smoke.cjs', JSON.stringify({ entries, resolveOnly: RESOLVE_ONLY, importOnly: IMPORT_ONLY })],
        {
          cwd: dir,
          timeoutMs: 3 * MINUTE,
        },
      );
      expect(ran.code, tail(ran)).toBe(0);
      const results = JSON.parse(ran.stdout.trim().split('\n').at(-1) ?? '[]') as { entry: string; problem?: string }[];
      expect(results.map((x) => x.entry).sort()).toEqual([...entries].sort());
      expect(results.filter((x) => x.problem !== undefined)).toEqual([]);
    },
    NPM_TIMEOUT * 3,
  );

  it('covers every package and its subpath entries (the list is not empty by accident)', () => {
    expect(names.size).toBeGreaterThanOrEqual(15);
    for (const name of names) expect(entries).toContain(name);
    expect(entries).toEqual(expect.arrayContaining(['@snn/core/internal', '@snn/core/testing', '@snn/plot/node']));
  });
});

/** A CommonJS script: require() and import() each entry; the same namespace, with exports. */
const SMOKE = `'use strict';
const { entries, resolveOnly, importOnly } = JSON.parse(process.argv[2]);
(async () => {
  const out = [];
  for (const entry of entries) {
    try {
      require.resolve(entry);
      if (resolveOnly[entry]) { out.push({ entry }); continue; }
      const imported = await import(entry);
      if (Object.keys(imported).length === 0) { out.push({ entry, problem: 'exports nothing' }); continue; }
      if (importOnly[entry]) {
        let code = 'no error';
        try { require(entry); } catch (e) { code = e.code; }
        out.push(code === importOnly[entry] ? { entry } : { entry, problem: 'require() gave ' + code + ', not ' + importOnly[entry] });
        continue;
      }
      const required = require(entry);
      out.push(required === imported ? { entry } : { entry, problem: 'require() and import() gave different modules' });
    } catch (e) {
      out.push({ entry, problem: String((e && e.stack) || e).slice(0, 2000) });
    }
  }
  console.log(JSON.stringify(out));
})();
`;

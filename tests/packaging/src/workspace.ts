/** The workspace's publishable packages, and the commands that build, pack and install them. */
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));

/** A package.json, as far as these tests read it. */
export interface PackageJson {
  name: string;
  version: string;
  private?: boolean;
  dependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
  devDependencies?: Record<string, string>;
  exports?: Record<string, string | Record<string, string>>;
  engines?: Record<string, string>;
  repository?: { type: string; url: string; directory?: string };
  homepage?: string;
  bugs?: string | { url: string };
  files?: string[];
}

/** One publishable workspace package. */
export interface WorkspacePackage {
  /** Folder name under packages/, e.g. `encoding`. */
  dir: string;
  /** Absolute path of its folder. */
  path: string;
  pkg: PackageJson;
  readme: string;
  /** The file name `pnpm pack` gives its tarball. */
  tarballName: string;
}

export function readJson<T>(path: string): T {
  return JSON.parse(readFileSync(path, 'utf8')) as T;
}

/** Every package under packages/ that is not private, in folder order. */
export function publishablePackages(): WorkspacePackage[] {
  const out: WorkspacePackage[] = [];
  for (const dir of readdirSync(join(repoRoot, 'packages')).sort()) {
    const path = join(repoRoot, 'packages', dir);
    if (!existsSync(join(path, 'package.json'))) continue;
    const pkg = readJson<PackageJson>(join(path, 'package.json'));
    if (pkg.private) continue;
    const readme = existsSync(join(path, 'README.md')) ? readFileSync(join(path, 'README.md'), 'utf8') : '';
    const tarballName = `${pkg.name.replace(/^@/, '').replace('/', '-')}-${pkg.version}.tgz`;
    out.push({ dir, path, pkg, readme, tarballName });
  }
  return out;
}

/**
 * The @snn packages that installing `names` brings in besides them: dependencies and required
 * peers (npm installs both), transitively. The registry would serve them; here their tarballs do.
 */
export function snnClosure(names: Iterable<string>, packages: readonly WorkspacePackage[]): Set<string> {
  const byName = new Map(packages.map((p) => [p.pkg.name, p]));
  const seen = new Set<string>();
  const todo = [...names].filter((n) => byName.has(n));
  while (todo.length > 0) {
    const name = todo.pop() as string;
    if (seen.has(name)) continue;
    seen.add(name);
    const { pkg } = byName.get(name) as WorkspacePackage;
    const optional = pkg.peerDependenciesMeta ?? {};
    const next = [
      ...Object.keys(pkg.dependencies ?? {}),
      ...Object.keys(pkg.peerDependencies ?? {}).filter((p) => optional[p]?.optional !== true),
    ];
    for (const n of next) if (byName.has(n) && !seen.has(n)) todo.push(n);
  }
  return seen;
}

/** What a finished command left. */
export interface RunResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  timedOut: boolean;
  stdout: string;
  stderr: string;
}

/**
 * Runs `command args` in `cwd` and collects its output. After `timeoutMs` the whole process
 * group is killed (npm and pnpm start children of their own), so that a hung registry fails the
 * test instead of hanging it.
 */
export function run(
  command: string,
  args: readonly string[],
  options: { cwd: string; timeoutMs: number; env?: NodeJS.ProcessEnv },
): Promise<RunResult> {
  return new Promise((resolve) => {
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: { ...process.env, ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      stdout += d;
    });
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      stderr += d;
    });
    const timer = setTimeout(() => {
      timedOut = true;
      try {
        if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
      } catch {
        child.kill('SIGKILL');
      }
    }, options.timeoutMs);
    child.on('error', (e) => {
      clearTimeout(timer);
      resolve({ code: null, signal: null, timedOut, stdout, stderr: `${stderr}${e.message}` });
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, timedOut, stdout, stderr });
    });
  });
}

/** The last `n` characters of a command's output, for an assertion message. */
export function tail(r: RunResult, n = 4000): string {
  const all = `${r.stdout}\n${r.stderr}`.trim();
  return all.length > n ? `…${all.slice(-n)}` : all;
}

/** Runs `tasks` with at most `limit` at a time; each result in the task's place. */
export async function pool<T>(limit: number, tasks: readonly (() => Promise<T>)[]): Promise<T[]> {
  const results: T[] = new Array(tasks.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < tasks.length) {
      const i = next++;
      results[i] = await (tasks[i] as () => Promise<T>)();
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, tasks.length) }, worker));
  return results;
}

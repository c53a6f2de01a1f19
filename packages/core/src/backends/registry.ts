import * as tf from '@tensorflow/tfjs-core';
import { checkOneOf } from '../checks.js';
import { BackendUnavailableError } from '../errors.js';
import { detectEnvironment } from './environment.js';
import { BACKEND_NAMES, type BackendChoice, type BackendName, type BackendProvider } from './provider.js';

const providers = new Map<BackendName, BackendProvider>();
let active: BackendName | undefined;

/** The order 'auto' tries backends in, fastest first, per environment. */
export const AUTO_ORDER: Readonly<Record<'node' | 'browser', readonly BackendName[]>> = {
  node: ['cuda', 'wasm', 'cpu'],
  browser: ['webgpu', 'webgl', 'wasm', 'cpu'],
};

/**
 * Registers a backend with snn. Backend packages call this when imported; users rarely do.
 * A second registration under the same name replaces the first.
 */
export function registerBackendProvider(provider: BackendProvider): void {
  providers.set(provider.name, provider);
}

/**
 * Finds the provider of `name`: registered already, or (in Node) by importing
 * `@snn/backend-<name>`, whose import registers it. Returns undefined when not installed.
 */
async function findProvider(name: BackendName): Promise<BackendProvider | undefined> {
  const known = providers.get(name);
  if (known !== undefined || detectEnvironment() !== 'node') return known;
  await importInNode(`@snn/backend-${name}`);
  return providers.get(name);
}

/** Imports a package by name in Node, from this module's location or else from the working directory. */
async function importInNode(specifier: string): Promise<boolean> {
  try {
    await import(/* @vite-ignore */ specifier);
    return true;
  } catch {
    // Not resolvable from @snn/core's own folder (pnpm keeps packages apart): try the app's.
  }
  try {
    const moduleBuiltin = 'node:module';
    const urlBuiltin = 'node:url';
    const { createRequire } = (await import(/* @vite-ignore */ moduleBuiltin)) as typeof import('node:module');
    const { pathToFileURL } = (await import(/* @vite-ignore */ urlBuiltin)) as typeof import('node:url');
    const cwd = (globalThis as { process?: { cwd(): string } }).process?.cwd() ?? '.';
    const resolved = createRequire(`${cwd}/`).resolve(specifier);
    await import(/* @vite-ignore */ pathToFileURL(resolved).href);
    return true;
  } catch {
    return false;
  }
}

function notInstalledReason(name: BackendName): string {
  const env = detectEnvironment();
  const how = env === 'node' ? 'install it (npm i @snn/backend-' : 'install and import it (npm i @snn/backend-';
  return `@snn/backend-${name} is not installed or not imported: ${how}${name}; import '@snn/backend-${name}')`;
}

/** Runs `tf.setBackend`, turning tfjs's logged warning on failure into the error's reason. */
async function setTfjsBackend(provider: BackendProvider): Promise<void> {
  const warnings: string[] = [];
  const originalWarn = console.warn;
  console.warn = (...args: unknown[]) => {
    warnings.push(args.map((a) => (a instanceof Error ? a.message : String(a))).join(' '));
  };
  let ok = false;
  try {
    ok = await tf.setBackend(provider.tfjsName);
    if (ok) await tf.ready();
  } catch (e) {
    warnings.push(e instanceof Error ? e.message : String(e));
    ok = false;
  } finally {
    console.warn = originalWarn;
  }
  if (!ok) {
    const why = warnings.length > 0 ? warnings.join('; ') : 'tfjs could not initialise it';
    throw new BackendUnavailableError(provider.name, `${provider.packageName} failed to start: ${why}`);
  }
}

/** Starts one named backend or throws BackendUnavailableError saying why it cannot. */
async function startBackend(name: BackendName): Promise<BackendName> {
  const provider = await findProvider(name);
  if (provider === undefined) throw new BackendUnavailableError(name, notInstalledReason(name));
  const reason = await provider.unavailableReason();
  if (reason !== null) throw new BackendUnavailableError(name, reason);
  await provider.prepare?.();
  await setTfjsBackend(provider);
  provider.started?.();
  active = name;
  return name;
}

/** Options of {@link useBackend}. */
export interface UseBackendOptions {
  /** Where `'auto'` reports its choice and the reasons it skipped others. Default: `console.info`; `null` for silence. */
  readonly log?: ((message: string) => void) | null;
}

/**
 * Selects the tensor backend every later op runs on.
 *
 * `'auto'` tries, fastest first, the backends that exist in this environment (Node: cuda, wasm,
 * cpu; browser: webgpu, webgl, wasm, cpu), takes the first that starts and logs which it took
 * and why it skipped the others. In Node a backend package that was not imported is imported by
 * name (`@snn/backend-<name>`).
 *
 * @param name - `'cpu' | 'wasm' | 'webgl' | 'webgpu' | 'cuda' | 'auto'`.
 * @returns The backend now in use.
 * @throws ValueError for an unknown name; BackendUnavailableError (with the package to install
 *   and why it could not start) when the backend cannot run here. The current backend is then unchanged.
 * @example
 * ```ts
 * const name = await useBackend('auto'); // e.g. 'wasm'
 * ```
 */
export async function useBackend(name: BackendChoice, options: UseBackendOptions = {}): Promise<BackendName> {
  const choice = checkOneOf('useBackend', 'name', name, [...BACKEND_NAMES, 'auto'] as const);
  if (choice !== 'auto') return startBackend(choice);
  const env = detectEnvironment() === 'node' ? 'node' : 'browser';
  const skipped: string[] = [];
  for (const candidate of AUTO_ORDER[env]) {
    try {
      const chosen = await startBackend(candidate);
      const log = options.log === undefined ? console.info : options.log;
      log?.(`snn: backend 'auto' chose '${chosen}'${skipped.length > 0 ? ` (skipped ${skipped.join('; ')})` : ''}`);
      return chosen;
    } catch (e) {
      if (!(e instanceof BackendUnavailableError)) throw e;
      skipped.push(`${candidate}: ${e.reason}`);
    }
  }
  throw new BackendUnavailableError('auto', `no backend could start: ${skipped.join('; ')}`);
}

/**
 * The backend ops run on now, by snn's name (`'cuda'` for tfjs's `'tensorflow'`).
 * Before any `useBackend` call this is whatever tfjs chose by itself (cpu in Node).
 */
export function currentBackend(): BackendName | string {
  const tfjsName = tf.getBackend();
  if (active !== undefined && providers.get(active)?.tfjsName === tfjsName) return active;
  for (const p of providers.values()) if (p.tfjsName === tfjsName) return p.name;
  return tfjsName;
}

/** One row of {@link listBackends}. */
export interface BackendStatus {
  readonly name: BackendName;
  /** The package that provides it. */
  readonly packageName: string;
  /** Its package is installed (and, in a browser, imported). */
  readonly installed: boolean;
  /** It can start in this environment (checked without starting it). */
  readonly canStart: boolean;
  /** Why it cannot start, or null. */
  readonly reason: string | null;
  /** It is the backend in use now. */
  readonly active: boolean;
}

/**
 * Every backend snn knows, with whether it is installed, whether it can start here and, if
 * not, why. In Node this imports installed backend packages to ask them.
 */
export async function listBackends(): Promise<BackendStatus[]> {
  const now = currentBackend();
  const rows: BackendStatus[] = [];
  for (const name of BACKEND_NAMES) {
    const provider = await findProvider(name);
    const reason = provider === undefined ? notInstalledReason(name) : await provider.unavailableReason();
    rows.push({
      name,
      packageName: provider?.packageName ?? `@snn/backend-${name}`,
      installed: provider !== undefined,
      canStart: reason === null,
      reason,
      active: now === name,
    });
  }
  return rows;
}

/**
 * The backend an app should use: `SNN_BACKEND` from the environment when set (it overrides
 * the app's own choice, so one variable switches every sample app), else `fallback`.
 */
export function backendFromEnvironment(fallback: BackendChoice = 'auto'): BackendChoice {
  const g = globalThis as { process?: { env?: Record<string, string | undefined> } };
  const fromEnv = g.process?.env?.SNN_BACKEND;
  if (fromEnv === undefined || fromEnv === '') return fallback;
  return checkOneOf('backendFromEnvironment', 'SNN_BACKEND', fromEnv, [...BACKEND_NAMES, 'auto'] as const);
}

import {
  checkBoolean,
  checkOptions,
  loadState,
  type Module,
  type SavedState,
  SnnError,
  StateError,
  saveState,
  ValueError,
} from '@snn/core';
import { checkNet } from './checks.js';
import { keysOf } from './options.js';

/** Free-form JSON metadata stored with a checkpoint (epoch, accuracy, options, ...). */
export type CheckpointMeta = Record<string, unknown>;

/**
 * A checkpoint: core's {@link SavedState} with its optional `meta` section holding metadata,
 * plain JSON. Core's `loadState` ignores `meta`, so it reads a checkpoint file as it is.
 */
export interface Checkpoint extends SavedState {
  readonly meta?: CheckpointMeta;
}

/** Options of {@link toCheckpoint} and {@link saveCheckpoint}. */
export interface CheckpointOptions {
  /** JSON-serialisable metadata to store alongside, e.g. `{ epoch: 3, accuracy: 0.95 }`. */
  readonly meta?: CheckpointMeta;
  /** Also store the memories (membrane potentials); default false, as core's `saveState`. */
  readonly memories?: boolean;
}

/** The keys of {@link CheckpointOptions}. */
export const CHECKPOINT_OPTION_KEYS = keysOf<CheckpointOptions>()(['meta', 'memories']);

/** Checks checkpoint options: known names, `meta` a plain JSON object, `memories` a boolean. */
function checkCheckpointOptions(
  fn: string,
  options: CheckpointOptions | undefined,
): { meta?: CheckpointMeta; memories: boolean } {
  const o = checkOptions(fn, options, CHECKPOINT_OPTION_KEYS);
  const memories = checkBoolean(fn, 'memories', o.memories) ?? false;
  const meta = checkMeta(fn, o.meta);
  return meta === undefined ? { memories } : { meta, memories };
}

/** What {@link fromCheckpoint} and {@link loadCheckpoint} return. */
export interface LoadedCheckpoint {
  /** The metadata stored with the checkpoint, `{}` when there was none. */
  readonly meta: CheckpointMeta;
}

function checkMeta(fn: string, meta: unknown): CheckpointMeta | undefined {
  if (meta === undefined) return undefined;
  if (meta === null || typeof meta !== 'object' || Array.isArray(meta)) {
    throw new ValueError(fn, 'meta', 'a plain object of JSON values', meta);
  }
  try {
    return JSON.parse(JSON.stringify(meta)) as CheckpointMeta;
  } catch (e) {
    throw new ValueError(fn, 'meta', `JSON-serialisable (${(e as Error).message})`, meta);
  }
}

/**
 * The network's parameters (and, with `memories`, its state) plus metadata as a JSON-safe
 * object; browser-safe (store it in IndexedDB, send it, or write it with {@link saveCheckpoint}).
 * Float data is base64 of its bytes (core's `saveState`), so a round trip is bit-exact.
 *
 * @throws UnknownOptionError for an option name it does not know; ValueError when `net` is not a
 *   Module, `meta` is not a plain JSON object or `memories` not a boolean.
 * @example
 * ```ts
 * localStorage.setItem('net', JSON.stringify(toCheckpoint(net, { meta: { epoch } })));
 * ```
 */
export function toCheckpoint(net: Module, options: CheckpointOptions = {}): Checkpoint {
  const fn = 'toCheckpoint';
  const { meta, memories } = checkCheckpointOptions(fn, options);
  checkNet(fn, net);
  const state = saveState(net, { memories });
  return meta === undefined ? state : { ...state, meta };
}

/**
 * Loads a {@link Checkpoint} (or anything core's `saveState` wrote) into a network of the same
 * structure; every name, shape and dtype is checked before anything changes.
 *
 * @returns The stored metadata (`{}` when none).
 * @throws StateError when the data is not an snn checkpoint or does not fit the network (core's
 *   `loadState` names the missing, extra or mis-shaped entry).
 */
export function fromCheckpoint(net: Module, data: unknown): LoadedCheckpoint {
  const fn = 'fromCheckpoint';
  checkNet(fn, net);
  const d = data as Partial<Checkpoint> | null;
  if (d === null || typeof d !== 'object' || d.format !== 'snn-state' || d.version !== 1) {
    throw new StateError(fn, "not an snn checkpoint (expected { format: 'snn-state', version: 1, parameters })");
  }
  if (d.parameters === null || typeof d.parameters !== 'object') {
    throw new StateError(fn, "the checkpoint has no 'parameters' object");
  }
  // The metadata is this package's section: core's loadState gets the saved state alone.
  const { meta, ...state } = d as Checkpoint;
  loadState(net, state);
  return { meta: meta !== null && typeof meta === 'object' && !Array.isArray(meta) ? meta : {} };
}

type FsPromises = typeof import('node:fs/promises');
type NodePath = typeof import('node:path');

/** Node's fs and path, imported only when a file is read or written, so the package stays browser-safe. */
async function nodeModules(fn: string): Promise<{ fs: FsPromises; path: NodePath }> {
  // Names in variables: bundlers for the browser leave these imports alone.
  const fsName = 'node:fs/promises';
  const pathName = 'node:path';
  try {
    const fs = (await import(/* @vite-ignore */ fsName)) as FsPromises;
    const path = (await import(/* @vite-ignore */ pathName)) as NodePath;
    return { fs, path };
  } catch {
    throw new SnnError(
      `${fn}: checkpoint files need Node's fs; elsewhere use toCheckpoint/fromCheckpoint and store the JSON yourself`,
    );
  }
}

/**
 * Writes {@link toCheckpoint}`(net, options)` to `path` as JSON (Node only). Creates missing
 * parent folders; writes a temporary file beside it first and renames it into place, so an
 * interrupted save never leaves a truncated checkpoint.
 *
 * @throws UnknownOptionError for an option name it does not know; ValueError for a wrong `path`,
 *   `net`, `meta` or `memories`; SnnError outside Node; Node's error when
 *   the file cannot be written.
 * @example
 * ```ts
 * await saveCheckpoint('out/mlp.json', net, { meta: { epoch: 5, accuracy: 0.95 } });
 * ```
 */
export async function saveCheckpoint(path: string, net: Module, options: CheckpointOptions = {}): Promise<void> {
  const fn = 'saveCheckpoint';
  if (typeof path !== 'string' || path === '') throw new ValueError(fn, 'path', 'a file path', path);
  checkCheckpointOptions(fn, options);
  const json = JSON.stringify(toCheckpoint(net, options));
  const { fs, path: p } = await nodeModules(fn);
  await fs.mkdir(p.dirname(p.resolve(path)), { recursive: true });
  const temporary = `${path}.${Math.random().toString(36).slice(2)}.tmp`;
  try {
    await fs.writeFile(temporary, json, 'utf8');
    await fs.rename(temporary, path);
  } catch (e) {
    await fs.rm(temporary, { force: true });
    throw e;
  }
}

/**
 * Reads a checkpoint written by {@link saveCheckpoint} (or a `saveState` JSON file) from `path`
 * into `net` (Node only). Nothing changes unless the whole file fits the network.
 *
 * @returns The stored metadata (`{}` when none).
 * @throws StateError when the file is missing, is not JSON, is not an snn checkpoint, or does not
 *   fit the network (the message names the path and the entry); ValueError for a wrong `path`
 *   or `net`; SnnError outside Node.
 * @example
 * ```ts
 * const { meta } = await loadCheckpoint('out/mlp.json', net);
 * ```
 */
export async function loadCheckpoint(path: string, net: Module): Promise<LoadedCheckpoint> {
  const fn = 'loadCheckpoint';
  if (typeof path !== 'string' || path === '') throw new ValueError(fn, 'path', 'a file path', path);
  checkNet(fn, net);
  const { fs } = await nodeModules(fn);
  let text: string;
  try {
    text = await fs.readFile(path, 'utf8');
  } catch (e) {
    const code = (e as { code?: string }).code;
    if (code === 'ENOENT') throw new StateError(fn, `no checkpoint file at '${path}'`);
    throw new StateError(fn, `cannot read '${path}': ${(e as Error).message}`);
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw new StateError(fn, `'${path}' is not a checkpoint: not JSON (${(e as Error).message})`);
  }
  try {
    return fromCheckpoint(net, data);
  } catch (e) {
    if (e instanceof SnnError) throw new StateError(fn, `'${path}': ${e.message}`);
    throw e;
  }
}

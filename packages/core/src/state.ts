import type { DataType, Tensor } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';
import { base64ToBytes, bytesToBase64 } from './base64.js';
import { StateError, ValueError } from './errors.js';
import type { Module } from './module.js';

/** One saved tensor: little-endian bytes of its values, base64-encoded. */
export interface SavedTensor {
  readonly shape: number[];
  readonly dtype: 'float32' | 'int32' | 'bool';
  readonly data: string;
}

/** What {@link saveState} returns: plain JSON. */
export interface SavedState {
  readonly format: 'snn-state';
  readonly version: 1;
  readonly parameters: Record<string, SavedTensor>;
  /** Persistent state (θ, running statistics), by dotted path; present when the module has any. */
  readonly persistent?: Record<string, SavedTensor>;
  /** Ordinary memories (membrane potentials, ...), with `{ memories: true }`. */
  readonly memories?: Record<string, SavedTensor>;
}

/** Options of {@link saveState}. */
export interface SaveStateOptions {
  /**
   * Also save the ordinary memories (membrane potentials, ...). Default false: only parameters
   * and persistent state (which is always saved).
   */
  readonly memories?: boolean;
}

function encode(t: Tensor): SavedTensor {
  if (t.dtype !== 'float32' && t.dtype !== 'int32' && t.dtype !== 'bool') {
    throw new ValueError('saveState', 'tensor dtype', "'float32', 'int32' or 'bool'", t.dtype);
  }
  const values = t.dataSync();
  // tfjs-cpu's cast of bool to float32 shares the bool tensor's Uint8Array: convert by dtype.
  const typed =
    t.dtype === 'bool'
      ? Uint8Array.from(values as Uint8Array)
      : t.dtype === 'float32'
        ? values instanceof Float32Array
          ? values
          : Float32Array.from(values as ArrayLike<number>)
        : values instanceof Int32Array
          ? values
          : Int32Array.from(values as ArrayLike<number>);
  const bytes = new Uint8Array(typed.buffer, typed.byteOffset, typed.byteLength);
  return { shape: [...t.shape], dtype: t.dtype, data: bytesToBase64(bytes) };
}

/** Turns a saved entry back into typed values; pure JavaScript, so a throw leaves no tensor behind. */
function decodeValues(fn: string, name: string, saved: SavedTensor): Float32Array | Int32Array | Uint8Array {
  const bytes = base64ToBytes(saved.data);
  const size = saved.shape.reduce((a, b) => a * b, 1);
  const width = saved.dtype === 'bool' ? 1 : 4;
  if (bytes.byteLength !== size * width) {
    throw new StateError(
      fn,
      `'${name}' holds ${bytes.byteLength} bytes, but shape [${saved.shape}] of ${saved.dtype} needs ${size * width}`,
    );
  }
  if (saved.dtype === 'float32') return new Float32Array(bytes.buffer);
  if (saved.dtype === 'int32') return new Int32Array(bytes.buffer);
  return bytes;
}

/**
 * The module's parameters and persistent state (and, with `{ memories: true }`, its other
 * memories) as a JSON-safe object. Float data is stored as base64 of its bytes, so a save/load
 * round trip is bit-exact.
 *
 * @example
 * ```ts
 * fs.writeFileSync('net.json', JSON.stringify(saveState(net)));
 * loadState(net, JSON.parse(fs.readFileSync('net.json', 'utf8')));
 * ```
 */
export function saveState(module: Module, options: SaveStateOptions = {}): SavedState {
  const parameters: Record<string, SavedTensor> = {};
  for (const [name, v] of module.namedParameters()) parameters[name] = encode(v);
  const kept = module.namedMemories(true);
  const persistent: Record<string, SavedTensor> = {};
  for (const [name, m] of kept) persistent[name] = encode(m);
  const head: SavedState =
    kept.length > 0
      ? { format: 'snn-state', version: 1, parameters, persistent }
      : { format: 'snn-state', version: 1, parameters };
  if (!options.memories) return head;
  const memories: Record<string, SavedTensor> = {};
  for (const [name, m] of module.namedMemories(false)) memories[name] = encode(m);
  return { ...head, memories };
}

function checkEntries(
  kind: string,
  expected: Map<string, Tensor>,
  saved: Record<string, SavedTensor>,
  exactShape: boolean,
): void {
  const fn = 'loadState';
  for (const name of expected.keys()) {
    if (!(name in saved)) throw new StateError(fn, `${kind} '${name}' is missing from the saved state`);
  }
  for (const [name, entry] of Object.entries(saved)) {
    const target = expected.get(name);
    if (target === undefined) {
      throw new StateError(
        fn,
        `saved ${kind} '${name}' does not exist in the module (it has ${[...expected.keys()].map((k) => `'${k}'`).join(', ') || 'none'})`,
      );
    }
    if (entry === null || typeof entry !== 'object' || !Array.isArray(entry.shape) || typeof entry.data !== 'string') {
      throw new StateError(fn, `saved ${kind} '${name}' is not {shape, dtype, data}`);
    }
    if (exactShape && (entry.shape.length !== target.rank || entry.shape.some((d, i) => d !== target.shape[i]))) {
      throw new StateError(
        fn,
        `${kind} '${name}' has shape [${target.shape.join(', ')}] in the module but [${entry.shape.join(', ')}] in the saved state`,
      );
    }
    if (exactShape && entry.dtype !== target.dtype) {
      throw new StateError(
        fn,
        `${kind} '${name}' has dtype ${target.dtype} in the module but ${entry.dtype} in the saved state`,
      );
    }
  }
}

/**
 * Loads what {@link saveState} wrote into a module of the same structure. Checks every name,
 * shape and dtype before changing anything, so a failed load leaves the module as it was.
 * Persistent state is always loaded (and must be there when the module has any); memories are
 * loaded when the saved state has them. The shapes of both may differ from the module's current,
 * e.g. scalar, initial values.
 *
 * @throws StateError naming the entry that is missing, extra or mis-shaped.
 */
export function loadState(module: Module, state: SavedState): void {
  if (state === null || typeof state !== 'object' || state.format !== 'snn-state' || state.version !== 1) {
    throw new ValueError('loadState', 'state', "an object from saveState ({ format: 'snn-state', version: 1 })", state);
  }
  const params = new Map<string, Tensor>(module.namedParameters());
  checkEntries('parameter', params, state.parameters, true);
  const persistent = new Map<string, Tensor>(module.namedMemories(true));
  if (persistent.size > 0 || state.persistent !== undefined) {
    checkEntries('persistent state', persistent, state.persistent ?? {}, false);
  }
  const memories = new Map<string, Tensor>(module.namedMemories(false));
  if (state.memories !== undefined) checkEntries('memory', memories, state.memories, false);

  // Decode everything first: a corrupt entry must not leave a half-loaded module.
  const decode = ([name, saved]: [string, SavedTensor]) =>
    [name, saved, decodeValues('loadState', name, saved)] as const;
  const decodedParams = Object.entries(state.parameters).map(decode);
  const decodedMemories = [...Object.entries(state.persistent ?? {}), ...Object.entries(state.memories ?? {})].map(
    decode,
  );
  const variables = new Map(module.namedParameters());
  for (const [name, saved, values] of decodedParams) {
    const value = tf.tensor(values, saved.shape, saved.dtype as DataType);
    variables.get(name)?.assign(value);
    value.dispose();
  }
  for (const [name, saved, values] of decodedMemories) {
    module.setMemoryByPath(name, tf.tensor(values, saved.shape, saved.dtype as DataType));
  }
}

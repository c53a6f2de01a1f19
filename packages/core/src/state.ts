import type { DataType, Tensor } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';
import { base64ToBytes, bytesToBase64 } from './base64.js';
import { checkBoolean, checkOptions } from './checks.js';
import { describeValue, StateError, ValueError } from './errors.js';
import { checkModule, type Module } from './module.js';

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
  /**
   * Free-form metadata a file may carry (a checkpoint's epoch, accuracy, options): `loadState`
   * ignores it, so a checkpoint file loads as it is.
   */
  readonly meta?: Record<string, unknown>;
}

/** Options of {@link saveState}. */
export interface SaveStateOptions {
  /**
   * Also save the ordinary memories (membrane potentials, ...). Default false: only parameters
   * and persistent state (which is always saved).
   */
  readonly memories?: boolean;
}

const DTYPES = ['float32', 'int32', 'bool'] as const;
type SavedDType = (typeof DTYPES)[number];

/** Bytes per value of each dtype saveState writes. */
const WIDTH: Record<SavedDType, number> = { float32: 4, int32: 4, bool: 1 };

function encode(name: string, t: Tensor): SavedTensor {
  if (t.dtype !== 'float32' && t.dtype !== 'int32' && t.dtype !== 'bool') {
    throw new ValueError('saveState', `'${name}' dtype`, "'float32', 'int32' or 'bool'", t.dtype);
  }
  const values = t.dataSync();
  // By the tensor's dtype, never the backing array's type: tfjs-cpu's cast of bool to float32
  // shares the bool tensor's Uint8Array, which would otherwise be written 1 byte per value.
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

/**
 * The module's parameters and persistent state (and, with `{ memories: true }`, its other
 * memories) as a JSON-safe object. Float data is stored as base64 of its bytes, so a save/load
 * round trip is bit-exact.
 *
 * @throws ValueError when `module` is not a Module, an option is unknown or `memories` is not a
 * boolean, or a tensor has a dtype other than float32, int32 or bool.
 * @example
 * ```ts
 * fs.writeFileSync('net.json', JSON.stringify(saveState(net)));
 * loadState(net, JSON.parse(fs.readFileSync('net.json', 'utf8')));
 * ```
 */
export function saveState(module: Module, options?: SaveStateOptions): SavedState {
  checkModule('saveState', 'module', module);
  const { memories: withMemories } = checkOptions('saveState', options, ['memories']);
  checkBoolean('saveState', 'memories', withMemories);
  const parameters: Record<string, SavedTensor> = {};
  for (const [name, v] of module.namedParameters()) parameters[name] = encode(name, v);
  const kept = module.namedMemories(true);
  const persistent: Record<string, SavedTensor> = {};
  for (const [name, m] of kept) persistent[name] = encode(name, m);
  const head: SavedState =
    kept.length > 0
      ? { format: 'snn-state', version: 1, parameters, persistent }
      : { format: 'snn-state', version: 1, parameters };
  if (!withMemories) return head;
  const memories: Record<string, SavedTensor> = {};
  for (const [name, m] of module.namedMemories(false)) memories[name] = encode(name, m);
  return { ...head, memories };
}

const FN = 'loadState';
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const TOP_KEYS = ['format', 'version', 'parameters', 'persistent', 'memories', 'meta'];

const isRecord = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/** One entry, checked and decoded: pure JavaScript, so a refusal leaves no tensor behind. */
interface Decoded {
  readonly name: string;
  readonly shape: number[];
  readonly dtype: SavedDType;
  readonly values: Float32Array | Int32Array | Uint8Array;
}

/** Checks that `entry` is `{ shape, dtype, data }` with a supported dtype and matching bytes, and decodes it. */
function decodeEntry(kind: string, name: string, entry: unknown): Decoded {
  const what = `${kind} '${name}'`;
  if (!isRecord(entry))
    throw new StateError(FN, `saved ${what} is not { shape, dtype, data } (got ${describeValue(entry)})`);
  const { shape, dtype, data } = entry;
  if (!DTYPES.includes(dtype as SavedDType)) {
    throw new StateError(FN, `saved ${what} has dtype ${describeValue(dtype)}; supported: 'float32', 'int32', 'bool'`);
  }
  if (!Array.isArray(shape) || shape.some((d) => !Number.isSafeInteger(d) || (d as number) < 0)) {
    throw new StateError(FN, `saved ${what} has shape ${describeValue(shape)}, not an array of integers >= 0`);
  }
  if (typeof data !== 'string' || !BASE64.test(data)) {
    throw new StateError(FN, `saved ${what} has data that is not base64 text (got ${describeValue(data)})`);
  }
  const size = (shape as number[]).reduce((a, b) => a * b, 1);
  const d = dtype as SavedDType;
  const bytes = base64ToBytes(data);
  if (bytes.byteLength !== size * WIDTH[d]) {
    throw new StateError(
      FN,
      `saved ${what} holds ${bytes.byteLength} bytes, but shape [${shape.join(', ')}] of ${d} needs ${size * WIDTH[d]}`,
    );
  }
  const values =
    d === 'float32' ? new Float32Array(bytes.buffer) : d === 'int32' ? new Int32Array(bytes.buffer) : bytes;
  return { name, shape: [...(shape as number[])], dtype: d, values };
}

/**
 * Checks one section of the saved state against the module's tensors of that kind (every name
 * present, none extra; with `exact`, the same shape and dtype) and decodes it.
 */
function decodeSection(
  kind: string,
  key: string,
  expected: Map<string, Tensor>,
  saved: unknown,
  exact: boolean,
): Decoded[] {
  if (!isRecord(saved))
    throw new StateError(FN, `'${key}' must be an object of saved tensors by name, got ${describeValue(saved)}`);
  for (const name of expected.keys()) {
    if (!Object.hasOwn(saved, name)) throw new StateError(FN, `${kind} '${name}' is missing from the saved state`);
  }
  const out: Decoded[] = [];
  for (const [name, entry] of Object.entries(saved)) {
    const target = expected.get(name);
    if (target === undefined) {
      throw new StateError(
        FN,
        `saved ${kind} '${name}' does not exist in the module (it has ${[...expected.keys()].map((k) => `'${k}'`).join(', ') || 'none'})`,
      );
    }
    const decoded = decodeEntry(kind, name, entry);
    if (exact && (decoded.shape.length !== target.rank || decoded.shape.some((d, i) => d !== target.shape[i]))) {
      throw new StateError(
        FN,
        `${kind} '${name}' has shape [${target.shape.join(', ')}] in the module but [${decoded.shape.join(', ')}] in the saved state`,
      );
    }
    if (exact && decoded.dtype !== target.dtype) {
      throw new StateError(
        FN,
        `${kind} '${name}' has dtype ${target.dtype} in the module but ${decoded.dtype} in the saved state`,
      );
    }
    out.push(decoded);
  }
  return out;
}

/**
 * Loads what {@link saveState} wrote into a module of the same structure. All or nothing: the
 * whole state is checked and decoded (every name, dtype, shape and byte count) before anything
 * changes, so a refused load leaves the module — and `tf.memory()` — as it was.
 * Persistent state is always loaded (and must be there when the module has any); memories are
 * loaded when the saved state has them. The shapes of both may differ from the module's current,
 * e.g. scalar, initial values; parameters must match in shape and dtype.
 *
 * @throws ValueError when `module` is not a Module or `state` is not an object from saveState.
 * @throws StateError naming the section or entry that is missing, extra, malformed (not
 * `{ shape, dtype, data }`, an unsupported dtype, a bad shape, data that is not base64 or does
 * not fit its shape) or that does not fit the module.
 */
export function loadState(module: Module, state: SavedState): void {
  checkModule(FN, 'module', module);
  if (!isRecord(state) || state.format !== 'snn-state' || state.version !== 1) {
    throw new ValueError(FN, 'state', "an object from saveState ({ format: 'snn-state', version: 1 })", state);
  }
  for (const key of Object.keys(state)) {
    if (!TOP_KEYS.includes(key)) {
      throw new StateError(
        FN,
        `the saved state has an unknown section '${key}' (known: ${TOP_KEYS.map((k) => `'${k}'`).join(', ')})`,
      );
    }
  }
  if (!Object.hasOwn(state, 'parameters')) throw new StateError(FN, "the saved state has no 'parameters'");
  const params = decodeSection('parameter', 'parameters', new Map(module.namedParameters()), state.parameters, true);
  const persistentTargets = new Map<string, Tensor>(module.namedMemories(true));
  const persistent =
    persistentTargets.size > 0 || state.persistent !== undefined
      ? decodeSection(
          'persistent state',
          'persistent',
          persistentTargets,
          state.persistent === undefined ? {} : state.persistent,
          false,
        )
      : [];
  const memories =
    state.memories !== undefined
      ? decodeSection('memory', 'memories', new Map(module.namedMemories(false)), state.memories, false)
      : [];

  // Everything is valid: make every tensor, then assign (nothing below can refuse).
  const variables = new Map(module.namedParameters());
  const made = [...params, ...persistent, ...memories].map((e) => tf.tensor(e.values, e.shape, e.dtype as DataType));
  params.forEach((e, i) => {
    const value = made[i] as Tensor;
    variables.get(e.name)?.assign(value);
    value.dispose();
  });
  [...persistent, ...memories].forEach((e, i) => {
    module.setMemoryByPath(e.name, made[params.length + i] as Tensor);
  });
}

/**
 * Pass-through coders, for pipelines whose data is already encoded or needs no spikes: SPAIC's
 * `NullEncoder` (`'null'`), `FloatEncoding` (`'float'`, the source repeated every step) and
 * `NullDeocder` (`'null'`, the record as it is).
 */
import type { Tensor } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';
import { asFloat, checkAllFinite, checkFinite, checkInteger, checkMinRank, checkOptions } from './checks.js';
import { checkSeq, type DecodedValue } from './decoders.js';
import { EncodingShapeError, EncodingValueError } from './errors.js';

/** Options of {@link nullEncode} and {@link NullEncoder}. */
export interface NullEncodeOptions {
  /**
   * Whether the data comes batch first `[B, T, ...]`, as SPAIC's `NullEncoder` takes it (it is
   * then moved to `[T, B, ...]`). Default false: the data is already time first `[T, B, ...]`.
   */
  readonly batchFirst?: boolean;
}

/** Options of {@link floatEncode} and {@link FloatEncoding}. */
export interface FloatEncodeOptions {
  /** A factor applied to the source (default 1; SPAIC's `constant_current` encoder calls it `amp`). */
  readonly amplitude?: number;
}

const NULL_OPTIONS = ['batchFirst'] as const;
const FLOAT_OPTIONS = ['amplitude'] as const;

function readBatchFirst(fn: string, options: NullEncodeOptions | undefined): boolean {
  const o = checkOptions(fn, options, NULL_OPTIONS);
  if (o.batchFirst !== undefined && typeof o.batchFirst !== 'boolean') {
    throw new EncodingValueError(fn, 'batchFirst', 'a boolean', o.batchFirst);
  }
  return o.batchFirst ?? false;
}

/** `x` (rank >= 2) as float32, time first: axes 0 and 1 swapped when `batchFirst`. */
function timeFirst(x: Tensor, batchFirst: boolean): Tensor {
  if (!batchFirst) return asFloat(x);
  const perm = [1, 0, ...Array.from({ length: x.rank - 2 }, (_, i) => i + 2)];
  return tf.tidy(() => tf.transpose(tf.cast(x, 'float32'), perm));
}

/**
 * Null encoding (SPAIC's `NullEncoder`, `'null'`): the data is already a train; it is passed on
 * as float32, time first. Values are not checked (they are the caller's encoding).
 * @param x - The encoded data `[T, B, ...]` (or `[B, T, ...]` with `batchFirst`).
 * @param options - `batchFirst` (default false).
 * @returns `[T, B, ...]`, a new float32 tensor.
 * @throws EncodingShapeError when rank < 2; EncodingValueError for a bad option.
 * @example
 * ```ts
 * const s = nullEncode(spikesFromFile, { batchFirst: true });   // [B, T, N] → [T, B, N]
 * ```
 */
export function nullEncode(x: Tensor, options?: NullEncodeOptions): Tensor {
  const fn = 'nullEncode';
  const batchFirst = readBatchFirst(fn, options);
  checkMinRank(fn, 'x', x, 2, batchFirst ? '[B, T, ...]' : '[T, B, ...]');
  return timeFirst(x, batchFirst);
}

/**
 * Float encoding (SPAIC's `FloatEncoding`, `'float'`; with `amplitude`, its `Constant_Current`
 * encoder, `'constant_current'`): no spikes, the source itself at every step,
 * `out[t] = amplitude · x` for `t = 0 .. T−1` — an input current for a pipeline that feeds
 * values straight to neurons.
 * @param x - The source `[B, ...]`, finite.
 * @param T - Steps, an integer >= 1.
 * @param options - `amplitude` (default 1).
 * @returns `[T, B, ...]`, float32.
 * @throws EncodingValueError for a non-finite element, a bad `T` or option; EncodingShapeError when `x` is a scalar.
 * @example
 * ```ts
 * const current = floatEncode(tf.tensor2d([[0.5, 2]]), 100);   // [100, 1, 2], every step [[0.5, 2]]
 * ```
 */
export function floatEncode(x: Tensor, T: number, options?: FloatEncodeOptions): Tensor {
  const fn = 'floatEncode';
  const o = checkOptions(fn, options, FLOAT_OPTIONS);
  const amplitude = checkFinite(fn, 'amplitude', o.amplitude ?? 1);
  checkMinRank(fn, 'x', x, 1, '[B, ...]');
  checkInteger(fn, 'T', T, 1);
  checkAllFinite(fn, 'x', x);
  return tf.tidy(() => {
    const scaled = amplitude === 1 ? tf.cast(x, 'float32') : tf.mul(tf.cast(x, 'float32'), amplitude);
    return tf.tile(tf.expandDims(scaled, 0), [T, ...x.shape.map(() => 1)]);
  });
}

/**
 * Null decoding (SPAIC's `NullDeocder`, `'null'`): the record as it is, as float32, time first
 * (no class).
 * @param record - A record `[T, B, ...]` (rank >= 3, T >= 1, as every decoder takes).
 * @returns `value` `[T, B, ...]`, a new float32 tensor.
 * @throws EncodingShapeError when rank < 3; EncodingValueError when T = 0.
 * @example
 * ```ts
 * const { value } = nullDecode(outSpikes);   // the spikes themselves, for a loss of your own
 * ```
 */
export function nullDecode(record: Tensor): DecodedValue {
  checkSeq('nullDecode', 'record', record);
  return { value: asFloat(record) };
}

/**
 * {@link nullEncode} as an encoder object (`encode(x, T)`), what `createEncoder('null')` returns.
 * @example
 * ```ts
 * const enc = new NullEncoder();
 * const s = enc.encode(spikes, 50);   // spikes: [50, B, N], passed on
 * ```
 */
export class NullEncoder {
  /** The name SPAIC registers it under. */
  readonly name: string = 'null';
  /** Whether inputs come batch first. */
  readonly batchFirst: boolean;

  /**
   * @param options - `batchFirst` (default false).
   * @throws EncodingValueError for a bad option.
   */
  constructor(options?: NullEncodeOptions) {
    this.batchFirst = readBatchFirst('NullEncoder', options);
  }

  /**
   * The data, time first.
   * @param x - `[T, B, ...]` (or `[B, T, ...]` with `batchFirst`).
   * @param T - The steps the data must have.
   * @returns `[T, B, ...]`, float32.
   * @throws EncodingShapeError when rank < 2 or the time axis does not have `T` steps.
   */
  encode(x: Tensor, T: number): Tensor {
    const fn = 'NullEncoder.encode';
    checkInteger(fn, 'T', T, 1);
    checkMinRank(fn, 'x', x, 2, this.batchFirst ? '[B, T, ...]' : '[T, B, ...]');
    const axis = this.batchFirst ? 1 : 0;
    if (x.shape[axis] !== T) {
      throw new EncodingShapeError(
        fn,
        'x',
        `${T} steps on axis ${axis} (${this.batchFirst ? '[B, T, ...]' : '[T, B, ...]'})`,
        x.shape,
      );
    }
    return timeFirst(x, this.batchFirst);
  }
}

/**
 * {@link floatEncode} as an encoder object (`encode(x, T)`), what `createEncoder('float')` returns.
 * @example
 * ```ts
 * const enc = new FloatEncoding({ amplitude: 2 });
 * const i = enc.encode(x, 100);   // [100, ...x.shape], 2·x every step
 * ```
 */
export class FloatEncoding {
  /** The name SPAIC registers it under. */
  readonly name: string = 'float';
  /** The factor applied to the source. */
  readonly amplitude: number;

  /**
   * @param options - `amplitude` (default 1).
   * @throws EncodingValueError for a bad option.
   */
  constructor(options?: FloatEncodeOptions) {
    const fn = 'FloatEncoding';
    const o = checkOptions(fn, options, FLOAT_OPTIONS);
    this.amplitude = checkFinite(fn, 'amplitude', o.amplitude ?? 1);
  }

  /**
   * The source at every step, times `amplitude`.
   * @param x - `[B, ...]`, finite.
   * @param T - Steps, an integer >= 1.
   * @returns `[T, B, ...]`, float32.
   */
  encode(x: Tensor, T: number): Tensor {
    return floatEncode(x, T, { amplitude: this.amplitude });
  }
}

/**
 * {@link nullDecode} as a decoder object, what `createDecoder('null')` returns.
 * @example
 * ```ts
 * const { value } = new NullDecoder().decode(outSpikes);
 * ```
 */
export class NullDecoder {
  /** The name SPAIC registers it under. */
  readonly name: string = 'null';

  /**
   * The record as it is.
   * @param record - `[T, B, ...]`.
   * @returns `value` `[T, B, ...]`, float32.
   */
  decode(record: Tensor): DecodedValue {
    return nullDecode(record);
  }

  /** Nothing to free (here so every decoder has `dispose()`). */
  dispose(): void {}
}

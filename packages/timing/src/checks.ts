import {
  checkBoolean,
  checkFinite,
  checkInteger,
  checkOptions,
  checkRank,
  checkTensor,
  ShapeError,
  ValueError,
} from '@snn/core';
import type { Tensor } from '@tensorflow/tfjs-core';
import { checkTimeConstants } from './psp-kernel.js';

/** Constants of a Tempotron layer (see {@link Tempotron}). */
export interface TempotronParams {
  /** Number of time steps of the voltage trace, `t = 0 .. T−1`; an integer >= 1. */
  readonly T: number;
  /** Slow (membrane) time constant τ, in time steps. */
  readonly tau: number;
  /** Fast (synaptic) time constant τs, in time steps. */
  readonly tauS: number;
  /** Firing threshold; also what one spike through a weight of 1 peaks at. */
  readonly vThreshold: number;
}

/**
 * Every option of `T` with its kind: `'boolean'` for a boolean option, `'value'` for any other.
 * A table of this type names exactly the options of `T` (a missing name, an extra one, or a
 * boolean marked wrongly does not compile): the one list a function checks names against and
 * the options tests iterate.
 */
export type OptionTable<T> = {
  readonly [K in keyof Required<T>]: NonNullable<T[K]> extends boolean ? 'boolean' : 'value';
};

/** An {@link OptionTable} of any options interface. */
export type AnyOptionTable = Readonly<Record<string, 'boolean' | 'value'>>;

/**
 * Checks `options` against its table: a name the table lacks is an UnknownOptionError naming the
 * closest known one, a boolean option that is not a boolean (or undefined) a ValueError, and
 * anything but an object (or undefined) a ValueError. Returns the options, `{}` for undefined.
 */
export function checkOptionTable<T extends object>(fn: string, options: T | undefined, table: AnyOptionTable): T {
  const o = checkOptions(fn, options, Object.keys(table));
  for (const [name, kind] of Object.entries(table)) {
    if (kind === 'boolean') checkBoolean(fn, name, (o as Record<string, unknown>)[name]);
  }
  return o;
}

/** Every field of {@link TempotronParams} (see {@link OptionTable}). */
export const TEMPOTRON_PARAMS_FIELDS: OptionTable<TempotronParams> = {
  T: 'value',
  tau: 'value',
  tauS: 'value',
  vThreshold: 'value',
};

/**
 * Checks every field of `p` (T an integer >= 1, τ and τs finite > 0 and different, vThreshold
 * finite > 0), and that it has no other field (a misspelt `taus` is an UnknownOptionError).
 */
export function checkParams(fn: string, p: TempotronParams): TempotronParams {
  if (p === null || typeof p !== 'object') throw new ValueError(fn, 'params', '{ T, tau, tauS, vThreshold }', p);
  checkOptionTable(fn, p, TEMPOTRON_PARAMS_FIELDS);
  checkInteger(fn, 'T', p.T, 1);
  checkTimeConstants(fn, p.tau, p.tauS);
  checkFinite(fn, 'vThreshold', p.vThreshold);
  if (!(p.vThreshold > 0)) throw new ValueError(fn, 'vThreshold', 'a finite number > 0', p.vThreshold);
  return p;
}

/**
 * Checks spike times `[B, inFeatures]` and returns their values: every value is a time in
 * `[0, T]` or negative (no spike; −∞ included). NaN and times beyond `T` are errors.
 */
export function readSpikeTimes(fn: string, arg: string, x: Tensor, inFeatures: number, T: number): Float32Array {
  checkTensor(fn, arg, x);
  checkRank(fn, arg, x, 2, '[B, inFeatures]');
  if (x.shape[1] !== inFeatures) {
    throw new ShapeError(fn, arg, `shape [B, ${inFeatures}] (inFeatures = ${inFeatures})`, x.shape);
  }
  if (x.dtype !== 'float32' && x.dtype !== 'int32') {
    throw new ValueError(fn, `${arg}.dtype`, "'float32' or 'int32'", x.dtype);
  }
  const values = Float32Array.from(x.dataSync() as Float32Array | Int32Array);
  for (let k = 0; k < values.length; k++) {
    const s = values[k] as number;
    if (!(s <= T)) {
      const where = `${arg}[${Math.floor(k / inFeatures)}, ${k % inFeatures}]`;
      throw new ValueError(fn, where, `a spike time in [0, T = ${T}], or negative for no spike`, s);
    }
  }
  return values;
}

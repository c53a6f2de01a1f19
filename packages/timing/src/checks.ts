// The option tables live in core, for every package and for authors of custom modules.
import {
  type AnyOptionTable,
  checkFinite,
  checkInteger,
  checkOptionTable,
  checkRank,
  checkTensor,
  type OptionTable,
  ShapeError,
  ValueError,
} from '@snn/core';
import type { Tensor } from '@tensorflow/tfjs-core';
import { checkTimeConstants } from './psp-kernel.js';

export { type AnyOptionTable, checkOptionTable, type OptionTable };

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

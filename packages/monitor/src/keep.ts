import { checkInteger, ValueError } from '@snn/core';

/**
 * What a monitor keeps (the bound on its memory):
 * - `'all'`: every step, in a typed array that doubles when full;
 * - `{ last: N }`: a ring buffer of the last N recorded steps, allocated once;
 * - `{ every: k }`: steps 0, k, 2k, ... (combine with `last` for the last N of those);
 * - `'reduce'`: no time series, only per-element sums over all steps (spike counts, firing
 *   rates, mean potential), summed on the device and folded into float64 every `flushEvery` steps.
 */
export type Keep = 'all' | 'reduce' | { readonly every?: number; readonly last?: number };

/** A {@link Keep} checked and spelled out. */
export interface KeepPlan {
  /** Record steps 0, every, 2·every, ... */
  readonly every: number;
  /** Rows held at most (a ring), or null for all. */
  readonly last: number | null;
  /** Sums only, no time series. */
  readonly reduce: boolean;
}

const KEEP_KEYS = ['every', 'last'];

/** Checks a {@link Keep} and spells it out. @throws ValueError for anything else. */
export function planKeep(fn: string, keep: unknown): KeepPlan {
  if (keep === 'all' || keep === 'reduce') return { every: 1, last: null, reduce: keep === 'reduce' };
  const expected = "'all', 'reduce', { last: N } or { every: k }";
  if (typeof keep !== 'object' || keep === null || Array.isArray(keep))
    throw new ValueError(fn, 'keep', expected, keep);
  const k = keep as { every?: number; last?: number };
  const keys = Object.keys(k);
  if (keys.length === 0 || keys.some((key) => !KEEP_KEYS.includes(key)))
    throw new ValueError(fn, 'keep', expected, keep);
  return {
    every: checkInteger(fn, 'keep.every', k.every ?? 1, 1),
    last: k.last === undefined ? null : checkInteger(fn, 'keep.last', k.last, 1),
    reduce: false,
  };
}

import { ShapeError, ValueError } from '@snn/core';

/**
 * A recorded time series, as {@link Monitor.toArray} returns it and the measures and plots take
 * it: `data` row-major with `shape` `[T, B, ...]` (T = recorded steps), and the global step
 * index at which each of the T rows was recorded (`steps`, `0, 1, 2, ...` when every step was
 * kept; `0, k, 2k, ...` with `every: k`).
 */
export interface Recording {
  readonly data: ArrayLike<number>;
  readonly shape: readonly number[];
  /** Global step index of each row; when absent, row t is step t. */
  readonly steps?: ArrayLike<number>;
}

/** What {@link Monitor.toArray} returns: a {@link Recording} with its name and fresh typed arrays. */
export interface RecordedArray extends Recording {
  readonly name: string;
  readonly data: Float32Array;
  readonly steps: Float64Array;
  /** The monitor's time step: row t happened at time `steps[t] · dt`. */
  readonly dt: number;
}

/** Per-element sums over the recorded steps, as {@link Monitor.summary} returns them. */
export interface Summary {
  readonly name: string;
  /** Shape of one step, `[B, ...]`. */
  readonly shape: readonly number[];
  /** Number of steps summed. */
  readonly steps: number;
  /** Sum over steps of each element (spike counts for spikes). */
  readonly sum: Float64Array;
  /** `sum / steps` (firing probability per step for spikes, mean potential for `v`). */
  readonly mean: Float64Array;
}

/** Number of elements in one step of `rec` and its T, after checking that data and shape agree. */
export function dims(fn: string, rec: Recording): { T: number; E: number } {
  if (rec === null || typeof rec !== 'object' || !Array.isArray(rec.shape) || rec.data === undefined) {
    throw new ValueError(fn, 'recording', 'an object { data, shape: [T, ...] }', rec);
  }
  if (rec.shape.length < 1) throw new ShapeError(fn, 'recording', 'rank >= 1 ([T, ...])', rec.shape);
  const T = rec.shape[0] as number;
  const E = rec.shape.slice(1).reduce((a, b) => a * b, 1);
  if (rec.data.length !== T * E) {
    throw new ShapeError(
      fn,
      'recording',
      `as many values as its shape holds (data.length ${rec.data.length})`,
      rec.shape,
    );
  }
  if (rec.steps !== undefined && rec.steps.length !== T) {
    throw new ShapeError(fn, 'recording.steps', `length T = ${T}`, [rec.steps.length]);
  }
  return { T, E };
}

/**
 * The shortest decimal that reads back as the same float32 (`0.1f` → `0.1`, not
 * `0.10000000149011612`), for compact JSON and CSV that still round-trip exactly.
 */
export function float32Short(v: number): number {
  if (!Number.isFinite(v) || Number.isInteger(v)) return v;
  const f = Math.fround(v);
  for (let p = 1; p < 9; p++) {
    const s = Number(v.toPrecision(p));
    if (Math.fround(s) === f) return s;
  }
  return Number(v.toPrecision(9));
}

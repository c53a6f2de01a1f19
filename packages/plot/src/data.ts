/**
 * An n-dimensional array: values in row-major order and the shape. `@snn/monitor`'s
 * `toArray(...)` is one (with `steps` and `dt` besides); so is `{ data: tensor.dataSync(), shape: tensor.shape }`.
 */
export interface ArrayND {
  readonly data: ArrayLike<number>;
  readonly shape: readonly number[];
  /** Optional: the step index of each row along axis 0 (a monitor's ring buffer or `every: k`). */
  readonly steps?: ArrayLike<number>;
  /** Optional: the duration of one step. */
  readonly dt?: number;
}

/** A matrix: an {@link ArrayND} of rank 2, or rows of numbers. */
export type Matrix = ArrayND | readonly (readonly number[])[];

/** Spike events: parallel arrays of spike times and neuron indices. */
export interface SpikeTrains {
  readonly times: ArrayLike<number>;
  readonly neurons: ArrayLike<number>;
  /** Number of neurons (default: the largest index + 1). */
  readonly size?: number;
}

/** Spikes: dense 0/1 `[T, N]` or `[T, B, ...]` (one sample shown, see `batch`), or events. */
export type SpikeInput = ArrayND | SpikeTrains;

/** An error in the arguments of a plot: the message names the function, the argument, what was expected and what came. */
export class PlotError extends Error {
  override name = 'PlotError';
  constructor(
    readonly fn: string,
    readonly arg: string,
    readonly expected: string,
    got: unknown,
  ) {
    super(`${fn}: '${arg}' must be ${expected}, got ${describe(got)}`);
    // The brand of every snn error: `err instanceof SnnError` (from @snn/core) holds for this class too.
    Object.defineProperty(this, Symbol.for('@snn/error'), { value: true });
  }
}

function describe(value: unknown): string {
  if (value === null || value === undefined) return String(value);
  if (typeof value === 'string') return `'${value}'`;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value))
    return value.length <= 8 ? `[${value.map(describe).join(', ')}]` : `an array of length ${value.length}`;
  if (ArrayBuffer.isView(value)) return `a ${value.constructor.name}`;
  if (typeof value === 'object') {
    const shape = (value as { shape?: unknown }).shape;
    return Array.isArray(shape) ? `an array of shape [${shape.join(', ')}]` : 'an object';
  }
  return typeof value;
}

/** Checks an n-d array: data and shape agree. */
export function checkArray(fn: string, arg: string, a: unknown, minRank = 1): ArrayND {
  const x = a as ArrayND;
  if (
    x === null ||
    typeof x !== 'object' ||
    !Array.isArray(x.shape) ||
    x.data === undefined ||
    typeof x.data.length !== 'number'
  ) {
    throw new PlotError(fn, arg, 'an array { data, shape }', a);
  }
  if (x.shape.length < minRank) throw new PlotError(fn, arg, `of rank >= ${minRank}`, a);
  const size = x.shape.reduce((p, d) => p * d, 1);
  if (size !== x.data.length) throw new PlotError(fn, arg, `as many values as its shape holds (${x.data.length})`, a);
  return x;
}

/** A matrix as `{ data, rows, cols }`. */
export function toMatrix(fn: string, arg: string, m: Matrix): { data: ArrayLike<number>; rows: number; cols: number } {
  if (Array.isArray(m)) {
    const rows = m.length;
    const cols = rows === 0 ? 0 : (m[0] as readonly number[]).length;
    const data = new Float64Array(rows * cols);
    for (const [r, row] of (m as readonly (readonly number[])[]).entries()) {
      if (!Array.isArray(row) || row.length !== cols) throw new PlotError(fn, arg, `rows of equal length (${cols})`, m);
      data.set(row, r * cols);
    }
    return { data, rows, cols };
  }
  const a = checkArray(fn, arg, m, 2);
  if (a.shape.length !== 2) throw new PlotError(fn, arg, 'a matrix (rank 2)', a);
  return { data: a.data, rows: a.shape[0] as number, cols: a.shape[1] as number };
}

/** Smallest and largest finite value (NaN, NaN when there is none). */
export function extent(data: ArrayLike<number>): [number, number] {
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < data.length; i++) {
    const v = data[i] as number;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return lo <= hi ? [lo, hi] : [Number.NaN, Number.NaN];
}

/** The time of row t: `steps[t] · dt` when the array carries step indices, else `t · dt`. */
export function rowTime(a: ArrayND, t: number, dt: number): number {
  return (a.steps === undefined ? t : (a.steps[t] as number)) * dt;
}

/** The `dt` to use: the option, else the array's own, else 1. */
export function pickDt(fn: string, option: number | undefined, a?: { dt?: number }): number {
  const dt = option ?? a?.dt ?? 1;
  if (!(typeof dt === 'number' && Number.isFinite(dt) && dt > 0))
    throw new PlotError(fn, 'dt', 'a finite number > 0', dt);
  return dt;
}

/** Checks a positive integer option. */
export function checkCount(fn: string, arg: string, value: number, min = 1): number {
  if (!(Number.isInteger(value) && value >= min)) throw new PlotError(fn, arg, `an integer >= ${min}`, value);
  return value;
}

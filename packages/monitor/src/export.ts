import { ShapeError, StateError, ValueError } from '@snn/core';
import type { Keep } from './keep.js';
import type { Monitor } from './monitor.js';
import { encodeNpy } from './npy.js';
import { float32Short, type RecordedArray } from './recording.js';

/** One variable in {@link MonitorJSON}: a time series, or per-element sums in `'reduce'` mode. */
export type VariableJSON =
  | {
      readonly kind: 'series';
      /** `[T, B, ...]`. */
      readonly shape: number[];
      /** Global step of each of the T rows. */
      readonly steps: number[];
      /** Row-major values; NaN is written as null. */
      readonly data: (number | null)[];
    }
  | {
      readonly kind: 'summary';
      /** `[B, ...]`, one step. */
      readonly shape: number[];
      /** Steps summed. */
      readonly steps: number;
      readonly sum: (number | null)[];
      readonly mean: (number | null)[];
    };

/** What {@link Monitor.toJSON} returns; `recordingsFromJSON` reads it back. */
export interface MonitorJSON {
  readonly format: 'snn-monitor';
  readonly version: 1;
  readonly keep: Keep;
  readonly dt: number;
  /** Steps seen. */
  readonly steps: number;
  readonly variables: Record<string, VariableJSON>;
}

const json = (v: number): number | null => (Number.isNaN(v) ? null : float32Short(v));

/** @internal Builds {@link Monitor.toJSON}. */
export function monitorJSON(m: Monitor): MonitorJSON {
  const variables: Record<string, VariableJSON> = {};
  for (const name of m.names) {
    if (m.keep === 'reduce') {
      const s = m.summary(name);
      variables[name] = {
        kind: 'summary',
        shape: [...s.shape],
        steps: s.steps,
        sum: Array.from(s.sum, (v) => (Number.isNaN(v) ? null : v)),
        mean: Array.from(s.mean, (v) => (Number.isNaN(v) ? null : v)),
      };
    } else {
      const r = m.toArray(name);
      variables[name] = {
        kind: 'series',
        shape: [...r.shape],
        steps: Array.from(r.steps),
        data: Array.from(r.data, json),
      };
    }
  }
  return { format: 'snn-monitor', version: 1, keep: m.keep, dt: m.dt, steps: m.steps, variables };
}

/**
 * Reads the time series back from a monitor's JSON (an object or its text): one
 * {@link RecordedArray} per variable recorded as a series (variables kept as `'reduce'` sums are
 * skipped; read `json.variables[name].sum` for those).
 *
 * @throws ValueError when the input is not a monitor's JSON.
 * @example
 * ```ts
 * fs.writeFileSync('run.json', JSON.stringify(monitor));
 * const { v } = recordingsFromJSON(fs.readFileSync('run.json', 'utf8'));
 * ```
 */
export function recordingsFromJSON(input: string | MonitorJSON): Record<string, RecordedArray> {
  let obj: MonitorJSON;
  try {
    obj = (typeof input === 'string' ? JSON.parse(input) : input) as MonitorJSON;
  } catch (e) {
    throw new ValueError(
      'recordingsFromJSON',
      'input',
      "a monitor's JSON text",
      `text that is not JSON (${(e as Error).message})`,
    );
  }
  if (obj === null || typeof obj !== 'object' || obj.format !== 'snn-monitor' || obj.version !== 1) {
    throw new ValueError('recordingsFromJSON', 'input', "a monitor's JSON (format 'snn-monitor', version 1)", input);
  }
  const out: Record<string, RecordedArray> = {};
  for (const [name, v] of Object.entries(obj.variables)) {
    if (v.kind !== 'series') continue;
    out[name] = {
      name,
      data: Float32Array.from(v.data, (x) => (x === null ? Number.NaN : x)),
      shape: v.shape,
      steps: Float64Array.from(v.steps),
      dt: obj.dt,
    };
  }
  return out;
}

/** Column names of one variable: `v_0_3` for element [0, 3] of a `[B, N]` step. */
function columns(r: RecordedArray): string[] {
  const stepShape = r.shape.slice(1);
  const E = stepShape.reduce((a, b) => a * b, 1);
  const names: string[] = [];
  const index = stepShape.map(() => 0);
  for (let e = 0; e < E; e++) {
    names.push(index.length === 0 ? r.name : `${r.name}_${index.join('_')}`);
    for (let k = index.length - 1; k >= 0; k--) {
      index[k] = (index[k] as number) + 1;
      if ((index[k] as number) < (stepShape[k] as number)) break;
      index[k] = 0;
    }
  }
  return names;
}

const cell = (v: number): string => (Number.isNaN(v) ? 'NaN' : String(float32Short(v)));

/** @internal Builds {@link Monitor.toCSV}. */
export function monitorCSV(m: Monitor, names?: string | readonly string[]): string {
  const list = names === undefined ? m.names : typeof names === 'string' ? [names] : names;
  if (list.length === 0) throw new ValueError('Monitor.toCSV', 'names', 'at least one variable', names);
  if (m.keep === 'reduce') {
    const sums = list.map((n) => m.summary(n));
    const E = (sums[0] as { sum: Float64Array }).sum.length;
    for (const s of sums) {
      if (s.sum.length !== E) {
        throw new ShapeError(
          'Monitor.toCSV',
          s.name,
          `as many elements per step as '${sums[0]?.name}' (${E})`,
          s.shape,
        );
      }
    }
    const header = ['element', ...sums.flatMap((s) => [`${s.name}_sum`, `${s.name}_mean`])];
    const lines = [header.join(',')];
    for (let e = 0; e < E; e++) {
      lines.push([e, ...sums.flatMap((s) => [cell(s.sum[e] as number), cell(s.mean[e] as number)])].join(','));
    }
    return `${lines.join('\n')}\n`;
  }
  const recs = list.map((n) => m.toArray(n));
  const first = recs[0] as RecordedArray;
  const header = ['step', 'time', ...recs.flatMap(columns)];
  const lines = [header.join(',')];
  const T = first.steps.length;
  for (let t = 0; t < T; t++) {
    const step = first.steps[t] as number;
    const row: string[] = [String(step), String(float32Short(step * m.dt))];
    for (const r of recs) {
      const E = r.data.length / Math.max(1, r.steps.length);
      for (let e = 0; e < E; e++) row.push(cell(r.data[t * E + e] as number));
    }
    lines.push(row.join(','));
  }
  return `${lines.join('\n')}\n`;
}

/** @internal Builds {@link Monitor.toNpy}. */
export function monitorNpy(m: Monitor, name: string): Uint8Array {
  if (m.keep === 'reduce') {
    throw new StateError(
      'Monitor.toNpy',
      `'${name}' is kept as 'reduce' sums, not a series: encodeNpy(monitor.summary('${name}').sum, shape) writes those`,
    );
  }
  const r = m.toArray(name);
  return encodeNpy(r.data, r.shape);
}

/** @internal Builds {@link Monitor.toNpyFiles}. */
export function monitorNpyFiles(m: Monitor): Record<string, Uint8Array> {
  const files: Record<string, Uint8Array> = {};
  let steps: Float64Array | null = null;
  for (const name of m.names) {
    files[`${name}.npy`] = monitorNpy(m, name);
    steps ??= m.toArray(name).steps;
  }
  if (steps !== null) files['steps.npy'] = encodeNpy(steps, [steps.length]);
  return files;
}

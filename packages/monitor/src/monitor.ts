import { checkInteger, checkPositive, type Module, ShapeError, StateError, ValueError } from '@snn/core';
import type { Tensor } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';
import { type MonitorJSON, monitorCSV, monitorJSON, monitorNpy, monitorNpyFiles } from './export.js';
import {
  coefficientOfVariation,
  interSpikeIntervals,
  type PopulationRateOptions,
  populationRate,
  type SpikeEvents,
  spikeCounts,
  spikeEvents,
} from './measures.js';
import type { RecordedArray, Summary } from './recording.js';
import { StepBuffer } from './step-buffer.js';

/**
 * What a monitor keeps (the bound on its memory):
 * - `'all'`: every step, in a typed array that doubles when full;
 * - `{ last: N }`: a ring buffer of the last N recorded steps, allocated once;
 * - `{ every: k }`: steps 0, k, 2k, ... (combine with `last` for the last N of those);
 * - `'reduce'`: no time series, only per-element sums over all steps (spike counts, firing
 *   rates, mean potential), summed on the device and folded into float64 every `flushEvery` steps.
 */
export type Keep = 'all' | 'reduce' | { readonly every?: number; readonly last?: number };

/** A variable computed from the module at each forward, for state that is not a memory or the output. */
export interface Probe {
  readonly name: string;
  /**
   * Reads the value after a forward: `[B, ...]` for a single-step module, `[T, B, ...]` for a
   * multi-step one. Runs inside `tf.tidy`: intermediates are freed, module state is not touched.
   */
  readonly read: (module: Module, input: Tensor, output: Tensor) => Tensor;
}

/** Options of {@link Monitor}. */
export interface MonitorOptions {
  /** What to keep. Default `'all'`. */
  readonly keep?: Keep;
  /** Duration of one step, for times and rates (`time = step · dt`). Default 1. */
  readonly dt?: number;
  /** With `keep: 'all'`: steps to allocate room for at the first record (it grows past that). Default 256. */
  readonly initialSteps?: number;
  /** With `keep: 'reduce'`: steps summed on the device before the sums are read back. Default 1000. */
  readonly flushEvery?: number;
}

type Source =
  | { kind: 'output' }
  | { kind: 'input' }
  | { kind: 'memory'; memory: string }
  | { kind: 'probe'; read: Probe['read'] };

interface Channel {
  readonly name: string;
  readonly source: Source;
  stepShape: number[] | null;
  buffer: StepBuffer | null;
  /** Reduce mode: device-side sum of the steps since the last flush. */
  deviceSum: Tensor | null;
  deviceSteps: number;
  hostSum: Float64Array | null;
  hostSteps: number;
}

const ALIASES: Readonly<Record<string, 'output' | 'input'>> = { output: 'output', spike: 'output', input: 'input' };

function ownMemoryNames(module: Module): string[] {
  return module
    .namedMemories()
    .map(([name]) => name)
    .filter((name) => !name.includes('.'));
}

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

/**
 * Records named state of a module after each of its forwards, through the module's forward
 * hook (nothing patches the module). A variable is a memory of the module (`'v'`, `'theta'`,
 * ...), its output (`'output'`, or `'spike'` when the module has no memory of that name), its
 * input (`'input'`), or a {@link Probe}.
 *
 * A single-step forward (`[B, ...]`) records one step; a multi-step forward (`[T, B, ...]`)
 * records T steps. A memory of a multi-step module is read per step from its `<name>Seq`
 * property (neuron nodes fill `vSeq` when built with `storeVSeq: true`).
 *
 * Values are copied into preallocated float32 typed arrays (no tensor per step); what is kept
 * is bounded by {@link Keep}.
 *
 * @example
 * ```ts
 * const lif = new LIFNode({ tau: 2 });
 * const mon = new Monitor(lif, ['spike', 'v']);
 * for (let t = 0; t < 100; t++) tf.dispose(lif.forward(x));
 * const v = mon.get('v');            // [100, B, N] tensor (yours to dispose)
 * const s = mon.toArray('spike');    // { data: Float32Array, shape: [100, B, N], steps }
 * mon.remove();                      // detaches the hook; the data stays
 * ```
 */
export class Monitor {
  /** The recorded variables, in the order given. */
  readonly names: readonly string[];
  /** What the monitor keeps. */
  readonly keep: Keep;
  /** Duration of one step. */
  readonly dt: number;
  private readonly every: number;
  private readonly last: number | null;
  private readonly reduce: boolean;
  private readonly initialSteps: number;
  private readonly flushEvery: number;
  private readonly channels: Map<string, Channel>;
  private unsubscribe: (() => void) | null;
  private seen = 0;
  private paused = false;

  /**
   * @param module - The module to observe.
   * @param vars - One variable or several: memory names, `'output'`/`'spike'`, `'input'`, or probes.
   * @param options - What to keep ({@link Keep}), `dt`, buffer sizes.
   * @throws ValueError for an unknown variable, a repeated name or a bad option; for a memory of a
   * multi-step module that keeps no per-step copy (e.g. a node without `storeVSeq: true`).
   */
  constructor(
    readonly module: Module,
    vars: string | Probe | readonly (string | Probe)[],
    options: MonitorOptions = {},
  ) {
    const fn = 'Monitor';
    if (module === null || typeof module !== 'object' || typeof module.onForward !== 'function') {
      throw new ValueError(fn, 'module', 'a Module', module);
    }
    const list = (Array.isArray(vars) ? vars : [vars]) as (string | Probe)[];
    if (list.length === 0) throw new ValueError(fn, 'vars', 'at least one variable', vars);
    const keep = options.keep ?? 'all';
    this.keep = keep;
    this.dt = checkPositive(fn, 'dt', options.dt ?? 1);
    this.initialSteps = checkInteger(fn, 'initialSteps', options.initialSteps ?? 256, 1);
    this.flushEvery = checkInteger(fn, 'flushEvery', options.flushEvery ?? 1000, 1);
    if (keep === 'all' || keep === 'reduce') {
      this.every = 1;
      this.last = null;
      this.reduce = keep === 'reduce';
    } else if (typeof keep === 'object' && keep !== null && (keep.every !== undefined || keep.last !== undefined)) {
      this.every = checkInteger(fn, 'keep.every', keep.every ?? 1, 1);
      this.last = keep.last === undefined ? null : checkInteger(fn, 'keep.last', keep.last, 1);
      this.reduce = false;
    } else {
      throw new ValueError(fn, 'keep', "'all', 'reduce', { last: N } or { every: k }", keep);
    }
    const memories = ownMemoryNames(module);
    this.channels = new Map();
    for (const v of list) {
      const channel = this.channelFor(v, memories);
      if (this.channels.has(channel.name)) throw new ValueError(fn, 'vars', 'distinct names', channel.name);
      this.channels.set(channel.name, channel);
    }
    this.names = [...this.channels.keys()];
    this.unsubscribe = module.onForward((_m, input, output) => this.record(input, output));
  }

  /** Steps seen since construction or the last {@link clear} (recorded or not). */
  get steps(): number {
    return this.seen;
  }

  /** Steps held now (what {@link get} returns along T); in `'reduce'` mode, steps summed. */
  get recordedSteps(): number {
    const first = this.channels.values().next().value as Channel;
    if (this.reduce) return first.hostSteps + first.deviceSteps;
    return first.buffer?.length ?? 0;
  }

  /** Whether the monitor still has its hook on the module (false after {@link remove} or {@link dispose}). */
  get attached(): boolean {
    return this.unsubscribe !== null;
  }

  /** Whether forwards are being recorded: attached and not paused. */
  get recording(): boolean {
    return this.attached && !this.paused;
  }

  /** Bytes of host memory held by the recorded data. */
  get byteLength(): number {
    let n = 0;
    for (const c of this.channels.values()) n += (c.buffer?.byteLength ?? 0) + (c.hostSum?.byteLength ?? 0);
    return n;
  }

  /** Stops recording until {@link resume}; forwards meanwhile are not counted in {@link steps}. */
  pause(): this {
    this.paused = true;
    return this;
  }

  /** Records again after {@link pause}. */
  resume(): this {
    this.paused = false;
    return this;
  }

  /**
   * The recording of `name` as a `[T, B, ...]` float32 tensor, T the steps held (oldest first).
   * The caller owns (and disposes) it.
   * @throws ValueError for a name not recorded; StateError in `'reduce'` mode (no time series).
   */
  get(name: string): Tensor {
    const { data, shape } = this.series('get', name);
    return tf.tensor(data, shape as number[], 'float32');
  }

  /**
   * The recording of `name` as fresh typed arrays: values `[T, B, ...]`, the global step of
   * each row, and `dt`. This is what the measures and `@snn/plot` take.
   * @throws ValueError for a name not recorded; StateError in `'reduce'` mode.
   */
  toArray(name: string): RecordedArray {
    return this.series('toArray', name);
  }

  private series(method: string, name: string): RecordedArray {
    const c = this.channel(method, name);
    if (this.reduce) {
      throw new StateError(
        `Monitor.${method}`,
        `'${name}' is recorded with keep: 'reduce', which keeps no time series; use summary(), spikeCounts(), firingRates() or mean()`,
      );
    }
    if (c.buffer === null || c.stepShape === null) {
      return { name, data: new Float32Array(0), shape: [0], steps: new Float64Array(0), dt: this.dt };
    }
    const { data, steps } = c.buffer.snapshot();
    return { name, data, shape: [steps.length, ...c.stepShape], steps, dt: this.dt };
  }

  /**
   * Per-element sum and mean over the steps: over every step seen in `'reduce'` mode, over the
   * steps held otherwise.
   * @throws ValueError for a name not recorded.
   */
  summary(name: string): Summary {
    const c = this.channel('summary', name);
    if (this.reduce) {
      this.flush(c);
      const sum = c.hostSum === null ? new Float64Array(0) : Float64Array.from(c.hostSum);
      const steps = c.hostSteps;
      const mean = sum.map((s) => (steps === 0 ? Number.NaN : s / steps));
      return { name, shape: c.stepShape ?? [0], steps, sum, mean };
    }
    const rec = this.toArray(name);
    const sum = spikeCounts(rec);
    const steps = rec.shape[0] as number;
    const mean = sum.map((s) => (steps === 0 ? Number.NaN : s / steps));
    return { name, shape: c.stepShape ?? [0], steps, sum, mean };
  }

  /** Spikes per neuron (element of a step, row-major) over the steps summarised; see {@link summary}. */
  spikeCounts(name = 'spike'): Float64Array {
    return this.summary(name).sum;
  }

  /** Spikes per neuron per unit of `dt`: `count / (steps · dt)`. */
  firingRates(name = 'spike'): Float64Array {
    const s = this.summary(name);
    return s.sum.map((c) => (s.steps === 0 ? Number.NaN : c / (s.steps * this.dt)));
  }

  /** Mean of each element over the steps summarised (e.g. mean membrane potential). */
  mean(name: string): Float64Array {
    return this.summary(name).mean;
  }

  /** Population rate over the held steps, per unit of `dt`; see the function {@link populationRate}. */
  populationRate(name = 'spike', options: Omit<PopulationRateOptions, 'dt'> = {}): Float64Array {
    return populationRate(this.toArray(name), { ...options, dt: this.dt });
  }

  /** Inter-spike intervals per neuron, in units of `dt`; see the function {@link interSpikeIntervals}. */
  interSpikeIntervals(name = 'spike'): Float64Array[] {
    return interSpikeIntervals(this.toArray(name), { dt: this.dt });
  }

  /** Coefficient of variation of each neuron's inter-spike intervals (NaN below two intervals). */
  coefficientOfVariation(name = 'spike'): Float64Array {
    return coefficientOfVariation(this.interSpikeIntervals(name));
  }

  /** Spike events (time, neuron) of the held steps; see the function {@link spikeEvents}. */
  spikeEvents(name = 'spike', options: { readonly batch?: number } = {}): SpikeEvents {
    return spikeEvents(this.toArray(name), { ...options, dt: this.dt });
  }

  /** A JSON-safe object of everything held (`JSON.stringify(monitor)` uses it). */
  toJSON(): MonitorJSON {
    return monitorJSON(this);
  }

  /** CSV text of the given variables (default all): one row per held step, one column per element. */
  toCSV(names?: string | readonly string[]): string {
    return monitorCSV(this, names);
  }

  /** A NumPy `.npy` file (`'<f4'`, shape `[T, B, ...]`) of one variable's recording. */
  toNpy(name: string): Uint8Array {
    return monitorNpy(this, name);
  }

  /** One `.npy` file per variable (`'<name>.npy'`) plus `'steps.npy'` (`'<f8'`, the step of each row). */
  toNpyFiles(): Record<string, Uint8Array> {
    return monitorNpyFiles(this);
  }

  /** Drops everything recorded and restarts the step count; keeps recording. */
  clear(): void {
    for (const c of this.channels.values()) this.resetChannel(c);
    this.seen = 0;
  }

  /** Detaches the hook from the module; what was recorded stays readable. Idempotent. */
  remove(): void {
    this.unsubscribe?.();
    this.unsubscribe = null;
  }

  /** Detaches the hook and frees everything recorded, device sums included. Idempotent. */
  dispose(): void {
    this.remove();
    this.clear();
  }

  private channelFor(v: string | Probe, memories: readonly string[]): Channel {
    const fn = 'Monitor';
    const base = { stepShape: null, buffer: null, deviceSum: null, deviceSteps: 0, hostSum: null, hostSteps: 0 };
    if (typeof v === 'object' && v !== null && typeof v.name === 'string' && typeof v.read === 'function') {
      return { name: v.name, source: { kind: 'probe', read: v.read }, ...base };
    }
    if (typeof v !== 'string') throw new ValueError(fn, 'vars', 'names or { name, read } probes', v);
    if (memories.includes(v)) {
      this.checkSeqMemory(v);
      return { name: v, source: { kind: 'memory', memory: v }, ...base };
    }
    const alias = ALIASES[v];
    if (alias !== undefined) return { name: v, source: { kind: alias }, ...base };
    const known = [...memories, 'output', 'spike', 'input'].map((k) => `'${k}'`).join(', ');
    throw new ValueError(fn, 'vars', `names of ${this.module.constructor.name}'s state: one of ${known}`, v);
  }

  /** A memory of a multi-step module is read per step from its `<name>Seq`: check it will be there. */
  private checkSeqMemory(memory: string): void {
    if (this.module.stepMode !== 'm') return;
    const m = this.module as unknown as Record<string, unknown>;
    const store = `store${memory[0]?.toUpperCase()}${memory.slice(1)}Seq`;
    if (!(`${memory}Seq` in m) || m[store] === false) {
      throw new ValueError(
        'Monitor',
        'vars',
        `memories a multi-step ${this.module.constructor.name} keeps per step ('${memory}' needs '${memory}Seq'; build it with ${store}: true, or record it in step mode 's')`,
        memory,
      );
    }
  }

  private channel(method: string, name: string): Channel {
    const c = this.channels.get(name);
    if (c === undefined) {
      throw new ValueError(`Monitor.${method}`, 'name', `one of ${this.names.map((n) => `'${n}'`).join(', ')}`, name);
    }
    return c;
  }

  private read(c: Channel, input: Tensor, output: Tensor, seq: boolean): Tensor {
    const s = c.source;
    switch (s.kind) {
      case 'output':
        return output;
      case 'input':
        return input;
      case 'probe':
        return s.read(this.module, input, output);
      case 'memory': {
        if (!seq) return this.module.getMemory(s.memory);
        const value = (this.module as unknown as Record<string, unknown>)[`${s.memory}Seq`];
        if (value instanceof tf.Tensor) return value;
        throw new StateError(
          'Monitor',
          `'${s.memory}' of a multi-step ${this.module.constructor.name} is read from '${s.memory}Seq', which is not set: build the module so that it keeps it (e.g. storeVSeq: true)`,
        );
      }
    }
  }

  /** The forward hook. */
  private record(input: Tensor, output: Tensor): void {
    if (this.paused) return;
    const seq = this.module.stepMode === 'm';
    const T = seq ? (output.shape[0] ?? 1) : 1;
    for (const c of this.channels.values()) {
      if (this.reduce) this.accumulate(c, input, output, seq, T);
      else this.store(c, input, output, seq, T);
    }
    this.seen += T;
  }

  /** Checks the per-step shape of a value against the channel's (set at its first record). */
  private stepShapeOf(c: Channel, x: Tensor, seq: boolean, T: number): number[] {
    if (seq && x.shape[0] !== T) {
      throw new ShapeError('Monitor', c.name, `T = ${T} steps along axis 0 in step mode 'm'`, x.shape);
    }
    const stepShape = seq ? x.shape.slice(1) : x.shape.slice();
    if (c.stepShape !== null && !sameShape(c.stepShape, stepShape)) {
      throw new ShapeError(
        'Monitor',
        c.name,
        `the per-step shape it was first recorded with, [${c.stepShape.join(', ')}] (call clear() to start over)`,
        stepShape,
      );
    }
    return stepShape;
  }

  private store(c: Channel, input: Tensor, output: Tensor, seq: boolean, T: number): void {
    const rows: number[] = [];
    for (let i = 0; i < T; i++) if ((this.seen + i) % this.every === 0) rows.push(i);
    if (rows.length === 0) return; // nothing kept from this forward: no read-back either
    tf.tidy(() => {
      const x = this.read(c, input, output, seq);
      const stepShape = this.stepShapeOf(c, x, seq, T);
      const stepSize = stepShape.reduce((a, b) => a * b, 1);
      if (c.buffer === null) {
        c.stepShape = stepShape;
        c.buffer = new StepBuffer(stepSize, this.last, this.initialSteps);
      }
      const values = x.dataSync();
      for (const i of rows) c.buffer.push(values, i * stepSize, this.seen + i);
    });
  }

  private accumulate(c: Channel, input: Tensor, output: Tensor, seq: boolean, T: number): void {
    const next = tf.tidy(() => {
      const x = this.read(c, input, output, seq);
      const stepShape = this.stepShapeOf(c, x, seq, T);
      c.stepShape ??= stepShape;
      const f = x.dtype === 'float32' ? x : tf.cast(x, 'float32');
      const sum = seq ? tf.sum(f, 0) : f;
      return c.deviceSum === null ? tf.add(sum, 0) : tf.add(c.deviceSum, sum);
    });
    c.deviceSum?.dispose();
    c.deviceSum = tf.keep(next);
    c.deviceSteps += T;
    if (c.deviceSteps >= this.flushEvery) this.flush(c);
  }

  /**
   * Folds the device sum into the float64 host sum (one read-back) and restarts it from zeros, so
   * the number of live tensors stays the same.
   */
  private flush(c: Channel): void {
    if (c.deviceSum === null || c.deviceSteps === 0) return;
    const values = c.deviceSum.dataSync();
    c.hostSum ??= new Float64Array(values.length);
    for (let i = 0; i < values.length; i++) c.hostSum[i] = (c.hostSum[i] as number) + (values[i] as number);
    c.hostSteps += c.deviceSteps;
    const zeros = tf.keep(tf.zerosLike(c.deviceSum));
    c.deviceSum.dispose();
    c.deviceSum = zeros;
    c.deviceSteps = 0;
  }

  private resetChannel(c: Channel): void {
    c.deviceSum?.dispose();
    c.deviceSum = null;
    c.deviceSteps = 0;
    c.hostSum = null;
    c.hostSteps = 0;
    c.buffer = null;
    c.stepShape = null;
  }
}

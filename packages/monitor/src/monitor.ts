import { checkInteger, checkOptions, checkPositive, type Module, StateError, ValueError } from '@snn/core';
import type { Tensor } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';
import { Channel, type PendingRecord, type Probe } from './channel.js';
import { type MonitorJSON, monitorCSV, monitorJSON, monitorNpy, monitorNpyFiles } from './export.js';
import { type Keep, type KeepPlan, planKeep } from './keep.js';
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

/** The option names of {@link Monitor}. */
export const MONITOR_OPTION_KEYS = ['keep', 'dt', 'initialSteps', 'flushEvery'] as const;

function ownMemoryNames(module: Module): string[] {
  return module
    .namedMemories()
    .map(([name]) => name)
    .filter((name) => !name.includes('.'));
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
  private readonly plan: KeepPlan;
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
    checkOptions(fn, options, MONITOR_OPTION_KEYS);
    const list = (Array.isArray(vars) ? vars : [vars]) as unknown[];
    if (list.length === 0) throw new ValueError(fn, 'vars', 'at least one variable', vars);
    this.keep = options.keep ?? 'all';
    this.plan = planKeep(fn, this.keep);
    this.dt = checkPositive(fn, 'dt', options.dt ?? 1);
    this.initialSteps = checkInteger(fn, 'initialSteps', options.initialSteps ?? 256, 1);
    this.flushEvery = checkInteger(fn, 'flushEvery', options.flushEvery ?? 1000, 1);
    const memories = ownMemoryNames(module);
    this.channels = new Map();
    for (const v of list) {
      const channel = Channel.create(module, v, memories);
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
    return this.plan.reduce ? first.summedSteps : first.rows;
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
    for (const c of this.channels.values()) n += c.byteLength;
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
    if (this.plan.reduce) {
      throw new StateError(
        `Monitor.${method}`,
        `'${name}' is recorded with keep: 'reduce', which keeps no time series; use summary(), spikeCounts(), firingRates() or mean()`,
      );
    }
    const held = c.snapshot();
    if (held === null || c.shape === null) {
      return { name, data: new Float32Array(0), shape: [0], steps: new Float64Array(0), dt: this.dt };
    }
    return { name, data: held.data, shape: [held.steps.length, ...c.shape], steps: held.steps, dt: this.dt };
  }

  /**
   * Per-element sum and mean over the steps: over every step seen in `'reduce'` mode, over the
   * steps held otherwise.
   * @throws ValueError for a name not recorded.
   */
  summary(name: string): Summary {
    const c = this.channel('summary', name);
    if (this.plan.reduce) {
      const { sum, steps } = c.sums();
      const mean = sum.map((s) => (steps === 0 ? Number.NaN : s / steps));
      return { name, shape: c.shape ?? [0], steps, sum, mean };
    }
    const rec = this.toArray(name);
    const sum = spikeCounts(rec);
    const steps = rec.shape[0] as number;
    const mean = sum.map((s) => (steps === 0 ? Number.NaN : s / steps));
    return { name, shape: c.shape ?? [0], steps, sum, mean };
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
    checkOptions('Monitor.populationRate', options, ['bin']);
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
    checkOptions('Monitor.spikeEvents', options, ['batch']);
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
    for (const c of this.channels.values()) c.reset();
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

  private channel(method: string, name: string): Channel {
    const c = this.channels.get(name);
    if (c === undefined) {
      throw new ValueError(`Monitor.${method}`, 'name', `one of ${this.names.map((n) => `'${n}'`).join(', ')}`, name);
    }
    return c;
  }

  /**
   * The forward hook. Every channel reads and checks the forward first; only when all accept it is
   * it recorded, so a refused forward (a ShapeError, a probe returning no tensor) leaves the
   * monitor as it was.
   */
  private record(input: Tensor, output: Tensor): void {
    if (this.paused) return;
    const seq = this.module.stepMode === 'm';
    const view = { module: this.module, input, output, seq, T: seq ? (output.shape[0] ?? 1) : 1, seen: this.seen };
    const pending: PendingRecord[] = [];
    try {
      for (const c of this.channels.values()) pending.push(c.prepare(view, this.plan, this.initialSteps));
    } catch (error) {
      for (const p of pending) p.discard();
      throw error;
    }
    for (const p of pending) p.commit();
    this.seen += view.T;
    if (this.plan.reduce) {
      for (const c of this.channels.values()) if (c.pendingDeviceSteps >= this.flushEvery) c.flush();
    }
  }
}

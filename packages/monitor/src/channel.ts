import { type Module, ShapeError, StateError, ValueError } from '@snn/core';
import type { Tensor } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';
import type { KeepPlan } from './keep.js';
import { StepBuffer } from './step-buffer.js';

/** A variable computed from the module at each forward, for state that is not a memory or the output. */
export interface Probe {
  readonly name: string;
  /**
   * Reads the value after a forward: `[B, ...]` for a single-step module, `[T, B, ...]` for a
   * multi-step one. Runs inside `tf.tidy`: intermediates are freed, module state is not touched.
   */
  readonly read: (module: Module, input: Tensor, output: Tensor) => Tensor;
}

type Source =
  | { kind: 'output' }
  | { kind: 'input' }
  | { kind: 'memory'; memory: string }
  | { kind: 'probe'; read: Probe['read'] };

const ALIASES: Readonly<Record<string, 'output' | 'input'>> = { output: 'output', spike: 'output', input: 'input' };

/** One forward as a channel sees it. */
export interface ForwardView {
  readonly module: Module;
  readonly input: Tensor;
  readonly output: Tensor;
  /** Multi-step forward (`[T, B, ...]`). */
  readonly seq: boolean;
  readonly T: number;
  /** Steps seen before this forward. */
  readonly seen: number;
}

/**
 * What a channel will take from a forward, computed without changing the channel: `commit`
 * applies it, `discard` frees what it holds (a device sum) when another channel refused the forward.
 */
export interface PendingRecord {
  readonly commit: () => void;
  readonly discard: () => void;
}

const NOTHING: PendingRecord = { commit: () => {}, discard: () => {} };

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

/**
 * The recording of one variable: where it is read from, the step buffer (time series) or the
 * device and host sums (`'reduce'`). Recording is two-phase — {@link Channel.prepare} reads and
 * checks a forward without changing anything, the returned commit applies it — so that a
 * monitor refusing a forward (a shape it cannot record, a probe that returns no tensor) keeps
 * none of it in any channel.
 */
export class Channel {
  private stepShape: number[] | null = null;
  private buffer: StepBuffer | null = null;
  /** Reduce mode: device-side sum of the steps since the last flush. */
  private deviceSum: Tensor | null = null;
  private deviceSteps = 0;
  private hostSum: Float64Array | null = null;
  private hostSteps = 0;

  private constructor(
    readonly name: string,
    private readonly source: Source,
  ) {}

  /**
   * The channel of a variable name or probe.
   * @throws ValueError for a name that is neither a memory of `module` nor an alias; for a memory of
   * a multi-step module that keeps no per-step copy.
   */
  static create(module: Module, v: unknown, memories: readonly string[]): Channel {
    const fn = 'Monitor';
    const p = v as Partial<Probe> | null;
    if (typeof p === 'object' && p !== null && typeof p.name === 'string' && typeof p.read === 'function') {
      return new Channel(p.name, { kind: 'probe', read: p.read });
    }
    if (typeof v !== 'string') throw new ValueError(fn, 'vars', 'names or { name, read } probes', v);
    if (memories.includes(v)) {
      checkSeqMemory(module, v);
      return new Channel(v, { kind: 'memory', memory: v });
    }
    const alias = ALIASES[v];
    if (alias !== undefined) return new Channel(v, { kind: alias });
    const known = [...memories, 'output', 'spike', 'input'].map((k) => `'${k}'`).join(', ');
    throw new ValueError(fn, 'vars', `names of ${module.constructor.name}'s state: one of ${known}`, v);
  }

  /** Shape of one recorded step, or null before the first. */
  get shape(): readonly number[] | null {
    return this.stepShape;
  }

  /** Rows held in the time series. */
  get rows(): number {
    return this.buffer?.length ?? 0;
  }

  /** Steps summed in `'reduce'` mode, folded or not. */
  get summedSteps(): number {
    return this.hostSteps + this.deviceSteps;
  }

  /** Host bytes held. */
  get byteLength(): number {
    return (this.buffer?.byteLength ?? 0) + (this.hostSum?.byteLength ?? 0);
  }

  /** Values and global step of each held row (fresh arrays). */
  snapshot(): { data: Float32Array; steps: Float64Array } | null {
    return this.buffer === null ? null : this.buffer.snapshot();
  }

  /**
   * Reads and checks this forward's value, and returns what recording it would do. Changes nothing.
   * @throws ShapeError for a per-step shape other than the first one recorded; ValueError for a
   * probe that returns no tensor; StateError for a per-step memory that is not there.
   */
  prepare(view: ForwardView, plan: KeepPlan, initialSteps: number): PendingRecord {
    if (plan.reduce) return this.prepareSum(view);
    const rows: number[] = [];
    for (let i = 0; i < view.T; i++) if ((view.seen + i) % plan.every === 0) rows.push(i);
    if (rows.length === 0) return NOTHING; // nothing kept from this forward: no read-back either
    const { stepShape, values } = tf.tidy(() => {
      const x = this.read(view);
      return { stepShape: this.stepShapeOf(x, view), values: x.dataSync() };
    });
    const stepSize = stepShape.reduce((a, b) => a * b, 1);
    const commit = () => {
      if (this.buffer === null) {
        this.stepShape = stepShape;
        this.buffer = new StepBuffer(stepSize, plan.last, initialSteps);
      }
      for (const i of rows) this.buffer.push(values, i * stepSize, view.seen + i);
    };
    return { commit, discard: () => {} };
  }

  private prepareSum(view: ForwardView): PendingRecord {
    let stepShape: number[] = [];
    const next = tf.tidy(() => {
      const x = this.read(view);
      stepShape = this.stepShapeOf(x, view);
      const f = x.dtype === 'float32' ? x : tf.cast(x, 'float32');
      const sum = view.seq ? tf.sum(f, 0) : f;
      return this.deviceSum === null ? tf.add(sum, 0) : tf.add(this.deviceSum, sum);
    });
    tf.keep(next); // the channel owns it: a tidy around the user's loop must not free it
    const commit = () => {
      this.stepShape ??= stepShape;
      this.deviceSum?.dispose();
      this.deviceSum = next;
      this.deviceSteps += view.T;
    };
    return { commit, discard: () => next.dispose() };
  }

  /** In `'reduce'` mode: the steps summed on the device since the last fold. */
  get pendingDeviceSteps(): number {
    return this.deviceSteps;
  }

  /**
   * Folds the device sum into the float64 host sum (one read-back) and restarts it from zeros, so
   * the number of live tensors stays the same.
   */
  flush(): void {
    if (this.deviceSum === null || this.deviceSteps === 0) return;
    const values = this.deviceSum.dataSync();
    this.hostSum ??= new Float64Array(values.length);
    for (let i = 0; i < values.length; i++) this.hostSum[i] = (this.hostSum[i] as number) + (values[i] as number);
    this.hostSteps += this.deviceSteps;
    const zeros = tf.keep(tf.zerosLike(this.deviceSum));
    this.deviceSum.dispose();
    this.deviceSum = zeros;
    this.deviceSteps = 0;
  }

  /** The float64 sums and their step count, after a fold. */
  sums(): { sum: Float64Array; steps: number } {
    this.flush();
    return {
      sum: this.hostSum === null ? new Float64Array(0) : Float64Array.from(this.hostSum),
      steps: this.hostSteps,
    };
  }

  /** Drops everything recorded, device sums included. */
  reset(): void {
    this.deviceSum?.dispose();
    this.deviceSum = null;
    this.deviceSteps = 0;
    this.hostSum = null;
    this.hostSteps = 0;
    this.buffer = null;
    this.stepShape = null;
  }

  private read(view: ForwardView): Tensor {
    const s = this.source;
    switch (s.kind) {
      case 'output':
        return view.output;
      case 'input':
        return view.input;
      case 'probe': {
        const value: unknown = s.read(view.module, view.input, view.output);
        if (!(value instanceof tf.Tensor) || value.isDisposed) {
          throw new ValueError(`Monitor probe '${this.name}'`, 'read', 'to return a tf.Tensor', value);
        }
        return value;
      }
      case 'memory': {
        if (!view.seq) return view.module.getMemory(s.memory);
        const value = (view.module as unknown as Record<string, unknown>)[`${s.memory}Seq`];
        if (value instanceof tf.Tensor) return value;
        throw new StateError(
          'Monitor',
          `'${s.memory}' of a multi-step ${view.module.constructor.name} is read from '${s.memory}Seq', which is not set: build the module so that it keeps it (e.g. storeVSeq: true)`,
        );
      }
    }
  }

  /** Checks the per-step shape of a value against the channel's (set at its first record). */
  private stepShapeOf(x: Tensor, view: ForwardView): number[] {
    if (view.seq && x.shape[0] !== view.T) {
      throw new ShapeError('Monitor', this.name, `T = ${view.T} steps along axis 0 in step mode 'm'`, x.shape);
    }
    const stepShape = view.seq ? x.shape.slice(1) : x.shape.slice();
    if (this.stepShape !== null && !sameShape(this.stepShape, stepShape)) {
      throw new ShapeError(
        'Monitor',
        this.name,
        `the per-step shape it was first recorded with, [${this.stepShape.join(', ')}] (call clear() to start over)`,
        stepShape,
      );
    }
    return stepShape;
  }
}

/** A memory of a multi-step module is read per step from its `<name>Seq`: check it will be there. */
function checkSeqMemory(module: Module, memory: string): void {
  if (module.stepMode !== 'm') return;
  const m = module as unknown as Record<string, unknown>;
  const store = `store${memory[0]?.toUpperCase()}${memory.slice(1)}Seq`;
  if (!(`${memory}Seq` in m) || m[store] === false) {
    throw new ValueError(
      'Monitor',
      'vars',
      `memories a multi-step ${module.constructor.name} keeps per step ('${memory}' needs '${memory}Seq'; build it with ${store}: true, or record it in step mode 's')`,
      memory,
    );
  }
}

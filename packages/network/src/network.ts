import {
  checkBoolean,
  checkOptions,
  checkPositive,
  loadState,
  Module,
  type SavedState,
  ShapeError,
  StateError,
  saveState,
  ValueError,
} from '@snn/core';
import type { Tensor } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';
import type { AbstractConnection } from './connection.js';
import { fastPathSupports, runFastPath } from './fast-path.js';
import { keysOf } from './options.js';
import { type Forcing, Input, Population } from './population.js';

/** Anything that records during a run and can be cleared: `@snn/monitor`'s `Monitor` fits. */
export interface NetworkMonitorLike {
  /** Clears what was recorded (`Monitor.clear`), called by `network.resetMonitors()`. */
  clear?: () => void;
  /** Detaches from the module (`Monitor.remove`). */
  remove?: () => void;
}

/** Options of {@link Network}. */
export interface NetworkOptions {
  /** Time step, ms. Default 1. */
  readonly dt?: number;
  /** Batch size used when `run` gets no inputs. Default 1. */
  readonly batchSize?: number;
  /** Whether connections with a rule learn during `run`. Default true. */
  readonly learning?: boolean;
  /**
   * Let `run` use the typed-array fast path on the cpu and wasm backends when the network is made
   * of what it covers (Input, LIF and Diehl–Cook populations, dense connections, PostPre and
   * Hebbian). Default true; false always takes the tensor path.
   */
  readonly fastPath?: boolean;
}

/** The keys of {@link NetworkOptions}. */
export const NETWORK_OPTION_KEYS = keysOf<NetworkOptions>()(['dt', 'batchSize', 'learning', 'fastPath']);

/** Per layer name: a tensor. */
export type LayerTensors = Readonly<Record<string, Tensor>>;

/** Arguments of {@link Network.run}. */
export interface RunOptions {
  /** Per layer name, `[steps, B, ...shape]`: the spikes of an `Input`, or a current added to a node population's input. */
  readonly inputs?: LayerTensors;
  /** Duration, ms: `time / dt` steps (an integer > 0). */
  readonly time: number;
  /** Per layer name, 0/1 `[...shape]` (every step) or `[steps, ...shape]`: neurons forced to spike. */
  readonly clamp?: LayerTensors;
  /** Same shapes: neurons forced to stay silent (applied after `clamp`). */
  readonly unclamp?: LayerTensors;
  /** Reward for reward-modulated rules: a number, a scalar, `[B]`, or `[steps]`/`[steps, B]` per step. */
  readonly reward?: number | Tensor;
  /** Per connection name, 0/1 in the weight's shape: 1 pins that weight to zero after every update. */
  readonly masks?: LayerTensors;
}

/** The keys of {@link RunOptions}. */
export const RUN_OPTION_KEYS = keysOf<RunOptions>()(['inputs', 'time', 'clamp', 'unclamp', 'reward', 'masks']);

/**
 * A clock-driven network in BindsNET's shape: named populations ({@link Population}) joined by
 * connections (dense, sparse, convolutional, local, recurrent), advanced in steps of `dt` ms.
 *
 * Each step of {@link Network.run} is synchronous: every population's input at step t is the
 * weighted sum of its sources' spikes at t − 1 (plus any `inputs` for it at t); all populations
 * then step, `clamp`/`unclamp` force spikes, and connections with a rule learn from the spikes
 * and traces of step t (when `learning` is on). After the run, connections with `norm` are
 * normalised. Monitors are forward hooks on the populations, so they see every step.
 *
 * The network is a `Module`: its populations and connections are children named as added
 * (connections `source_to_target` unless named), so `reset()` clears every state but persistent
 * state (Diehl–Cook's θ), and {@link Network.save}/{@link Network.load} carry the weights, the
 * persistent state and the current state.
 *
 * @example
 * ```ts
 * const net = new Network({ dt: 1 });
 * const X = new Input(100), Y = lifNodes(1000);
 * net.addLayer(X, 'X'); net.addLayer(Y, 'Y');
 * net.addConnection(new Connection(X, Y, { w: tf.fill([1000, 100], 0.05) }), 'X', 'Y');
 * net.run({ inputs: { X: spikes }, time: 500 });   // spikes: [500, 1, 100]
 * ```
 */
export class Network extends Module {
  readonly dt: number;
  private batch: number;
  private learningOn: boolean;
  private readonly layerMap = new Map<string, Population>();
  private readonly connectionMap = new Map<string, { conn: AbstractConnection; source: string; target: string }>();
  private readonly monitorMap = new Map<string, NetworkMonitorLike>();
  /** Whether `run` may use the typed-array fast path (see {@link NetworkOptions.fastPath}). */
  fastPath: boolean;

  /**
   * @throws UnknownOptionError for an option name it does not know; ValueError for a bad value.
   */
  constructor(options: NetworkOptions = {}) {
    checkOptions('Network', options, NETWORK_OPTION_KEYS);
    super('s');
    this.dt = checkPositive('Network', 'dt', options.dt ?? 1);
    const b = options.batchSize ?? 1;
    if (!(Number.isInteger(b) && b >= 1)) throw new ValueError('Network', 'batchSize', 'an integer >= 1', b);
    this.batch = b;
    this.learningOn = checkBoolean('Network', 'learning', options.learning) ?? true;
    this.fastPath = checkBoolean('Network', 'fastPath', options.fastPath) ?? true;
  }

  /** Whether connections with a rule learn (and Diehl–Cook thresholds adapt) during `run`. */
  get learning(): boolean {
    return this.learningOn;
  }

  set learning(on: boolean) {
    if (typeof on !== 'boolean') throw new ValueError('Network.learning', 'learning', 'a boolean', on);
    this.learningOn = on;
    this.train(on);
  }

  /** The batch size of the current state (set by the last `run`). */
  get batchSize(): number {
    return this.batch;
  }

  /** The populations by name, in the order added (the order they step in). */
  get layers(): ReadonlyMap<string, Population> {
    return this.layerMap;
  }

  /** The connections by name. */
  get connections(): ReadonlyMap<string, AbstractConnection> {
    return new Map([...this.connectionMap].map(([k, v]) => [k, v.conn]));
  }

  /** The monitors by name. */
  get monitors(): ReadonlyMap<string, NetworkMonitorLike> {
    return this.monitorMap;
  }

  /** The population named `name`. @throws ValueError naming the known layers. */
  layer(name: string): Population {
    const l = this.layerMap.get(name);
    if (l === undefined) throw this.unknown('Network.layer', 'name', name, this.layerMap);
    return l;
  }

  /**
   * Adds a population under `name` (an identifier; BindsNET's `add_layer`).
   * @throws ValueError when the name is taken or not an identifier, or `layer` is not a Population.
   */
  addLayer(layer: Population, name: string): void {
    const fn = 'Network.addLayer';
    if (!(layer instanceof Population))
      throw new ValueError(fn, 'layer', 'a Population (Input, lifNodes(...), ...)', layer);
    if ([...this.layerMap.values()].includes(layer))
      throw new ValueError(fn, 'layer', 'a population not added yet', name);
    if (this.layerMap.has(name)) throw new ValueError(fn, 'name', 'a layer name not used yet', name);
    this.registerModule(name, layer);
    layer.dt = this.dt;
    layer.train(this.learningOn);
    this.layerMap.set(name, layer);
  }

  /**
   * Adds a connection from layer `source` to layer `target` (the same layer for a recurrent one;
   * BindsNET's `add_connection`). It must have been built between those populations.
   * @param name - Default `'<source>_to_<target>'`; the key of `run({ masks })`.
   * @throws ValueError for an unknown layer, a connection built for other populations, an Input
   * target, or a name in use; the network is unchanged.
   */
  addConnection(connection: AbstractConnection, source: string, target: string, name = `${source}_to_${target}`): void {
    const fn = 'Network.addConnection';
    const src = this.layerMap.get(source);
    if (src === undefined) throw this.unknown(fn, 'source', source, this.layerMap);
    const tgt = this.layerMap.get(target);
    if (tgt === undefined) throw this.unknown(fn, 'target', target, this.layerMap);
    if (connection === null || typeof connection !== 'object' || typeof connection.propagate !== 'function') {
      throw new ValueError(fn, 'connection', 'a Connection', connection);
    }
    if (connection.source !== src || connection.target !== tgt) {
      throw new ValueError(
        fn,
        'connection',
        `a connection built from layer '${source}' to layer '${target}'`,
        connection,
      );
    }
    if (tgt instanceof Input) throw new ValueError(fn, 'target', 'a layer that is not an Input', target);
    if (this.connectionMap.has(name) || this.layerMap.has(name))
      throw new ValueError(fn, 'name', 'a name not used yet', name);
    this.registerModule(name, connection);
    this.connectionMap.set(name, { conn: connection, source, target });
  }

  /** Registers a monitor (e.g. `@snn/monitor`'s `Monitor` on a population) under `name`. @throws ValueError for a name in use. */
  addMonitor(monitor: NetworkMonitorLike, name: string): void {
    if (this.monitorMap.has(name))
      throw new ValueError('Network.addMonitor', 'name', 'a monitor name not used yet', name);
    if (monitor === null || typeof monitor !== 'object')
      throw new ValueError('Network.addMonitor', 'monitor', 'a monitor', monitor);
    this.monitorMap.set(name, monitor);
  }

  /** Clears every registered monitor's recording. */
  resetMonitors(): void {
    for (const m of this.monitorMap.values()) m.clear?.();
  }

  /**
   * Runs the network for `time` ms (BindsNET's `Network.run`). Every argument is checked before
   * anything changes: an unknown layer or connection name, a tensor of the wrong shape, a time
   * that is not a positive multiple of `dt` give a `ValueError`/`ShapeError` and leave the
   * network as it was; an unknown option name is an `UnknownOptionError`. A batch size other
   * than the current state's resets the state first.
   *
   * @returns The number of steps run.
   */
  run(options: RunOptions): number {
    const fn = 'Network.run';
    if (options === null || typeof options !== 'object' || Array.isArray(options)) {
      throw new ValueError(fn, 'options', '{ time, inputs?, clamp?, unclamp?, reward?, masks? }', options);
    }
    checkOptions(fn, options, RUN_OPTION_KEYS);
    const time = options.time;
    const steps = typeof time === 'number' ? Math.round(time / this.dt) : Number.NaN;
    if (
      !(typeof time === 'number' && time > 0 && Number.isFinite(time) && Math.abs(steps * this.dt - time) < 1e-9 * time)
    ) {
      throw new ValueError(fn, 'time', `a positive multiple of dt (${this.dt} ms)`, time);
    }
    const inputs = options.inputs ?? {};
    let batch: number | null = null;
    for (const [name, x] of Object.entries(inputs)) {
      const layer = this.layerMap.get(name);
      if (layer === undefined) throw this.unknown(fn, `inputs.${name}`, name, this.layerMap);
      checkTensorArg(fn, `inputs.${name}`, x);
      const b = x.shape[1];
      const ok = x.rank === layer.shape.length + 2 && x.shape[0] === steps && sameTail(x.shape, 2, layer.shape);
      if (!ok || (batch !== null && b !== batch)) {
        throw new ShapeError(
          fn,
          `inputs.${name}`,
          `shape [${steps}, ${batch ?? 'B'}, ${layer.shape.join(', ')}]`,
          x.shape,
        );
      }
      batch = b as number;
    }
    const B = batch ?? this.batch;
    const forcings = (arg: 'clamp' | 'unclamp') => {
      const m = options[arg] ?? {};
      for (const [name, x] of Object.entries(m)) {
        const layer = this.layerMap.get(name);
        if (layer === undefined) throw this.unknown(fn, `${arg}.${name}`, name, this.layerMap);
        checkTensorArg(fn, `${arg}.${name}`, x);
        const every = x.rank === layer.shape.length && sameTail(x.shape, 0, layer.shape);
        const perStep = x.rank === layer.shape.length + 1 && x.shape[0] === steps && sameTail(x.shape, 1, layer.shape);
        if (!every && !perStep) {
          throw new ShapeError(
            fn,
            `${arg}.${name}`,
            `shape [${layer.shape.join(', ')}] or [${steps}, ${layer.shape.join(', ')}]`,
            x.shape,
          );
        }
      }
      return m;
    };
    const clamp = forcings('clamp');
    const unclamp = forcings('unclamp');
    const masks = options.masks ?? {};
    for (const [name, m] of Object.entries(masks)) {
      const c = this.connectionMap.get(name);
      if (c === undefined) throw this.unknown(fn, `masks.${name}`, name, this.connectionMap);
      checkTensorArg(fn, `masks.${name}`, m);
      if (!sameTail(m.shape, 0, c.conn.w.shape) || m.rank !== c.conn.w.rank) {
        throw new ShapeError(fn, `masks.${name}`, `the shape of the weight, [${c.conn.w.shape.join(', ')}]`, m.shape);
      }
    }
    const reward = options.reward;
    let rewardPerStep = false;
    if (reward !== undefined) {
      if (typeof reward === 'number') {
        if (!Number.isFinite(reward)) throw new ValueError(fn, 'reward', 'a finite number', reward);
      } else {
        checkTensorArg(fn, 'reward', reward);
        const s = reward.shape;
        rewardPerStep =
          (s.length === 1 && s[0] === steps && steps !== B) || (s.length === 2 && s[0] === steps && s[1] === B);
        if (!(s.length === 0 || (s.length === 1 && s[0] === B) || rewardPerStep)) {
          throw new ShapeError(fn, 'reward', `shape [], [${B}], [${steps}] or [${steps}, ${B}]`, s);
        }
      }
    }

    // Checked: from here on the network changes.
    if (B !== this.batch) {
      this.batch = B;
      this.reset();
    }
    if (this.fastPath && fastPathSupports(this.layerMap, this.connections)) {
      this.runFast(steps, B, inputs, clamp, unclamp, masks);
      return steps;
    }
    const maskTensors = new Map<string, Tensor>();
    for (const [name, m] of Object.entries(masks))
      maskTensors.set(name, tf.keep(tf.cast(tf.notEqual(m, 0), 'float32')));
    try {
      for (let t = 0; t < steps; t++) {
        tf.tidy(() => this.step(t, steps, inputs, clamp, unclamp, reward, rewardPerStep, maskTensors));
      }
      for (const { conn } of this.connectionMap.values()) conn.normalize();
    } finally {
      tf.dispose([...maskTensors.values()]);
    }
    return steps;
  }

  /** The typed-array path: host copies of the arguments, one loop, state written back. */
  private runFast(
    steps: number,
    batch: number,
    inputs: LayerTensors,
    clamp: LayerTensors,
    unclamp: LayerTensors,
    masks: LayerTensors,
  ): void {
    const host = (x: Tensor) => Float32Array.from(x.dataSync() as ArrayLike<number>);
    const forcing = (m: LayerTensors) =>
      new Map(
        Object.entries(m).map(([name, x]) => [
          name,
          { values: host(x), perStep: x.rank === (this.layerMap.get(name) as Population).shape.length + 1 },
        ]),
      );
    const maskIdx = new Map<string, Int32Array>();
    for (const [name, m] of Object.entries(masks)) {
      const v = m.dataSync();
      const idx: number[] = [];
      for (let k = 0; k < v.length; k++) if (v[k] !== 0) idx.push(k);
      maskIdx.set(name, Int32Array.from(idx));
    }
    runFastPath(this.layerMap, this.connections, {
      steps,
      batch,
      inputs: new Map(Object.entries(inputs).map(([name, x]) => [name, host(x)])),
      clamp: forcing(clamp),
      unclamp: forcing(unclamp),
      masks: maskIdx,
      learning: this.learningOn,
    }); // normalises too
  }

  private step(
    t: number,
    steps: number,
    inputs: LayerTensors,
    clamp: LayerTensors,
    unclamp: LayerTensors,
    reward: number | Tensor | undefined,
    rewardPerStep: boolean,
    masks: Map<string, Tensor>,
  ): void {
    const B = this.batch;
    // Synchronous update: every input comes from the spikes of the previous step.
    const currents = new Map<string, Tensor>();
    for (const { conn, target } of this.connectionMap.values()) {
      const s = conn.source.s;
      if (s.rank === 0) continue; // nothing has spiked yet
      const i = conn.propagate(s);
      const prev = currents.get(target);
      currents.set(target, prev === undefined ? i : tf.add(prev, i));
    }
    for (const [name, layer] of this.layerMap) {
      let x = currents.get(name);
      const given = inputs[name];
      if (given !== undefined) {
        const xt = sliceStep(given, t);
        x = x === undefined ? xt : tf.add(x, xt);
      }
      layer.forcing = {
        clamp: forcingAt(clamp[name], t, layer, steps),
        unclamp: forcingAt(unclamp[name], t, layer, steps),
      } satisfies Forcing;
      try {
        tf.dispose(layer.forward(x ?? tf.zeros([B, ...layer.shape])));
      } finally {
        layer.forcing = { clamp: null, unclamp: null };
      }
    }
    if (!this.learningOn && masks.size === 0) return;
    const r = reward === undefined ? undefined : rewardPerStep ? sliceStep(reward as Tensor, t) : reward;
    for (const [name, { conn }] of this.connectionMap) {
      const mask = masks.get(name) ?? null;
      if (this.learningOn) conn.learn({ reward: r, mask });
      else if (mask !== null) conn.learn({ mask });
    }
  }

  /**
   * The whole network as JSON-safe state: connection weights, persistent state (θ) and the
   * current state of every population and rule (core's `saveState` with memories).
   */
  save(): SavedState {
    return saveState(this, { memories: true });
  }

  /**
   * Loads what {@link Network.save} wrote into a network of the same structure; all or nothing.
   * @throws StateError when the state does not fit (core's `loadState` names the entry).
   */
  load(state: SavedState): void {
    if (state?.memories === undefined)
      throw new StateError('Network.load', 'the state has no memories (use network.save())');
    loadState(this, state);
    const first = [...this.layerMap.values()][0]?.s;
    if (first !== undefined && first.rank > 0) this.batch = first.shape[0] as number;
  }

  /** Removes every monitor's hook and frees every tensor of the network. */
  override dispose(): void {
    for (const m of this.monitorMap.values()) m.remove?.();
    super.dispose();
  }

  private unknown(fn: string, arg: string, name: string, known: Map<string, unknown>): ValueError {
    const list = [...known.keys()].map((k) => `'${k}'`).join(', ') || '(none)';
    return new ValueError(fn, arg, `one of ${list}`, name);
  }
}

function checkTensorArg(fn: string, arg: string, x: unknown): asserts x is Tensor {
  const t = x as Tensor | null;
  if (t === null || typeof t !== 'object' || !Array.isArray(t.shape) || t.isDisposed) {
    throw new ValueError(fn, arg, 'a tf.Tensor (not disposed)', x);
  }
}

function sameTail(shape: readonly number[], from: number, tail: readonly number[]): boolean {
  return shape.length - from === tail.length && tail.every((d, i) => shape[from + i] === d);
}

function sliceStep(x: Tensor, t: number): Tensor {
  const [, ...rest] = x.shape;
  return tf.reshape(
    tf.slice(
      x,
      x.shape.map((_, i) => (i === 0 ? t : 0)),
      [1, ...rest],
    ),
    rest,
  );
}

function forcingAt(x: Tensor | undefined, t: number, layer: Population, _steps: number): Tensor | null {
  if (x === undefined) return null;
  const m = x.rank === layer.shape.length ? x : sliceStep(x, t);
  return tf.cast(tf.notEqual(m, 0), 'float32');
}

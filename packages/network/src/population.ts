import {
  checkBoolean,
  checkFinite,
  checkInteger,
  checkOptions,
  checkPositive,
  Module,
  ShapeError,
  ValueError,
} from '@snn/core';
import { DiehlCookNode, type DiehlCookNodeOptions } from '@snn/neurons';
import type { Tensor } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';
import { keysOf } from './options.js';

/** Spike traces of a population (BindsNET's `traces`, `tc_trace`, `trace_scale`, `traces_additive`). */
export interface TraceOptions {
  /** Keep a trace `x` of the spikes, for learning rules. Default true. */
  readonly traces?: boolean;
  /** Time constant of the trace, ms, > 0. Default 20. */
  readonly tcTrace?: number;
  /** Value a spike sets the trace to (or adds to it). Default 1. */
  readonly traceScale?: number;
  /** Add `traceScale` per spike instead of setting the trace to it. Default false. */
  readonly tracesAdditive?: boolean;
  /**
   * Keep a running spike count `count` (`[B, ...shape]`) that `reset()` clears: what a
   * classifier reads after a run without recording every step. Default false.
   */
  readonly countSpikes?: boolean;
}

/** The keys of {@link TraceOptions} (those of {@link Input} and {@link NodePopulation}). */
export const TRACE_OPTION_KEYS = keysOf<TraceOptions>()([
  'traces',
  'tcTrace',
  'traceScale',
  'tracesAdditive',
  'countSpikes',
]);

/** Trace options with their defaults filled in. */
type ResolvedTraceOptions = { readonly [K in keyof TraceOptions]-?: Exclude<TraceOptions[K], undefined> };

/** Checks the trace options of `options` (other keys are the caller's to check) and fills in the defaults. */
function resolveTraceOptions(fn: string, options: TraceOptions): ResolvedTraceOptions {
  return {
    traces: checkBoolean(fn, 'traces', options.traces) ?? true,
    tcTrace: checkPositive(fn, 'tcTrace', options.tcTrace ?? 20),
    traceScale: checkFinite(fn, 'traceScale', options.traceScale ?? 1),
    tracesAdditive: checkBoolean(fn, 'tracesAdditive', options.tracesAdditive) ?? false,
    countSpikes: checkBoolean(fn, 'countSpikes', options.countSpikes) ?? false,
  };
}

/** The trace options among `options` (what a factory passes on to {@link NodePopulation}). */
function traceOptionsOf(options: TraceOptions): TraceOptions {
  return Object.fromEntries(
    Object.entries(options).filter(([k]) => (TRACE_OPTION_KEYS as readonly string[]).includes(k)),
  );
}

/** What the network forces on a population for one step (`clamp`/`unclamp` of `run`). */
export interface Forcing {
  /** 0/1 `[...shape]` or `[B, ...shape]`: neurons that must spike. */
  readonly clamp: Tensor | null;
  /** 0/1, same shapes: neurons that must stay silent. */
  readonly unclamp: Tensor | null;
}

const NO_FORCING: Forcing = { clamp: null, unclamp: null };

function checkShape(fn: string, shape: unknown): number[] {
  const s = (typeof shape === 'number' ? [shape] : shape) as number[];
  if (!Array.isArray(s) || s.length === 0)
    throw new ValueError(fn, 'shape', 'a size or a non-empty array of sizes', shape);
  for (const d of s) checkInteger(fn, 'shape', d, 1);
  return [...s];
}

/**
 * A layer of a {@link Network}: `size` neurons arranged as `shape`, stepped once per `dt`. It
 * keeps its last spikes `s` (`[B, ...shape]`, what its outgoing connections read at the next
 * step) and, with traces on, their trace `x` (BindsNET's `Nodes.x`):
 * `x ← x·exp(−dt/tcTrace)`, then `x ← traceScale` where a neuron spiked (or `x += traceScale`
 * when additive).
 *
 * `forward(current)` is one step: `[B, ...shape]` in, spikes out (after `clamp`/`unclamp`), and
 * its forward hooks see those spikes, so a `Monitor` on a population records what the network
 * saw. Subclasses implement {@link Population.spikes}.
 */
export abstract class Population extends Module {
  /** Neurons per sample, arranged as this shape. */
  readonly shape: readonly number[];
  /** Number of neurons, the product of `shape`. */
  readonly size: number;
  readonly traces: boolean;
  readonly tcTrace: number;
  readonly traceScale: number;
  readonly tracesAdditive: boolean;
  readonly countSpikes: boolean;
  /** Time step, ms; set by the network it joins. */
  dt = 1;
  /** Set by the network for the step it runs; cleared after. */
  forcing: Forcing = NO_FORCING;
  /**
   * Node memories that monitors of this population read (filled by `populationMonitor`): the
   * network's fast path writes these at every step for the hooks, the rest once per run.
   */
  readonly watched = new Set<string>();

  /**
   * @param fn - The subclass's name, for errors.
   * @throws UnknownOptionError for an option name that is not a trace option; ValueError for a
   *   bad shape or option value. Nothing is created before the checks pass.
   */
  constructor(fn: string, shape: number | readonly number[], options: TraceOptions = {}) {
    checkOptions(fn, options, TRACE_OPTION_KEYS);
    super('s');
    this.shape = checkShape(fn, shape);
    this.size = this.shape.reduce((a, b) => a * b, 1);
    const t = resolveTraceOptions(fn, options);
    this.traces = t.traces;
    this.tcTrace = t.tcTrace;
    this.traceScale = t.traceScale;
    this.tracesAdditive = t.tracesAdditive;
    this.countSpikes = t.countSpikes;
    this.registerMemory('s', 0);
    this.registerMemory('x', 0);
    if (t.countSpikes) this.registerMemory('count', 0);
  }

  /** Spikes counted since the last `reset()`, `[B, ...shape]` (with `countSpikes`; owned by the population). */
  get count(): Tensor {
    return this.getMemory('count');
  }

  /** The spikes of the last step, `[B, ...shape]` (a scalar 0 before the first). Owned by the population. */
  get s(): Tensor {
    return this.getMemory('s');
  }

  /** The spike trace, `[B, ...shape]` (0 before the first step, or always without traces). Owned by the population. */
  get x(): Tensor {
    return this.getMemory('x');
  }

  /** This step's spikes from the summed input `current` `[B, ...shape]`, before clamping. */
  protected abstract spikes(current: Tensor): Tensor;

  protected override singleStepForward(current: Tensor): Tensor {
    const [, ...rest] = current.shape;
    if (current.rank !== this.shape.length + 1 || rest.some((d, i) => d !== this.shape[i])) {
      throw new ShapeError(
        `${this.constructor.name}.forward`,
        'current',
        `shape [B, ${this.shape.join(', ')}]`,
        current.shape,
      );
    }
    return tf.tidy(() => {
      let s = this.spikes(current);
      if (this.forcing.clamp !== null) s = tf.maximum(s, this.forcing.clamp);
      if (this.forcing.unclamp !== null) s = tf.mul(s, tf.sub(1, this.forcing.unclamp));
      this.setMemory('s', s);
      if (this.countSpikes) this.setMemory('count', tf.add(this.getMemory('count'), s));
      if (this.traces) {
        const decayed = tf.mul(this.getMemory('x'), Math.exp(-this.dt / this.tcTrace));
        const x = this.tracesAdditive
          ? tf.add(decayed, tf.mul(s, this.traceScale))
          : tf.add(tf.mul(decayed, tf.sub(1, s)), tf.mul(s, this.traceScale));
        this.setMemory('x', x);
      }
      return tf.clone(s);
    });
  }
}

/**
 * Input population (BindsNET's `Input`): its spikes are the values given for it in
 * `run({ inputs })` at each step (0/1, `[B, ...shape]`); with none given, it is silent.
 *
 * @throws UnknownOptionError for an option name it does not know; ValueError for a bad shape or
 *   trace option.
 * @example
 * ```ts
 * net.addLayer(new Input(100), 'X');
 * ```
 */
export class Input extends Population {
  constructor(shape: number | readonly number[], options: TraceOptions = {}) {
    super('Input', shape, options);
  }

  protected override spikes(current: Tensor): Tensor {
    return tf.cast(current, 'float32');
  }
}

/** Options of {@link NodePopulation}. */
export interface NodePopulationOptions extends TraceOptions {}

/** The keys of {@link NodePopulationOptions}. */
export const NODE_POPULATION_OPTION_KEYS = keysOf<NodePopulationOptions>()([...TRACE_OPTION_KEYS]);

/**
 * A population of any neuron node of `@snn/neurons` (or your own `Module` that maps a
 * `[B, ...shape]` input to `[B, ...shape]` spikes in step mode `'s'`): LIF, adaptive LIF,
 * Izhikevich, Diehl–Cook, ... The node is a child module, so `reset()`, `saveState` and monitors
 * reach its state (persistent θ included). The input the node gets each step is the summed
 * weighted spikes of the incoming connections plus the `inputs` given for this layer.
 *
 * @throws UnknownOptionError for an option name it does not know; ValueError when `node` is not a
 *   Module in step mode `'s'`, or for a bad option value.
 * @example
 * ```ts
 * net.addLayer(new NodePopulation(new IzhikevichNode(), 50), 'izh');
 * ```
 */
export class NodePopulation extends Population {
  /** The neuron node (a child module named `node`). */
  readonly node: Module;

  constructor(node: Module, shape: number | readonly number[], options: NodePopulationOptions = {}) {
    // The node is checked before the base class registers the population's memories.
    if (node === null || typeof node !== 'object' || typeof (node as Module).forward !== 'function') {
      throw new ValueError('NodePopulation', 'node', 'a neuron node (a Module)', node);
    }
    if (node.stepMode !== 's')
      throw new ValueError('NodePopulation', 'node.stepMode', "'s' (one step per call)", node.stepMode);
    super('NodePopulation', shape, options);
    this.node = this.registerModule('node', node);
  }

  protected override spikes(current: Tensor): Tensor {
    return this.node.forward(current);
  }
}

/** BindsNET-style LIF parameters, in mV and ms (BindsNET's `LIFNodes` names in camelCase). */
export interface LIFNodesOptions extends TraceOptions {
  /** Resting potential, mV. Default −65. */
  readonly rest?: number;
  /** Potential after a spike, mV. Default −65. */
  readonly reset?: number;
  /** Spike threshold, mV. Default −52. */
  readonly thresh?: number;
  /** Refractory period, ms. Default 5. */
  readonly refrac?: number;
  /** Membrane time constant, ms. Default 100. */
  readonly tcDecay?: number;
  /** Lower bound of the potential, mV, or null. Default null. */
  readonly lbound?: number | null;
  /** Time step, ms (the network's `dt`). Default 1. */
  readonly dt?: number;
}

/** The keys of {@link LIFNodesOptions}. */
export const LIF_NODES_OPTION_KEYS = keysOf<LIFNodesOptions>()([
  ...TRACE_OPTION_KEYS,
  'rest',
  'reset',
  'thresh',
  'refrac',
  'tcDecay',
  'lbound',
  'dt',
]);

/**
 * Checks a factory's options (names, the LIF parameters under the names the user gave, the trace
 * options and the shape) before any node is built; returns the trace options for the population.
 */
function checkNodesOptions(
  fn: string,
  shape: number | readonly number[],
  options: LIFNodesOptions,
  known: readonly string[],
): TraceOptions {
  checkOptions(fn, options, known);
  checkShape(fn, shape);
  for (const k of ['rest', 'reset', 'thresh'] as const) if (options[k] !== undefined) checkFinite(fn, k, options[k]);
  for (const k of ['tcDecay', 'dt'] as const) if (options[k] !== undefined) checkPositive(fn, k, options[k]);
  const refrac = options.refrac;
  if (refrac !== undefined && !(typeof refrac === 'number' && Number.isFinite(refrac) && refrac >= 0)) {
    throw new ValueError(fn, 'refrac', 'a finite number >= 0', refrac);
  }
  if (options.lbound !== undefined && options.lbound !== null) checkFinite(fn, 'lbound', options.lbound);
  const traces = traceOptionsOf(options);
  resolveTraceOptions(fn, traces);
  return traces;
}

/** The population of `node`; the node is disposed if the population cannot be built. */
function populationOf(node: Module, shape: number | readonly number[], traces: TraceOptions): NodePopulation {
  try {
    return new NodePopulation(node, shape, traces);
  } catch (e) {
    node.dispose();
    throw e;
  }
}

/**
 * BindsNET's `LIFNodes` as a population: `v ← rest + (v − rest)·exp(−dt/tcDecay)`, `v += x`
 * unless refractory, spike at `v ≥ thresh`, then `v ← reset` and `refrac` ms of refractoriness;
 * the input is a voltage increment in mV. Built on `@snn/neurons`' `DiehlCookNode` with no
 * threshold adaptation (`thetaPlus` 0), which has exactly these dynamics.
 *
 * @throws UnknownOptionError for an option name it does not know; ValueError for a parameter out
 *   of range (before any node is built).
 * @example
 * ```ts
 * net.addLayer(lifNodes(1000), 'Y'); // BindsNET defaults: rest −65, reset −65, thresh −52 mV, refrac 5, tc_decay 100 ms
 * ```
 */
export function lifNodes(shape: number | readonly number[], options: LIFNodesOptions = {}): NodePopulation {
  const traces = checkNodesOptions('lifNodes', shape, options, LIF_NODES_OPTION_KEYS);
  const node = new DiehlCookNode({
    dt: options.dt ?? 1,
    vRest: options.rest ?? -65,
    vReset: options.reset ?? -65,
    vThreshold: options.thresh ?? -52,
    refrac: options.refrac ?? 5,
    tau: options.tcDecay ?? 100,
    vLowerBound: options.lbound ?? null,
    thetaPlus: 0,
    keepTheta: false,
  });
  return populationOf(node, shape, traces);
}

/** Options of {@link diehlCookNodes}: BindsNET's `DiehlAndCookNodes` parameters. */
export interface DiehlCookNodesOptions extends LIFNodesOptions {
  /** Threshold rise per spike, mV. Default 0.05. */
  readonly thetaPlus?: number;
  /** Decay time constant of θ, ms. Default 1e7. */
  readonly tcThetaDecay?: number;
  /** At most one spike per sample and step. Default false. */
  readonly oneSpike?: boolean;
}

/** The keys of {@link DiehlCookNodesOptions}. */
export const DIEHL_COOK_NODES_OPTION_KEYS = keysOf<DiehlCookNodesOptions>()([
  ...LIF_NODES_OPTION_KEYS,
  'thetaPlus',
  'tcThetaDecay',
  'oneSpike',
]);

/**
 * BindsNET's `DiehlAndCookNodes` as a population: LIF in mV with an adaptive threshold θ that
 * rises by `thetaPlus` per spike and decays with `tcThetaDecay` while learning. θ is persistent
 * state: `network.reset()` keeps it, `network.save()` carries it. Defaults as BindsNET: rest −65,
 * reset −60, thresh −52 mV, refrac 5 ms, tcDecay 100 ms, thetaPlus 0.05 mV, tcThetaDecay 1e7 ms.
 * @throws UnknownOptionError for an option name it does not know; ValueError for a parameter out
 *   of range (before any node is built).
 */
export function diehlCookNodes(shape: number | readonly number[], options: DiehlCookNodesOptions = {}): NodePopulation {
  const fn = 'diehlCookNodes';
  const traces = checkNodesOptions(fn, shape, options, DIEHL_COOK_NODES_OPTION_KEYS);
  if (options.thetaPlus !== undefined) checkFinite(fn, 'thetaPlus', options.thetaPlus);
  if (options.tcThetaDecay !== undefined) checkPositive(fn, 'tcThetaDecay', options.tcThetaDecay);
  checkBoolean(fn, 'oneSpike', options.oneSpike);
  const o: DiehlCookNodeOptions = {
    dt: options.dt ?? 1,
    vRest: options.rest ?? -65,
    vReset: options.reset ?? -60,
    vThreshold: options.thresh ?? -52,
    refrac: options.refrac ?? 5,
    tau: options.tcDecay ?? 100,
    vLowerBound: options.lbound ?? null,
    thetaPlus: options.thetaPlus ?? 0.05,
    tauTheta: options.tcThetaDecay ?? 1e7,
    oneSpike: options.oneSpike ?? false,
  };
  return populationOf(new DiehlCookNode(o), shape, traces);
}

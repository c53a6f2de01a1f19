import { checkFinite, checkInteger, checkPositive, Module, ShapeError, ValueError } from '@snn/core';
import { DiehlCookNode, type DiehlCookNodeOptions } from '@snn/neurons';
import type { Tensor } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';

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

  constructor(fn: string, shape: number | readonly number[], options: TraceOptions = {}) {
    super('s');
    this.shape = checkShape(fn, shape);
    this.size = this.shape.reduce((a, b) => a * b, 1);
    const traces = options.traces ?? true;
    if (typeof traces !== 'boolean') throw new ValueError(fn, 'traces', 'a boolean', traces);
    this.traces = traces;
    this.tcTrace = checkPositive(fn, 'tcTrace', options.tcTrace ?? 20);
    this.traceScale = checkFinite(fn, 'traceScale', options.traceScale ?? 1);
    const additive = options.tracesAdditive ?? false;
    if (typeof additive !== 'boolean') throw new ValueError(fn, 'tracesAdditive', 'a boolean', additive);
    this.tracesAdditive = additive;
    const count = options.countSpikes ?? false;
    if (typeof count !== 'boolean') throw new ValueError(fn, 'countSpikes', 'a boolean', count);
    this.countSpikes = count;
    this.registerMemory('s', 0);
    this.registerMemory('x', 0);
    if (count) this.registerMemory('count', 0);
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
 * @throws ValueError for a bad shape or trace option.
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

/**
 * A population of any neuron node of `@snn/neurons` (or your own `Module` that maps a
 * `[B, ...shape]` input to `[B, ...shape]` spikes in step mode `'s'`): LIF, adaptive LIF,
 * Izhikevich, Diehl–Cook, ... The node is a child module, so `reset()`, `saveState` and monitors
 * reach its state (persistent θ included). The input the node gets each step is the summed
 * weighted spikes of the incoming connections plus the `inputs` given for this layer.
 *
 * @throws ValueError when `node` is not a Module in step mode `'s'`, or for a bad option.
 * @example
 * ```ts
 * net.addLayer(new NodePopulation(new IzhikevichNode(), 50), 'izh');
 * ```
 */
export class NodePopulation extends Population {
  /** The neuron node (a child module named `node`). */
  readonly node: Module;

  constructor(node: Module, shape: number | readonly number[], options: NodePopulationOptions = {}) {
    super('NodePopulation', shape, options);
    if (node === null || typeof node !== 'object' || typeof (node as Module).forward !== 'function') {
      throw new ValueError('NodePopulation', 'node', 'a neuron node (a Module)', node);
    }
    if (node.stepMode !== 's')
      throw new ValueError('NodePopulation', 'node.stepMode', "'s' (one step per call)", node.stepMode);
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

/**
 * BindsNET's `LIFNodes` as a population: `v ← rest + (v − rest)·exp(−dt/tcDecay)`, `v += x`
 * unless refractory, spike at `v ≥ thresh`, then `v ← reset` and `refrac` ms of refractoriness;
 * the input is a voltage increment in mV. Built on `@snn/neurons`' `DiehlCookNode` with no
 * threshold adaptation (`thetaPlus` 0), which has exactly these dynamics.
 *
 * @throws ValueError for a parameter out of range.
 * @example
 * ```ts
 * net.addLayer(lifNodes(1000), 'Y'); // BindsNET defaults: rest −65, reset −65, thresh −52 mV, refrac 5, tc_decay 100 ms
 * ```
 */
export function lifNodes(shape: number | readonly number[], options: LIFNodesOptions = {}): NodePopulation {
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
  return new NodePopulation(node, shape, options);
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

/**
 * BindsNET's `DiehlAndCookNodes` as a population: LIF in mV with an adaptive threshold θ that
 * rises by `thetaPlus` per spike and decays with `tcThetaDecay` while learning. θ is persistent
 * state: `network.reset()` keeps it, `network.save()` carries it. Defaults as BindsNET: rest −65,
 * reset −60, thresh −52 mV, refrac 5 ms, tcDecay 100 ms, thetaPlus 0.05 mV, tcThetaDecay 1e7 ms.
 * @throws ValueError for a parameter out of range.
 */
export function diehlCookNodes(shape: number | readonly number[], options: DiehlCookNodesOptions = {}): NodePopulation {
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
  return new NodePopulation(new DiehlCookNode(o), shape, options);
}

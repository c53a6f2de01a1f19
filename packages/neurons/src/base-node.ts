import {
  type ChargeKind,
  checkFinite,
  checkTensor,
  checkTimeSteps,
  detach,
  Module,
  neuronMultiStep,
  ShapeError,
  type StepMode,
  stepThroughTime,
  ValueError,
} from '@snn/core';
import { type Surrogate, sigmoid } from '@snn/surrogates';
import type { Tensor } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';
import { type AnyOptionTable, booleanOr, checkOptionTable, type OptionTable } from './checks.js';

/** Options every node takes (SpikingJelly's `BaseNode` arguments, in camelCase). */
export interface BaseNodeOptions {
  /** Firing threshold. Default 1. */
  readonly vThreshold?: number;
  /** Hard-reset value; `null` for soft reset (subtract the threshold). Default 0. */
  readonly vReset?: number | null;
  /** Surrogate spike function. Default `sigmoid(4)`, as SpikingJelly. */
  readonly surrogate?: Surrogate;
  /** Treat the spike in the reset as a constant in the backward pass. Default false. */
  readonly detachReset?: boolean;
  /** `'s'`: `[B, ...]` per call; `'m'`: `[T, B, ...]` per call. Default `'s'`. */
  readonly stepMode?: StepMode;
  /** Keep V after every step of the last multi-step call in `vSeq`. Default false. */
  readonly storeVSeq?: boolean;
  /**
   * Debug check: every input is scanned for NaN/Infinity, with one reduction and a read-back to
   * the host per call, and a non-finite one is a ValueError. Default false: the hot path never
   * reads back, and a NaN input gives NaN potentials until `reset()` (as in SpikingJelly).
   */
  readonly checkFiniteInput?: boolean;
}

/**
 * The options of {@link BaseNodeOptions} (see {@link OptionTable}): what `BaseNode` accepts by
 * default. A node with options of its own extends it and passes the whole table to `super`.
 */
export const BASE_NODE_OPTIONS: OptionTable<BaseNodeOptions> = {
  vThreshold: 'value',
  vReset: 'value',
  surrogate: 'value',
  detachReset: 'boolean',
  stepMode: 'value',
  storeVSeq: 'boolean',
  checkFiniteInput: 'boolean',
};

/**
 * The fused-kernel form of a model (see `neuronMultiStep` of @snn/core): its charge, the charge's
 * parameter, and an adaptive threshold kept in the node's memory `theta`. Fire and reset are the
 * node's `params`.
 */
export interface NeuronKernelSpec {
  readonly charge: ChargeKind;
  readonly decayInput?: boolean;
  /** `'lif'`: a number or a per-neuron tensor. */
  readonly tau?: number | Tensor;
  /** `'plif'`: `sigmoid(w)`, made inside the step so that its gradient reaches `w`. */
  readonly k?: number | Tensor;
  /** Threshold adaptation; the node registers the memory `theta`. */
  readonly adaptive?: { readonly thetaPlus: number; readonly tauTheta: number };
}

/** The resolved common parameters of a node. */
export interface NodeParams {
  readonly vThreshold: number;
  readonly vReset: number | null;
  readonly surrogate: Surrogate;
  readonly detachReset: boolean;
}

/** Resolves and checks {@link BaseNodeOptions}; `fn` names the node in errors. */
export function resolveNodeParams(fn: string, o: BaseNodeOptions): NodeParams {
  const vThreshold = checkFinite(fn, 'vThreshold', o.vThreshold ?? 1);
  const vReset = o.vReset === undefined ? 0 : o.vReset;
  if (vReset !== null) checkFinite(fn, 'vReset', vReset);
  const surrogate = o.surrogate ?? sigmoid(4);
  if (typeof surrogate?.apply !== 'function')
    throw new ValueError(fn, 'surrogate', 'a Surrogate (e.g. sigmoid(4))', surrogate);
  return { vThreshold, vReset, surrogate, detachReset: booleanOr(fn, 'detachReset', o.detachReset, false) };
}

/** Fire: `S = Θ(H − vThreshold)` forward, the surrogate's gradient backward. */
export function fire(h: Tensor, p: NodeParams): Tensor {
  return tf.tidy(() => p.surrogate.apply(tf.sub(h, p.vThreshold)));
}

/**
 * Reset: hard `V = H·(1 − S) + vReset·S`; soft `V = H − vThreshold·S`. With `detachReset`, S here
 * carries no gradient.
 */
export function resetV(h: Tensor, spike: Tensor, p: NodeParams): Tensor {
  return tf.tidy(() => {
    const s = p.detachReset ? detach(spike) : spike;
    return p.vReset === null
      ? tf.sub(h, tf.mul(s, p.vThreshold))
      : tf.add(tf.mul(h, tf.sub(1, s)), tf.mul(s, p.vReset));
  });
}

/**
 * Base of every spiking node: one step is **charge → fire → reset** (SpikingJelly's order).
 * A model overrides `charge` (and, when it keeps more state, registers it with `registerMemory`
 * and updates it in `afterStep`); `fire` and `neuronalReset` can be overridden too.
 *
 * State: memory `v` (starts at `vReset`, or 0 under soft reset), scalar until the first step
 * broadcasts it to the input's shape. An empty input (a 0 in its shape) is accepted on every
 * backend: the output and the state take its (empty) shape, as with any other shape.
 *
 * Options are checked before anything is made: a name that is not in the node's
 * {@link OptionTable} (by default {@link BASE_NODE_OPTIONS}) is an UnknownOptionError naming the
 * closest valid one, and a boolean option that is not a boolean a ValueError. A subclass with
 * options of its own passes their table as the third argument of `super`.
 *
 * Models the fused neuron kernel covers (`kernelSpec()` returns their charge: IF, LIF, PLIF,
 * adaptive LIF) run it in both step modes when the surrogate is in spiking mode — one kernel per
 * call forward, one backward, on backends that register them (cpu and wasm in Node, webgl and
 * webgpu in the browser). Other models step charge → fire → reset with tfjs ops. Both paths give
 * the same numbers.
 *
 * @throws UnknownOptionError for an option name the table lacks; ValueError for a bad value.
 * @example
 * ```ts
 * // An IF neuron whose threshold rises by 0.2 with every spike it fires.
 * class AdaptiveIF extends BaseNode {
 *   constructor(options: BaseNodeOptions = {}) {
 *     super('AdaptiveIF', options);
 *     this.registerMemory('theta', 0);
 *   }
 *   protected override charge(x: Tensor, v: Tensor): Tensor { return tf.add(v, x); }
 *   protected override fire(h: Tensor): Tensor {
 *     return this.params.surrogate.apply(tf.sub(tf.sub(h, this.params.vThreshold), this.getMemory('theta')));
 *   }
 *   protected override afterStep(_h: Tensor, spike: Tensor): void {
 *     this.setMemory('theta', tf.add(this.getMemory('theta'), tf.mul(spike, 0.2)));
 *   }
 * }
 * ```
 */
export abstract class BaseNode extends Module {
  /** The resolved common parameters. */
  readonly params: NodeParams;
  /** Whether multi-step calls keep V after every step in {@link vSeq}. */
  readonly storeVSeq: boolean;
  private readonly checkFiniteInput: boolean;
  private storedVSeq: Tensor | null = null;

  constructor(
    /** The node's name in error messages. */
    protected readonly nodeName: string,
    options: BaseNodeOptions = {},
    /** Every option the node accepts; a subclass with options of its own passes its table. */
    optionTable: AnyOptionTable = BASE_NODE_OPTIONS,
  ) {
    // Checked before Module's constructor, so that a bad option makes nothing.
    super(checkOptionTable(nodeName, options, optionTable).stepMode ?? 's');
    this.params = resolveNodeParams(nodeName, options);
    this.storeVSeq = options.storeVSeq ?? false;
    this.checkFiniteInput = options.checkFiniteInput ?? false;
    this.registerMemory('v', this.params.vReset ?? 0);
  }

  /** The membrane potential now (owned by the node). */
  get v(): Tensor {
    return this.getMemory('v');
  }

  /** V after each step of the last multi-step call, `[T, B, ...]` (with `storeVSeq`), else null. Owned by the node. */
  get vSeq(): Tensor | null {
    return this.storedVSeq;
  }

  /** Charge: the potential H after integrating input `x` from potential `v`. */
  protected abstract charge(x: Tensor, v: Tensor): Tensor;

  /** Fire: spikes from H. */
  protected fire(h: Tensor): Tensor {
    return fire(h, this.params);
  }

  /** Reset: V after the spikes of this step. */
  protected neuronalReset(h: Tensor, spike: Tensor): Tensor {
    return resetV(h, spike, this.params);
  }

  /** Extra state updates after a step (adaptation, thresholds); default none. */
  protected afterStep(_h: Tensor, _spike: Tensor): void {}

  /**
   * The {@link NeuronKernelSpec} of this model when the fused neuron kernel covers it; null (the
   * default) for every other model, which then steps `charge` → `fire` → `neuronalReset`. Called
   * inside the step's `tf.tidy`.
   */
  protected kernelSpec(): NeuronKernelSpec | null {
    return null;
  }

  /** Runs the fused kernel over `xSeq` `[T, ...]`, updates the memories, returns the spikes. */
  private kernelForward(
    xSeq: Tensor,
    spec: NeuronKernelSpec,
    storeVSeq: boolean,
  ): { spikeSeq: Tensor; vSeq: Tensor | null } {
    const { vThreshold, vReset, detachReset, surrogate } = this.params;
    const r = neuronMultiStep(
      xSeq,
      { v: this.getMemory('v'), theta: spec.adaptive ? this.getMemory('theta') : null },
      { ...spec, vThreshold, vReset, detachReset, surrogate, storeVSeq },
    );
    this.setMemory('v', r.v);
    if (r.theta !== null) this.setMemory('theta', r.theta);
    return { spikeSeq: r.spikeSeq, vSeq: r.vSeq };
  }

  /** Checks an input before any state changes: a tensor, shaped like the state, finite. */
  protected checkInput(x: Tensor, arg: string, stepShape: readonly number[]): void {
    checkTensor(`${this.nodeName}.forward`, arg, x);
    const v = this.getMemory('v');
    if (v.rank > 0 && (v.rank !== stepShape.length || v.shape.some((d, i) => d !== stepShape[i]))) {
      throw new ShapeError(
        `${this.nodeName}.forward`,
        arg,
        `the shape of the state, [${v.shape.join(', ')}] per step (call reset() to change shape)`,
        x.shape,
      );
    }
    // An empty tensor is finite; tf.all of one is backend-dependent (wasm reads uninitialised memory).
    if (this.checkFiniteInput && x.dtype === 'float32' && x.size > 0) {
      const finite = tf.tidy(() => tf.all(tf.isFinite(x)).dataSync()[0]);
      if (!finite)
        throw new ValueError(
          `${this.nodeName}.forward`,
          arg,
          'finite everywhere (no NaN or Infinity)',
          'a tensor with non-finite values',
        );
    }
  }

  protected override singleStepForward(x: Tensor): Tensor {
    this.checkInput(x, 'x', x.shape);
    return this.tryKernel(x, false)?.spikeSeq ?? this.step(x);
  }

  /**
   * Runs the fused kernel when the model has one and the surrogate is spiking: over `x` as one
   * step (`[B, ...]` in, `[B, ...]` spikes out) or over a sequence; null otherwise.
   */
  private tryKernel(x: Tensor, sequence: boolean): { spikeSeq: Tensor; vSeq: Tensor | null } | null {
    if (!this.params.surrogate.spiking) return null;
    // Returned from the tidy (not kept), so that an enclosing tidy or gradient scope owns them.
    const out = tf.tidy(() => {
      const spec = this.kernelSpec();
      if (spec === null) return [];
      const r = this.kernelForward(sequence ? x : tf.expandDims(x, 0), spec, sequence && this.storeVSeq);
      const spikeSeq = sequence ? r.spikeSeq : tf.reshape(r.spikeSeq, x.shape);
      return r.vSeq === null ? [spikeSeq] : [spikeSeq, r.vSeq];
    });
    if (out.length === 0) return null;
    return { spikeSeq: out[0] as Tensor, vSeq: out[1] ?? null };
  }

  /** One charge → fire → reset step, without input checks. */
  private step(x: Tensor): Tensor {
    return tf.tidy(() => {
      const h = this.charge(x, this.getMemory('v'));
      const spike = this.fire(h);
      this.setMemory('v', this.neuronalReset(h, spike));
      this.afterStep(h, spike);
      return spike;
    });
  }

  protected override multiStepForward(xSeq: Tensor): Tensor {
    checkTimeSteps(`${this.nodeName}.forward`, 'xSeq', xSeq);
    this.checkInput(xSeq, 'xSeq', xSeq.shape.slice(1));
    const fused = this.tryKernel(xSeq, true);
    if (fused !== null) {
      if (fused.vSeq !== null) this.keepVSeq(fused.vSeq);
      return fused.spikeSeq;
    }
    if (!this.storeVSeq) return stepThroughTime(xSeq, (x) => this.step(x));
    const vs: Tensor[] = [];
    const spikeSeq = stepThroughTime(xSeq, (x) => {
      const spike = this.step(x);
      vs.push(tf.keep(tf.clone(this.getMemory('v'))));
      return spike;
    });
    this.keepVSeq(tf.tidy(() => tf.stack(vs)));
    tf.dispose(vs);
    return spikeSeq;
  }

  /** Takes `vSeq` (`[T, B, ...]`) as {@link BaseNode.vSeq} when `storeVSeq` is set, else disposes it; frees the previous one. */
  protected keepVSeq(vSeq: Tensor): void {
    this.storedVSeq?.dispose();
    this.storedVSeq = null;
    if (this.storeVSeq) this.storedVSeq = tf.keep(vSeq);
    else vSeq.dispose();
  }

  override reset(): void {
    super.reset();
    this.storedVSeq?.dispose();
    this.storedVSeq = null;
  }

  override dispose(): void {
    this.storedVSeq?.dispose();
    this.storedVSeq = null;
    super.dispose();
  }
}

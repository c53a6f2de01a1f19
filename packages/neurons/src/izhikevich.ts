import { checkFinite, checkPositive, detach } from '@snn/core';
import type { Tensor } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';
import { BASE_NODE_OPTIONS, BaseNode, type BaseNodeOptions, fire, type NodeParams } from './base-node.js';
import { checkOptionTable, checkTau, type OptionTable } from './checks.js';
import type { StepResult } from './step.js';

/** Parameters of the Izhikevich dynamics (besides threshold and reset). */
export interface IzhikevichParams {
  /** Membrane time constant in steps, > 1. */
  readonly tau: number;
  /** Critical voltage of the quadratic term. */
  readonly vC: number;
  /** Quadratic coefficient, > 0. */
  readonly a0: number;
  /** Resting potential. */
  readonly vRest: number;
  /** Resting (initial) value of the adaptation variable W. */
  readonly wRest: number;
  /** Time constant of W in steps, > 0. */
  readonly tauW: number;
  /** Subthreshold coupling of W to V. */
  readonly a: number;
  /** Jump of W per spike. */
  readonly b: number;
}

/** State of an Izhikevich neuron. */
export type IzhikevichState = {
  /** Membrane potential V. */
  readonly v: Tensor;
  /** Adaptation variable W (a current that is subtracted from the input). */
  readonly w: Tensor;
};

/**
 * Izhikevich charge (SpikingJelly `IzhikevichNode`):
 * `H = V + (X + a0·(V − vRest)·(V − vC) − W) / τ`, in this order of float32 operations. Pure.
 */
export function izhikevichCharge(x: Tensor, v: Tensor, w: Tensor, p: IzhikevichParams): Tensor {
  return tf.tidy(() => {
    const quad = tf.mul(tf.mul(p.a0, tf.sub(v, p.vRest)), tf.sub(v, p.vC));
    return tf.add(v, tf.div(tf.sub(tf.add(x, quad), w), p.tau));
  });
}

/**
 * Subthreshold adaptation, from the charged `H` (before firing):
 * `W' = W + (1/τ_w)·(a·(H − vRest) − W)` (a multiplication by `1/τ_w`, rounded to float32). Pure.
 */
export function izhikevichAdaptation(h: Tensor, w: Tensor, p: IzhikevichParams): Tensor {
  return tf.tidy(() => tf.add(w, tf.mul(1 / p.tauW, tf.sub(tf.mul(p.a, tf.sub(h, p.vRest)), w))));
}

/**
 * Izhikevich reset of V: hard `V = (1 − S)·H + S·vReset`, soft `V = H − S·vThreshold`. With
 * `detachReset`, only the `(1 − S)` factor of the hard reset (the whole S of the soft reset) is a
 * constant in the backward pass; the `S·vReset` term keeps its gradient, as in SpikingJelly. Pure.
 */
export function izhikevichReset(h: Tensor, spike: Tensor, p: NodeParams): Tensor {
  return tf.tidy(() => {
    const sd = p.detachReset ? detach(spike) : spike;
    return p.vReset === null
      ? tf.sub(h, tf.mul(sd, p.vThreshold))
      : tf.add(tf.mul(tf.sub(1, sd), h), tf.mul(spike, p.vReset));
  });
}

/**
 * One Izhikevich step over explicit state:
 * 1. `H = V + (X + a0·(V − vRest)·(V − vC) − W) / τ`
 * 2. `W' = W + (1/τ_w)·(a·(H − vRest) − W)`
 * 3. `S = Θ(H − vThreshold)`
 * 4. `V = reset(H, S)` ({@link izhikevichReset}); `W = W' + b·S`.
 *
 * Pure: reads `s`, never disposes it, returns new tensors.
 */
export function izhikevichStep(
  x: Tensor,
  s: IzhikevichState,
  p: IzhikevichParams & NodeParams,
): StepResult<IzhikevichState> {
  return tf.tidy(() => {
    const h = izhikevichCharge(x, s.v, s.w, p);
    const wNext = izhikevichAdaptation(h, s.w, p);
    const spike = fire(h, p);
    return { spike, state: { v: izhikevichReset(h, spike, p), w: tf.add(wNext, tf.mul(p.b, spike)) } };
  });
}

/** Options of {@link IzhikevichNode}. `vReset` defaults to 0. */
export interface IzhikevichNodeOptions extends BaseNodeOptions {
  /** Membrane time constant in steps, > 1. Default 2. */
  readonly tau?: number;
  /** Critical voltage. Default 0.8. */
  readonly vC?: number;
  /** Quadratic coefficient, > 0. Default 1. */
  readonly a0?: number;
  /** Resting potential. Default −0.1. */
  readonly vRest?: number;
  /** Resting and initial value of W. Default 0. */
  readonly wRest?: number;
  /** Time constant of W in steps, > 0. Default 2. */
  readonly tauW?: number;
  /** Subthreshold coupling. Default 0. */
  readonly a?: number;
  /** Spike-triggered jump of W. Default 0. */
  readonly b?: number;
}

/** Every option of {@link IzhikevichNodeOptions} (see {@link OptionTable}). */
export const IZHIKEVICH_NODE_OPTIONS: OptionTable<IzhikevichNodeOptions> = {
  ...BASE_NODE_OPTIONS,
  tau: 'value',
  vC: 'value',
  a0: 'value',
  vRest: 'value',
  wRest: 'value',
  tauW: 'value',
  a: 'value',
  b: 'value',
};

/** Resolves and checks the Izhikevich parameters of `o`; `fn` names the caller in errors. */
export function resolveIzhikevichParams(fn: string, o: IzhikevichNodeOptions): IzhikevichParams {
  return {
    tau: checkTau(fn, 'tau', o.tau ?? 2),
    vC: checkFinite(fn, 'vC', o.vC ?? 0.8),
    a0: checkPositive(fn, 'a0', o.a0 ?? 1),
    vRest: checkFinite(fn, 'vRest', o.vRest ?? -0.1),
    wRest: checkFinite(fn, 'wRest', o.wRest ?? 0),
    tauW: checkPositive(fn, 'tauW', o.tauW ?? 2),
    a: checkFinite(fn, 'a', o.a ?? 0),
    b: checkFinite(fn, 'b', o.b ?? 0),
  };
}

/**
 * Izhikevich neuron in SpikingJelly's dimensionless form (`IzhikevichNode`): a QIF membrane with
 * an adaptation current W. One step (order as in SpikingJelly):
 *
 * 1. charge `H = V + (X + a0·(V − vRest)·(V − vC) − W) / τ`
 * 2. adapt `W' = W + (1/τ_w)·(a·(H − vRest) − W)` (from H, before firing)
 * 3. fire `S = Θ(H − vThreshold)`
 * 4. reset hard `V = (1 − S)·H + S·vReset` (soft `V = H − S·vThreshold`), then `W = W' + b·S`.
 *
 * Parameters (defaults): `tau` 2 steps, `vC` 0.8, `a0` 1, `vRest` −0.1, `wRest` 0, `tauW` 2 steps,
 * `a` 0, `b` 0, `vThreshold` 1, `vReset` 0. State: `v` (starts at `vReset`, or 0 under soft
 * reset) and `w` (starts at `wRest`). With `detachReset` only the `(1 − S)` factor of the hard
 * reset is detached ({@link izhikevichReset}).
 *
 * @throws UnknownOptionError for an option name that {@link IzhikevichNodeOptions} lacks;
 * ValueError when tau is not a finite number > 1, `tauW` or `a0` is not > 0, or another parameter
 * is not finite.
 * @example
 * ```ts
 * const izh = new IzhikevichNode({ tauW: 4, a: 0.2, b: 0.3, stepMode: 'm' });
 * const spikes = izh.forward(xSeq); // [T, B, N]; izh.w holds W after the last step
 * ```
 */
export class IzhikevichNode extends BaseNode implements IzhikevichParams {
  readonly tau: number;
  readonly vC: number;
  readonly a0: number;
  readonly vRest: number;
  readonly wRest: number;
  readonly tauW: number;
  readonly a: number;
  readonly b: number;

  constructor(options: IzhikevichNodeOptions = {}) {
    const o = checkOptionTable('IzhikevichNode', options, IZHIKEVICH_NODE_OPTIONS);
    const p = resolveIzhikevichParams('IzhikevichNode', o);
    super('IzhikevichNode', o, IZHIKEVICH_NODE_OPTIONS);
    this.tau = p.tau;
    this.vC = p.vC;
    this.a0 = p.a0;
    this.vRest = p.vRest;
    this.wRest = p.wRest;
    this.tauW = p.tauW;
    this.a = p.a;
    this.b = p.b;
    this.registerMemory('w', p.wRest);
  }

  /** The adaptation variable W now (owned by the node). */
  get w(): Tensor {
    return this.getMemory('w');
  }

  protected override charge(x: Tensor, v: Tensor): Tensor {
    return izhikevichCharge(x, v, this.getMemory('w'), this);
  }

  protected override neuronalReset(h: Tensor, spike: Tensor): Tensor {
    return izhikevichReset(h, spike, this.params);
  }

  protected override afterStep(h: Tensor, spike: Tensor): void {
    const w = this.getMemory('w');
    this.setMemory('w', tf.add(izhikevichAdaptation(h, w, this), tf.mul(this.b, spike)));
  }
}

import { ValueError } from '@snn/core';
import type { Tensor } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';
import { BASE_NODE_OPTIONS, BaseNode, type BaseNodeOptions, fire, type NodeParams, resetV } from './base-node.js';
import { checkOptionTable, type OptionTable } from './checks.js';
import { resolveDecay } from './clif.js';
import type { StepResult } from './step.js';

/** Parameters of the alpha neuron (per step, dimensionless). */
export interface AlphaParams {
  /** Decay of the excitatory trace per step, in [0, 1], > beta. */
  readonly alpha: number;
  /** Decay of the inhibitory trace per step, in [0, 1], < alpha. */
  readonly beta: number;
}

/** State of an alpha neuron. `v = iExc + iInh` always holds. */
export type AlphaState = {
  /** Membrane potential V = I_exc + I_inh. */
  readonly v: Tensor;
  /** Excitatory trace I_exc (carries the reset). */
  readonly iExc: Tensor;
  /** Inhibitory trace I_inh. */
  readonly iInh: Tensor;
};

/**
 * Alpha-neuron charge: `I_exc' = α·I_exc + X`, `I_inh' = β·I_inh − X`, `H = I_exc' + I_inh'`.
 * Returns `{ v: H, iExc: I_exc', iInh: I_inh' }`. Pure.
 */
export function alphaCharge(x: Tensor, s: AlphaState, p: AlphaParams): AlphaState {
  return tf.tidy(() => {
    const iExc = tf.add(tf.mul(p.alpha, s.iExc), x);
    const iInh = tf.sub(tf.mul(p.beta, s.iInh), x);
    return { v: tf.add(iExc, iInh), iExc, iInh };
  });
}

/**
 * Alpha-neuron reset: `V = reset(H, S)` (hard `H·(1 − S) + vReset·S`, soft `H − vThreshold·S`),
 * applied to the excitatory trace so that `V = I_exc + I_inh` keeps holding:
 * `I_exc = I_exc' + (V − H)`, `I_inh = I_inh'`. Pure.
 */
export function alphaReset(pre: AlphaState, spike: Tensor, p: NodeParams): AlphaState {
  return tf.tidy(() => {
    const v = resetV(pre.v, spike, p);
    return { v, iExc: tf.add(pre.iExc, tf.sub(v, pre.v)), iInh: tf.clone(pre.iInh) };
  });
}

/**
 * One alpha-neuron step over explicit state: {@link alphaCharge} → `S = Θ(H − vThreshold)` →
 * {@link alphaReset}. Pure: reads `s`, never disposes it, returns new tensors.
 *
 * @example
 * ```ts
 * const p = { alpha: 0.9, beta: 0.8, vThreshold: 1, vReset: 0, surrogate: sigmoid(4), detachReset: false };
 * const zero = tf.scalar(0);
 * const { spike, state } = alphaStep(x, { v: zero, iExc: zero, iInh: zero }, p);
 * ```
 */
export function alphaStep(x: Tensor, s: AlphaState, p: AlphaParams & NodeParams): StepResult<AlphaState> {
  return tf.tidy(() => {
    const pre = alphaCharge(x, s, p);
    const spike = fire(pre.v, p);
    return { spike, state: alphaReset(pre, spike, p) };
  });
}

/** Options of {@link AlphaNode}: give `alpha` or `tauExc`, `beta` or `tauInh` (not both of a pair). */
export interface AlphaNodeOptions extends BaseNodeOptions {
  /** Excitatory decay per step, in [0, 1]. Default 0.9 (when `tauExc` is not given). */
  readonly alpha?: number;
  /** Inhibitory decay per step, in [0, 1]. Default 0.8 (when `tauInh` is not given). */
  readonly beta?: number;
  /** Excitatory time constant in steps, > 0: `alpha = exp(−1/tauExc)`. */
  readonly tauExc?: number;
  /** Inhibitory time constant in steps, > 0: `beta = exp(−1/tauInh)`. */
  readonly tauInh?: number;
}

/** Every option of {@link AlphaNodeOptions} (see {@link OptionTable}). */
export const ALPHA_NODE_OPTIONS: OptionTable<AlphaNodeOptions> = {
  ...BASE_NODE_OPTIONS,
  alpha: 'value',
  beta: 'value',
  tauExc: 'value',
  tauInh: 'value',
};

/**
 * Resolves and checks `alpha`/`tauExc` and `beta`/`tauInh`; `fn` names the caller in errors.
 * @throws ValueError when a decay is outside [0, 1], a time constant is not > 0, a decay and its
 * time constant are both given, or `alpha <= beta`.
 */
export function resolveAlphaParams(fn: string, o: AlphaNodeOptions): AlphaParams {
  const alpha = resolveDecay(fn, 'alpha', o.alpha, 'tauExc', o.tauExc, 0.9);
  const beta = resolveDecay(fn, 'beta', o.beta, 'tauInh', o.tauInh, 0.8);
  if (!(alpha > beta)) {
    throw new ValueError(
      fn,
      'beta',
      `below alpha (${alpha}): the excitatory trace must outlast the inhibitory one`,
      beta,
    );
  }
  return { alpha, beta };
}

/**
 * Alpha neuron: the membrane potential is the sum of an excitatory and an inhibitory trace that
 * the same input drives with opposite signs and that decay at different rates (the model snnTorch
 * calls `Alpha`). Per step:
 *
 * - `I_exc ← α·I_exc + X`, `I_inh ← β·I_inh − X` (α > β)
 * - `H = I_exc + I_inh`
 * - `S = Θ(H − vThreshold)`
 * - reset: `V = H·(1 − S) + vReset·S` (hard) or `V = H − vThreshold·S` (soft, `vReset: null`),
 *   written into the excitatory trace, `I_exc ← I_exc + (V − H)`, so that `V = I_exc + I_inh`.
 *
 * A single input spike of weight w at t = 0 gives `V_t = w·(α^t − β^t)`: zero at t = 0, rising to
 * a peak near `t* = ln(ln β / ln α) / ln(α/β)` and decaying with α — the difference of
 * exponentials that tends to the alpha function `t·e^{−t/τ}` as β → α. The reset removes a
 * component that decays with α (the still-running inhibitory trace is kept).
 *
 * Parameters (defaults): `alpha` 0.9, `beta` 0.8 (or `tauExc`, `tauInh` in steps,
 * `α = exp(−1/τ_exc)`, `β = exp(−1/τ_inh)`), `vThreshold` 1, `vReset` 0. State: `v`, `iExc`,
 * `iInh`, all starting at 0.
 *
 * @throws UnknownOptionError for an option name that {@link AlphaNodeOptions} lacks; ValueError
 * when a decay is outside [0, 1], a time constant is not > 0, a decay and its time constant are
 * both given, `alpha <= beta`, or a common option is bad.
 * @example
 * ```ts
 * const node = new AlphaNode({ alpha: 0.9, beta: 0.8, stepMode: 'm' });
 * const spikes = node.forward(xSeq); // [T, B, N]
 * ```
 */
export class AlphaNode extends BaseNode implements AlphaParams {
  readonly alpha: number;
  readonly beta: number;
  /** The state of this step between the phases; tensors of the step's tidy. */
  private pending: AlphaState | null = null;

  constructor(options: AlphaNodeOptions = {}) {
    const o = checkOptionTable('AlphaNode', options, ALPHA_NODE_OPTIONS);
    const p = resolveAlphaParams('AlphaNode', o);
    super('AlphaNode', o, ALPHA_NODE_OPTIONS);
    this.alpha = p.alpha;
    this.beta = p.beta;
    this.registerMemory('iExc', 0);
    this.registerMemory('iInh', 0);
    this.setMemory('v', tf.scalar(0));
  }

  /** The excitatory trace now (owned by the node). */
  get iExc(): Tensor {
    return this.getMemory('iExc');
  }

  /** The inhibitory trace now (owned by the node). */
  get iInh(): Tensor {
    return this.getMemory('iInh');
  }

  protected override charge(x: Tensor, v: Tensor): Tensor {
    this.pending = alphaCharge(x, { v, iExc: this.getMemory('iExc'), iInh: this.getMemory('iInh') }, this);
    return this.pending.v;
  }

  protected override neuronalReset(_h: Tensor, spike: Tensor): Tensor {
    this.pending = alphaReset(this.pending as AlphaState, spike, this.params);
    return this.pending.v;
  }

  protected override afterStep(): void {
    const s = this.pending as AlphaState;
    this.setMemory('iExc', s.iExc);
    this.setMemory('iInh', s.iInh);
    this.pending = null;
  }

  /** Restores `v`, `iExc` and `iInh` to 0. */
  override reset(): void {
    super.reset();
    this.setMemory('v', tf.scalar(0));
  }
}

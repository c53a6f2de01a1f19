import { checkPositive, ValueError } from '@snn/core';
import type { Tensor } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';
import { BASE_NODE_OPTIONS, BaseNode, type BaseNodeOptions, fire, type NodeParams, resetV } from './base-node.js';
import { checkOptionTable, type OptionTable } from './checks.js';
import type { StepResult } from './step.js';

/** Parameters of the current-based LIF dynamics (per step, dimensionless). */
export interface CLIFParams {
  /** Decay of the synaptic current per step, in [0, 1]. */
  readonly alpha: number;
  /** Decay of the membrane potential per step, in [0, 1]. */
  readonly beta: number;
}

/** State of a current-based LIF neuron. */
export type CLIFState = {
  /** Membrane potential V. */
  readonly v: Tensor;
  /** Synaptic current I. */
  readonly i: Tensor;
};

/**
 * Current-based LIF charge: `I' = α·I + X`, then `H = β·V + I'`. Returns `{ v: H, i: I' }`. Pure.
 */
export function clifCharge(x: Tensor, s: CLIFState, p: CLIFParams): CLIFState {
  return tf.tidy(() => {
    const i = tf.add(tf.mul(p.alpha, s.i), x);
    return { v: tf.add(tf.mul(p.beta, s.v), i), i };
  });
}

/**
 * One current-based LIF step over explicit state: {@link clifCharge}; `S = Θ(H − vThreshold)`;
 * hard `V = H·(1 − S) + vReset·S` or soft `V = H − vThreshold·S`; the current is not reset. Pure.
 *
 * @example
 * ```ts
 * const p = { alpha: 0.9, beta: 0.8, vThreshold: 1, vReset: 0, surrogate: sigmoid(4), detachReset: false };
 * const { spike, state } = clifStep(x, { v: tf.scalar(0), i: tf.scalar(0) }, p);
 * ```
 */
export function clifStep(x: Tensor, s: CLIFState, p: CLIFParams & NodeParams): StepResult<CLIFState> {
  return tf.tidy(() => {
    const pre = clifCharge(x, s, p);
    const spike = fire(pre.v, p);
    return { spike, state: { v: resetV(pre.v, spike, p), i: pre.i } };
  });
}

/** Options of {@link CLIFNode}: give `alpha` or `tauSyn`, `beta` or `tauMem` (not both of a pair). */
export interface CLIFNodeOptions extends BaseNodeOptions {
  /** Current decay per step, in [0, 1]. Default 0.9 (when `tauSyn` is not given). */
  readonly alpha?: number;
  /** Membrane decay per step, in [0, 1]. Default 0.8 (when `tauMem` is not given). */
  readonly beta?: number;
  /** Synaptic time constant in steps, > 0: `alpha = exp(−1/tauSyn)`. */
  readonly tauSyn?: number;
  /** Membrane time constant in steps, > 0: `beta = exp(−1/tauMem)`. */
  readonly tauMem?: number;
}

/** Every option of {@link CLIFNodeOptions} (see {@link OptionTable}). */
export const CLIF_NODE_OPTIONS: OptionTable<CLIFNodeOptions> = {
  ...BASE_NODE_OPTIONS,
  alpha: 'value',
  beta: 'value',
  tauSyn: 'value',
  tauMem: 'value',
};

/**
 * Resolves a decay factor given either directly (`decayArg`, in [0, 1]) or as a time constant in
 * steps (`tauArg`, > 0, giving `exp(−1/τ)`); `fallback` when neither is given.
 */
export function resolveDecay(
  fn: string,
  decayArg: string,
  decay: number | undefined,
  tauArg: string,
  tau: number | undefined,
  fallback: number,
): number {
  if (decay !== undefined && tau !== undefined) {
    throw new ValueError(fn, tauArg, `left unset when '${decayArg}' is given (they set the same decay)`, tau);
  }
  if (tau !== undefined) return Math.exp(-1 / checkPositive(fn, tauArg, tau));
  const d = decay ?? fallback;
  if (!(typeof d === 'number' && Number.isFinite(d) && d >= 0 && d <= 1)) {
    throw new ValueError(fn, decayArg, 'a number in [0, 1]', d);
  }
  return d;
}

/** Resolves and checks `alpha`/`tauSyn` and `beta`/`tauMem`; `fn` names the caller in errors. */
export function resolveCLIFParams(fn: string, o: CLIFNodeOptions): CLIFParams {
  return {
    alpha: resolveDecay(fn, 'alpha', o.alpha, 'tauSyn', o.tauSyn, 0.9),
    beta: resolveDecay(fn, 'beta', o.beta, 'tauMem', o.tauMem, 0.8),
  };
}

/**
 * Current-based LIF neuron (a synaptic current that decays into the membrane; snnTorch calls it
 * `Synaptic`). Per step:
 *
 * - `I ← α·I + X`
 * - `H = β·V + I`
 * - `S = Θ(H − vThreshold)`
 * - reset of V only: hard (`vReset` a number, default 0) `V = H·(1 − S) + vReset·S`, soft
 *   (`vReset: null`, subtract) `V = H − vThreshold·S`.
 *
 * The reset follows this package's charge → fire → reset order: it acts in the step of the spike
 * (snnTorch applies it one step later). V leaks towards 0.
 *
 * Parameters (defaults): `alpha` 0.9, `beta` 0.8 (or `tauSyn`, `tauMem` in steps:
 * `α = exp(−1/τ_syn)`, `β = exp(−1/τ_mem)`), `vThreshold` 1, `vReset` 0. State: `v` and `i`,
 * both starting at 0. For a single input spike at t = 0 (below threshold)
 * `V_t = (α^{t+1} − β^{t+1})/(α − β)`.
 *
 * @throws UnknownOptionError for an option name that {@link CLIFNodeOptions} lacks; ValueError
 * when a decay is outside [0, 1], a time constant is not > 0, or a decay and its time constant
 * are both given.
 * @example
 * ```ts
 * const node = new CLIFNode({ tauSyn: 5, tauMem: 10, stepMode: 'm' });
 * const spikes = node.forward(xSeq); // [T, B, N]; node.i holds the current
 * ```
 */
export class CLIFNode extends BaseNode implements CLIFParams {
  readonly alpha: number;
  readonly beta: number;
  /** The current after this step's charge, between charge and afterStep; a tensor of the step's tidy. */
  private pendingI: Tensor | null = null;

  constructor(options: CLIFNodeOptions = {}) {
    const o = checkOptionTable('CLIFNode', options, CLIF_NODE_OPTIONS);
    const p = resolveCLIFParams('CLIFNode', o);
    super('CLIFNode', o, CLIF_NODE_OPTIONS);
    this.alpha = p.alpha;
    this.beta = p.beta;
    this.registerMemory('i', 0);
    this.setMemory('v', tf.scalar(0));
  }

  /** The synaptic current now (owned by the node). */
  get i(): Tensor {
    return this.getMemory('i');
  }

  protected override charge(x: Tensor, v: Tensor): Tensor {
    const pre = clifCharge(x, { v, i: this.getMemory('i') }, this);
    this.pendingI = pre.i;
    return pre.v;
  }

  protected override afterStep(): void {
    this.setMemory('i', this.pendingI as Tensor);
    this.pendingI = null;
  }

  /** Restores `v` and `i` to 0. */
  override reset(): void {
    super.reset();
    this.setMemory('v', tf.scalar(0));
  }
}

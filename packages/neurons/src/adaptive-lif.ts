import { checkFinite, detach } from '@snn/core';
import type { Tensor } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';
import {
  BASE_NODE_OPTIONS,
  BaseNode,
  type BaseNodeOptions,
  type NeuronKernelSpec,
  type NodeParams,
  resolveNodeParams,
} from './base-node.js';
import { booleanOr, checkOptionTable, checkTau, type OptionTable } from './checks.js';
import { lifCharge } from './lif.js';
import type { StepResult } from './step.js';

/** Parameters of the adaptive-threshold LIF (time in steps). */
export interface AdaptiveLIFParams {
  /** Membrane time constant in steps, > 1. */
  readonly tau: number;
  /** Divide the input by tau (SpikingJelly's `decay_input`). */
  readonly decayInput: boolean;
  /** Rise of the threshold per spike. */
  readonly thetaPlus: number;
  /** Time constant of the threshold's decay back to `vThreshold`, in steps, > 1. */
  readonly tauTheta: number;
}

/** State of an adaptive-threshold LIF neuron. */
export type AdaptiveLIFState = {
  /** Membrane potential V. */
  readonly v: Tensor;
  /** Threshold offset θ: the threshold is `vThreshold + θ`. */
  readonly theta: Tensor;
};

/** Fire against the adaptive threshold: `S = Θ(H − (vThreshold + θ))`, surrogate gradient backward. Pure. */
export function adaptiveLIFFire(h: Tensor, theta: Tensor, p: NodeParams): Tensor {
  return tf.tidy(() => p.surrogate.apply(tf.sub(tf.sub(h, p.vThreshold), theta)));
}

/**
 * Reset against the adaptive threshold: hard `V = H·(1 − S) + vReset·S`; soft
 * `V = H − (vThreshold + θ)·S` (subtracts the threshold that was crossed). With `detachReset`,
 * S carries no gradient here. Pure.
 */
export function adaptiveLIFReset(h: Tensor, spike: Tensor, theta: Tensor, p: NodeParams): Tensor {
  return tf.tidy(() => {
    const s = p.detachReset ? detach(spike) : spike;
    return p.vReset === null
      ? tf.sub(h, tf.mul(s, tf.add(theta, p.vThreshold)))
      : tf.add(tf.mul(h, tf.sub(1, s)), tf.mul(s, p.vReset));
  });
}

/** Threshold update after the spikes of a step: `θ' = θ − θ/τ_θ + θ₊·S`. Pure. */
export function adaptiveLIFTheta(theta: Tensor, spike: Tensor, p: AdaptiveLIFParams): Tensor {
  return tf.tidy(() => tf.add(tf.sub(theta, tf.div(theta, p.tauTheta)), tf.mul(p.thetaPlus, spike)));
}

/**
 * One adaptive-threshold LIF step over explicit state:
 * 1. `H` = the LIF charge of {@link lifCharge} (SpikingJelly's `LIFNode`);
 * 2. `S = Θ(H − (vThreshold + θ))`;
 * 3. `V` = {@link adaptiveLIFReset}; `θ' = θ − θ/τ_θ + θ₊·S`.
 *
 * Pure: reads `s`, never disposes it, returns new tensors.
 */
export function adaptiveLIFStep(
  x: Tensor,
  s: AdaptiveLIFState,
  p: AdaptiveLIFParams & NodeParams,
): StepResult<AdaptiveLIFState> {
  return tf.tidy(() => {
    const h = lifCharge(x, s.v, p);
    const spike = adaptiveLIFFire(h, s.theta, p);
    return {
      spike,
      state: { v: adaptiveLIFReset(h, spike, s.theta, p), theta: adaptiveLIFTheta(s.theta, spike, p) },
    };
  });
}

/** Options of {@link AdaptiveLIFNode}. */
export interface AdaptiveLIFNodeOptions extends BaseNodeOptions {
  /** Membrane time constant in steps, > 1. Default 2. */
  readonly tau?: number;
  /** Divide the input by tau. Default true. */
  readonly decayInput?: boolean;
  /** Threshold rise per spike. Default 0.05. */
  readonly thetaPlus?: number;
  /** Threshold decay time constant in steps, > 1. Default 50. */
  readonly tauTheta?: number;
}

/** Every option of {@link AdaptiveLIFNodeOptions} (see {@link OptionTable}). */
export const ADAPTIVE_LIF_NODE_OPTIONS: OptionTable<AdaptiveLIFNodeOptions> = {
  ...BASE_NODE_OPTIONS,
  tau: 'value',
  decayInput: 'boolean',
  thetaPlus: 'value',
  tauTheta: 'value',
};

/** Resolves and checks every parameter of `o`, the common ones included; `fn` names the caller in errors. */
export function resolveAdaptiveLIFParams(fn: string, o: AdaptiveLIFNodeOptions): AdaptiveLIFParams & NodeParams {
  return {
    tau: checkTau(fn, 'tau', o.tau ?? 2),
    decayInput: booleanOr(fn, 'decayInput', o.decayInput, true),
    thetaPlus: checkFinite(fn, 'thetaPlus', o.thetaPlus ?? 0.05),
    tauTheta: checkTau(fn, 'tauTheta', o.tauTheta ?? 50),
    ...resolveNodeParams(fn, o),
  };
}

/**
 * LIF neuron with an adaptive threshold: every spike raises the threshold by `thetaPlus`, and the
 * rise decays back with its own time constant `tauTheta`. Per step (time in steps):
 *
 * - charge: `H = V + (X − (V − vReset)) / τ` (`decayInput`) or `H = V − (V − vReset)/τ + X`
 *   (SpikingJelly's LIF; `vReset` is 0 under soft reset)
 * - fire: `S = Θ(H − (vThreshold + θ))`
 * - reset: hard `V = H·(1 − S) + vReset·S`, soft `V = H − (vThreshold + θ)·S`
 * - threshold: `θ ← θ − θ/τ_θ + θ₊·S` (the θ that fired this step, then its decay and jump)
 *
 * Parameters (defaults): `tau` 2, `decayInput` true, `thetaPlus` 0.05, `tauTheta` 50 steps,
 * `vThreshold` 1, `vReset` 0. State: `v` (starts at `vReset`, or 0 under soft reset) and `theta`
 * (starts at 0). Gradients flow through θ's dependence on earlier spikes. Both step modes run the
 * fused neuron kernel (charge `'lif'` with an adaptive threshold, state `theta`).
 *
 * @throws UnknownOptionError for an option name that {@link AdaptiveLIFNodeOptions} lacks;
 * ValueError when `tau` or `tauTheta` is not a finite number > 1, `thetaPlus` is not finite, or a
 * common option is bad.
 * @example
 * ```ts
 * const node = new AdaptiveLIFNode({ tau: 5, thetaPlus: 0.2, tauTheta: 100, stepMode: 'm' });
 * const spikes = node.forward(xSeq); // the rate falls as theta builds up
 * ```
 */
export class AdaptiveLIFNode extends BaseNode implements AdaptiveLIFParams {
  readonly tau: number;
  readonly decayInput: boolean;
  readonly thetaPlus: number;
  readonly tauTheta: number;

  constructor(options: AdaptiveLIFNodeOptions = {}) {
    const o = checkOptionTable('AdaptiveLIFNode', options, ADAPTIVE_LIF_NODE_OPTIONS);
    const p = resolveAdaptiveLIFParams('AdaptiveLIFNode', o);
    super('AdaptiveLIFNode', o, ADAPTIVE_LIF_NODE_OPTIONS);
    this.tau = p.tau;
    this.decayInput = p.decayInput;
    this.thetaPlus = p.thetaPlus;
    this.tauTheta = p.tauTheta;
    this.registerMemory('theta', 0);
  }

  /** The threshold offset θ now (owned by the node); the threshold is `vThreshold + θ`. */
  get theta(): Tensor {
    return this.getMemory('theta');
  }

  protected override charge(x: Tensor, v: Tensor): Tensor {
    return lifCharge(x, v, { tau: this.tau, decayInput: this.decayInput, vReset: this.params.vReset });
  }

  protected override fire(h: Tensor): Tensor {
    return adaptiveLIFFire(h, this.getMemory('theta'), this.params);
  }

  protected override neuronalReset(h: Tensor, spike: Tensor): Tensor {
    return adaptiveLIFReset(h, spike, this.getMemory('theta'), this.params);
  }

  protected override afterStep(_h: Tensor, spike: Tensor): void {
    this.setMemory('theta', adaptiveLIFTheta(this.getMemory('theta'), spike, this));
  }

  protected override kernelSpec(): NeuronKernelSpec {
    return {
      charge: 'lif',
      tau: this.tau,
      decayInput: this.decayInput,
      adaptive: { thetaPlus: this.thetaPlus, tauTheta: this.tauTheta },
    };
  }
}

import { checkFinite, checkPositive } from '@snn/core';
import type { Tensor } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';
import { BASE_NODE_OPTIONS, BaseNode, type BaseNodeOptions, type NodeParams } from './base-node.js';
import { checkOptionTable, checkTau, type OptionTable } from './checks.js';
import { fireAndReset, type MembraneState, type StepResult } from './step.js';

/** Parameters of the EIF charge. */
export interface EIFParams {
  /** Membrane time constant in steps, > 1. */
  readonly tau: number;
  /** Sharpness of the exponential spike initiation (ΔT), > 0. */
  readonly deltaT: number;
  /** Rheobase threshold θ_rh: where the exponential term takes over. */
  readonly thetaRh: number;
  /** Resting potential. */
  readonly vRest: number;
}

/**
 * EIF charge (SpikingJelly `EIFNode`):
 * `H = V + (X + vRest − V + ΔT·exp((V − θ_rh) / ΔT)) / τ`, in this order of float32 operations
 * (`((X + vRest) − V) + ΔT·exp(...)`). Pure.
 */
export function eifCharge(x: Tensor, v: Tensor, p: EIFParams): Tensor {
  return tf.tidy(() => {
    const expTerm = tf.mul(p.deltaT, tf.exp(tf.div(tf.sub(v, p.thetaRh), p.deltaT)));
    return tf.add(v, tf.div(tf.add(tf.sub(tf.add(x, p.vRest), v), expTerm), p.tau));
  });
}

/** One EIF step over explicit state: charge ({@link eifCharge}) → fire → reset. Pure. */
export function eifStep(x: Tensor, s: MembraneState, p: EIFParams & NodeParams): StepResult<MembraneState> {
  return tf.tidy(() => fireAndReset(eifCharge(x, s.v, p), p));
}

/** Options of {@link EIFNode}. `vReset` defaults to −0.1 here, as in SpikingJelly. */
export interface EIFNodeOptions extends BaseNodeOptions {
  /** Membrane time constant in steps, > 1. Default 2. */
  readonly tau?: number;
  /** Sharpness ΔT, > 0. Default 1. */
  readonly deltaT?: number;
  /** Rheobase threshold θ_rh. Default 0.8. */
  readonly thetaRh?: number;
  /** Resting potential. Default 0. */
  readonly vRest?: number;
}

/** Every option of {@link EIFNodeOptions} (see {@link OptionTable}). */
export const EIF_NODE_OPTIONS: OptionTable<EIFNodeOptions> = {
  ...BASE_NODE_OPTIONS,
  tau: 'value',
  deltaT: 'value',
  thetaRh: 'value',
  vRest: 'value',
};

/** Resolves and checks the EIF parameters of `o`; `fn` names the caller in errors. */
export function resolveEIFParams(fn: string, o: EIFNodeOptions): EIFParams {
  return {
    tau: checkTau(fn, 'tau', o.tau ?? 2),
    deltaT: checkPositive(fn, 'deltaT', o.deltaT ?? 1),
    thetaRh: checkFinite(fn, 'thetaRh', o.thetaRh ?? 0.8),
    vRest: checkFinite(fn, 'vRest', o.vRest ?? 0),
  };
}

/**
 * Exponential integrate-and-fire neuron (SpikingJelly `EIFNode`), the Euler step of
 * `τ dV/dt = −(V − vRest) + ΔT·exp((V − θ_rh) / ΔT) + X`:
 *
 * - charge: `H = V + (X + vRest − V + ΔT·exp((V − θ_rh) / ΔT)) / τ`;
 * - fire: `S = Θ(H − vThreshold)`; reset: hard `V = H·(1 − S) + vReset·S`, soft `V = H − vThreshold·S`.
 *
 * Parameters (defaults): `tau` 2 steps, `deltaT` 1, `thetaRh` 0.8, `vRest` 0, `vThreshold` 1,
 * `vReset` −0.1 (potentials in the unit of the input). State: `v` (starts at `vReset`, or 0 under
 * soft reset).
 *
 * @throws UnknownOptionError for an option name that {@link EIFNodeOptions} lacks; ValueError when
 * tau is not a finite number > 1, `deltaT` is not > 0, or a potential is not finite.
 * @example
 * ```ts
 * const eif = new EIFNode({ tau: 2, deltaT: 1, thetaRh: 0.8, stepMode: 'm' });
 * const spikes = eif.forward(xSeq); // [T, B, N]
 * ```
 */
export class EIFNode extends BaseNode implements EIFParams {
  readonly tau: number;
  readonly deltaT: number;
  readonly thetaRh: number;
  readonly vRest: number;

  constructor(options: EIFNodeOptions = {}) {
    const o = checkOptionTable('EIFNode', options, EIF_NODE_OPTIONS);
    const p = resolveEIFParams('EIFNode', o);
    super('EIFNode', { ...o, vReset: o.vReset === undefined ? -0.1 : o.vReset }, EIF_NODE_OPTIONS);
    this.tau = p.tau;
    this.deltaT = p.deltaT;
    this.thetaRh = p.thetaRh;
    this.vRest = p.vRest;
  }

  protected override charge(x: Tensor, v: Tensor): Tensor {
    return eifCharge(x, v, this);
  }
}

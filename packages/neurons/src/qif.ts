import { checkFinite, checkPositive } from '@snn/core';
import type { Tensor } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';
import { BASE_NODE_OPTIONS, BaseNode, type BaseNodeOptions, type NodeParams } from './base-node.js';
import { checkOptionTable, checkTau, type OptionTable } from './checks.js';
import { fireAndReset, type MembraneState, type StepResult } from './step.js';

/** Parameters of the QIF charge. */
export interface QIFParams {
  /** Membrane time constant in steps, > 1. */
  readonly tau: number;
  /** Critical voltage: above it the quadratic term drives V up. */
  readonly vC: number;
  /** Sharpness of the quadratic term, > 0. */
  readonly a0: number;
  /** Resting potential. */
  readonly vRest: number;
}

/**
 * QIF charge (SpikingJelly `QIFNode`): `H = V + (X + a0·(V − vRest)·(V − vC)) / τ`, in this order
 * of float32 operations (`(a0·(V − vRest))·(V − vC)`). Pure.
 */
export function qifCharge(x: Tensor, v: Tensor, p: QIFParams): Tensor {
  return tf.tidy(() => {
    const quad = tf.mul(tf.mul(p.a0, tf.sub(v, p.vRest)), tf.sub(v, p.vC));
    return tf.add(v, tf.div(tf.add(x, quad), p.tau));
  });
}

/** One QIF step over explicit state: charge ({@link qifCharge}) → fire → reset. Pure. */
export function qifStep(x: Tensor, s: MembraneState, p: QIFParams & NodeParams): StepResult<MembraneState> {
  return tf.tidy(() => fireAndReset(qifCharge(x, s.v, p), p));
}

/** Options of {@link QIFNode}. `vReset` defaults to −0.1 here, as in SpikingJelly. */
export interface QIFNodeOptions extends BaseNodeOptions {
  /** Membrane time constant in steps, > 1. Default 2. */
  readonly tau?: number;
  /** Critical voltage. Default 0.8. */
  readonly vC?: number;
  /** Quadratic coefficient, > 0. Default 1. */
  readonly a0?: number;
  /** Resting potential. Default 0. */
  readonly vRest?: number;
}

/** Every option of {@link QIFNodeOptions} (see {@link OptionTable}). */
export const QIF_NODE_OPTIONS: OptionTable<QIFNodeOptions> = {
  ...BASE_NODE_OPTIONS,
  tau: 'value',
  vC: 'value',
  a0: 'value',
  vRest: 'value',
};

/** Resolves and checks the QIF parameters of `o`; `fn` names the caller in errors. */
export function resolveQIFParams(fn: string, o: QIFNodeOptions): QIFParams {
  return {
    tau: checkTau(fn, 'tau', o.tau ?? 2),
    vC: checkFinite(fn, 'vC', o.vC ?? 0.8),
    a0: checkPositive(fn, 'a0', o.a0 ?? 1),
    vRest: checkFinite(fn, 'vRest', o.vRest ?? 0),
  };
}

/**
 * Quadratic integrate-and-fire neuron (SpikingJelly `QIFNode`), the Euler step of
 * `τ dV/dt = a0·(V − vRest)·(V − vC) + X`:
 *
 * - charge: `H = V + (X + a0·(V − vRest)·(V − vC)) / τ`;
 * - fire: `S = Θ(H − vThreshold)`; reset: hard `V = H·(1 − S) + vReset·S`, soft `V = H − vThreshold·S`.
 *
 * Parameters (defaults): `tau` 2 steps, `vC` 0.8, `a0` 1, `vRest` 0, `vThreshold` 1,
 * `vReset` −0.1 (potentials in the same arbitrary unit as the input). State: `v` (starts at `vReset`,
 * or 0 under soft reset).
 *
 * @throws UnknownOptionError for an option name that {@link QIFNodeOptions} lacks; ValueError when
 * tau is not a finite number > 1, `a0` is not > 0, or a potential is not finite.
 * @example
 * ```ts
 * const qif = new QIFNode({ tau: 2, vC: 0.8, stepMode: 'm' });
 * const spikes = qif.forward(xSeq); // [T, B, N]
 * ```
 */
export class QIFNode extends BaseNode implements QIFParams {
  readonly tau: number;
  readonly vC: number;
  readonly a0: number;
  readonly vRest: number;

  constructor(options: QIFNodeOptions = {}) {
    const o = checkOptionTable('QIFNode', options, QIF_NODE_OPTIONS);
    const p = resolveQIFParams('QIFNode', o);
    super('QIFNode', { ...o, vReset: o.vReset === undefined ? -0.1 : o.vReset }, QIF_NODE_OPTIONS);
    this.tau = p.tau;
    this.vC = p.vC;
    this.a0 = p.a0;
    this.vRest = p.vRest;
  }

  protected override charge(x: Tensor, v: Tensor): Tensor {
    return qifCharge(x, v, this);
  }
}

import { checkFinite } from '@snn/core';
import type { Tensor, Variable } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';
import { BASE_NODE_OPTIONS, BaseNode, type BaseNodeOptions, type NodeParams } from './base-node.js';
import { checkOptionTable, type OptionTable } from './checks.js';
import { fireAndReset, type MembraneState, type StepResult } from './step.js';

/** Parameters of the recurrent IF charge, besides the learnable `w`. */
export interface RecurrentIFParams {
  /** Target of the self-connection: the hard-reset value, or 0 under soft reset (`null`). */
  readonly vReset: number | null;
}

/**
 * Recurrent IF charge: `H = V + w·(V − r) + X` with `r = vReset` (0 under soft reset), evaluated
 * as `(V + w·(V − r)) + X`. Pure; differentiable in `x`, `v` and `w`.
 * @param w - The self-connection weight: a scalar tensor (for a gradient) or a number.
 */
export function recurrentIFCharge(x: Tensor, v: Tensor, w: Tensor | number, p: RecurrentIFParams): Tensor {
  return tf.tidy(() => tf.add(tf.add(v, tf.mul(w, tf.sub(v, p.vReset ?? 0))), x));
}

/** One recurrent IF step over explicit state: charge ({@link recurrentIFCharge}) → fire → reset. Pure. */
export function recurrentIFStep(
  x: Tensor,
  s: MembraneState,
  w: Tensor | number,
  p: RecurrentIFParams & NodeParams,
): StepResult<MembraneState> {
  return tf.tidy(() => fireAndReset(recurrentIFCharge(x, s.v, w, p), p));
}

/** Options of {@link RecurrentIFNode}. */
export interface RecurrentIFNodeOptions extends BaseNodeOptions {
  /** Initial self-connection weight (per step). Default −1e-3. */
  readonly initW?: number;
  /** Whether `w` is trained (seen by optimizers and `parameters(true)`). Default true. */
  readonly trainableW?: boolean;
}

/** Every option of {@link RecurrentIFNodeOptions} (see {@link OptionTable}). */
export const RECURRENT_IF_NODE_OPTIONS: OptionTable<RecurrentIFNodeOptions> = {
  ...BASE_NODE_OPTIONS,
  initW: 'value',
  trainableW: 'boolean',
};

/**
 * Integrate-and-fire neuron with a learnable self-connection (SpikingFlow's recurrent IF model):
 * `dV/dt = w·(V − V_reset) + R·I`. The weight `w` is one scalar shared by every neuron of the node;
 * it acts on the potential only, never on the input.
 *
 * Discretisation (forward Euler, `dt` = 1 step, `R·I` given as the input `X`):
 *
 * - charge: `H = V + w·(V − vReset) + X` (`vReset` is 0 under soft reset);
 * - fire: `S = Θ(H − vThreshold)`; reset: hard `V = H·(1 − S) + vReset·S`, soft `V = H − vThreshold·S`.
 *
 * Between spikes `V − vReset` is multiplied by `1 + w` each step: `−1 < w < 0` is a leak (a time
 * constant of `−1/w` steps), `w = 0` is plain IF, `w > 0` self-excitation.
 *
 * Parameter: `w` (per step, default −1e-3, trainable). State: `v` (starts at `vReset`, or 0 under
 * soft reset). Multi-step mode loops the step, so BPTT reaches `w`.
 *
 * @throws UnknownOptionError for an option name that {@link RecurrentIFNodeOptions} lacks;
 * ValueError when `initW` or a threshold is not finite, or a boolean option is not a boolean.
 * @example
 * ```ts
 * const node = new RecurrentIFNode({ initW: -0.05, stepMode: 'm' });
 * const { grads } = tf.variableGrads(() => tf.sum(node.forward(xSeq)), [node.w]);
 * ```
 */
export class RecurrentIFNode extends BaseNode {
  /** The learnable self-connection weight (a scalar). Owned by the node. */
  readonly w: Variable;

  constructor(options: RecurrentIFNodeOptions = {}) {
    const o = checkOptionTable('RecurrentIFNode', options, RECURRENT_IF_NODE_OPTIONS);
    const initW = checkFinite('RecurrentIFNode', 'initW', o.initW ?? -1e-3);
    super('RecurrentIFNode', o, RECURRENT_IF_NODE_OPTIONS);
    this.w = this.registerParameter('w', tf.scalar(initW), { trainable: o.trainableW ?? true });
  }

  protected override charge(x: Tensor, v: Tensor): Tensor {
    return recurrentIFCharge(x, v, this.w, this.params);
  }
}

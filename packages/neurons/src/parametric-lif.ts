import type { Tensor, Variable } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';
import {
  BASE_NODE_OPTIONS,
  BaseNode,
  type BaseNodeOptions,
  type NeuronKernelSpec,
  type NodeParams,
} from './base-node.js';
import { checkOptionTable, checkTau, type OptionTable } from './checks.js';
import { fireAndReset, type MembraneState, type StepResult } from './step.js';

/** Parameters of the Parametric LIF charge, besides the learnable `w`. */
export interface ParametricLIFParams {
  /** Multiply the input by `k` (SpikingJelly's `decay_input`). */
  readonly decayInput: boolean;
  /** Leak target: the hard-reset value, or 0 under soft reset (`null`). */
  readonly vReset: number | null;
}

/**
 * Parametric LIF charge (SpikingJelly `ParametricLIFNode`; Fang et al., ICCV 2021): LIF with
 * `1/τ` replaced by `k = sigmoid(w)` and multiplications instead of divisions. With
 * `r = vReset` (0 under soft reset):
 *
 * - `decayInput`, r = 0: `H = V + (X − V)·k`
 * - `decayInput`, r ≠ 0: `H = V + (X − (V − r))·k`
 * - `!decayInput`, r = 0: `H = V·(1 − k) + X`
 * - `!decayInput`, r ≠ 0: `H = V − (V − r)·k + X`
 *
 * Pure; differentiable in `x`, `v` and `k`.
 * @param k - The decay factor `sigmoid(w)` in (0, 1): a scalar tensor (for a gradient) or a number.
 */
export function parametricLIFCharge(x: Tensor, v: Tensor, k: Tensor | number, p: ParametricLIFParams): Tensor {
  return tf.tidy(() => {
    const r = p.vReset ?? 0;
    if (p.decayInput) {
      return r === 0 ? tf.add(v, tf.mul(tf.sub(x, v), k)) : tf.add(v, tf.mul(tf.sub(x, tf.sub(v, r)), k));
    }
    return r === 0 ? tf.add(tf.mul(v, tf.sub(1, k)), x) : tf.add(tf.sub(v, tf.mul(tf.sub(v, r), k)), x);
  });
}

/**
 * One Parametric LIF step over explicit state: `k = sigmoid(w)`, charge
 * ({@link parametricLIFCharge}) → fire → reset. Pure: reads `s` and `w`, never disposes them,
 * returns new tensors; gradients reach `x`, `s.v` and `w`.
 * @param w - The learnable scalar (a `tf.Variable` or any scalar tensor).
 */
export function parametricLIFStep(
  x: Tensor,
  s: MembraneState,
  w: Tensor,
  p: ParametricLIFParams & NodeParams,
): StepResult<MembraneState> {
  return tf.tidy(() => fireAndReset(parametricLIFCharge(x, s.v, tf.sigmoid(w), p), p));
}

/** The `w` whose sigmoid is `1 / initTau`: `w = −ln(initTau − 1)` (`initTau = 2` gives `w = 0`). */
export function parametricLIFInitW(initTau: number): number {
  return -Math.log(checkTau('parametricLIFInitW', 'initTau', initTau) - 1);
}

/** Options of {@link ParametricLIFNode}. */
export interface ParametricLIFNodeOptions extends BaseNodeOptions {
  /** Initial membrane time constant in steps, > 1: `w` starts at `−ln(initTau − 1)`. Default 2. */
  readonly initTau?: number;
  /** Multiply the input by `k`. Default true. */
  readonly decayInput?: boolean;
}

/** Every option of {@link ParametricLIFNodeOptions} (see {@link OptionTable}). */
export const PARAMETRIC_LIF_NODE_OPTIONS: OptionTable<ParametricLIFNodeOptions> = {
  ...BASE_NODE_OPTIONS,
  initTau: 'value',
  decayInput: 'boolean',
};

/**
 * Parametric leaky integrate-and-fire neuron (SpikingJelly `ParametricLIFNode`): a LIF neuron whose
 * decay `k = sigmoid(w) = 1/τ` is learned. `w` is one trainable scalar shared by every neuron of
 * the node (a registered parameter, `node.w`), initialised to `−ln(initTau − 1)`.
 *
 * - charge: `H = V + (X − (V − vReset))·k` (`decayInput`) or `H = V − (V − vReset)·k + X`
 *   (exact branches in {@link parametricLIFCharge});
 * - fire: `S = Θ(H − vThreshold)`; reset: hard `V = H·(1 − S) + vReset·S`, soft `V = H − vThreshold·S`.
 *
 * State: `v` (starts at `vReset`, or 0 under soft reset). Parameter: `w` (dimensionless).
 * Both step modes run the fused neuron kernel (charge `'plif'` with `k = sigmoid(w)`); BPTT reaches `w`.
 *
 * @throws UnknownOptionError for an option name that {@link ParametricLIFNodeOptions} lacks;
 * ValueError when `initTau` is not a finite number > 1, a threshold is not finite, or a boolean
 * option is not a boolean.
 * @example
 * ```ts
 * const plif = new ParametricLIFNode({ initTau: 2, stepMode: 'm' });
 * const { value, grads } = tf.variableGrads(() => tf.sum(plif.forward(xSeq)), [plif.w]);
 * ```
 */
export class ParametricLIFNode extends BaseNode {
  /** The learnable scalar; `k = sigmoid(w) = 1/τ`. Owned by the node. */
  readonly w: Variable;
  readonly decayInput: boolean;

  constructor(options: ParametricLIFNodeOptions = {}) {
    const o = checkOptionTable('ParametricLIFNode', options, PARAMETRIC_LIF_NODE_OPTIONS);
    const initTau = checkTau('ParametricLIFNode', 'initTau', o.initTau ?? 2);
    const decayInput = o.decayInput ?? true;
    super('ParametricLIFNode', o, PARAMETRIC_LIF_NODE_OPTIONS);
    this.decayInput = decayInput;
    this.w = this.registerParameter('w', tf.scalar(-Math.log(initTau - 1)));
  }

  /** The current time constant `1 / sigmoid(w)`, read back from the device. */
  get tau(): number {
    return tf.tidy(() => 1 / (tf.sigmoid(this.w).dataSync()[0] as number));
  }

  protected override charge(x: Tensor, v: Tensor): Tensor {
    return parametricLIFCharge(x, v, tf.sigmoid(this.w), { decayInput: this.decayInput, vReset: this.params.vReset });
  }

  protected override kernelSpec(): NeuronKernelSpec {
    return { charge: 'plif', k: tf.sigmoid(this.w), decayInput: this.decayInput };
  }
}

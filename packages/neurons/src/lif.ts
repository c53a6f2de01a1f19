import type { Tensor } from '@tensorflow/tfjs-core';
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

/** Parameters of the LIF charge. */
export interface LIFParams {
  /** Membrane time constant in steps, > 1. */
  readonly tau: number;
  /** Divide the input by tau (SpikingJelly's `decay_input`). */
  readonly decayInput: boolean;
  /** Leak target: the hard-reset value, or 0 under soft reset (`null`). */
  readonly vReset: number | null;
}

/**
 * LIF charge (SpikingJelly `LIFNode`), with `r = vReset` (0 under soft reset):
 * `decayInput`: `H = V + (X − (V − r)) / τ`; otherwise `H = V − (V − r) / τ + X`
 * (in SpikingJelly's order of float32 operations; see `NeuronForward` in @snn/core). Pure.
 */
export function lifCharge(x: Tensor, v: Tensor, p: LIFParams): Tensor {
  return tf.tidy(() => {
    const r = p.vReset ?? 0;
    const leakFrom = r === 0 ? v : tf.sub(v, r);
    if (p.decayInput) return tf.add(v, tf.div(tf.sub(x, leakFrom), p.tau));
    // 1 − 1/τ in double precision, rounded to float32 once (as SpikingJelly).
    if (r === 0) return tf.add(tf.mul(v, Math.fround(1 - 1 / p.tau)), x);
    return tf.add(tf.sub(v, tf.div(leakFrom, p.tau)), x);
  });
}

/**
 * One LIF step over explicit state: charge ({@link lifCharge}) → fire → reset. Pure: reads `s`,
 * never disposes it, returns new tensors.
 */
export function lifStep(x: Tensor, s: MembraneState, p: LIFParams & NodeParams): StepResult<MembraneState> {
  return tf.tidy(() => fireAndReset(lifCharge(x, s.v, p), p));
}

/** Options of {@link LIFNode}. */
export interface LIFNodeOptions extends BaseNodeOptions {
  /** Membrane time constant in steps; > 1. Default 2. */
  readonly tau?: number;
  /** Divide the input by tau. Default true. */
  readonly decayInput?: boolean;
}

/** Every option of {@link LIFNodeOptions} (see {@link OptionTable}). */
export const LIF_NODE_OPTIONS: OptionTable<LIFNodeOptions> = {
  ...BASE_NODE_OPTIONS,
  tau: 'value',
  decayInput: 'boolean',
};

/**
 * Leaky integrate-and-fire neuron (SpikingJelly `LIFNode`):
 * `H = V + (X − (V − vReset)) / τ` (`decayInput`) or `H = V − (V − vReset) / τ + X`;
 * `S = Θ(H − vThreshold)`; hard or soft reset. State: `v`.
 * Both step modes run the fused neuron kernel (`neuronMultiStep` of @snn/core, charge `'lif'`).
 *
 * @throws UnknownOptionError for an option name that {@link LIFNodeOptions} lacks (`{ tua: 5 }`:
 * "did you mean 'tau'"); ValueError when tau is not a finite number > 1, a threshold is not
 * finite, or a boolean option is not a boolean (all checked before any state is allocated).
 * @example
 * ```ts
 * const lif = new LIFNode({ tau: 2, surrogate: atan(2), stepMode: 'm' });
 * const spikes = lif.forward(xSeq); // [T, B, N]
 * lif.reset();
 * ```
 */
export class LIFNode extends BaseNode {
  readonly tau: number;
  readonly decayInput: boolean;

  constructor(options: LIFNodeOptions = {}) {
    const o = checkOptionTable('LIFNode', options, LIF_NODE_OPTIONS);
    const tau = checkTau('LIFNode', 'tau', o.tau ?? 2);
    const decayInput = o.decayInput ?? true;
    super('LIFNode', o, LIF_NODE_OPTIONS);
    this.tau = tau;
    this.decayInput = decayInput;
  }

  protected override charge(x: Tensor, v: Tensor): Tensor {
    return lifCharge(x, v, { tau: this.tau, decayInput: this.decayInput, vReset: this.params.vReset });
  }

  protected override kernelSpec(): NeuronKernelSpec {
    return { charge: 'lif', tau: this.tau, decayInput: this.decayInput };
  }
}

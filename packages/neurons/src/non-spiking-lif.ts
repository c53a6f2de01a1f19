import { checkTimeSteps, stepThroughTime } from '@snn/core';
import type { Tensor } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';
import { BaseNode, type BaseNodeOptions } from './base-node.js';
import { checkOptionTable, checkTau, type OptionTable } from './checks.js';
import { type LIFParams, lifCharge } from './lif.js';
import type { MembraneState } from './step.js';

/**
 * One step of a non-spiking LIF integrator over explicit state: `V' = H`, the LIF charge
 * ({@link lifCharge}) with no fire and no reset. Pure: reads `s`, never disposes it.
 */
export function nonSpikingLIFStep(x: Tensor, s: MembraneState, p: LIFParams): MembraneState {
  return { v: lifCharge(x, s.v, p) };
}

/** Options of {@link NonSpikingLIFNode}: a LIF without threshold, surrogate or reset. */
export interface NonSpikingLIFNodeOptions extends Omit<BaseNodeOptions, 'vThreshold' | 'surrogate' | 'detachReset'> {
  /** Membrane time constant in steps, > 1. Default 2. */
  readonly tau?: number;
  /** Divide the input by tau. Default true. */
  readonly decayInput?: boolean;
  /** Leak target and initial potential (`null`: 0). Default 0. */
  readonly vReset?: number | null;
}

/** Every option of {@link NonSpikingLIFNodeOptions} (see {@link OptionTable}): no threshold, surrogate or reset. */
export const NON_SPIKING_LIF_NODE_OPTIONS: OptionTable<NonSpikingLIFNodeOptions> = {
  vReset: 'value',
  stepMode: 'value',
  storeVSeq: 'boolean',
  checkFiniteInput: 'boolean',
  tau: 'value',
  decayInput: 'boolean',
};

/**
 * A readout that integrates like a LIF neuron and never fires: the membrane potential is the
 * output (for classifiers that decode the last layer's potential instead of its spike count).
 *
 * - charge: `H = V + (X − (V − vReset)) / τ` (`decayInput`) or `H = V − (V − vReset) / τ + X`
 *   (the {@link lifCharge} branches);
 * - no fire, no reset: `V = H`.
 *
 * `forward` returns `V` after the step (`[B, ...]`), and in multi-step mode the potentials of every
 * step, `vSeq` `[T, B, ...]` (also kept in {@link BaseNode.vSeq} with `storeVSeq`).
 * Parameters (defaults): `tau` 2 steps, `decayInput` true, `vReset` 0 (leak target). State: `v`
 * (starts at `vReset`).
 *
 * @throws UnknownOptionError for an option name that {@link NonSpikingLIFNodeOptions} lacks
 * (`vThreshold`, `surrogate` and `detachReset` included); ValueError when tau is not a finite
 * number > 1, `vReset` is not finite, or a boolean option is not a boolean.
 * @example
 * ```ts
 * const readout = new NonSpikingLIFNode({ tau: 2, stepMode: 'm' });
 * const vSeq = readout.forward(tf.matMul(...)); // [T, B, classes]
 * const logits = tf.mean(vSeq, 0);
 * ```
 */
export class NonSpikingLIFNode extends BaseNode implements LIFParams {
  readonly tau: number;
  readonly decayInput: boolean;

  constructor(options: NonSpikingLIFNodeOptions = {}) {
    const o = checkOptionTable('NonSpikingLIFNode', options, NON_SPIKING_LIF_NODE_OPTIONS);
    const tau = checkTau('NonSpikingLIFNode', 'tau', o.tau ?? 2);
    const decayInput = o.decayInput ?? true;
    super('NonSpikingLIFNode', o, NON_SPIKING_LIF_NODE_OPTIONS);
    this.tau = tau;
    this.decayInput = decayInput;
  }

  /** The leak target (LIFParams): the node's `vReset`. */
  get vReset(): number | null {
    return this.params.vReset;
  }

  protected override charge(x: Tensor, v: Tensor): Tensor {
    return lifCharge(x, v, this);
  }

  /** One step without input checks: `V = H`; returns a copy of V. */
  private integrate(x: Tensor): Tensor {
    return tf.tidy(() => {
      const v = this.charge(x, this.getMemory('v'));
      this.setMemory('v', v);
      return tf.clone(v);
    });
  }

  protected override singleStepForward(x: Tensor): Tensor {
    this.checkInput(x, 'x', x.shape);
    return this.integrate(x);
  }

  protected override multiStepForward(xSeq: Tensor): Tensor {
    checkTimeSteps(`${this.nodeName}.forward`, 'xSeq', xSeq);
    this.checkInput(xSeq, 'xSeq', xSeq.shape.slice(1));
    const vSeq = stepThroughTime(xSeq, (x) => this.integrate(x));
    if (this.storeVSeq) this.keepVSeq(tf.clone(vSeq));
    return vSeq;
  }
}

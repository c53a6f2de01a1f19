import { checkFinite } from '@snn/core';
import type { Tensor } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';
import { checkOptionTable, type OptionTable } from './checks.js';
import { type ExtraInputs, SPAIC_NODE_OPTIONS, SpaicNode, type SpaicNodeOptions } from './spaic-node.js';
import type { MembraneState } from './step.js';

/** Parameters of {@link nonSpikingIFBStep}. */
export interface NonSpikingIFBParams {
  /** Constant input added every step (SPAIC's `bias`). */
  readonly bias: number;
}

/**
 * One step of SPAIC's non-spiking IF integrator (`nonspikingifb`): `V' = V + (X + bias)`, no
 * threshold, no reset. Pure: reads `s`, never disposes it.
 */
export function nonSpikingIFBStep(x: Tensor, s: MembraneState, p: NonSpikingIFBParams): MembraneState {
  return tf.tidy(() => ({ v: tf.add(s.v, tf.add(x, p.bias)) }));
}

/** Options of {@link NonSpikingIFBNode}. */
export interface NonSpikingIFBNodeOptions extends SpaicNodeOptions {
  /** Constant input added every step (SPAIC's `bias`). Default 0. */
  readonly bias?: number;
}

/** Every option of {@link NonSpikingIFBNodeOptions} (see {@link OptionTable}). */
export const NON_SPIKING_IFB_NODE_OPTIONS: OptionTable<NonSpikingIFBNodeOptions> = {
  ...SPAIC_NODE_OPTIONS,
  bias: 'value',
};

/**
 * SPAIC's non-spiking IF integrator with a bias (`nonspikingifb`, `NonSpikingIFBModel`): a
 * readout that sums its input, `V ← V + (X + bias)` per step, and never fires. `forward` returns
 * V after the step (`[B, ...]`; `[T, B, ...]` in multi-step mode). Time in steps (no `dt`).
 * Parameters (defaults): `bias` 0. State: `v` (starts at 0).
 *
 * @throws UnknownOptionError for an option name that {@link NonSpikingIFBNodeOptions} lacks;
 * ValueError when `bias` is not finite or a boolean option is not a boolean.
 * @example
 * ```ts
 * const readout = new NonSpikingIFBNode({ stepMode: 'm' });
 * const vSeq = readout.forward(currents); // [T, B, classes]: running sums
 * ```
 */
export class NonSpikingIFBNode extends SpaicNode<MembraneState> implements NonSpikingIFBParams {
  readonly bias: number;
  protected readonly stateKeys = ['v'] as const;

  constructor(options: NonSpikingIFBNodeOptions = {}) {
    const o = checkOptionTable('NonSpikingIFBNode', options, NON_SPIKING_IFB_NODE_OPTIONS);
    const bias = checkFinite('NonSpikingIFBNode', 'bias', o.bias ?? 0);
    super('NonSpikingIFBNode', o, NON_SPIKING_IFB_NODE_OPTIONS);
    this.bias = bias;
    this.registerMemory('v', 0);
  }

  protected stepState(x: Tensor, s: MembraneState, _e: ExtraInputs): { out: Tensor; state: MembraneState } {
    const state = nonSpikingIFBStep(x, s, this);
    return { out: tf.clone(state.v), state };
  }
}

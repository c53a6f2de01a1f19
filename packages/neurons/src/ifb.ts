import { checkFinite } from '@snn/core';
import type { Tensor } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';
import { checkOptionTable, type OptionTable } from './checks.js';
import {
  type ExtraInputs,
  resolveSpaicFireParams,
  SPAIC_SPIKING_OPTIONS,
  type SpaicFireParams,
  SpaicNode,
  type SpaicSpikingOptions,
  spaicFire,
} from './spaic-node.js';
import type { MembraneState, StepResult } from './step.js';

/** Parameters of {@link ifbStep}. */
export interface IFBParams extends SpaicFireParams {
  /** Constant input added every step (SPAIC's `bias`); a negative bias is a constant decay. */
  readonly bias: number;
}

/**
 * One step of SPAIC's IF neuron with a bias (`ifb`), in SPAIC's order of float32 operations:
 * `H = V + (X + bias)`; `S = [H > vThreshold]`; `V' = H − H·S` (reset to 0). Pure: reads `s`,
 * never disposes it.
 *
 * @example
 * ```ts
 * const p = { bias: -0.01, vThreshold: 1, surrogate: sigmoid(4) };
 * const { spike, state } = ifbStep(x, { v: tf.scalar(0) }, p);
 * ```
 */
export function ifbStep(x: Tensor, s: MembraneState, p: IFBParams): StepResult<MembraneState> {
  return tf.tidy(() => {
    const h = tf.add(s.v, tf.add(x, p.bias));
    const spike = spaicFire(h, p);
    return { spike, state: { v: tf.sub(h, tf.mul(h, spike)) } };
  });
}

/** Options of {@link IFBNode}. */
export interface IFBNodeOptions extends SpaicSpikingOptions {
  /** Constant input added every step (SPAIC's `bias`). Default 0. */
  readonly bias?: number;
}

/** Every option of {@link IFBNodeOptions} (see {@link OptionTable}). */
export const IFB_NODE_OPTIONS: OptionTable<IFBNodeOptions> = { ...SPAIC_SPIKING_OPTIONS, bias: 'value' };

/**
 * SPAIC's integrate-and-fire neuron with a bias (`ifb`, `IFBModel`). Per step:
 *
 * - `H = V + (X + bias)`
 * - `S = [H > vThreshold]` (strict, as SPAIC)
 * - `V = H − H·S` (reset to 0)
 *
 * Time is in steps (no `dt`): the bias is added once per step, so a negative bias is a constant
 * decay. Parameters (defaults): `bias` 0, `vThreshold` 1. State: `v` (starts at 0).
 *
 * @throws UnknownOptionError for an option name that {@link IFBNodeOptions} lacks; ValueError
 * when `bias` or `vThreshold` is not finite, or a boolean option is not a boolean.
 * @example
 * ```ts
 * const node = new IFBNode({ bias: -0.02, stepMode: 'm' });
 * const spikes = node.forward(xSeq); // [T, B, N]
 * ```
 */
export class IFBNode extends SpaicNode<MembraneState> implements IFBParams {
  readonly bias: number;
  readonly vThreshold: number;
  readonly surrogate: SpaicFireParams['surrogate'];
  protected readonly stateKeys = ['v'] as const;

  constructor(options: IFBNodeOptions = {}) {
    const o = checkOptionTable('IFBNode', options, IFB_NODE_OPTIONS);
    const fire = resolveSpaicFireParams('IFBNode', o);
    const bias = checkFinite('IFBNode', 'bias', o.bias ?? 0);
    super('IFBNode', o, IFB_NODE_OPTIONS);
    this.bias = bias;
    this.vThreshold = fire.vThreshold;
    this.surrogate = fire.surrogate;
    this.registerMemory('v', 0);
  }

  protected stepState(x: Tensor, s: MembraneState, _e: ExtraInputs): { out: Tensor; state: MembraneState } {
    const r = ifbStep(x, s, this);
    return { out: r.spike, state: r.state };
  }
}

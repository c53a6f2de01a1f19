import { checkPositive, ValueError } from '@snn/core';
import type { Tensor } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';
import { checkOptionTable, type OptionTable } from './checks.js';
import {
  checkDt,
  type ExtraInputs,
  resolveSpaicFireParams,
  SPAIC_SPIKING_OPTIONS,
  type SpaicFireParams,
  SpaicNode,
  type SpaicSpikingOptions,
  spaicDecay,
  spaicFire,
} from './spaic-node.js';
import type { MembraneState, StepResult } from './step.js';

/** Parameters of {@link spaicLIFStep}. */
export interface SpaicLIFParams extends SpaicFireParams {
  /** `exp(−dt/τm)` as SPAIC stores it (float32), in (0, 1). */
  readonly decay: number;
}

/**
 * One step of SPAIC's LIF neuron (`lif`, `LIFModel`) in SPAIC's order of float32 operations:
 * `H = decay·V + X`; `S = [H > vThreshold]`; `V' = H − H·S` (reset to 0). Pure: reads `s`, never
 * disposes it.
 *
 * @example
 * ```ts
 * const p = { decay: spaicDecay(0.1, 8), vThreshold: 1, surrogate: sigmoid(4) };
 * const { spike, state } = spaicLIFStep(x, { v: tf.scalar(0) }, p);
 * ```
 */
export function spaicLIFStep(x: Tensor, s: MembraneState, p: SpaicLIFParams): StepResult<MembraneState> {
  return tf.tidy(() => {
    const h = tf.add(tf.mul(p.decay, s.v), x);
    const spike = spaicFire(h, p);
    return { spike, state: { v: tf.sub(h, tf.mul(h, spike)) } };
  });
}

/** Options of {@link SpaicLIFNode}. */
export interface SpaicLIFNodeOptions extends SpaicSpikingOptions {
  /** Membrane time constant in ms (SPAIC's `tau_m`), > 0. Default 8 (SPAIC's). */
  readonly tauM?: number;
  /** Time step in ms. Default 0.1 (SPAIC's). */
  readonly dt?: number;
}

/** Every option of {@link SpaicLIFNodeOptions} (see {@link OptionTable}). */
export const SPAIC_LIF_NODE_OPTIONS: OptionTable<SpaicLIFNodeOptions> = {
  ...SPAIC_SPIKING_OPTIONS,
  tauM: 'value',
  dt: 'value',
};

/**
 * SPAIC's leaky integrate-and-fire neuron (`lif`, `LIFModel`) as SPAIC's code computes it (not
 * {@link LIFNode}'s SpikingJelly model). Per step:
 *
 * - `H = e^{−dt/τm}·V + X` (the input is added undecayed)
 * - `S = [H > vThreshold]` (strict, as SPAIC)
 * - `V = H − H·S` (reset to 0: SPAIC stores `v_reset` but its `reset` op always goes to 0)
 *
 * The decay is rounded to float32 as SPAIC stores it ({@link spaicDecay}). Parameters (defaults):
 * `tauM` 8 ms, `dt` 0.1 ms, `vThreshold` 1. State: `v` (starts at 0).
 *
 * @throws UnknownOptionError for an option name that {@link SpaicLIFNodeOptions} lacks; ValueError
 * when `tauM` or `dt` is not a finite number > 0, `vThreshold` is not finite, or a boolean option
 * is not a boolean.
 * @example
 * ```ts
 * const node = new SpaicLIFNode({ tauM: 8, stepMode: 'm' });
 * const spikes = node.forward(xSeq); // [T, B, N]
 * ```
 */
export class SpaicLIFNode extends SpaicNode<MembraneState> implements SpaicLIFParams {
  readonly tauM: number;
  readonly dt: number;
  readonly decay: number;
  readonly vThreshold: number;
  readonly surrogate: SpaicFireParams['surrogate'];
  protected readonly stateKeys = ['v'] as const;

  constructor(options: SpaicLIFNodeOptions = {}) {
    const fn = 'SpaicLIFNode';
    const o = checkOptionTable(fn, options, SPAIC_LIF_NODE_OPTIONS);
    const fire = resolveSpaicFireParams(fn, o);
    const dt = checkDt(fn, o.dt);
    const tauM = checkPositive(fn, 'tauM', o.tauM ?? 8);
    const decay = spaicDecay(dt, tauM);
    // exp underflows to 0 in float32 for dt/τm beyond ~103: no memory at all, surely a unit slip.
    if (!(decay > 0))
      throw new ValueError(fn, 'tauM', `a time constant with exp(−dt/τm) > 0 in float32 (dt ${dt} ms)`, tauM);
    super(fn, o, SPAIC_LIF_NODE_OPTIONS);
    this.tauM = tauM;
    this.dt = dt;
    this.decay = decay;
    this.vThreshold = fire.vThreshold;
    this.surrogate = fire.surrogate;
    this.registerMemory('v', 0);
  }

  protected stepState(x: Tensor, s: MembraneState, _e: ExtraInputs): { out: Tensor; state: MembraneState } {
    const r = spaicLIFStep(x, s, this);
    return { out: r.spike, state: r.state };
  }
}

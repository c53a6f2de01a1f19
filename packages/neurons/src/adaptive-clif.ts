import { checkFinite, checkPositive } from '@snn/core';
import type { Tensor } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';
import { booleanOr, checkOptionTable, type OptionTable } from './checks.js';
import { type CLIF3KParams, type CLIF3KState, kernelV0 } from './clif3k.js';
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
import type { StepResult } from './step.js';

/** Parameters of {@link adaptiveCLIFStep}. */
export interface AdaptiveCLIFParams extends CLIF3KParams {
  /** Decay of the adaptation trace per step, `exp(−dt/τa)`. */
  readonly decayA: number;
  /** Weight of the adaptation trace in the threshold (SPAIC's `beta_adaptive`). */
  readonly betaAdaptive: number;
}

/** State of an adaptive kernel CLIF neuron. */
export type AdaptiveCLIFState = CLIF3KState & {
  /** The spikes of the last step. */
  readonly o: Tensor;
  /** Adaptation trace (SPAIC's `Vth1`): a decaying count of past spikes. */
  readonly vth1: Tensor;
};

/**
 * One step of SPAIC's adaptive CLIF (`aclif`), in its order of float32 operations, with the
 * previous spikes `O = s.o`:
 *
 * - `Vth1' = decayA·Vth1 + O`
 * - `I = V0·X`; `M' = decayP·M + I`; `S' = decayQ·S + I`
 * - `V' = (M' − S') − (betaAdaptive·Vth1' + E)` (the E of the previous step)
 * - `O' = [V' > vThreshold]`; `E' = decayM·E + vThreshold·O'`
 *
 * Pure: reads `s`, never disposes it.
 */
export function adaptiveCLIFStep(
  x: Tensor,
  s: AdaptiveCLIFState,
  p: AdaptiveCLIFParams,
): StepResult<AdaptiveCLIFState> {
  return tf.tidy(() => {
    const vth1 = tf.add(tf.mul(p.decayA, s.vth1), s.o);
    const i = tf.mul(p.v0, x);
    const m = tf.add(tf.mul(p.decayP, s.m), i);
    const sk = tf.add(tf.mul(p.decayQ, s.s), i);
    const v = tf.sub(tf.sub(m, sk), tf.add(tf.mul(p.betaAdaptive, vth1), s.e));
    const spike = spaicFire(v, p);
    const e = tf.add(tf.mul(p.decayM, s.e), tf.mul(p.vThreshold, spike));
    return { spike, state: { m, s: sk, e, i, v, o: spike, vth1 } };
  });
}

/** Options of {@link AdaptiveCLIFNode}. */
export interface AdaptiveCLIFNodeOptions extends SpaicSpikingOptions {
  /** Time constant of the reset kernel E in ms (SPAIC's `tau_m`). Default 20. */
  readonly tauM?: number;
  /** Time constant of the rising kernel M in ms (SPAIC's `tau_p`). Default 12. */
  readonly tauP?: number;
  /** Time constant of the falling kernel S in ms (SPAIC's `tau_q`), ≠ tauP. Default 8. */
  readonly tauQ?: number;
  /** Time constant of the adaptation trace in ms (SPAIC's `tau_a`). Default 2000. */
  readonly tauA?: number;
  /** Weight of the adaptation trace (SPAIC's `beta_adaptive`). Default 0.1. */
  readonly betaAdaptive?: number;
  /** Time step in ms. Default 0.1 (SPAIC's). */
  readonly dt?: number;
  /** Keep the adaptation trace across `reset()` (SPAIC's `[stay]`). Default true. */
  readonly keepAdaptation?: boolean;
}

/** Every option of {@link AdaptiveCLIFNodeOptions} (see {@link OptionTable}). */
export const ADAPTIVE_CLIF_NODE_OPTIONS: OptionTable<AdaptiveCLIFNodeOptions> = {
  ...SPAIC_SPIKING_OPTIONS,
  tauM: 'value',
  tauP: 'value',
  tauQ: 'value',
  tauA: 'value',
  betaAdaptive: 'value',
  dt: 'value',
  keepAdaptation: 'boolean',
};

/**
 * SPAIC's adaptive current LIF (`aclif`, `AdaptiveCLIFModel`): {@link CLIF3KNode} with an
 * adaptive threshold. A slow trace `Vth1` counts recent spikes and raises the effective threshold
 * to `vThreshold + betaAdaptive·Vth1` (it is subtracted from V). Per step, with O the spikes of
 * the previous step:
 *
 * - `Vth1 ← τA·Vth1 + O`
 * - `I = V0·X`; `M ← τP·M + I`; `S ← τQ·S + I`
 * - `V = M − S − (betaAdaptive·Vth1 + E)` (E of the previous step); `O = [V > vThreshold]`
 * - `E ← τM·E + vThreshold·O`
 *
 * with `τX = exp(−dt/tau_x)` (float32) and `V0` as in CLIF3KNode (`β = tau_p/tau_q`). `Vth1` is
 * SPAIC's `[stay]` variable: it survives `reset()` (it is persistent state, saved with the node),
 * unless `keepAdaptation` is false; `resetState('vth1')` clears it.
 *
 * Parameters (defaults): `tauM` 20, `tauP` 12, `tauQ` 8, `tauA` 2000 ms, `betaAdaptive` 0.1,
 * `dt` 0.1 ms, `vThreshold` 1, `keepAdaptation` true. State: `m`, `s`, `e`, `i`, `v`, `o`,
 * `vth1`, all starting at 0.
 *
 * @throws UnknownOptionError for an option name that {@link AdaptiveCLIFNodeOptions} lacks;
 * ValueError when a time constant or `dt` is not a finite number > 0, `tauQ` equals `tauP`,
 * `betaAdaptive` or the threshold is not finite, or a boolean option is not a boolean.
 * @example
 * ```ts
 * const node = new AdaptiveCLIFNode({ betaAdaptive: 0.2, stepMode: 'm' });
 * const spikes = node.forward(xSeq); // the rate falls as vth1 builds up
 * ```
 */
export class AdaptiveCLIFNode extends SpaicNode<AdaptiveCLIFState> implements AdaptiveCLIFParams {
  readonly tauM: number;
  readonly tauP: number;
  readonly tauQ: number;
  readonly tauA: number;
  readonly dt: number;
  readonly decayM: number;
  readonly decayP: number;
  readonly decayQ: number;
  readonly decayA: number;
  readonly v0: number;
  readonly betaAdaptive: number;
  readonly keepAdaptation: boolean;
  readonly vThreshold: number;
  readonly surrogate: SpaicFireParams['surrogate'];
  protected readonly stateKeys = ['m', 's', 'e', 'i', 'v', 'o', 'vth1'] as const;

  constructor(options: AdaptiveCLIFNodeOptions = {}) {
    const fn = 'AdaptiveCLIFNode';
    const o = checkOptionTable(fn, options, ADAPTIVE_CLIF_NODE_OPTIONS);
    const fire = resolveSpaicFireParams(fn, o);
    const dt = checkDt(fn, o.dt);
    const tauM = checkPositive(fn, 'tauM', o.tauM ?? 20);
    const tauP = checkPositive(fn, 'tauP', o.tauP ?? 12);
    const tauQ = checkPositive(fn, 'tauQ', o.tauQ ?? 8);
    const tauA = checkPositive(fn, 'tauA', o.tauA ?? 2000);
    const v0 = kernelV0(fn, ['tauP', tauP], ['tauQ', tauQ]);
    const betaAdaptive = checkFinite(fn, 'betaAdaptive', o.betaAdaptive ?? 0.1);
    const keepAdaptation = booleanOr(fn, 'keepAdaptation', o.keepAdaptation, true);
    super(fn, o, ADAPTIVE_CLIF_NODE_OPTIONS);
    this.tauM = tauM;
    this.tauP = tauP;
    this.tauQ = tauQ;
    this.tauA = tauA;
    this.dt = dt;
    this.decayM = spaicDecay(dt, tauM);
    this.decayP = spaicDecay(dt, tauP);
    this.decayQ = spaicDecay(dt, tauQ);
    this.decayA = spaicDecay(dt, tauA);
    this.v0 = v0;
    this.betaAdaptive = betaAdaptive;
    this.keepAdaptation = keepAdaptation;
    this.vThreshold = fire.vThreshold;
    this.surrogate = fire.surrogate;
    for (const k of ['m', 's', 'e', 'i', 'v', 'o']) this.registerMemory(k, 0);
    this.registerMemory('vth1', 0, { persistent: keepAdaptation });
  }

  /** The adaptation trace Vth1 now (owned by the node); the threshold is `vThreshold + betaAdaptive·vth1`. */
  get vth1(): Tensor {
    return this.getMemory('vth1');
  }

  protected stepState(x: Tensor, s: AdaptiveCLIFState, _e: ExtraInputs): { out: Tensor; state: AdaptiveCLIFState } {
    const r = adaptiveCLIFStep(x, s, this);
    return { out: r.spike, state: r.state };
  }
}

import { ValueError } from '@snn/core';
import type { Tensor, Variable } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';
import { booleanOr, checkOptionTable, type OptionTable } from './checks.js';
import {
  type ExtraInputs,
  resolveSpaicFireParams,
  SPAIC_SPIKING_OPTIONS,
  type SpaicFireParams,
  SpaicNode,
  type SpaicSpikingOptions,
  spaicFire,
} from './spaic-node.js';
import type { StepResult } from './step.js';

/** Parameters of {@link plif2kStep} besides its decays. */
export type PLIF2KParams = SpaicFireParams;

/** The two decay factors of a PLIF 2-kernel neuron: numbers or (learnable) scalar tensors. */
export interface PLIF2KDecays {
  /** Decay of the membrane kernel M and of the reset kernel E per step (SPAIC's `tau_m`). */
  readonly decayM: number | Tensor;
  /** Decay of the synaptic kernel S per step (SPAIC's `tau_s`). */
  readonly decayS: number | Tensor;
}

/** State of a PLIF 2-kernel neuron. */
export type PLIF2KState = {
  /** Membrane kernel M. */
  readonly m: Tensor;
  /** Synaptic kernel S. */
  readonly s: Tensor;
  /** Reset kernel E. */
  readonly e: Tensor;
  /** Membrane potential V = M − S − E. */
  readonly v: Tensor;
  /** The spikes of the last step (they enter E one step later). */
  readonly o: Tensor;
};

/**
 * One step of SPAIC's PLIF 2-kernel neuron (`pclif`), in its order of float32 operations, with
 * the previous spikes `O = s.o`:
 *
 * - `M' = decayM·(M + X)`; `S' = decayS·(S + X)`
 * - `E' = decayM·E + vThreshold·O`
 * - `V' = (M' − S') − E'`; `O' = [V' > vThreshold]`
 *
 * Pure: reads `s` and the decays, never disposes them; gradients reach tensor decays.
 */
export function plif2kStep(x: Tensor, s: PLIF2KState, d: PLIF2KDecays, p: PLIF2KParams): StepResult<PLIF2KState> {
  return tf.tidy(() => {
    const m = tf.mul(d.decayM, tf.add(s.m, x));
    const sk = tf.mul(d.decayS, tf.add(s.s, x));
    const e = tf.add(tf.mul(d.decayM, s.e), tf.mul(p.vThreshold, s.o));
    const v = tf.sub(tf.sub(m, sk), e);
    const spike = spaicFire(v, p);
    return { spike, state: { m, s: sk, e, v, o: spike } };
  });
}

/** Options of {@link PLIF2KNode}. */
export interface PLIF2KNodeOptions extends SpaicSpikingOptions {
  /** Initial decay per step of M and E (SPAIC's `tau_m`, a factor, not a time), in (0, 1]. Default 0.9. */
  readonly decayM?: number;
  /** Initial decay per step of S (SPAIC's `tau_s`, a factor), in (0, 1]. Default 0.6. */
  readonly decayS?: number;
  /** Learn the two decays (registered parameters `decayM`, `decayS`). Default true. */
  readonly trainableDecay?: boolean;
}

/** Every option of {@link PLIF2KNodeOptions} (see {@link OptionTable}). */
export const PLIF2K_NODE_OPTIONS: OptionTable<PLIF2KNodeOptions> = {
  ...SPAIC_SPIKING_OPTIONS,
  decayM: 'value',
  decayS: 'value',
  trainableDecay: 'boolean',
};

function checkDecay(fn: string, arg: string, value: number): number {
  if (!(typeof value === 'number' && Number.isFinite(value) && value > 0 && value <= 1))
    throw new ValueError(fn, arg, 'a number in (0, 1]', value);
  return value;
}

/**
 * SPAIC's parametric LIF with two kernels (`pclif`, `PLIF2kModel`): two leaky traces of the
 * input whose decays are learned, and a reset kernel. Per step, with O the spikes of the
 * previous step:
 *
 * - `M ← τM·(M + X)`, `S ← τS·(S + X)`
 * - `E ← τM·E + vThreshold·O`
 * - `V = M − S − E`, `O = [V > vThreshold]`
 *
 * Time is in steps: `τM`, `τS` are per-step decay factors (SPAIC names them `tau_m`, `tau_s` and
 * stores them as given, without `dt`), and there is no input gain V0. SPAIC registers them as
 * parameters, so they are learnable scalars here (`node.decayM`, `node.decayS`, tf.Variables
 * shared by all neurons); BPTT reaches them through M, S and E. Because E takes the spike one
 * step late, the reset acts from the step after a spike (as in the other kernel CLIFs).
 *
 * Parameters (defaults): `decayM` 0.9, `decayS` 0.6, `vThreshold` 1, `trainableDecay` true.
 * State: `m`, `s`, `e`, `v`, `o`, all starting at 0.
 *
 * @throws UnknownOptionError for an option name that {@link PLIF2KNodeOptions} lacks; ValueError
 * when a decay is not in (0, 1], the threshold is not finite, or a boolean option is not a boolean.
 * @example
 * ```ts
 * const node = new PLIF2KNode({ stepMode: 'm' });
 * const { grads } = tf.variableGrads(() => tf.sum(node.forward(xSeq)), [node.decayM, node.decayS]);
 * ```
 */
export class PLIF2KNode extends SpaicNode<PLIF2KState> implements PLIF2KParams {
  /** Decay of M and E per step (owned by the node). */
  readonly decayM: Variable;
  /** Decay of S per step (owned by the node). */
  readonly decayS: Variable;
  readonly vThreshold: number;
  readonly surrogate: SpaicFireParams['surrogate'];
  protected readonly stateKeys = ['m', 's', 'e', 'v', 'o'] as const;

  constructor(options: PLIF2KNodeOptions = {}) {
    const fn = 'PLIF2KNode';
    const o = checkOptionTable(fn, options, PLIF2K_NODE_OPTIONS);
    const fire = resolveSpaicFireParams(fn, o);
    const decayM = checkDecay(fn, 'decayM', o.decayM ?? 0.9);
    const decayS = checkDecay(fn, 'decayS', o.decayS ?? 0.6);
    const trainable = booleanOr(fn, 'trainableDecay', o.trainableDecay, true);
    super(fn, o, PLIF2K_NODE_OPTIONS);
    this.vThreshold = fire.vThreshold;
    this.surrogate = fire.surrogate;
    this.decayM = this.registerParameter('decayM', tf.scalar(decayM), { trainable });
    this.decayS = this.registerParameter('decayS', tf.scalar(decayS), { trainable });
    for (const k of this.stateKeys) this.registerMemory(k, 0);
  }

  protected stepState(x: Tensor, s: PLIF2KState, _e: ExtraInputs): { out: Tensor; state: PLIF2KState } {
    const r = plif2kStep(x, s, this, this);
    return { out: r.spike, state: r.state };
  }
}

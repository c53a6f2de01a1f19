import { checkPositive, ValueError } from '@snn/core';
import type { Tensor } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';
import { type AnyOptionTable, checkOptionTable, type OptionTable } from './checks.js';
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
  spaicKernelV0,
} from './spaic-node.js';
import type { StepResult } from './step.js';

/** Parameters of {@link clif3kStep}: SPAIC's decay factors per step and kernel normalisation. */
export interface CLIF3KParams extends SpaicFireParams {
  /** Decay of the reset kernel E per step, `exp(−dt/τm)`. */
  readonly decayM: number;
  /** Decay of the rising kernel M per step, `exp(−dt/τp)`. */
  readonly decayP: number;
  /** Decay of the falling kernel S per step, `exp(−dt/τq)`. */
  readonly decayQ: number;
  /** Input gain that normalises the PSP peak to 1 (see `spaicKernelV0`). */
  readonly v0: number;
}

/** State of a kernel CLIF neuron (SPAIC's state variables). */
export type CLIF3KState = {
  /** Rising kernel M. */
  readonly m: Tensor;
  /** Falling kernel S. */
  readonly s: Tensor;
  /** Reset kernel E (the sum of decaying thresholds of past spikes). */
  readonly e: Tensor;
  /** Input current of the last step, `I = V0·X`. */
  readonly i: Tensor;
  /** Membrane potential V = M − S − E. */
  readonly v: Tensor;
};

/**
 * One step of SPAIC's current LIF with kernels (`clif`; `clif2k` is the case τp = τm), in its
 * order of float32 operations:
 *
 * - `I = V0·X`; `M' = decayP·M + I`; `S' = decayQ·S + I`
 * - `V' = (M' − S') − E` (the E of the previous step)
 * - `O = [V' > vThreshold]`
 * - `E' = decayM·E + vThreshold·O`
 *
 * Pure: reads `s`, never disposes it.
 */
export function clif3kStep(x: Tensor, s: CLIF3KState, p: CLIF3KParams): StepResult<CLIF3KState> {
  return tf.tidy(() => {
    const i = tf.mul(p.v0, x);
    const m = tf.add(tf.mul(p.decayP, s.m), i);
    const sk = tf.add(tf.mul(p.decayQ, s.s), i);
    const v = tf.sub(tf.sub(m, sk), s.e);
    const spike = spaicFire(v, p);
    const e = tf.add(tf.mul(p.decayM, s.e), tf.mul(p.vThreshold, spike));
    return { spike, state: { m, s: sk, e, i, v } };
  });
}

/** Initial state of the kernel CLIF models: every variable 0 (scalars; they broadcast). */
export function clif3kInitialState(): CLIF3KState {
  return { m: tf.scalar(0), s: tf.scalar(0), e: tf.scalar(0), i: tf.scalar(0), v: tf.scalar(0) };
}

/** Checks two kernel time constants and returns SPAIC's V0 for them. */
export function kernelV0(fn: string, rise: [string, number], fall: [string, number]): number {
  if (rise[1] === fall[1])
    throw new ValueError(fn, fall[0], `different from '${rise[0]}' (equal kernels cancel: M − S = 0)`, fall[1]);
  return spaicKernelV0(rise[1], fall[1]);
}

/** Options of {@link CLIF3KNode}. */
export interface CLIF3KNodeOptions extends SpaicSpikingOptions {
  /** Time constant of the reset kernel E in ms (SPAIC's `tau_m`). Default 20. */
  readonly tauM?: number;
  /** Time constant of the rising kernel M in ms (SPAIC's `tau_p`). Default 12. */
  readonly tauP?: number;
  /** Time constant of the falling kernel S in ms (SPAIC's `tau_q`), ≠ tauP. Default 8. */
  readonly tauQ?: number;
  /** Time step in ms. Default 0.1 (SPAIC's). */
  readonly dt?: number;
}

/** Every option of {@link CLIF3KNodeOptions} (see {@link OptionTable}). */
export const CLIF3K_NODE_OPTIONS: OptionTable<CLIF3KNodeOptions> = {
  ...SPAIC_SPIKING_OPTIONS,
  tauM: 'value',
  tauP: 'value',
  tauQ: 'value',
  dt: 'value',
};

/** The kernel CLIF nodes: state, step, getters. */
export abstract class KernelCLIFNode extends SpaicNode<CLIF3KState> implements CLIF3KParams {
  readonly dt: number;
  readonly decayM: number;
  readonly decayP: number;
  readonly decayQ: number;
  readonly v0: number;
  readonly vThreshold: number;
  readonly surrogate: SpaicFireParams['surrogate'];
  protected readonly stateKeys = ['m', 's', 'e', 'i', 'v'] as const;

  protected constructor(
    fn: string,
    o: SpaicSpikingOptions,
    table: AnyOptionTable,
    k: { dt: number; tauM: number; tauP: number; tauQ: number; v0: number },
  ) {
    const fire = resolveSpaicFireParams(fn, o);
    super(fn, o, table);
    this.dt = k.dt;
    this.decayM = spaicDecay(k.dt, k.tauM);
    this.decayP = spaicDecay(k.dt, k.tauP);
    this.decayQ = spaicDecay(k.dt, k.tauQ);
    this.v0 = k.v0;
    this.vThreshold = fire.vThreshold;
    this.surrogate = fire.surrogate;
    for (const key of this.stateKeys) this.registerMemory(key, 0);
  }

  /** The rising kernel M now (owned by the node). */
  get m(): Tensor {
    return this.getMemory('m');
  }

  /** The falling kernel S now (owned by the node). */
  get s(): Tensor {
    return this.getMemory('s');
  }

  /** The reset kernel E now (owned by the node). */
  get e(): Tensor {
    return this.getMemory('e');
  }

  protected stepState(x: Tensor, s: CLIF3KState, _e: ExtraInputs): { out: Tensor; state: CLIF3KState } {
    const r = clif3kStep(x, s, this);
    return { out: r.spike, state: r.state };
  }
}

/**
 * SPAIC's current LIF with three kernels (`clif`, `CLIFModel`): the membrane potential is a
 * difference of exponentials of the input minus a decaying trace of past spikes (a spike
 * response model). Per step, in ms with time step `dt`:
 *
 * - `I = V0·X`
 * - `M ← τP·M + I`, `S ← τQ·S + I` (rising and falling PSP kernels)
 * - `V = M − S − E` (E of the previous step)
 * - `O = [V > vThreshold]`
 * - `E ← τM·E + vThreshold·O` (the reset: each spike subtracts a threshold that decays with τm)
 *
 * with decay factors `τX = exp(−dt/tau_x)` (float32, as SPAIC) and `V0 = β^{β/(β−1)}/(β − 1)`,
 * `β = tau_p/tau_q`, which makes one unit of input peak at 1. (This is not `CLIFNode`, snnTorch's
 * current-based LIF.) SPAIC trains V0 as a parameter; here it is a constant.
 *
 * Parameters (defaults): `tauM` 20, `tauP` 12, `tauQ` 8 ms, `dt` 0.1 ms, `vThreshold` 1.
 * State: `m`, `s`, `e`, `i`, `v`, all starting at 0.
 *
 * @throws UnknownOptionError for an option name that {@link CLIF3KNodeOptions} lacks; ValueError
 * when a time constant or `dt` is not a finite number > 0, `tauQ` equals `tauP`, the threshold is
 * not finite, or a boolean option is not a boolean.
 * @example
 * ```ts
 * const node = new CLIF3KNode({ stepMode: 'm' });
 * const spikes = node.forward(xSeq); // [T, B, N]
 * ```
 */
export class CLIF3KNode extends KernelCLIFNode {
  readonly tauM: number;
  readonly tauP: number;
  readonly tauQ: number;

  constructor(options: CLIF3KNodeOptions = {}) {
    const fn = 'CLIF3KNode';
    const o = checkOptionTable(fn, options, CLIF3K_NODE_OPTIONS);
    const dt = checkDt(fn, o.dt);
    const tauM = checkPositive(fn, 'tauM', o.tauM ?? 20);
    const tauP = checkPositive(fn, 'tauP', o.tauP ?? 12);
    const tauQ = checkPositive(fn, 'tauQ', o.tauQ ?? 8);
    const v0 = kernelV0(fn, ['tauP', tauP], ['tauQ', tauQ]);
    super(fn, o, CLIF3K_NODE_OPTIONS, { dt, tauM, tauP, tauQ, v0 });
    this.tauM = tauM;
    this.tauP = tauP;
    this.tauQ = tauQ;
  }
}

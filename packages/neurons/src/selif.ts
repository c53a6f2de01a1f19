import { checkPositive } from '@snn/core';
import type { Tensor } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';
import { checkOptionTable, type OptionTable } from './checks.js';
import { kernelV0 } from './clif3k.js';
import type { ExtraInputs } from './spaic-node.js';
import {
  resolveSpikePropCommon,
  SPIKE_PROP_NODE_OPTIONS,
  type SpikePropCommon,
  SpikePropNode,
  type SpikePropNodeOptions,
  spikePropFire,
  spikePropInput,
  splitPair,
} from './spike-prop.js';
import type { StepResult } from './step.js';

/** Parameters of {@link selifStep}. */
export interface SELIFParams extends SpikePropCommon {
  /** Membrane time constant τm in ms. */
  readonly tauM: number;
  /** Time constant τp of the rising input kernel M in ms. */
  readonly tauP: number;
  /** Time constant τq of the falling input kernel S in ms. */
  readonly tauQ: number;
  /** Time constant τr of the recovery variable R in ms. */
  readonly tauR: number;
  /** `exp(−dt/τp)`. */
  readonly decayP: number;
  /** `exp(−dt/τq)`. */
  readonly decayQ: number;
  /** `exp(−dt/τr)`. */
  readonly decayR: number;
  /** Input gain, SPAIC's V0 for `β = τp/τq`. */
  readonly v0: number;
}

/** State of a SELIF neuron. */
export type SELIFState = {
  /** Rising input kernel M. */
  readonly m: Tensor;
  /** Falling input kernel S. */
  readonly s: Tensor;
  /** Membrane potential V. */
  readonly v: Tensor;
  /** Slope of V per ms, dV. */
  readonly dv: Tensor;
  /** Recovery variable R (a slow trace of V and of the spikes). */
  readonly r: Tensor;
  /** Spikes of the last step. */
  readonly spike: Tensor;
  /** Sub-step times of the last step's spikes. */
  readonly subdt: Tensor;
};

/**
 * One SELIF step (SPAIC's `selif`) in its order of float32 operations, with the last step's
 * spikes `Oi` and times `Ot`:
 *
 * - `I = V0·X`; `M' = decayP·M + I`; `S' = decayQ·S + I` (paired input: `I_spikes − I_times/τ`)
 * - `R' = decayR·R + (1 − decayR)·V + 10·(Oi − Ot/τr)`
 * - `dV' = (2·clamp(V, −10, vThreshold)² − V + (M' − S') + 0.5 − 0.5·R')/τm`
 * - `V' = V + dV'·dt − vReset·(Oi − Ot/τm)`
 * - output `spikePropFire(V', dV')`, `[B, 2, ...]` (in `spike`)
 *
 * Pure: reads `s`, never disposes it.
 */
export function selifStep(x: Tensor, s: SELIFState, p: SELIFParams): StepResult<SELIFState> {
  return tf.tidy(() => {
    const { i, times } = spikePropInput(x, p.v0, p.pairedInput);
    const m = tf.add(tf.mul(p.decayP, s.m), times === null ? i : tf.sub(i, tf.div(times, p.tauP)));
    const sk = tf.add(tf.mul(p.decayQ, s.s), times === null ? i : tf.sub(i, tf.div(times, p.tauQ)));
    const quadratic = tf.mul(2, tf.square(tf.clipByValue(s.v, -10, p.vThreshold)));
    const r = tf.add(
      tf.add(tf.mul(p.decayR, s.r), tf.mul(1 - p.decayR, s.v)),
      tf.mul(10, tf.sub(s.spike, tf.div(s.subdt, p.tauR))),
    );
    const drive = tf.sub(tf.add(tf.add(tf.sub(quadratic, s.v), tf.sub(m, sk)), 0.5), tf.mul(0.5, r));
    const dv = tf.div(drive, p.tauM);
    const v = tf.sub(tf.add(s.v, tf.mul(dv, p.dt)), tf.mul(p.vReset, tf.sub(s.spike, tf.div(s.subdt, p.tauM))));
    const out = spikePropFire(v, dv, p);
    const [spike, subdt] = splitPair(out);
    return { spike: out, state: { m, s: sk, v, dv, r, spike, subdt } };
  });
}

/** Options of {@link SELIFNode}. */
export interface SELIFNodeOptions extends SpikePropNodeOptions {
  /** Membrane time constant in ms (SPAIC's `tau_m`). Default 12. */
  readonly tauM?: number;
  /** Time constant of the rising input kernel in ms (SPAIC's `tau_p`). Default 6. */
  readonly tauP?: number;
  /** Time constant of the falling input kernel in ms (SPAIC's `tau_q`), ≠ tauP. Default 2. */
  readonly tauQ?: number;
  /** Time constant of the recovery variable in ms (SPAIC's `tau_r`). Default 16. */
  readonly tauR?: number;
}

/** Every option of {@link SELIFNodeOptions} (see {@link OptionTable}). */
export const SELIF_NODE_OPTIONS: OptionTable<SELIFNodeOptions> = {
  ...SPIKE_PROP_NODE_OPTIONS,
  tauM: 'value',
  tauP: 'value',
  tauQ: 'value',
  tauR: 'value',
};

/**
 * SPAIC's SpikeProp exponential LIF (`selif`, `SELIFModel`): a quadratic integrate-and-fire
 * membrane with a recovery variable, driven through two input kernels, whose spikes carry their
 * time within the step (for SPAIC's TRUE SpikeProp learning). Per step (ms, time step `dt`),
 * with the previous output `Oi` (spikes) and `Ot` (sub-step times):
 *
 * - `I = V0·X`; `M ← βp·M + I`; `S ← βq·S + I`
 * - `R ← βr·R + (1 − βr)·V + 10·(Oi − Ot/τr)` (R rises by 10 per spike and follows V slowly)
 * - `dV = (2·clamp(V, −10, vThreshold)² − V + (M − S) + 0.5 − 0.5·R)/τm`
 * - `V ← V + dV·dt − vReset·(Oi − Ot/τm)`
 * - output `O = spikePropFire(V, dV)`: `[B, 2, ...]`, spikes `[V + max(dV, 1e-6)·dt > vThreshold]`
 *   and their sub-step times (see {@link spikePropFire})
 *
 * with `β = exp(−dt/τ)` and `V0 = β'^{β'/(β'−1)}/(β' − 1)`, `β' = τp/τq` (float64 constants, as
 * SPAIC). The constant 0.5 drives V up without input, so the neuron fires on its own at a low
 * rate until R catches up. This is the model of SPAIC's code (its docstring is a stale copy of
 * the three-kernel CLIF's). SPAIC ignores its `v_reset` argument and uses `v_th`: that is the
 * default here, and `vReset` sets it. SPAIC's unused `outlayer` is not an option.
 *
 * `forward` returns O, `[B, 2, ...]` (`[T, B, 2, ...]` in multi-step mode); see SLIFNode for
 * `pairedInput`. Parameters (defaults): `tauM` 12, `tauP` 6, `tauQ` 2, `tauR` 16 ms, `dt` 0.1 ms,
 * `vThreshold` 1, `vReset` = vThreshold, `gradAlpha` 1, `gradBeta` 0.3, `pairedInput` false.
 * State: `m`, `s`, `v`, `dv`, `r`, `spike`, `subdt`, all starting at 0.
 *
 * @throws UnknownOptionError for an option name that {@link SELIFNodeOptions} lacks; ValueError
 * when a time constant, `dt` or `gradAlpha` is not a finite number > 0, `tauQ` equals `tauP`, a
 * potential is not finite, or a boolean option is not a boolean.
 * @example
 * ```ts
 * const selif = new SELIFNode({ stepMode: 'm' });
 * const o = selif.forward(xSeq); // [T, B, 2, N]
 * ```
 */
export class SELIFNode extends SpikePropNode<SELIFState> implements SELIFParams {
  readonly tauM: number;
  readonly tauP: number;
  readonly tauQ: number;
  readonly tauR: number;
  readonly decayP: number;
  readonly decayQ: number;
  readonly decayR: number;
  readonly v0: number;
  protected readonly stateKeys = ['m', 's', 'v', 'dv', 'r', 'spike', 'subdt'] as const;

  constructor(options: SELIFNodeOptions = {}) {
    const fn = 'SELIFNode';
    const o = checkOptionTable(fn, options, SELIF_NODE_OPTIONS);
    const common = resolveSpikePropCommon(fn, o, 1);
    const tauM = checkPositive(fn, 'tauM', o.tauM ?? 12);
    const tauP = checkPositive(fn, 'tauP', o.tauP ?? 6);
    const tauQ = checkPositive(fn, 'tauQ', o.tauQ ?? 2);
    const tauR = checkPositive(fn, 'tauR', o.tauR ?? 16);
    const v0 = kernelV0(fn, ['tauP', tauP], ['tauQ', tauQ]);
    super(fn, o, SELIF_NODE_OPTIONS, common);
    this.tauM = tauM;
    this.tauP = tauP;
    this.tauQ = tauQ;
    this.tauR = tauR;
    this.decayP = Math.exp(-common.dt / tauP);
    this.decayQ = Math.exp(-common.dt / tauQ);
    this.decayR = Math.exp(-common.dt / tauR);
    this.v0 = v0;
    for (const k of this.stateKeys) this.registerMemory(k, 0);
  }

  /** The recovery variable R now (owned by the node). */
  get r(): Tensor {
    return this.getMemory('r');
  }

  /** The slope of V per ms now (owned by the node). */
  get dv(): Tensor {
    return this.getMemory('dv');
  }

  protected stepState(x: Tensor, s: SELIFState, _e: ExtraInputs): { out: Tensor; state: SELIFState } {
    const r = selifStep(x, s, this);
    return { out: r.spike, state: r.state };
  }
}

import { checkPositive, detach } from '@snn/core';
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

/** Parameters of {@link slifStep}. */
export interface SLIFParams extends SpikePropCommon {
  /** Membrane time constant τm in ms (the M kernel and the reset). */
  readonly tauM: number;
  /** Synaptic time constant τs in ms (the S kernel; SPAIC's `tau_q`). */
  readonly tauS: number;
  /** `exp(−dt/τm)`. */
  readonly decayM: number;
  /** `exp(−dt/τs)`. */
  readonly decayS: number;
  /** Input gain, SPAIC's V0 for `β = τm/τs`. */
  readonly v0: number;
}

/** State of a SLIF neuron. */
export type SLIFState = {
  /** Membrane kernel M. */
  readonly m: Tensor;
  /** Synaptic kernel S. */
  readonly s: Tensor;
  /** Membrane potential V = M − S. */
  readonly v: Tensor;
  /** Slope of V per ms, dV. */
  readonly dv: Tensor;
  /** Spikes of the last step. */
  readonly spike: Tensor;
  /** Sub-step times of the last step's spikes. */
  readonly subdt: Tensor;
};

/**
 * One SLIF step (SPAIC's `slif`) in its order of float32 operations, with the last step's
 * spikes `Oi` and times `Ot` (passed as `0.1·O + 0.9·detach(O)`: their values, a tenth of
 * their gradient):
 *
 * - `I = V0·X`; `M' = decayM·M + I − vReset·(Oi − Ot/τm)`; `S' = decayS·S + I`
 *   (paired input: `I_spikes − I_times/τ` in place of I)
 * - `V' = M' − S'`; `dV' = S'·ηs − M'·ηm` with `η = (1 − dt/(2τ))/τ`
 * - output `spikePropFire(V', dV')`, `[B, 2, ...]` (in `spike`)
 *
 * Pure: reads `s`, never disposes it.
 */
export function slifStep(x: Tensor, s: SLIFState, p: SLIFParams): StepResult<SLIFState> {
  return tf.tidy(() => {
    const { i, times } = spikePropInput(x, p.v0, p.pairedInput);
    const oi = tf.add(tf.mul(0.1, s.spike), tf.mul(0.9, detach(s.spike)));
    const ot = tf.add(tf.mul(0.1, s.subdt), tf.mul(0.9, detach(s.subdt)));
    let m = tf.add(tf.mul(p.decayM, s.m), i);
    if (times !== null) m = tf.sub(m, tf.div(times, p.tauM));
    m = tf.sub(m, tf.mul(p.vReset, tf.sub(oi, tf.div(ot, p.tauM))));
    let sk = tf.add(tf.mul(p.decayS, s.s), i);
    if (times !== null) sk = tf.sub(sk, tf.div(times, p.tauS));
    const v = tf.sub(m, sk);
    const etaM = (1 - p.dt / (2 * p.tauM)) / p.tauM;
    const etaS = (1 - p.dt / (2 * p.tauS)) / p.tauS;
    const dv = tf.sub(tf.mul(sk, etaS), tf.mul(m, etaM));
    const out = spikePropFire(v, dv, p);
    const [spike, subdt] = splitPair(out);
    return { spike: out, state: { m, s: sk, v, dv, spike, subdt } };
  });
}

/** Options of {@link SLIFNode}. */
export interface SLIFNodeOptions extends SpikePropNodeOptions {
  /** Membrane time constant in ms (SPAIC's `tau_m`). Default 20. */
  readonly tauM?: number;
  /** Synaptic time constant in ms (SPAIC's `tau_q`), ≠ tauM. Default 8. */
  readonly tauS?: number;
}

/** Every option of {@link SLIFNodeOptions} (see {@link OptionTable}). */
export const SLIF_NODE_OPTIONS: OptionTable<SLIFNodeOptions> = {
  ...SPIKE_PROP_NODE_OPTIONS,
  tauM: 'value',
  tauS: 'value',
};

/**
 * SPAIC's SpikeProp LIF (`slif`, `SLIFModel`): a two-kernel membrane whose spikes carry their
 * time within the step, for SPAIC's TRUE SpikeProp learning. Per step (ms, time step `dt`),
 * with the previous output `Oi` (spikes) and `Ot` (sub-step times):
 *
 * - `I = V0·X`
 * - `M ← βm·M + I − vReset·(Oi − Ot/τm)` (the reset, placed where in the step the spike fell)
 * - `S ← βs·S + I`
 * - `V = M − S`, `dV = S·ηs − M·ηm` (the slope of V per ms, `η = (1 − dt/(2τ))/τ`)
 * - output `O = spikePropFire(V, dV)`: `[B, 2, ...]`, spikes `[V + max(dV, 1e-6)·dt > vThreshold]`
 *   and their sub-step times (see {@link spikePropFire})
 *
 * with `β = exp(−dt/τ)` and `V0 = β'^{β'/(β'−1)}/(β' − 1)`, `β' = τm/τs` (float64 constants, as
 * SPAIC). This is the model of SPAIC's code: its docstring (`O = M − S` with a separate reset
 * kernel E) is a stale copy; the code's V = M − S is that O, and its E is the reset term in M.
 * As in SPAIC the spikes enter the next step with a tenth of their gradient (`0.1·O +
 * 0.9·detach(O)`). SPAIC ignores its `v_reset` argument and uses `5·v_th`: that is the
 * default here, and `vReset` sets it. SPAIC's unused `tau_p` and `outlayer` are not options.
 *
 * `forward` returns O, `[B, 2, ...]` (`[T, B, 2, ...]` in multi-step mode). Feed another SpikeProp
 * node with `pairedInput: true` through a linear layer on the last axis, as SPAIC connects them.
 * Parameters (defaults): `tauM` 20, `tauS` 8 ms, `dt` 0.1 ms, `vThreshold` 1, `vReset`
 * 5·vThreshold, `gradAlpha` 1, `gradBeta` 0.3, `pairedInput` false. State: `m`, `s`, `v`, `dv`,
 * `spike`, `subdt`, all starting at 0.
 *
 * @throws UnknownOptionError for an option name that {@link SLIFNodeOptions} lacks; ValueError
 * when a time constant, `dt` or `gradAlpha` is not a finite number > 0, `tauS` equals `tauM`, a
 * potential is not finite, or a boolean option is not a boolean.
 * @example
 * ```ts
 * const slif = new SLIFNode({ stepMode: 'm' });
 * const o = slif.forward(xSeq); // [T, B, 2, N]
 * const spikes = tf.gather(o, 0, 2); // [T, B, N]
 * ```
 */
export class SLIFNode extends SpikePropNode<SLIFState> implements SLIFParams {
  readonly tauM: number;
  readonly tauS: number;
  readonly decayM: number;
  readonly decayS: number;
  readonly v0: number;
  protected readonly stateKeys = ['m', 's', 'v', 'dv', 'spike', 'subdt'] as const;

  constructor(options: SLIFNodeOptions = {}) {
    const fn = 'SLIFNode';
    const o = checkOptionTable(fn, options, SLIF_NODE_OPTIONS);
    const common = resolveSpikePropCommon(fn, o, 5);
    const tauM = checkPositive(fn, 'tauM', o.tauM ?? 20);
    const tauS = checkPositive(fn, 'tauS', o.tauS ?? 8);
    const v0 = kernelV0(fn, ['tauM', tauM], ['tauS', tauS]);
    super(fn, o, SLIF_NODE_OPTIONS, common);
    this.tauM = tauM;
    this.tauS = tauS;
    this.decayM = Math.exp(-common.dt / tauM);
    this.decayS = Math.exp(-common.dt / tauS);
    this.v0 = v0;
    for (const k of this.stateKeys) this.registerMemory(k, 0);
  }

  /** The membrane kernel M now (owned by the node). */
  get m(): Tensor {
    return this.getMemory('m');
  }

  /** The synaptic kernel S now (owned by the node). */
  get s(): Tensor {
    return this.getMemory('s');
  }

  /** The slope of V per ms now (owned by the node). */
  get dv(): Tensor {
    return this.getMemory('dv');
  }

  protected stepState(x: Tensor, s: SLIFState, _e: ExtraInputs): { out: Tensor; state: SLIFState } {
    const r = slifStep(x, s, this);
    return { out: r.spike, state: r.state };
  }
}

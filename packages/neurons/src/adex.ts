import { checkFinite, checkPositive, ValueError } from '@snn/core';
import type { Tensor } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';
import {
  BASE_NODE_OPTIONS,
  BaseNode,
  type BaseNodeOptions,
  fire,
  type NodeParams,
  resetV,
  resolveNodeParams,
} from './base-node.js';
import { checkOptionTable, type OptionTable } from './checks.js';
import type { StepResult } from './step.js';

/** 1 nA = 1000 pA = 1000 nS·mV: converts the currents (nA) to the unit of the conductance terms (pA). */
const PA_PER_NA = 1000;

/** The largest `(V − vT)/ΔT` allowed at the peak: `exp(80) ≈ 5.5e34` is still finite in float32. */
const MAX_EXP_ARG = 80;

/**
 * Parameters of the AdEx dynamics (besides the peak `vThreshold` and reset `vReset`), in physical
 * units: mV, ms, nA, nS, pF.
 */
export interface AdExParams {
  /** Time step, ms, > 0. */
  readonly dt: number;
  /** Membrane capacitance C, pF, > 0. */
  readonly cm: number;
  /** Leak conductance g_L, nS, > 0. */
  readonly gL: number;
  /** Leak reversal (resting) potential E_L, mV. */
  readonly eL: number;
  /** Rheobase threshold V_T, where the exponential term takes over, mV. */
  readonly vT: number;
  /** Slope factor Δ_T, mV, > 0. */
  readonly deltaT: number;
  /** Adaptation time constant τ_w, ms, > 0. */
  readonly tauW: number;
  /** Subthreshold adaptation a, nS. */
  readonly a: number;
  /** Spike-triggered adaptation b, nA. */
  readonly b: number;
}

/** State of an AdEx neuron. */
export type AdExState = {
  /** Membrane potential V, mV. */
  readonly v: Tensor;
  /** Adaptation current w, nA. */
  readonly w: Tensor;
};

/**
 * The subthreshold forward-Euler step of AdEx, every right-hand side at the old state
 * (`I` in nA, the factor 1000 turns nA into pA = nS·mV):
 *
 * - `H  = V + dt/C · (g_L·(E_L − V) + g_L·Δ_T·exp((V − V_T)/Δ_T) + 1000·(I − w))`
 * - `W' = w + dt/τ_w · (a·(V − E_L)/1000 − w)`
 *
 * Returns `{ v: H, w: W' }`, the state before firing and reset. Pure.
 */
export function adexCharge(x: Tensor, s: AdExState, p: AdExParams): AdExState {
  return tf.tidy(() => {
    const leak = tf.mul(p.gL, tf.sub(p.eL, s.v));
    const spikeInit = tf.mul(p.gL * p.deltaT, tf.exp(tf.div(tf.sub(s.v, p.vT), p.deltaT)));
    const currents = tf.mul(PA_PER_NA, tf.sub(x, s.w));
    const h = tf.add(s.v, tf.mul(p.dt / p.cm, tf.add(tf.add(leak, spikeInit), currents)));
    const drive = tf.div(tf.mul(p.a, tf.sub(s.v, p.eL)), PA_PER_NA);
    const w = tf.add(s.w, tf.mul(p.dt / p.tauW, tf.sub(drive, s.w)));
    return { v: h, w };
  });
}

/**
 * AdEx reset after the spikes `S` of this step: `V = H·(1 − S) + V_r·S` (V_r = `vReset`) and
 * `w = W' + b·S`. With `detachReset`, S carries no gradient in V's reset. Pure.
 */
export function adexReset(pre: AdExState, spike: Tensor, p: AdExParams & NodeParams): AdExState {
  return tf.tidy(() => ({ v: resetV(pre.v, spike, p), w: tf.add(pre.w, tf.mul(p.b, spike)) }));
}

/**
 * One AdEx step over explicit state: {@link adexCharge} → fire `S = Θ(H − V_peak)` (surrogate
 * gradient backward) → {@link adexReset}. Pure: reads `s`, never disposes it, returns new tensors.
 *
 * @example
 * ```ts
 * // AdExNode's defaults; `sigmoid` from @snn/surrogates
 * const p = { dt: 0.1, cm: 281, gL: 30, eL: -70.6, vT: -50.4, deltaT: 2, tauW: 144, a: 4, b: 0.0805,
 *   vThreshold: 0, vReset: -70.6, surrogate: sigmoid(4), detachReset: false };
 * let s = adexInitialState(p);
 * const { spike, state } = adexStep(tf.fill([1, 4], 1), s, p); // 1 nA into 4 neurons
 * ```
 */
export function adexStep(x: Tensor, s: AdExState, p: AdExParams & NodeParams): StepResult<AdExState> {
  return tf.tidy(() => {
    const pre = adexCharge(x, s, p);
    const spike = fire(pre.v, p);
    return { spike, state: adexReset(pre, spike, p) };
  });
}

/** The initial state: `V = E_L`, `w = 0` (scalars that broadcast at the first step). */
export function adexInitialState(p: AdExParams): AdExState {
  return { v: tf.scalar(p.eL), w: tf.scalar(0) };
}

/** Options of {@link AdExNode}; see {@link AdExParams} for units. */
export interface AdExNodeOptions extends BaseNodeOptions {
  /** Time step, ms. Default 0.1. */
  readonly dt?: number;
  /** Capacitance, pF. Default 281. */
  readonly cm?: number;
  /** Leak conductance, nS. Default 30. */
  readonly gL?: number;
  /** Resting potential, mV. Default −70.6. */
  readonly eL?: number;
  /** Rheobase threshold, mV. Default −50.4. */
  readonly vT?: number;
  /** Slope factor, mV. Default 2. */
  readonly deltaT?: number;
  /** Adaptation time constant, ms. Default 144. */
  readonly tauW?: number;
  /** Subthreshold adaptation, nS. Default 4. */
  readonly a?: number;
  /** Spike-triggered adaptation, nA. Default 0.0805. */
  readonly b?: number;
}

/** Every option of {@link AdExNodeOptions} (see {@link OptionTable}). */
export const ADEX_NODE_OPTIONS: OptionTable<AdExNodeOptions> = {
  ...BASE_NODE_OPTIONS,
  dt: 'value',
  cm: 'value',
  gL: 'value',
  eL: 'value',
  vT: 'value',
  deltaT: 'value',
  tauW: 'value',
  a: 'value',
  b: 'value',
};

/**
 * Resolves and checks every AdEx parameter of `o`, the common ones included, with the model's
 * defaults: `vThreshold` (V_peak) 0 mV, `vReset` (V_r) = `eL`. `fn` names the caller in errors.
 * @throws ValueError when `dt`, `cm`, `gL`, `deltaT` or `tauW` is not > 0, a potential is not
 * finite, `vReset` is null (AdEx resets hard) or not below `vThreshold`, or `vThreshold` is above
 * `vT + 80·deltaT` (where `exp` would overflow float32).
 */
export function resolveAdExParams(fn: string, o: AdExNodeOptions): AdExParams & NodeParams {
  const eL = checkFinite(fn, 'eL', o.eL ?? -70.6);
  const m: AdExParams = {
    dt: checkPositive(fn, 'dt', o.dt ?? 0.1),
    cm: checkPositive(fn, 'cm', o.cm ?? 281),
    gL: checkPositive(fn, 'gL', o.gL ?? 30),
    eL,
    vT: checkFinite(fn, 'vT', o.vT ?? -50.4),
    deltaT: checkPositive(fn, 'deltaT', o.deltaT ?? 2),
    tauW: checkPositive(fn, 'tauW', o.tauW ?? 144),
    a: checkFinite(fn, 'a', o.a ?? 4),
    b: checkFinite(fn, 'b', o.b ?? 0.0805),
  };
  const n = resolveNodeParams(fn, {
    ...o,
    vThreshold: o.vThreshold ?? 0,
    vReset: o.vReset === undefined ? eL : o.vReset,
  });
  if (n.vReset === null) throw new ValueError(fn, 'vReset', 'a finite number (AdEx resets V to V_r)', null);
  if (!(n.vReset < n.vThreshold)) {
    throw new ValueError(fn, 'vReset', `below vThreshold (${n.vThreshold} mV)`, n.vReset);
  }
  const maxPeak = m.vT + MAX_EXP_ARG * m.deltaT;
  if (n.vThreshold > maxPeak) {
    throw new ValueError(
      fn,
      'vThreshold',
      `at most vT + 80·deltaT = ${maxPeak} mV (exp overflows float32)`,
      n.vThreshold,
    );
  }
  return { ...m, ...n };
}

/**
 * Adaptive exponential integrate-and-fire neuron (Brette & Gerstner 2005), in physical units
 * (V in mV, t in ms, currents in nA, conductances in nS, C in pF):
 *
 * - `C dV/dt = −g_L (V − E_L) + g_L Δ_T exp((V − V_T)/Δ_T) − w + I`
 * - `τ_w dw/dt = a (V − E_L) − w`
 * - when `V ≥ V_peak`: a spike, `V ← V_r`, `w ← w + b`.
 *
 * Discretisation: forward Euler with an explicit `dt`, both equations at the old state
 * ({@link adexCharge}); then fire `S = Θ(H − V_peak)`; then the reset ({@link adexReset}). The
 * input `I` is held constant over a step.
 *
 * Threshold and peak: V_T is the soft threshold inside the equation; the spike is registered
 * when the upswing reaches `vThreshold` = V_peak (default 0 mV). Past V_T + a few Δ_T the
 * exponential diverges within a step or two, so spike times barely depend on V_peak; the
 * charged `H` of the spiking step may lie far above V_peak (it is not clipped) and is reset.
 *
 * Parameters (defaults, Brette & Gerstner 2005): `cm` 281 pF, `gL` 30 nS, `eL` −70.6 mV,
 * `vT` −50.4 mV, `deltaT` 2 mV, `tauW` 144 ms, `a` 4 nS, `b` 0.0805 nA, `vReset` = `eL`,
 * `vThreshold` (V_peak) 0 mV, `dt` 0.1 ms. State: `v` (starts at E_L), `w` (starts at 0).
 *
 * @throws UnknownOptionError for an option name that {@link AdExNodeOptions} lacks; ValueError
 * when `dt`, `cm`, `gL`, `deltaT` or `tauW` is not > 0, a potential is not finite, `vReset` is
 * null (AdEx resets hard) or not below `vThreshold`, or `vThreshold` is above `vT + 80·deltaT`
 * (where `exp` would overflow float32); all before any state is allocated.
 * @example
 * ```ts
 * const adex = new AdExNode({ dt: 0.1, stepMode: 'm' });
 * const spikes = adex.forward(tf.fill([1000, 1, 3], 1)); // 1 nA for 100 ms: adapting trains
 * console.log(adex.v.shape, adex.w.shape); // [1, 3] [1, 3]
 * ```
 */
export class AdExNode extends BaseNode implements AdExParams {
  readonly dt: number;
  readonly cm: number;
  readonly gL: number;
  readonly eL: number;
  readonly vT: number;
  readonly deltaT: number;
  readonly tauW: number;
  readonly a: number;
  readonly b: number;
  private readonly p: AdExParams & NodeParams;
  /** The state of this step between the phases (charge → reset → afterStep); tensors of the step's tidy. */
  private pending: AdExState | null = null;

  constructor(options: AdExNodeOptions = {}) {
    const o = checkOptionTable('AdExNode', options, ADEX_NODE_OPTIONS);
    const p = resolveAdExParams('AdExNode', o);
    super('AdExNode', { ...o, vThreshold: p.vThreshold, vReset: p.vReset }, ADEX_NODE_OPTIONS);
    this.p = p;
    this.dt = p.dt;
    this.cm = p.cm;
    this.gL = p.gL;
    this.eL = p.eL;
    this.vT = p.vT;
    this.deltaT = p.deltaT;
    this.tauW = p.tauW;
    this.a = p.a;
    this.b = p.b;
    this.registerMemory('w', 0);
    this.setMemory('v', tf.scalar(p.eL));
  }

  /** The adaptation current w now, nA (owned by the node). */
  get w(): Tensor {
    return this.getMemory('w');
  }

  protected override charge(x: Tensor, v: Tensor): Tensor {
    this.pending = adexCharge(x, { v, w: this.getMemory('w') }, this.p);
    return this.pending.v;
  }

  protected override neuronalReset(h: Tensor, spike: Tensor): Tensor {
    this.pending = adexReset({ v: h, w: (this.pending as AdExState).w }, spike, this.p);
    return this.pending.v;
  }

  protected override afterStep(): void {
    this.setMemory('w', (this.pending as AdExState).w);
    this.pending = null;
  }

  /** Restores `v` to E_L and `w` to 0. */
  override reset(): void {
    super.reset();
    this.setMemory('v', tf.scalar(this.eL));
  }
}

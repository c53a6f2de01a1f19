import { checkFinite, checkPositive, ValueError } from '@snn/core';
import type { Tensor } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';
import { BASE_NODE_OPTIONS, BaseNode, type BaseNodeOptions, type NodeParams, resolveNodeParams } from './base-node.js';
import { checkOptionTable, type OptionTable } from './checks.js';
import type { StepResult } from './step.js';

/**
 * Parameters of the Hodgkin–Huxley squid axon, per unit area: mV, ms, µA/cm², mS/cm², µF/cm².
 */
export interface HodgkinHuxleyParams {
  /** Time step, ms, > 0. */
  readonly dt: number;
  /** Membrane capacitance C_m, µF/cm², > 0. */
  readonly cm: number;
  /** Maximal sodium conductance ḡ_Na, mS/cm², ≥ 0. */
  readonly gNa: number;
  /** Maximal potassium conductance ḡ_K, mS/cm², ≥ 0. */
  readonly gK: number;
  /** Leak conductance g_L, mS/cm², ≥ 0. */
  readonly gL: number;
  /** Sodium reversal potential E_Na, mV. */
  readonly eNa: number;
  /** Potassium reversal potential E_K, mV. */
  readonly eK: number;
  /** Leak reversal potential E_L, mV. */
  readonly eL: number;
  /** Initial potential, mV; the gates start at their steady state there. */
  readonly vRest: number;
}

/** State of a Hodgkin–Huxley neuron. */
export type HodgkinHuxleyState = {
  /** Membrane potential V, mV. */
  readonly v: Tensor;
  /** Sodium activation m, in [0, 1]. */
  readonly m: Tensor;
  /** Sodium inactivation h, in [0, 1]. */
  readonly h: Tensor;
  /** Potassium activation n, in [0, 1]. */
  readonly n: Tensor;
};

/** `u / (1 − exp(−u))`, continued by its Taylor series `1 + u/2 + u²/12` where |u| < 0.1 (no 0/0, value or gradient). */
function linoid(u: Tensor): Tensor {
  return tf.tidy(() => {
    const direct = tf.greaterEqual(tf.abs(u), 0.1);
    const safeU = tf.where(direct, u, tf.onesLike(u)); // never 0 in the division below
    const exact = tf.div(safeU, tf.sub(1, tf.exp(tf.neg(safeU))));
    const series = tf.add(1, tf.mul(u, tf.add(0.5, tf.div(u, 12))));
    return tf.where(direct, exact, series);
  });
}

/** Same as {@link linoid}, in float64, for the initial steady state. */
const linoidNumber = (u: number): number => (Math.abs(u) < 1e-9 ? 1 + u / 2 : u / (1 - Math.exp(-u)));

/**
 * Opening and closing rates (1/ms) at V (mV), Hodgkin & Huxley 1952 in the modern convention
 * (rest near −65 mV):
 * `α_m = 0.1 (V + 40) / (1 − e^{−(V+40)/10})`, `β_m = 4 e^{−(V+65)/18}`,
 * `α_h = 0.07 e^{−(V+65)/20}`, `β_h = 1 / (1 + e^{−(V+35)/10})`,
 * `α_n = 0.01 (V + 55) / (1 − e^{−(V+55)/10})`, `β_n = 0.125 e^{−(V+65)/80}`.
 */
function rates(v: Tensor): Record<'am' | 'bm' | 'ah' | 'bh' | 'an' | 'bn', Tensor> {
  const e = (shift: number, scale: number) => tf.exp(tf.div(tf.add(v, shift), -scale));
  return {
    am: linoid(tf.div(tf.add(v, 40), 10)), // 0.1·(V + 40)/(1 − e^{…}) = 1·u/(1 − e^{−u}), u = (V + 40)/10
    bm: tf.mul(4, e(65, 18)),
    ah: tf.mul(0.07, e(65, 20)),
    bh: tf.div(1, tf.add(1, e(35, 10))),
    an: tf.mul(0.1, linoid(tf.div(tf.add(v, 55), 10))), // 0.01·(V + 55)/(…) = 0.1·u/(1 − e^{−u})
    bn: tf.mul(0.125, e(65, 80)),
  };
}

/** The steady state `x∞ = α/(α + β)` of the three gates at `v` mV, in float64. */
export function hodgkinHuxleySteadyState(v: number): { m: number; h: number; n: number } {
  const am = linoidNumber((v + 40) / 10);
  const bm = 4 * Math.exp(-(v + 65) / 18);
  const ah = 0.07 * Math.exp(-(v + 65) / 20);
  const bh = 1 / (1 + Math.exp(-(v + 35) / 10));
  const an = 0.1 * linoidNumber((v + 55) / 10);
  const bn = 0.125 * Math.exp(-(v + 65) / 80);
  return { m: am / (am + bm), h: ah / (ah + bh), n: an / (an + bn) };
}

/** Exponential-Euler step of a gate: `x' = x∞ + (x − x∞)·exp(−dt·(α + β))`, `x∞ = α/(α + β)`. */
function gate(x: Tensor, alpha: Tensor, beta: Tensor, dt: number): Tensor {
  const sum = tf.add(alpha, beta);
  const inf = tf.div(alpha, sum);
  return tf.add(inf, tf.mul(tf.sub(x, inf), tf.exp(tf.mul(sum, -dt))));
}

/**
 * One time step of the Hodgkin–Huxley equations, every right-hand side at the old state:
 *
 * - `V' = V + dt/C_m · (I − ḡ_Na m³h (V − E_Na) − ḡ_K n⁴ (V − E_K) − g_L (V − E_L))` (forward Euler);
 * - each gate `x ∈ {m, h, n}`: `x' = x∞ + (x − x∞)·exp(−dt (α_x + β_x))` (exponential Euler, exact
 *   for V held over the step; keeps the gates in [0, 1] at any dt).
 *
 * Returns the new state. Pure.
 */
export function hodgkinHuxleyCharge(x: Tensor, s: HodgkinHuxleyState, p: HodgkinHuxleyParams): HodgkinHuxleyState {
  return tf.tidy(() => {
    const r = rates(s.v);
    const m3h = tf.mul(tf.mul(tf.mul(s.m, s.m), s.m), s.h);
    const n2 = tf.mul(s.n, s.n);
    const iNa = tf.mul(tf.mul(p.gNa, m3h), tf.sub(s.v, p.eNa));
    const iK = tf.mul(tf.mul(p.gK, tf.mul(n2, n2)), tf.sub(s.v, p.eK));
    const iL = tf.mul(p.gL, tf.sub(s.v, p.eL));
    const ionic = tf.add(tf.add(iNa, iK), iL);
    const v = tf.add(s.v, tf.mul(p.dt / p.cm, tf.sub(x, ionic)));
    return {
      v,
      m: gate(s.m, r.am, r.bm, p.dt),
      h: gate(s.h, r.ah, r.bh, p.dt),
      n: gate(s.n, r.an, r.bn, p.dt),
    };
  });
}

/**
 * Spike on an upward crossing of `vThreshold`: `S = Θ(V' − θ)·[V < θ]`, so a spike is one step
 * long however long V stays above θ. Backward, the surrogate's gradient flows through `V'`; the
 * crossing mask `[V < θ]` is a constant. Pure.
 */
export function hodgkinHuxleyFire(vNew: Tensor, vOld: Tensor, p: NodeParams): Tensor {
  return tf.tidy(() => {
    const below = tf.sub(1, tf.cast(tf.greaterEqual(vOld, p.vThreshold), 'float32'));
    return tf.mul(p.surrogate.apply(tf.sub(vNew, p.vThreshold)), below);
  });
}

/**
 * One Hodgkin–Huxley step over explicit state: {@link hodgkinHuxleyCharge}, then
 * {@link hodgkinHuxleyFire}. There is no reset: the spike repolarises by itself. Pure: reads
 * `s`, never disposes it, returns new tensors.
 *
 * @example
 * ```ts
 * // HodgkinHuxleyNode's defaults; `sigmoid` from @snn/surrogates
 * const p = { dt: 0.01, cm: 1, gNa: 120, gK: 36, gL: 0.3, eNa: 50, eK: -77, eL: -54.387, vRest: -65,
 *   vThreshold: 0, vReset: null, surrogate: sigmoid(4), detachReset: false };
 * let s = hodgkinHuxleyInitialState(p);
 * const { spike, state } = hodgkinHuxleyStep(tf.fill([1, 2], 10), s, p); // 10 µA/cm²
 * ```
 */
export function hodgkinHuxleyStep(
  x: Tensor,
  s: HodgkinHuxleyState,
  p: HodgkinHuxleyParams & NodeParams,
): StepResult<HodgkinHuxleyState> {
  return tf.tidy(() => {
    const state = hodgkinHuxleyCharge(x, s, p);
    return { spike: hodgkinHuxleyFire(state.v, s.v, p), state };
  });
}

/** The initial state: `V = vRest`, gates at their steady state there (scalars that broadcast). */
export function hodgkinHuxleyInitialState(p: HodgkinHuxleyParams): HodgkinHuxleyState {
  const g = hodgkinHuxleySteadyState(p.vRest);
  return { v: tf.scalar(p.vRest), m: tf.scalar(g.m), h: tf.scalar(g.h), n: tf.scalar(g.n) };
}

/** Options of {@link HodgkinHuxleyNode}; see {@link HodgkinHuxleyParams} for units. `vReset` must stay unset. */
export interface HodgkinHuxleyNodeOptions extends BaseNodeOptions {
  /** Time step, ms. Default 0.01. */
  readonly dt?: number;
  /** µF/cm². Default 1. */
  readonly cm?: number;
  /** mS/cm². Default 120. */
  readonly gNa?: number;
  /** mS/cm². Default 36. */
  readonly gK?: number;
  /** mS/cm². Default 0.3. */
  readonly gL?: number;
  /** mV. Default 50. */
  readonly eNa?: number;
  /** mV. Default −77. */
  readonly eK?: number;
  /** mV. Default −54.387. */
  readonly eL?: number;
  /** Initial potential, mV. Default −65. */
  readonly vRest?: number;
}

/** Every option of {@link HodgkinHuxleyNodeOptions} (see {@link OptionTable}). */
export const HODGKIN_HUXLEY_NODE_OPTIONS: OptionTable<HodgkinHuxleyNodeOptions> = {
  ...BASE_NODE_OPTIONS,
  dt: 'value',
  cm: 'value',
  gNa: 'value',
  gK: 'value',
  gL: 'value',
  eNa: 'value',
  eK: 'value',
  eL: 'value',
  vRest: 'value',
};

const checkNonNegative = (fn: string, arg: string, value: number): number => {
  if (!(typeof value === 'number' && Number.isFinite(value) && value >= 0)) {
    throw new ValueError(fn, arg, 'a finite number >= 0', value);
  }
  return value;
};

/**
 * Resolves and checks every Hodgkin–Huxley parameter of `o`, the common ones included
 * (`vThreshold`, the spike-detection level, defaults to 0 mV). `fn` names the caller in errors.
 * @throws ValueError when `dt` or `cm` is not > 0, a conductance is negative, a potential is not
 * finite, or `vReset` is given (the model has no reset).
 */
export function resolveHodgkinHuxleyParams(fn: string, o: HodgkinHuxleyNodeOptions): HodgkinHuxleyParams & NodeParams {
  if (o.vReset !== undefined) {
    if (o.vReset !== null) checkFinite(fn, 'vReset', o.vReset);
    throw new ValueError(fn, 'vReset', 'left unset (Hodgkin–Huxley has no reset: V repolarises by itself)', o.vReset);
  }
  const m: HodgkinHuxleyParams = {
    dt: checkPositive(fn, 'dt', o.dt ?? 0.01),
    cm: checkPositive(fn, 'cm', o.cm ?? 1),
    gNa: checkNonNegative(fn, 'gNa', o.gNa ?? 120),
    gK: checkNonNegative(fn, 'gK', o.gK ?? 36),
    gL: checkNonNegative(fn, 'gL', o.gL ?? 0.3),
    eNa: checkFinite(fn, 'eNa', o.eNa ?? 50),
    eK: checkFinite(fn, 'eK', o.eK ?? -77),
    eL: checkFinite(fn, 'eL', o.eL ?? -54.387),
    vRest: checkFinite(fn, 'vRest', o.vRest ?? -65),
  };
  return { ...m, ...resolveNodeParams(fn, { ...o, vThreshold: o.vThreshold ?? 0, vReset: null }) };
}

/**
 * Hodgkin–Huxley neuron (Hodgkin & Huxley 1952, squid giant axon; rates in the modern convention
 * with V in mV and rest near −65 mV):
 *
 * - `C_m dV/dt = I − ḡ_Na m³h (V − E_Na) − ḡ_K n⁴ (V − E_K) − g_L (V − E_L)`
 * - `dx/dt = α_x(V)(1 − x) − β_x(V) x` for each gate `x ∈ {m, h, n}`, with
 *   `α_m = 0.1 (V + 40)/(1 − e^{−(V+40)/10})`, `β_m = 4 e^{−(V+65)/18}`,
 *   `α_h = 0.07 e^{−(V+65)/20}`, `β_h = 1/(1 + e^{−(V+35)/10})`,
 *   `α_n = 0.01 (V + 55)/(1 − e^{−(V+55)/10})`, `β_n = 0.125 e^{−(V+65)/80}` (1/ms).
 *
 * Discretisation (explicit `dt`, every right-hand side at the old state): forward Euler for V,
 * exponential Euler for the gates ({@link hodgkinHuxleyCharge}). `α_m` and `α_n` are evaluated
 * through their Taylor series near their removable singularities (V = −40 and −55 mV).
 *
 * Spikes: `S = 1` on the step where V crosses `vThreshold` (default 0 mV) upwards, once per
 * crossing; V is never reset (the spike repolarises by itself), so `vReset` is rejected and
 * `detachReset` has no effect. Gradients flow through the surrogate of `V' − vThreshold` at
 * the crossing step.
 *
 * Parameters (defaults; per cm²): `cm` 1 µF, `gNa` 120 mS, `gK` 36 mS, `gL` 0.3 mS, `eNa` 50 mV,
 * `eK` −77 mV, `eL` −54.387 mV, `vRest` −65 mV, `dt` 0.01 ms. Input: current density in
 * µA/cm², held over a step. State: `v` (starts at `vRest`), `m`, `h`, `n` (start at their steady
 * state at `vRest`). Forward Euler for V needs `dt` well below `C_m/ḡ` during the spike: keep
 * `dt ≤ 0.025` ms with these conductances.
 *
 * @throws UnknownOptionError for an option name that {@link HodgkinHuxleyNodeOptions} lacks;
 * ValueError when `dt` or `cm` is not > 0, a conductance is negative, a potential is not finite,
 * or `vReset` is given (the model has no reset).
 * @example
 * ```ts
 * const hh = new HodgkinHuxleyNode({ dt: 0.01, stepMode: 'm' });
 * const spikes = hh.forward(tf.fill([5000, 1, 1], 10)); // 50 ms at 10 µA/cm²: a regular train
 * console.log(tf.sum(spikes).dataSync()[0]);
 * ```
 */
export class HodgkinHuxleyNode extends BaseNode implements HodgkinHuxleyParams {
  readonly dt: number;
  readonly cm: number;
  readonly gNa: number;
  readonly gK: number;
  readonly gL: number;
  readonly eNa: number;
  readonly eK: number;
  readonly eL: number;
  readonly vRest: number;
  private readonly p: HodgkinHuxleyParams & NodeParams;
  /** The new state of this step between charge and afterStep; tensors of the step's tidy. */
  private pending: HodgkinHuxleyState | null = null;

  constructor(options: HodgkinHuxleyNodeOptions = {}) {
    const o = checkOptionTable('HodgkinHuxleyNode', options, HODGKIN_HUXLEY_NODE_OPTIONS);
    const p = resolveHodgkinHuxleyParams('HodgkinHuxleyNode', o);
    super('HodgkinHuxleyNode', { ...o, vThreshold: p.vThreshold, vReset: null }, HODGKIN_HUXLEY_NODE_OPTIONS);
    this.p = p;
    this.dt = p.dt;
    this.cm = p.cm;
    this.gNa = p.gNa;
    this.gK = p.gK;
    this.gL = p.gL;
    this.eNa = p.eNa;
    this.eK = p.eK;
    this.eL = p.eL;
    this.vRest = p.vRest;
    const g = hodgkinHuxleySteadyState(p.vRest);
    this.registerMemory('m', g.m);
    this.registerMemory('h', g.h);
    this.registerMemory('n', g.n);
    this.setMemory('v', tf.scalar(p.vRest));
  }

  /** Sodium activation now (owned by the node). */
  get m(): Tensor {
    return this.getMemory('m');
  }

  /** Sodium inactivation now (owned by the node). */
  get h(): Tensor {
    return this.getMemory('h');
  }

  /** Potassium activation now (owned by the node). */
  get n(): Tensor {
    return this.getMemory('n');
  }

  protected override charge(x: Tensor, v: Tensor): Tensor {
    const s = { v, m: this.getMemory('m'), h: this.getMemory('h'), n: this.getMemory('n') };
    this.pending = hodgkinHuxleyCharge(x, s, this.p);
    return this.pending.v;
  }

  /** Upward crossing: the memory `v` still holds the old V here. */
  protected override fire(vNew: Tensor): Tensor {
    return hodgkinHuxleyFire(vNew, this.getMemory('v'), this.params);
  }

  /** No reset: V goes on from where the step took it. */
  protected override neuronalReset(vNew: Tensor): Tensor {
    return vNew;
  }

  protected override afterStep(): void {
    const s = this.pending as HodgkinHuxleyState;
    this.setMemory('m', s.m);
    this.setMemory('h', s.h);
    this.setMemory('n', s.n);
    this.pending = null;
  }

  /** Restores `v` to `vRest` and the gates to their steady state there. */
  override reset(): void {
    super.reset();
    this.setMemory('v', tf.scalar(this.vRest));
  }
}

import { checkFinite, checkPositive, detach, ValueError } from '@snn/core';
import type { Tensor } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';
import { BASE_NODE_OPTIONS, BaseNode, type BaseNodeOptions, type NodeParams, resolveNodeParams } from './base-node.js';
import { checkOptionTable, type OptionTable } from './checks.js';
import type { StepResult } from './step.js';

/** 1 nA = 1000 pA = 1000 nS·mV: converts the currents (nA) to the unit of the leak term (pA). */
const PA_PER_NA = 1000;

/**
 * Parameters of GLIF5 (besides `vThreshold` = Θ∞), in mV, ms, nA, nS, pF.
 */
export interface GLIFParams {
  /** Time step, ms, > 0. */
  readonly dt: number;
  /** Membrane capacitance C, pF, > 0. */
  readonly cm: number;
  /** Membrane (leak) conductance G = 1/R, nS, > 0. */
  readonly gL: number;
  /** Resting potential E_L, mV. */
  readonly eL: number;
  /** Amplitudes A_j of the two after-spike currents, added at each spike, nA. */
  readonly ascAmps: readonly [number, number];
  /** Time constants τ_j = 1/k_j of the two after-spike currents, ms, > 0. */
  readonly ascTau: readonly [number, number];
  /** Jump δΘ_s of the spike-dependent threshold at each spike, mV. */
  readonly deltaThetaS: number;
  /** Decay rate b_s of the spike-dependent threshold, 1/ms, ≥ 0. */
  readonly bS: number;
  /** Coupling a_v of the voltage-dependent threshold to V − E_L, 1/ms. */
  readonly aV: number;
  /** Decay rate b_v of the voltage-dependent threshold, 1/ms, ≥ 0. */
  readonly bV: number;
  /** Voltage fraction f_v kept by the reset (dimensionless). */
  readonly fV: number;
  /** Voltage offset δV subtracted by the reset, mV. */
  readonly deltaV: number;
}

/** State of a GLIF5 neuron. */
export type GLIFState = {
  /** Membrane potential V, mV. */
  readonly v: Tensor;
  /** Spike-dependent threshold component Θ_s, mV. */
  readonly thetaS: Tensor;
  /** Voltage-dependent threshold component Θ_v, mV. */
  readonly thetaV: Tensor;
  /** First after-spike current I_1, nA. */
  readonly asc1: Tensor;
  /** Second after-spike current I_2, nA. */
  readonly asc2: Tensor;
};

/**
 * The GLIF5 dynamics over one step, every right-hand side at the old state (`I`, `I_j` in nA;
 * ×1000 to pA = nS·mV):
 *
 * - `V'   = V + dt/C · (1000·(I + I_1 + I_2) − G·(V − E_L))` (forward Euler)
 * - `Θ_v' = Θ_v + dt · (a_v·(V − E_L) − b_v·Θ_v)` (forward Euler)
 * - `Θ_s' = Θ_s · exp(−b_s·dt)`, `I_j' = I_j · exp(−dt/τ_j)` (the pure decays, exactly)
 *
 * Returns the state before firing and reset. Pure.
 */
export function glifCharge(x: Tensor, s: GLIFState, p: GLIFParams): GLIFState {
  return tf.tidy(() => {
    const currents = tf.mul(PA_PER_NA, tf.add(tf.add(x, s.asc1), s.asc2));
    const v = tf.add(s.v, tf.mul(p.dt / p.cm, tf.sub(currents, tf.mul(p.gL, tf.sub(s.v, p.eL)))));
    const dThetaV = tf.sub(tf.mul(p.aV, tf.sub(s.v, p.eL)), tf.mul(p.bV, s.thetaV));
    return {
      v,
      thetaS: tf.mul(s.thetaS, Math.exp(-p.bS * p.dt)),
      thetaV: tf.add(s.thetaV, tf.mul(p.dt, dThetaV)),
      asc1: tf.mul(s.asc1, Math.exp(-p.dt / p.ascTau[0])),
      asc2: tf.mul(s.asc2, Math.exp(-p.dt / p.ascTau[1])),
    };
  });
}

/** Fire: `S = Θ(V' − (Θ∞ + Θ_s' + Θ_v'))` with `Θ∞ = vThreshold`; surrogate gradient backward. Pure. */
export function glifFire(pre: GLIFState, p: NodeParams): Tensor {
  return tf.tidy(() => {
    const threshold = tf.add(tf.add(pre.thetaS, pre.thetaV), p.vThreshold);
    return p.surrogate.apply(tf.sub(pre.v, threshold));
  });
}

/**
 * GLIF5 reset after the spikes `S` of this step:
 * `V = E_L + f_v·(V' − E_L) − δV` where S = 1 (written `V' + S·((f_v − 1)(V' − E_L) − δV)`),
 * `Θ_s = Θ_s' + δΘ_s·S`, `I_j = I_j' + A_j·S`, `Θ_v = Θ_v'`. With `detachReset`, the S of V's
 * reset carries no gradient. Pure.
 */
export function glifReset(pre: GLIFState, spike: Tensor, p: GLIFParams & NodeParams): GLIFState {
  return tf.tidy(() => {
    const sv = p.detachReset ? detach(spike) : spike;
    const jump = tf.sub(tf.mul(p.fV - 1, tf.sub(pre.v, p.eL)), p.deltaV);
    return {
      v: tf.add(pre.v, tf.mul(sv, jump)),
      thetaS: tf.add(pre.thetaS, tf.mul(p.deltaThetaS, spike)),
      thetaV: tf.clone(pre.thetaV),
      asc1: tf.add(pre.asc1, tf.mul(p.ascAmps[0], spike)),
      asc2: tf.add(pre.asc2, tf.mul(p.ascAmps[1], spike)),
    };
  });
}

/**
 * One GLIF5 step over explicit state: {@link glifCharge} → {@link glifFire} → {@link glifReset}.
 * Pure: reads `s`, never disposes it, returns new tensors.
 *
 * @example
 * ```ts
 * // GLIFNode's defaults; `sigmoid` from @snn/surrogates
 * const p = { dt: 0.1, cm: 100, gL: 5, eL: -70, ascAmps: [-0.02, -0.005], ascTau: [10, 100], deltaThetaS: 2,
 *   bS: 0.1, aV: 0.005, bV: 0.1, fV: 0.3, deltaV: 2, vThreshold: -50, vReset: null,
 *   surrogate: sigmoid(4), detachReset: false } as const;
 * let s = glifInitialState(p);
 * const { spike, state } = glifStep(tf.fill([1, 3], 0.2), s, p); // 0.2 nA
 * ```
 */
export function glifStep(x: Tensor, s: GLIFState, p: GLIFParams & NodeParams): StepResult<GLIFState> {
  return tf.tidy(() => {
    const pre = glifCharge(x, s, p);
    const spike = glifFire(pre, p);
    return { spike, state: glifReset(pre, spike, p) };
  });
}

/** The initial state: `V = E_L`, every threshold component and after-spike current 0 (scalars). */
export function glifInitialState(p: GLIFParams): GLIFState {
  return {
    v: tf.scalar(p.eL),
    thetaS: tf.scalar(0),
    thetaV: tf.scalar(0),
    asc1: tf.scalar(0),
    asc2: tf.scalar(0),
  };
}

/** Options of {@link GLIFNode}; see {@link GLIFParams} for units. `vThreshold` is Θ∞; `vReset` must stay unset. */
export interface GLIFNodeOptions extends BaseNodeOptions {
  /** ms. Default 0.1. */
  readonly dt?: number;
  /** pF. Default 100. */
  readonly cm?: number;
  /** nS. Default 5. */
  readonly gL?: number;
  /** mV. Default −70. */
  readonly eL?: number;
  /** nA. Default [−0.02, −0.005]. */
  readonly ascAmps?: readonly [number, number];
  /** ms. Default [10, 100]. */
  readonly ascTau?: readonly [number, number];
  /** mV. Default 2. */
  readonly deltaThetaS?: number;
  /** 1/ms. Default 0.1. */
  readonly bS?: number;
  /** 1/ms. Default 0.005. */
  readonly aV?: number;
  /** 1/ms. Default 0.1. */
  readonly bV?: number;
  /** Default 0.3. */
  readonly fV?: number;
  /** mV. Default 2. */
  readonly deltaV?: number;
}

/** Every option of {@link GLIFNodeOptions} (see {@link OptionTable}). */
export const GLIF_NODE_OPTIONS: OptionTable<GLIFNodeOptions> = {
  ...BASE_NODE_OPTIONS,
  dt: 'value',
  cm: 'value',
  gL: 'value',
  eL: 'value',
  ascAmps: 'value',
  ascTau: 'value',
  deltaThetaS: 'value',
  bS: 'value',
  aV: 'value',
  bV: 'value',
  fV: 'value',
  deltaV: 'value',
};

function checkNonNegative(fn: string, arg: string, value: number): number {
  if (!(typeof value === 'number' && Number.isFinite(value) && value >= 0)) {
    throw new ValueError(fn, arg, 'a finite number >= 0', value);
  }
  return value;
}

function checkPair(
  fn: string,
  arg: string,
  value: readonly number[],
  check: (fn: string, arg: string, v: number) => number,
): readonly [number, number] {
  if (!Array.isArray(value) || value.length !== 2) throw new ValueError(fn, arg, 'an array of 2 numbers', value);
  return [check(fn, `${arg}[0]`, value[0] as number), check(fn, `${arg}[1]`, value[1] as number)];
}

/**
 * Resolves and checks every GLIF5 parameter of `o`, the common ones included (`vThreshold` = Θ∞
 * defaults to −50 mV). `fn` names the caller in errors.
 * @throws ValueError when `dt`, `cm`, `gL` or an `ascTau` is not > 0, `bS` or `bV` is negative, a
 * value is not finite, or `vReset` is given (GLIF resets by its own rule).
 */
export function resolveGLIFParams(fn: string, o: GLIFNodeOptions): GLIFParams & NodeParams {
  if (o.vReset !== undefined) {
    if (o.vReset !== null) checkFinite(fn, 'vReset', o.vReset);
    throw new ValueError(fn, 'vReset', 'left unset (GLIF resets V to E_L + fV·(V − E_L) − deltaV)', o.vReset);
  }
  const m: GLIFParams = {
    dt: checkPositive(fn, 'dt', o.dt ?? 0.1),
    cm: checkPositive(fn, 'cm', o.cm ?? 100),
    gL: checkPositive(fn, 'gL', o.gL ?? 5),
    eL: checkFinite(fn, 'eL', o.eL ?? -70),
    ascAmps: checkPair(fn, 'ascAmps', o.ascAmps ?? [-0.02, -0.005], checkFinite),
    ascTau: checkPair(fn, 'ascTau', o.ascTau ?? [10, 100], checkPositive),
    deltaThetaS: checkFinite(fn, 'deltaThetaS', o.deltaThetaS ?? 2),
    bS: checkNonNegative(fn, 'bS', o.bS ?? 0.1),
    aV: checkFinite(fn, 'aV', o.aV ?? 0.005),
    bV: checkNonNegative(fn, 'bV', o.bV ?? 0.1),
    fV: checkFinite(fn, 'fV', o.fV ?? 0.3),
    deltaV: checkFinite(fn, 'deltaV', o.deltaV ?? 2),
  };
  return { ...m, ...resolveNodeParams(fn, { ...o, vThreshold: o.vThreshold ?? -50, vReset: null }) };
}

/**
 * GLIF5 (Teeter et al. 2018, Nat. Commun. 9:709): a LIF neuron with after-spike currents, a
 * spike-dependent and a voltage-dependent threshold component, and a voltage reset rule.
 *
 * - `C dV/dt = I + I_1 + I_2 − G (V − E_L)`
 * - `dI_j/dt = −I_j / τ_j` (j = 1, 2; `k_j = 1/τ_j`)
 * - `dΘ_s/dt = −b_s Θ_s`;  `dΘ_v/dt = a_v (V − E_L) − b_v Θ_v`
 * - spike when `V ≥ Θ∞ + Θ_s + Θ_v`; then `V ← E_L + f_v (V − E_L) − δV`, `Θ_s ← Θ_s + δΘ_s`,
 *   `I_j ← I_j + A_j`, `Θ_v` unchanged.
 *
 * Discretisation (explicit `dt`, every right-hand side at the old state, {@link glifCharge}):
 * forward Euler for V and Θ_v, exact exponential decay for Θ_s and the I_j; the spike test uses
 * the threshold components of the new step. The multiplicative factor of the after-spike
 * current reset (R_j in the paper's notation) is 1.
 *
 * Parameters (defaults; illustrative values of the order fitted in Teeter et al., not one
 * cell's fit): `cm` 100 pF, `gL` 5 nS (τ_m = 20 ms), `eL` −70 mV, `vThreshold` (Θ∞) −50 mV,
 * `ascAmps` [−0.02, −0.005] nA, `ascTau` [10, 100] ms, `deltaThetaS` 2 mV, `bS` 0.1 /ms,
 * `aV` 0.005 /ms, `bV` 0.1 /ms, `fV` 0.3, `deltaV` 2 mV, `dt` 0.1 ms. Input: current in nA, held
 * over a step. State: `v` (starts at E_L), `thetaS`, `thetaV`, `asc1`, `asc2` (start at 0).
 * `vReset` is rejected (the reset rule above replaces it).
 *
 * @throws UnknownOptionError for an option name that {@link GLIFNodeOptions} lacks; ValueError
 * when `dt`, `cm`, `gL` or an `ascTau` is not > 0, `bS` or `bV` is negative, a value is not
 * finite, or `vReset` is given (GLIF resets by its own rule).
 * @example
 * ```ts
 * const glif = new GLIFNode({ ascAmps: [-0.02, -0.005], stepMode: 'm' });
 * const spikes = glif.forward(tf.fill([3000, 1, 2], 0.2)); // 0.2 nA for 300 ms: adapting trains
 * console.log(glif.asc2.dataSync());
 * ```
 */
export class GLIFNode extends BaseNode implements GLIFParams {
  readonly dt: number;
  readonly cm: number;
  readonly gL: number;
  readonly eL: number;
  readonly ascAmps: readonly [number, number];
  readonly ascTau: readonly [number, number];
  readonly deltaThetaS: number;
  readonly bS: number;
  readonly aV: number;
  readonly bV: number;
  readonly fV: number;
  readonly deltaV: number;
  private readonly p: GLIFParams & NodeParams;
  /** The state of this step between the phases; tensors of the step's tidy. */
  private pending: GLIFState | null = null;

  constructor(options: GLIFNodeOptions = {}) {
    const o = checkOptionTable('GLIFNode', options, GLIF_NODE_OPTIONS);
    const p = resolveGLIFParams('GLIFNode', o);
    super('GLIFNode', { ...o, vThreshold: p.vThreshold, vReset: null }, GLIF_NODE_OPTIONS);
    this.p = p;
    this.dt = p.dt;
    this.cm = p.cm;
    this.gL = p.gL;
    this.eL = p.eL;
    this.ascAmps = p.ascAmps;
    this.ascTau = p.ascTau;
    this.deltaThetaS = p.deltaThetaS;
    this.bS = p.bS;
    this.aV = p.aV;
    this.bV = p.bV;
    this.fV = p.fV;
    this.deltaV = p.deltaV;
    for (const name of ['thetaS', 'thetaV', 'asc1', 'asc2']) this.registerMemory(name, 0);
    this.setMemory('v', tf.scalar(p.eL));
  }

  /** Spike-dependent threshold component Θ_s now, mV (owned by the node). */
  get thetaS(): Tensor {
    return this.getMemory('thetaS');
  }

  /** Voltage-dependent threshold component Θ_v now, mV (owned by the node). */
  get thetaV(): Tensor {
    return this.getMemory('thetaV');
  }

  /** First after-spike current now, nA (owned by the node). */
  get asc1(): Tensor {
    return this.getMemory('asc1');
  }

  /** Second after-spike current now, nA (owned by the node). */
  get asc2(): Tensor {
    return this.getMemory('asc2');
  }

  protected override charge(x: Tensor, v: Tensor): Tensor {
    const s: GLIFState = {
      v,
      thetaS: this.getMemory('thetaS'),
      thetaV: this.getMemory('thetaV'),
      asc1: this.getMemory('asc1'),
      asc2: this.getMemory('asc2'),
    };
    this.pending = glifCharge(x, s, this.p);
    return this.pending.v;
  }

  protected override fire(): Tensor {
    return glifFire(this.pending as GLIFState, this.params);
  }

  protected override neuronalReset(_h: Tensor, spike: Tensor): Tensor {
    this.pending = glifReset(this.pending as GLIFState, spike, this.p);
    return this.pending.v;
  }

  protected override afterStep(): void {
    const s = this.pending as GLIFState;
    this.setMemory('thetaS', s.thetaS);
    this.setMemory('thetaV', s.thetaV);
    this.setMemory('asc1', s.asc1);
    this.setMemory('asc2', s.asc2);
    this.pending = null;
  }

  /** Restores `v` to E_L and the other state to 0. */
  override reset(): void {
    super.reset();
    this.setMemory('v', tf.scalar(this.eL));
  }
}

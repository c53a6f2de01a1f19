import { checkBoolean, checkFinite, checkPositive, detach, ShapeError, ValueError } from '@snn/core';
import type { Tensor } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';
import { BASE_NODE_OPTIONS, BaseNode, type BaseNodeOptions, type NodeParams, resolveNodeParams } from './base-node.js';
import { booleanOr, checkOptionTable, type OptionTable } from './checks.js';
import type { StepResult } from './step.js';

/** Parameters of the Diehl & Cook neuron (besides `vThreshold` and `vReset`), in mV and ms. */
export interface DiehlCookParams {
  /** Time step, ms, > 0. */
  readonly dt: number;
  /** Resting potential, mV. */
  readonly vRest: number;
  /** Membrane time constant, ms, > 0. */
  readonly tau: number;
  /** Refractory period, ms, ≥ 0; it lasts `ceil(refrac/dt)` steps. */
  readonly refrac: number;
  /** Threshold rise per spike, mV. */
  readonly thetaPlus: number;
  /** Time constant of the threshold's decay, ms, > 0. */
  readonly tauTheta: number;
  /** Lower bound of V, mV, or null for none. */
  readonly vLowerBound: number | null;
  /** At most one spike per sample and step (the neuron furthest above its threshold). */
  readonly oneSpike: boolean;
}

/** State of a Diehl & Cook population. */
export type DiehlCookState = {
  /** Membrane potential V, mV: `[B, ...]`. */
  readonly v: Tensor;
  /** Adaptive threshold θ, mV, per neuron and shared by the batch: `[...]` (the shape without B). */
  readonly theta: Tensor;
  /** Refractory steps left: `[B, ...]`, whole numbers; 0 when the neuron integrates. */
  readonly refrac: Tensor;
};

/** What a charge leaves for fire and reset: the potential H and the decayed threshold. */
export type DiehlCookCharged = {
  readonly v: Tensor;
  readonly theta: Tensor;
};

/**
 * Diehl & Cook charge: `H = vRest + (V − vRest)·exp(−dt/τ) + X·[refrac = 0]` (the leak goes on
 * during the refractory period, the input is ignored); in learning mode
 * `θ_d = θ·exp(−dt/τ_θ)`, else `θ_d = θ`. Pure.
 */
export function diehlCookCharge(x: Tensor, s: DiehlCookState, p: DiehlCookParams, learning: boolean): DiehlCookCharged {
  checkBoolean('diehlCookCharge', 'learning', learning);
  return tf.tidy(() => {
    const integrating = tf.sub(1, tf.cast(tf.greaterEqual(s.refrac, 0.5), 'float32'));
    const leak = tf.add(p.vRest, tf.mul(tf.sub(s.v, p.vRest), Math.exp(-p.dt / p.tau)));
    const v = tf.add(leak, tf.mul(x, integrating));
    const theta = learning ? tf.mul(s.theta, Math.exp(-p.dt / p.tauTheta)) : tf.clone(s.theta);
    return { v, theta };
  });
}

/**
 * Fire: `S = Θ(H − (vThreshold + θ_d))`, surrogate gradient backward. With `oneSpike`, only the
 * neuron with the largest `H − (vThreshold + θ_d)` of each sample may spike (ties: the first);
 * BindsNET picks one of the spiking neurons at random instead. Pure.
 */
export function diehlCookFire(c: DiehlCookCharged, p: DiehlCookParams & NodeParams): Tensor {
  return tf.tidy(() => {
    const z = tf.sub(tf.sub(c.v, p.vThreshold), c.theta);
    const spike = p.surrogate.apply(z);
    if (!p.oneSpike || z.rank < 2) return spike;
    const [b, ...rest] = z.shape as [number, ...number[]];
    const n = rest.reduce((a, d) => a * d, 1);
    // One neuron per sample is its own winner (and tf.oneHot refuses a depth below 2).
    if (n <= 1) return spike;
    const winner = tf.reshape(tf.oneHot(tf.argMax(tf.reshape(z, [b, n]), 1), n), z.shape);
    return tf.mul(spike, winner);
  });
}

/**
 * Reset after the spikes `S`: `V = H·(1 − S) + vReset·S`, then `V = max(V, vLowerBound)`;
 * `refrac' = ceil(refrac/dt)` where S = 1, else `max(refrac − 1, 0)`; in learning mode
 * `θ' = θ_d + θ₊·Σ_batch S`, else `θ' = θ_d`. With `detachReset`, S carries no gradient in V's
 * reset; the counter never does. Pure.
 */
export function diehlCookReset(
  c: DiehlCookCharged,
  spike: Tensor,
  s: DiehlCookState,
  p: DiehlCookParams & NodeParams,
  learning: boolean,
): DiehlCookState {
  checkBoolean('diehlCookReset', 'learning', learning);
  return tf.tidy(() => {
    const sv = p.detachReset ? detach(spike) : spike;
    let v = tf.add(tf.mul(c.v, tf.sub(1, sv)), tf.mul(sv, p.vReset ?? 0));
    if (p.vLowerBound !== null) v = tf.maximum(v, p.vLowerBound);
    const sc = detach(spike);
    const steps = Math.ceil(p.refrac / p.dt - 1e-9);
    const refrac = tf.add(tf.mul(sc, steps), tf.mul(tf.sub(1, sc), tf.relu(tf.sub(s.refrac, 1))));
    const theta = learning ? tf.add(c.theta, tf.mul(p.thetaPlus, tf.sum(spike, 0))) : tf.clone(c.theta);
    return { v, theta, refrac };
  });
}

/**
 * One Diehl & Cook step over explicit state: {@link diehlCookCharge} → {@link diehlCookFire} →
 * {@link diehlCookReset}. `learning` (default true) lets θ decay and grow, as in training; false
 * freezes it, as in testing. Pure: reads `s`, never disposes it, returns new tensors.
 *
 * @example
 * ```ts
 * // DiehlCookNode's defaults; `sigmoid` from @snn/surrogates
 * const p = { dt: 1, vRest: -65, tau: 100, refrac: 5, thetaPlus: 0.05, tauTheta: 1e7, vLowerBound: null,
 *   oneSpike: false, vThreshold: -52, vReset: -60, surrogate: sigmoid(4), detachReset: false };
 * let s = diehlCookInitialState(p);
 * const { spike, state } = diehlCookStep(tf.fill([1, 100], 2), s, p); // 2 mV per step into 100 neurons
 * ```
 */
export function diehlCookStep(
  x: Tensor,
  s: DiehlCookState,
  p: DiehlCookParams & NodeParams,
  learning = true,
): StepResult<DiehlCookState> {
  checkBoolean('diehlCookStep', 'learning', learning);
  return tf.tidy(() => {
    const c = diehlCookCharge(x, s, p, learning);
    const spike = diehlCookFire(c, p);
    return { spike, state: diehlCookReset(c, spike, s, p, learning) };
  });
}

/** The initial state: `V = vRest`, θ = 0, no refractory steps left (scalars that broadcast). */
export function diehlCookInitialState(p: DiehlCookParams): DiehlCookState {
  return { v: tf.scalar(p.vRest), theta: tf.scalar(0), refrac: tf.scalar(0) };
}

/** Options of {@link DiehlCookNode}; see {@link DiehlCookParams} for units. */
export interface DiehlCookNodeOptions extends BaseNodeOptions {
  /** ms. Default 1. */
  readonly dt?: number;
  /** mV. Default −65. */
  readonly vRest?: number;
  /** ms. Default 100. */
  readonly tau?: number;
  /** ms. Default 5. */
  readonly refrac?: number;
  /** mV. Default 0.05. */
  readonly thetaPlus?: number;
  /** ms. Default 1e7. */
  readonly tauTheta?: number;
  /** mV, or null for none. Default null. */
  readonly vLowerBound?: number | null;
  /** Default false. */
  readonly oneSpike?: boolean;
  /** Whether `reset()` keeps θ (learned homeostasis that outlives a sample). Default true. */
  readonly keepTheta?: boolean;
}

/** Every option of {@link DiehlCookNodeOptions} (see {@link OptionTable}). */
export const DIEHL_COOK_NODE_OPTIONS: OptionTable<DiehlCookNodeOptions> = {
  ...BASE_NODE_OPTIONS,
  dt: 'value',
  vRest: 'value',
  tau: 'value',
  refrac: 'value',
  thetaPlus: 'value',
  tauTheta: 'value',
  vLowerBound: 'value',
  oneSpike: 'boolean',
  keepTheta: 'boolean',
};

/**
 * Resolves and checks every parameter of `o`, the common ones included (`vThreshold` defaults to
 * −52 mV, `vReset` to −60 mV); `fn` names the caller in errors.
 * @throws ValueError when `dt`, `tau` or `tauTheta` is not > 0, `refrac` is negative, a potential
 * is not finite, `vReset` is null (the reset is hard), or a flag is not a boolean.
 */
export function resolveDiehlCookParams(fn: string, o: DiehlCookNodeOptions): DiehlCookParams & NodeParams {
  const refrac = o.refrac ?? 5;
  if (!(typeof refrac === 'number' && Number.isFinite(refrac) && refrac >= 0)) {
    throw new ValueError(fn, 'refrac', 'a finite number >= 0', refrac);
  }
  const vLowerBound = o.vLowerBound ?? null;
  const m: DiehlCookParams = {
    dt: checkPositive(fn, 'dt', o.dt ?? 1),
    vRest: checkFinite(fn, 'vRest', o.vRest ?? -65),
    tau: checkPositive(fn, 'tau', o.tau ?? 100),
    refrac,
    thetaPlus: checkFinite(fn, 'thetaPlus', o.thetaPlus ?? 0.05),
    tauTheta: checkPositive(fn, 'tauTheta', o.tauTheta ?? 1e7),
    vLowerBound: vLowerBound === null ? null : checkFinite(fn, 'vLowerBound', vLowerBound),
    oneSpike: booleanOr(fn, 'oneSpike', o.oneSpike, false),
  };
  const n = resolveNodeParams(fn, {
    ...o,
    vThreshold: o.vThreshold ?? -52,
    vReset: o.vReset === undefined ? -60 : o.vReset,
  });
  if (n.vReset === null) throw new ValueError(fn, 'vReset', 'a finite number (the reset is hard)', null);
  return { ...m, ...n };
}

/**
 * The excitatory neuron of Diehl & Cook (2015), with the semantics of BindsNET's
 * `DiehlAndCookNodes`: a LIF neuron in mV with an adaptive threshold, a refractory period and an
 * optional lower bound of V. Per step of `dt` ms:
 *
 * 1. leak and input: `V ← vRest + (V − vRest)·exp(−dt/τ)`, then `V ← V + X` unless refractory
 *    (during the refractory period the leak goes on, the input is ignored);
 * 2. in learning (training) mode `θ ← θ·exp(−dt/τ_θ)`;
 * 3. spike: `S = Θ(V − (vThreshold + θ))` (with `oneSpike`, only the neuron of each sample that is
 *    furthest above its threshold);
 * 4. reset: `V ← vReset` where S = 1, the refractory counter ← `ceil(refrac/dt)` steps (else it
 *    counts down), in learning mode `θ ← θ + θ₊·Σ_batch S`; then `V ← max(V, vLowerBound)`.
 *
 * The input `X` is a voltage increment in mV (the summed weights of the presynaptic spikes). θ is
 * per neuron and shared by the batch (shape `[...]` without B), as in BindsNET, and it only
 * changes in training mode (`node.train()`, the default); `node.eval()` freezes it.
 * θ is persistent state (`keepTheta`, default true): `reset()` restores V (to `vRest`, its reset
 * value) and the refractory counters but keeps θ, homeostasis learned over the whole training set;
 * `saveState` and checkpoints carry it; `resetTheta()` clears it. With `keepTheta: false` θ is an
 * ordinary memory that `reset()` clears.
 *
 * Parameters (defaults): `vRest` −65 mV, `vReset` −60 mV, `vThreshold` −52 mV, `tau` 100 ms,
 * `refrac` 5 ms, `thetaPlus` 0.05 mV, `tauTheta` 1e7 ms, `vLowerBound` null, `oneSpike` false,
 * `dt` 1 ms. State: `v` (starts at `vRest`), `theta` (0), `refrac` (refractory steps left, 0).
 *
 * @throws UnknownOptionError for an option name that {@link DiehlCookNodeOptions} lacks;
 * ValueError when `dt`, `tau` or `tauTheta` is not > 0, `refrac` is negative, a potential is
 * not finite, `vReset` is null (the reset is hard), or a boolean option is not a boolean.
 * @example
 * ```ts
 * const exc = new DiehlCookNode({ dt: 1, vLowerBound: -80, stepMode: 'm' });
 * const spikes = exc.forward(drive); // [T, 1, 100] mV per step
 * exc.reset(); // next sample: V and refractory counters back, theta kept
 * ```
 */
export class DiehlCookNode extends BaseNode implements DiehlCookParams {
  readonly dt: number;
  readonly vRest: number;
  readonly tau: number;
  readonly refrac: number;
  readonly thetaPlus: number;
  readonly tauTheta: number;
  readonly vLowerBound: number | null;
  readonly oneSpike: boolean;
  readonly keepTheta: boolean;
  private readonly p: DiehlCookParams & NodeParams;
  /** The charged state of this step between the phases; tensors of the step's tidy. */
  private charged: DiehlCookCharged | null = null;
  private next: DiehlCookState | null = null;

  constructor(options: DiehlCookNodeOptions = {}) {
    const o = checkOptionTable('DiehlCookNode', options, DIEHL_COOK_NODE_OPTIONS);
    const p = resolveDiehlCookParams('DiehlCookNode', o);
    const keepTheta = o.keepTheta ?? true;
    super('DiehlCookNode', { ...o, vThreshold: p.vThreshold, vReset: p.vReset }, DIEHL_COOK_NODE_OPTIONS);
    this.p = p;
    this.dt = p.dt;
    this.vRest = p.vRest;
    this.tau = p.tau;
    this.refrac = p.refrac;
    this.thetaPlus = p.thetaPlus;
    this.tauTheta = p.tauTheta;
    this.vLowerBound = p.vLowerBound;
    this.oneSpike = p.oneSpike;
    this.keepTheta = keepTheta;
    // θ is persistent state (kept by reset(), saved by saveState) unless keepTheta is false.
    this.registerMemory('theta', 0, { persistent: keepTheta });
    this.registerMemory('refrac', 0);
    this.setResetValue('v', p.vRest);
    this.resetState('v');
  }

  /** The adaptive threshold θ now, mV, per neuron (owned by the node). */
  get theta(): Tensor {
    return this.getMemory('theta');
  }

  /** Refractory steps left, per neuron and sample (owned by the node). */
  get refracSteps(): Tensor {
    return this.getMemory('refrac');
  }

  /** Besides BaseNode's checks: a batch axis, and neurons that match θ's shape once θ has one. */
  protected override checkInput(x: Tensor, arg: string, stepShape: readonly number[]): void {
    super.checkInput(x, arg, stepShape);
    if (stepShape.length < 2) {
      throw new ShapeError(`${this.nodeName}.forward`, arg, 'a batch axis and neurons, [B, N, ...] per step', x.shape);
    }
    const theta = this.getMemory('theta');
    const neurons = stepShape.slice(1);
    if (theta.rank > 0 && (theta.rank !== neurons.length || theta.shape.some((d, i) => d !== neurons[i]))) {
      throw new ShapeError(
        `${this.nodeName}.forward`,
        arg,
        `neurons of the shape of theta, [${theta.shape.join(', ')}] (call resetTheta() to change it)`,
        x.shape,
      );
    }
  }

  private state(v: Tensor): DiehlCookState {
    return { v, theta: this.getMemory('theta'), refrac: this.getMemory('refrac') };
  }

  protected override charge(x: Tensor, v: Tensor): Tensor {
    this.charged = diehlCookCharge(x, this.state(v), this.p, this.training);
    return this.charged.v;
  }

  protected override fire(): Tensor {
    return diehlCookFire(this.charged as DiehlCookCharged, this.p);
  }

  protected override neuronalReset(_h: Tensor, spike: Tensor): Tensor {
    this.next = diehlCookReset(
      this.charged as DiehlCookCharged,
      spike,
      this.state(this.getMemory('v')),
      this.p,
      this.training,
    );
    return this.next.v;
  }

  protected override afterStep(): void {
    const s = this.next as DiehlCookState;
    this.setMemory('theta', s.theta);
    this.setMemory('refrac', s.refrac);
    this.charged = null;
    this.next = null;
  }

  /** Clears the adaptive threshold θ (back to 0, shape free again). */
  resetTheta(): void {
    this.resetState('theta');
  }
}

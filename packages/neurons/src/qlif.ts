import { checkPositive } from '@snn/core';
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
import type { StepResult } from './step.js';

/** Parameters of {@link qlifStep}: SPAIC's decay factors per step. */
export interface QLIFParams extends SpaicFireParams {
  /** Decay of E and of the M kernels per step, `exp(−dt/τm)`. */
  readonly decayM: number;
  /** Decay of the S kernels and of R per step, `exp(−dt/τs)`. */
  readonly decayS: number;
}

/** The inputs of a QLIF step besides the membrane drive; each omitted one is 0. */
export interface QLIFInputs {
  /** Weighted sum driving the non-spiking value P (SPAIC's `WpSum`): a tensor of the input's shape, or a number. */
  readonly wpSum?: Tensor | number;
  /** Weighted sum driving the spiking value Q (SPAIC's `WqSum`): a tensor of the input's shape, or a number. */
  readonly wqSum?: Tensor | number;
  /** Reward (a number, or a tensor of the input's shape). */
  readonly reward?: Tensor | number;
}

/** Every field of {@link QLIFInputs} (see {@link OptionTable}). */
export const QLIF_INPUTS: OptionTable<QLIFInputs> = { wpSum: 'value', wqSum: 'value', reward: 'value' };

/** State of a QLIF neuron (SPAIC's state variables). */
export type QLIFState = {
  /** Reset kernel E. */
  readonly e: Tensor;
  /** Membrane potential V. */
  readonly v: Tensor;
  /** Spikes of the last step. */
  readonly o: Tensor;
  /** Kernels of the non-spiking value P = Mp − Sp. */
  readonly mp: Tensor;
  readonly sp: Tensor;
  /** Value of not spiking, P. */
  readonly p: Tensor;
  /** Kernels of the spiking value Q = Mq − Sq. */
  readonly mq: Tensor;
  readonly sq: Tensor;
  /** Value of spiking, Q. */
  readonly q: Tensor;
  /** Spike trace R (1 on a spike, then decaying) and its complement F = 1 − R. */
  readonly r: Tensor;
  readonly f: Tensor;
  /** Q − P. */
  readonly qp: Tensor;
  /** The value passed back, `BQ = R·Q + F·P`. */
  readonly bq: Tensor;
  /** Temporal-difference targets of P and Q. */
  readonly tp: Tensor;
  readonly tq: Tensor;
};

/** The QLIF state variables, in order. */
export const QLIF_STATE_KEYS = [
  'e',
  'v',
  'o',
  'mp',
  'sp',
  'p',
  'mq',
  'sq',
  'q',
  'r',
  'f',
  'qp',
  'bq',
  'tp',
  'tq',
] as const;

/**
 * One QLIF step (SPAIC's documented Q-Backprop LIF, `qlif`), with the previous spikes `O`, P and
 * Q of `s`:
 *
 * - `E' = decayM·E + vThreshold·O`; `V' = X − E'`; `O' = [V' > vThreshold]`
 * - `P' = Mp' − Sp'`, `Mp' = decayM·Mp + WpSum`, `Sp' = decayS·Sp + WpSum`
 * - `Q' = Mq' − Sq'`, `Mq' = decayM·Mq + WqSum`, `Sq' = decayS·Sq + WqSum`
 * - `R' = (1 − O')·decayS·R + O'`, `F' = 1 − R'`
 * - `QP' = Q' − P'`, `BQ' = R'·Q' + F'·P'`
 * - `TP' = R'·P' + F'·Reward − P`, `TQ' = F'·Q' + R'·Reward − Q`
 *
 * Pure: reads `s` and the inputs, never disposes them.
 */
export function qlifStep(x: Tensor, s: QLIFState, p: QLIFParams, inputs: QLIFInputs = {}): StepResult<QLIFState> {
  return tf.tidy(() => {
    const wp = inputs.wpSum ?? 0;
    const wq = inputs.wqSum ?? 0;
    const reward = inputs.reward ?? 0;
    const e = tf.add(tf.mul(p.decayM, s.e), tf.mul(p.vThreshold, s.o));
    const v = tf.sub(x, e);
    const o = spaicFire(v, p);
    const mp = tf.add(tf.mul(p.decayM, s.mp), wp);
    const sp = tf.add(tf.mul(p.decayS, s.sp), wp);
    const pv = tf.sub(mp, sp);
    const mq = tf.add(tf.mul(p.decayM, s.mq), wq);
    const sq = tf.add(tf.mul(p.decayS, s.sq), wq);
    const q = tf.sub(mq, sq);
    const r = tf.add(tf.mul(tf.sub(1, o), tf.mul(p.decayS, s.r)), o);
    const f = tf.sub(1, r);
    const qp = tf.sub(q, pv);
    const bq = tf.add(tf.mul(r, q), tf.mul(f, pv));
    const tp = tf.sub(tf.add(tf.mul(r, pv), tf.mul(f, reward)), s.p);
    const tq = tf.sub(tf.add(tf.mul(f, q), tf.mul(r, reward)), s.q);
    return { spike: o, state: { e, v, o, mp, sp, p: pv, mq, sq, q, r, f, qp, bq, tp, tq } };
  });
}

/** Options of {@link QLIFNode}. */
export interface QLIFNodeOptions extends SpaicSpikingOptions {
  /** Time constant of E and of the M kernels in ms (SPAIC's `tau_m`). Default 20. */
  readonly tauM?: number;
  /** Time constant of the S kernels and of R in ms (SPAIC's `tau_s`). Default 8. */
  readonly tauS?: number;
  /** Time step in ms. Default 0.1 (SPAIC's). */
  readonly dt?: number;
}

/** Every option of {@link QLIFNodeOptions} (see {@link OptionTable}). */
export const QLIF_NODE_OPTIONS: OptionTable<QLIFNodeOptions> = {
  ...SPAIC_SPIKING_OPTIONS,
  tauM: 'value',
  tauS: 'value',
  dt: 'value',
};

/**
 * SPAIC's LIF neuron for Q-Backprop learning (`qlif`, `QLIFModel`), as its documentation
 * states it. Besides a LIF membrane with a reset kernel E, each neuron keeps two value
 * estimates: P, of not spiking, and Q, of spiking, each a difference of two exponential traces of
 * its own input (`WpSum`, `WqSum`: what the layer above passes back). A spike trace R (1 on a
 * spike, decaying with τs) mixes them into the value passed back, BQ, and into temporal-
 * difference targets TP and TQ with a reward. Per step (ms, time step `dt`, O the last spikes):
 *
 * - `E ← τM·E + vThreshold·O`; `V = X − E`; `O = [V > vThreshold]`
 * - `P = Mp − Sp`, `Mp ← τM·Mp + WpSum`, `Sp ← τS·Sp + WpSum` (and Q from WqSum alike)
 * - `R ← (1 − O)·τS·R + O`, `F = 1 − R`
 * - `QP = Q − P`, `BQ = R·Q + F·P`
 * - `TP = R·P + F·Reward − P_prev`, `TQ = F·Q + R·Reward − Q_prev`
 *
 * with `τX = exp(−dt/tau_x)` (float32). X is the summed input (SPAIC sums its `PSP` input over
 * the presynaptic axis first). SPAIC 0.6.3's op list does not run this model: it has no
 * threshold op (O is never computed), drives the Q kernels from `WpSum`, and breaks off in the
 * R update; the documented equations above are what this node runs (see the package README).
 *
 * `forward(x)` runs with zero WpSum, WqSum and reward; `forwardWith(x, { wpSum, wqSum, reward })`
 * supplies them. Parameters (defaults): `tauM` 20, `tauS` 8 ms, `dt` 0.1 ms, `vThreshold` 1.
 * State: every variable above (`QLIF_STATE_KEYS`), all starting at 0.
 *
 * @throws UnknownOptionError for an option name that {@link QLIFNodeOptions} lacks; ValueError
 * when a time constant or `dt` is not a finite number > 0, the threshold is not finite, or a
 * boolean option is not a boolean.
 * @example
 * ```ts
 * const node = new QLIFNode();
 * const spikes = node.forwardWith(x, { wpSum, wqSum, reward: 1 });
 * const passBack = node.bq; // R·Q + F·P
 * ```
 */
export class QLIFNode extends SpaicNode<QLIFState> implements QLIFParams {
  readonly tauM: number;
  readonly tauS: number;
  readonly dt: number;
  readonly decayM: number;
  readonly decayS: number;
  readonly vThreshold: number;
  readonly surrogate: SpaicFireParams['surrogate'];
  protected readonly stateKeys = QLIF_STATE_KEYS;

  constructor(options: QLIFNodeOptions = {}) {
    const fn = 'QLIFNode';
    const o = checkOptionTable(fn, options, QLIF_NODE_OPTIONS);
    const fire = resolveSpaicFireParams(fn, o);
    const dt = checkDt(fn, o.dt);
    const tauM = checkPositive(fn, 'tauM', o.tauM ?? 20);
    const tauS = checkPositive(fn, 'tauS', o.tauS ?? 8);
    super(fn, o, QLIF_NODE_OPTIONS);
    this.tauM = tauM;
    this.tauS = tauS;
    this.dt = dt;
    this.decayM = spaicDecay(dt, tauM);
    this.decayS = spaicDecay(dt, tauS);
    this.vThreshold = fire.vThreshold;
    this.surrogate = fire.surrogate;
    for (const k of QLIF_STATE_KEYS) this.registerMemory(k, 0);
  }

  /** Value of not spiking, P (owned by the node). */
  get p(): Tensor {
    return this.getMemory('p');
  }

  /** Value of spiking, Q (owned by the node). */
  get q(): Tensor {
    return this.getMemory('q');
  }

  /** Spike trace R (owned by the node). */
  get r(): Tensor {
    return this.getMemory('r');
  }

  /** The value passed back, `R·Q + F·P` (owned by the node). */
  get bq(): Tensor {
    return this.getMemory('bq');
  }

  /** Temporal-difference target of P (owned by the node). */
  get tp(): Tensor {
    return this.getMemory('tp');
  }

  /** Temporal-difference target of Q (owned by the node). */
  get tq(): Tensor {
    return this.getMemory('tq');
  }

  /**
   * `forward(x)` with the value inputs and the reward of this call: each a number or a tensor of
   * x's shape (`[B, ...]`, or `[T, B, ...]` in multi-step mode, sliced per step); an omitted one
   * is 0. Returns the spikes.
   *
   * @throws UnknownOptionError for a field {@link QLIFInputs} lacks; ShapeError when a tensor's
   * shape differs from x's; ValueError when a field is neither a tensor nor a finite number.
   */
  forwardWith(x: Tensor, inputs: QLIFInputs): Tensor {
    const fn = 'QLIFNode.forwardWith';
    const given = checkOptionTable(fn, inputs, QLIF_INPUTS);
    const extras: Record<string, Tensor | number> = {};
    for (const [k, e] of Object.entries(given)) if (e !== undefined) extras[k] = e;
    return this.forwardWithInputs(fn, x, extras);
  }

  protected stepState(x: Tensor, s: QLIFState, e: ExtraInputs): { out: Tensor; state: QLIFState } {
    const r = qlifStep(x, s, this, e as QLIFInputs);
    return { out: r.spike, state: r.state };
  }
}

import { checkBoolean, checkFinite, checkPositive, ShapeError } from '@snn/core';
import type { Tensor } from '@tensorflow/tfjs-core';
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

/** Parameters of {@link alifSTDPStep} (time in ms). */
export interface ALIFSTDPParams extends SpaicFireParams {
  /** Time step, ms, > 0. */
  readonly dt: number;
  /** Membrane time constant, ms, > 0 (decay `exp(−dt/τ)` per step). */
  readonly tau: number;
  /** Time constant of the threshold's decay, ms, > 0. */
  readonly tauTheta: number;
  /** Resting potential, the target of the leak. */
  readonly vRest: number;
  /** Subtracted from V on a spike (SPAIC's `v_reset`). */
  readonly vReset: number;
  /** Threshold rise per spike, relative to the threshold that was crossed (`θ += thetaPlus·(vThreshold + θ)`). */
  readonly thetaPlus: number;
}

/** State of an adaptive STDP LIF population. */
export type ALIFSTDPState = {
  /** Membrane potential V: `[B, ...]`. */
  readonly v: Tensor;
  /** Threshold offset θ, per neuron and shared by the batch: `[...]` (or a scalar before the first step). */
  readonly theta: Tensor;
};

/**
 * One step of SPAIC's `alifstdp_ex` (time in ms):
 *
 * 1. `H = vRest + (V − vRest)·e^{−dt/τ} + X`
 * 2. learning: `θ_d = θ·e^{−dt/τθ}` (else `θ_d = θ`); the threshold is `Vth = vThreshold + θ_d`
 * 3. `S = [H > Vth]` (strict), the surrogate's gradient backward
 * 4. `V' = H − vReset·S` (a soft reset by `vReset`)
 * 5. learning: `θ' = θ_d + thetaPlus·Vth·Σ_batch S` (the rise is proportional to the threshold crossed)
 *
 * in SPAIC's order of float32 operations. Pure: reads `s`, never disposes it.
 * @throws ValueError when `learning` is not a boolean.
 */
export function alifSTDPStep(
  x: Tensor,
  s: ALIFSTDPState,
  p: ALIFSTDPParams,
  learning = true,
): StepResult<ALIFSTDPState> {
  checkBoolean('alifSTDPStep', 'learning', learning);
  return tf.tidy(() => {
    const h = tf.add(tf.add(tf.mul(Math.exp(-p.dt / p.tau), tf.sub(s.v, p.vRest)), p.vRest), x);
    const thetaD = learning ? tf.mul(Math.exp(-p.dt / p.tauTheta), s.theta) : s.theta;
    const threshold = tf.add(p.vThreshold, thetaD);
    const spike = spaicFire(tf.sub(h, threshold), { vThreshold: 0, surrogate: p.surrogate });
    const v = tf.sub(h, tf.mul(p.vReset, spike));
    const theta = learning
      ? tf.add(thetaD, tf.mul(tf.mul(tf.sum(spike, 0), p.thetaPlus), threshold))
      : tf.clone(thetaD);
    return { spike, state: { v, theta } };
  });
}

/** Options of {@link ALIFSTDPNode} (time in ms). */
export interface ALIFSTDPNodeOptions extends SpaicSpikingOptions {
  /** ms. Default 1. */
  readonly dt?: number;
  /** ms. Default 100 (SPAIC's `decay_v = exp(−1/100)`). */
  readonly tau?: number;
  /** ms. Default 1e5 (SPAIC's `decay_th = exp(−1/1e5)`). */
  readonly tauTheta?: number;
  /** Default 0. */
  readonly vRest?: number;
  /** Subtracted on a spike. Default 2. */
  readonly vReset?: number;
  /** Relative threshold rise per spike. Default 0.001. */
  readonly thetaPlus?: number;
  /** Whether `reset()` keeps θ (learned homeostasis). Default true. */
  readonly keepTheta?: boolean;
}

/** Every option of {@link ALIFSTDPNodeOptions} (see {@link OptionTable}). */
export const ALIF_STDP_NODE_OPTIONS: OptionTable<ALIFSTDPNodeOptions> = {
  ...SPAIC_SPIKING_OPTIONS,
  dt: 'value',
  tau: 'value',
  tauTheta: 'value',
  vRest: 'value',
  vReset: 'value',
  thetaPlus: 'value',
  keepTheta: 'boolean',
};

/**
 * SPAIC's adaptive STDP-ready LIF (`alifstdp_ex`), an excitatory neuron for unsupervised STDP
 * learning whose threshold rises by a fraction of itself with every spike. Per step of `dt` ms:
 *
 * - `H = vRest + (V − vRest)·e^{−dt/τ} + X`
 * - `Vth = vThreshold + θ·e^{−dt/τθ}`; `S = [H > Vth]` (strict)
 * - `V ← H − vReset·S` (soft reset: `vReset` is subtracted, as SPAIC's code does)
 * - `θ ← θ·e^{−dt/τθ} + thetaPlus·Vth·S`
 *
 * SPAIC compares with the threshold of the *previous* step (its `Vth_theta` is read without the
 * `[updated]` tag, so a spike raises the threshold only from the step after next); this node
 * uses the current threshold, as the model's docstring states (see the README). Like
 * {@link DiehlCookNode}, θ is per neuron and shared by the batch (SPAIC keeps one per sample;
 * they agree for batch 1), changes only in training mode, and is persistent state that `reset()`
 * keeps unless `keepTheta: false` (`resetTheta()` clears it). Inputs need a batch axis.
 *
 * Parameters (defaults, SPAIC's): `dt` 1 ms, `tau` 100 ms, `tauTheta` 1e5 ms, `vThreshold` 2,
 * `vRest` 0, `vReset` 2, `thetaPlus` 0.001, `surrogate` sigmoid(4), `keepTheta` true.
 * State: `v` (starts at `vRest`), `theta` (0).
 *
 * @throws UnknownOptionError for an option name that {@link ALIFSTDPNodeOptions} lacks;
 * ValueError when `dt`, `tau` or `tauTheta` is not > 0, a value is not finite, or a boolean
 * option is not a boolean; on `forward`, ShapeError for an input without a batch axis or whose
 * neurons differ from θ's.
 * @example
 * ```ts
 * const exc = new ALIFSTDPNode({ stepMode: 'm' });
 * const spikes = exc.forward(drive); // [T, 1, N]; theta grows with every spike
 * ```
 */
export class ALIFSTDPNode extends SpaicNode<{ v: Tensor }> implements ALIFSTDPParams {
  readonly dt: number;
  readonly tau: number;
  readonly tauTheta: number;
  readonly vRest: number;
  readonly vReset: number;
  readonly thetaPlus: number;
  readonly vThreshold: number;
  readonly surrogate: SpaicFireParams['surrogate'];
  readonly keepTheta: boolean;
  // θ has its own shape (no batch axis), so the step reads and writes it itself.
  protected readonly stateKeys = ['v'] as const;

  constructor(options: ALIFSTDPNodeOptions = {}) {
    const fn = 'ALIFSTDPNode';
    const o = checkOptionTable(fn, options, ALIF_STDP_NODE_OPTIONS);
    const fire = resolveSpaicFireParams(fn, { ...o, vThreshold: o.vThreshold ?? 2 });
    const dt = checkPositive(fn, 'dt', o.dt ?? 1);
    const tau = checkPositive(fn, 'tau', o.tau ?? 100);
    const tauTheta = checkPositive(fn, 'tauTheta', o.tauTheta ?? 1e5);
    const vRest = checkFinite(fn, 'vRest', o.vRest ?? 0);
    const vReset = checkFinite(fn, 'vReset', o.vReset ?? 2);
    const thetaPlus = checkFinite(fn, 'thetaPlus', o.thetaPlus ?? 0.001);
    const keepTheta = booleanOr(fn, 'keepTheta', o.keepTheta, true);
    super(fn, o, ALIF_STDP_NODE_OPTIONS);
    this.dt = dt;
    this.tau = tau;
    this.tauTheta = tauTheta;
    this.vRest = vRest;
    this.vReset = vReset;
    this.thetaPlus = thetaPlus;
    this.vThreshold = fire.vThreshold;
    this.surrogate = fire.surrogate;
    this.keepTheta = keepTheta;
    this.registerMemory('v', vRest);
    this.registerMemory('theta', 0, { persistent: keepTheta });
  }

  /** The threshold offset θ now, per neuron (owned by the node); the threshold is `vThreshold + θ`. */
  get theta(): Tensor {
    return this.getMemory('theta');
  }

  /** Clears θ (back to 0, shape free again). */
  resetTheta(): void {
    this.resetState('theta');
  }

  /** Besides the state's shape: a batch axis, and neurons that match θ's shape once θ has one. */
  protected override checkInput(x: Tensor, arg: string, stepShape: readonly number[]): void {
    super.checkInput(x, arg, stepShape);
    const fn = `${this.nodeName}.forward`;
    if (stepShape.length < 2) throw new ShapeError(fn, arg, 'a batch axis and neurons, [B, N, ...] per step', x.shape);
    const theta = this.getMemory('theta');
    const neurons = stepShape.slice(1);
    if (theta.rank > 0 && (theta.rank !== neurons.length || theta.shape.some((d, i) => d !== neurons[i]))) {
      throw new ShapeError(
        fn,
        arg,
        `neurons of the shape of theta, [${theta.shape.join(', ')}] (call resetTheta() to change it)`,
        x.shape,
      );
    }
  }

  protected stepState(x: Tensor, s: { v: Tensor }, _e: ExtraInputs): { out: Tensor; state: { v: Tensor } } {
    const r = alifSTDPStep(x, { v: s.v, theta: this.getMemory('theta') }, this, this.training);
    const neurons = x.shape.slice(1);
    this.setMemory('theta', r.state.theta.rank === 0 ? tf.broadcastTo(r.state.theta, neurons) : r.state.theta);
    return { out: r.spike, state: { v: r.state.v } };
  }
}

// SPAIC's firing function for its SpikeProp models (SLIF, SELIF): a spike and its time within
// the step, with the surrogate gradient of SPAIC's TRUE_SpikeProp learner.
import { checkFinite, checkPositive, ShapeError } from '@snn/core';
import type { Tensor } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';
import { type AnyOptionTable, booleanOr, type OptionTable } from './checks.js';
import { checkDt, type NamedState, SPAIC_NODE_OPTIONS, SpaicNode, type SpaicNodeOptions } from './spaic-node.js';

/** Parameters of {@link spikePropFire}. */
export interface SpikePropFireParams {
  /** Firing threshold. */
  readonly vThreshold: number;
  /** Time step in ms. */
  readonly dt: number;
  /** Width below threshold over which the spike passes a gradient to V (TRUE_SpikeProp's `alpha`), > 0. */
  readonly gradAlpha: number;
  /** Scale of the gradient, per ms of `dt` (TRUE_SpikeProp's `beta`). */
  readonly gradBeta: number;
}

/** The smallest slope the spike-time estimate divides by. */
const MIN_SLOPE = 1e-6;

type Fire = (v: Tensor, dv: Tensor) => Tensor;
const fires = new Map<string, Fire>();

function makeFire(p: SpikePropFireParams): Fire {
  const key = `${p.vThreshold} ${p.dt} ${p.gradAlpha} ${p.gradBeta}`;
  let f = fires.get(key);
  if (f !== undefined) return f;
  const scale = p.gradBeta * p.dt;
  const func = (v: Tensor, dv: Tensor, save: tf.GradSaveFunc) => {
    const value = tf.tidy(() => {
      const slope = tf.maximum(dv, MIN_SLOPE);
      const spike = tf.cast(tf.greater(tf.add(v, tf.mul(slope, p.dt)), p.vThreshold), 'float32');
      const wait = tf.minimum(tf.div(tf.maximum(tf.sub(p.vThreshold, v), 0), slope), p.dt);
      return tf.stack([spike, tf.mul(spike, tf.sub(p.dt, wait))], 1);
    });
    save([v, dv, value]);
    return {
      value,
      gradFunc: (dy: Tensor, saved: Tensor[]) => {
        const [sv, sdv, out] = saved as [Tensor, Tensor, Tensor];
        return tf.tidy(() => {
          const [gSpike, gTime] = tf.unstack(dy, 1) as [Tensor, Tensor];
          const spike = tf.unstack(out, 1)[0] as Tensor;
          const slope = tf.maximum(sdv, MIN_SLOPE);
          const ramp = tf.div(
            tf.clipByValue(tf.sub(tf.add(sv, p.gradAlpha), p.vThreshold), 0, p.gradAlpha),
            p.gradAlpha,
          );
          const gv = tf.mul(scale, tf.add(tf.div(tf.mul(spike, gTime), slope), tf.mul(ramp, gSpike)));
          return [gv, tf.zerosLike(sdv)];
        });
      },
    };
  };
  f = tf.customGrad(func as unknown as Parameters<typeof tf.customGrad>[0]) as unknown as Fire;
  if (fires.size > 64) fires.clear();
  fires.set(key, f);
  return f;
}

/**
 * SPAIC's SpikeProp firing function (the forward of its TRUE_SpikeProp learner's, as SLIF and
 * SELIF call it). With V the potential at the end of the step and dV its slope (per ms),
 * `b = max(dV, 1e-6)`:
 *
 * - spike `S = [V + b·dt > vThreshold]`: V will cross within the next `dt` at its current slope;
 * - sub-step time `T = S·(dt − min(max(vThreshold − V, 0)/b, dt))`: how much of the step is left
 *   after the linear crossing (0 without a spike).
 *
 * Returns `stack([S, T], 1)`: `[B, 2, ...]` for V of shape `[B, ...]` (SPAIC's two-channel `O`).
 *
 * Backward (TRUE_SpikeProp): `dL/dV = gradBeta·dt·(S·(dL/dT)/b + r·dL/dS)` with the ramp
 * `r = clamp(V + gradAlpha − vThreshold, 0, gradAlpha)/gradAlpha`; no gradient reaches dV.
 * Pure.
 *
 * @example
 * ```ts
 * const o = spikePropFire(v, dv, { vThreshold: 1, dt: 0.1, gradAlpha: 1, gradBeta: 0.3 });
 * const [spike, subdt] = tf.unstack(o, 1);
 * ```
 */
export function spikePropFire(v: Tensor, dv: Tensor, p: SpikePropFireParams): Tensor {
  return makeFire(p)(v, dv);
}

/** Options the SpikeProp nodes (SLIF, SELIF) share. */
export interface SpikePropNodeOptions extends SpaicNodeOptions {
  /** Firing threshold (SPAIC's `v_th`). Default 1. */
  readonly vThreshold?: number;
  /** Size of the reset (see each node; SPAIC ignores its `v_reset` argument). */
  readonly vReset?: number;
  /** Time step in ms. Default 0.1 (SPAIC's). */
  readonly dt?: number;
  /** Width of the spike's gradient window below threshold (TRUE_SpikeProp's `alpha`), > 0. Default 1. */
  readonly gradAlpha?: number;
  /** Scale of the spike's gradient (TRUE_SpikeProp's `beta`). Default 0.3. */
  readonly gradBeta?: number;
  /**
   * Inputs are pairs `[B, 2, ...]`: the weighted spikes and the weighted sub-step times of a
   * SpikeProp layer below (its output through a linear layer), which correct the kernels for
   * where in the step each input spike fell. Default false: `[B, ...]`.
   */
  readonly pairedInput?: boolean;
}

/** Every option of {@link SpikePropNodeOptions} (see {@link OptionTable}). */
export const SPIKE_PROP_NODE_OPTIONS: OptionTable<SpikePropNodeOptions> = {
  ...SPAIC_NODE_OPTIONS,
  vThreshold: 'value',
  vReset: 'value',
  dt: 'value',
  gradAlpha: 'value',
  gradBeta: 'value',
  pairedInput: 'boolean',
};

/** The resolved common parameters of a SpikeProp node. */
export interface SpikePropCommon extends SpikePropFireParams {
  /** Subtracted from the potential on a spike. */
  readonly vReset: number;
  /** Inputs are `[B, 2, ...]` pairs (spikes, sub-step times). */
  readonly pairedInput: boolean;
}

/** Resolves the common SpikeProp options; `resetFactor·vThreshold` is the default `vReset`. */
export function resolveSpikePropCommon(fn: string, o: SpikePropNodeOptions, resetFactor: number): SpikePropCommon {
  const vThreshold = checkFinite(fn, 'vThreshold', o.vThreshold ?? 1);
  return {
    vThreshold,
    vReset: checkFinite(fn, 'vReset', o.vReset ?? resetFactor * vThreshold),
    dt: checkDt(fn, o.dt),
    gradAlpha: checkPositive(fn, 'gradAlpha', o.gradAlpha ?? 1),
    gradBeta: checkFinite(fn, 'gradBeta', o.gradBeta ?? 0.3),
    pairedInput: booleanOr(fn, 'pairedInput', o.pairedInput, false),
  };
}

/**
 * The input current of a SpikeProp step, `I = V0·X`. For paired input `X = [spikes, times]`
 * (axis 1) returns the two parts of `I` (a kernel with time constant τ then takes
 * `I_spikes − I_times/τ`: the input arrived `time` before the end of the step); else `times` is
 * null. Call inside `tf.tidy`.
 */
export function spikePropInput(x: Tensor, v0: number, paired: boolean): { i: Tensor; times: Tensor | null } {
  const i = tf.mul(v0, x);
  if (!paired) return { i, times: null };
  const [spikes, times] = splitPair(i);
  return { i: spikes, times };
}

/**
 * The two channels of a `[B, 2, ...]` tensor, `[B, ...]` each (an empty one gives empty zeros:
 * tfjs's cpu backend cannot slice an empty tensor). Call inside `tf.tidy`.
 */
export function splitPair(pair: Tensor): [Tensor, Tensor] {
  if (pair.size === 0) {
    const shape = [pair.shape[0] as number, ...pair.shape.slice(2)];
    return [tf.zeros(shape), tf.zeros(shape)];
  }
  return tf.unstack(pair, 1) as [Tensor, Tensor];
}

/** The SpikeProp nodes' common machinery: parameters, input shapes, and the spike/time getters. */
export abstract class SpikePropNode<S extends NamedState> extends SpaicNode<S> implements SpikePropCommon {
  readonly vThreshold: number;
  readonly vReset: number;
  readonly dt: number;
  readonly gradAlpha: number;
  readonly gradBeta: number;
  readonly pairedInput: boolean;

  protected constructor(fn: string, o: SpikePropNodeOptions, table: AnyOptionTable, common: SpikePropCommon) {
    super(fn, o, table);
    this.vThreshold = common.vThreshold;
    this.vReset = common.vReset;
    this.dt = common.dt;
    this.gradAlpha = common.gradAlpha;
    this.gradBeta = common.gradBeta;
    this.pairedInput = common.pairedInput;
  }

  /** Spikes of the last step (owned by the node). */
  get spike(): Tensor {
    return this.getMemory('spike');
  }

  /** Sub-step times of the last step's spikes (owned by the node). */
  get subdt(): Tensor {
    return this.getMemory('subdt');
  }

  protected override stateShape(stepShape: readonly number[], arg: string): readonly number[] {
    const fn = `${this.nodeName}.forward`;
    if (this.pairedInput) {
      if (stepShape.length < 2 || stepShape[1] !== 2)
        throw new ShapeError(fn, arg, 'pairs on axis 1 per step, [B, 2, ...] (pairedInput)', stepShape);
      return [stepShape[0] as number, ...stepShape.slice(2)];
    }
    if (stepShape.length < 1) throw new ShapeError(fn, arg, 'a batch axis per step, [B, ...]', stepShape);
    return stepShape;
  }
}

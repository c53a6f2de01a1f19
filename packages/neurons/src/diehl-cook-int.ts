import { checkBoolean, DTypeError, ShapeError } from '@snn/core';
import type { Tensor } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';
import { booleanOr, checkOptionTable, type OptionTable } from './checks.js';
import { checkInt, int32, shiftRightInt32, toInt32 } from './int-ops.js';
import { type ExtraInputs, SPAIC_NODE_OPTIONS, SpaicNode, type SpaicNodeOptions } from './spaic-node.js';
import type { StepResult } from './step.js';

/** Parameters of {@link diehlCookIntStep}: whole numbers (int32). */
export interface DiehlCookIntParams {
  /** The threshold is halved (`>> 1`) at the start of a step once it is above this. */
  readonly maxThreshold: number;
  /** Leak multiplier: `V − vRest` is multiplied by `decay`, then shifted right by `shiftVoltage`. */
  readonly decay: number;
  /** Right shift of the decayed potential, 0–30 (`decay / 2^shiftVoltage` is the leak factor). */
  readonly shiftVoltage: number;
  /** Input multiplier: the clamped input is multiplied by it, then shifted right by `shiftWeightSumCoef`. */
  readonly weightSumCoef: number;
  /** Right shift of the scaled input, 0–30. */
  readonly shiftWeightSumCoef: number;
  /** The input is clamped to `[weightSumMin, weightSumMax]` first. */
  readonly weightSumMin: number;
  readonly weightSumMax: number;
  /** Potential after a spike. */
  readonly vReset: number;
  /** Resting potential: the target of the leak (and the initial V). */
  readonly vRest: number;
  /** Refractory period in steps (SPAIC's `reset_refrac`). */
  readonly refrac: number;
  /** Threshold rise per spike (summed over the batch). */
  readonly thresholdPlus: number;
  /** Lower bound of V, or null for none. */
  readonly vLowerBound: number | null;
}

/** State of a Diehl & Cook int population: int32 tensors. */
export type DiehlCookIntState = {
  /** Membrane potential V: `[B, ...]`. */
  readonly v: Tensor;
  /** Adaptive threshold, per neuron and shared by the batch: `[...]` (the shape without B). */
  readonly threshold: Tensor;
  /** Refractory steps left: `[B, ...]`, ≥ 0 (0: the neuron integrates). */
  readonly refrac: Tensor;
};

/**
 * One Diehl & Cook int step, in exact int32 arithmetic (`>>` is the arithmetic shift, a floor
 * division):
 *
 * 1. `X' = clamp(X, weightSumMin, weightSumMax)` (a float32 X is truncated toward zero first)
 * 2. learning: `θ = θ >> 1` where `θ > maxThreshold`
 * 3. `H = ((decay·(V − vRest)) >> shiftVoltage) + vRest`
 * 4. `H = H + ((X'·weightSumCoef) >> shiftWeightSumCoef)` where `refrac = 0` (the leak goes on while refractory)
 * 5. `S = [H > θ]` (strict)
 * 6. where S: `V = vReset`, `refrac = refrac` steps; else `refrac = max(refrac − 1, 0)`
 * 7. learning: `θ' = θ + thresholdPlus·Σ_batch S`
 * 8. `V' = max(V, vLowerBound)`
 *
 * `learning` false freezes θ (no halving, no rise), as in testing. Spikes are float32 0/1 without
 * gradient. Pure: reads `s`, never disposes it.
 *
 * @throws DTypeError when `x` is neither int32 nor float32; ValueError when `learning` is not a boolean.
 */
export function diehlCookIntStep(
  x: Tensor,
  s: DiehlCookIntState,
  p: DiehlCookIntParams,
  learning = true,
): StepResult<DiehlCookIntState> {
  checkBoolean('diehlCookIntStep', 'learning', learning);
  return tf.tidy(() => {
    const xi = toInt32('diehlCookIntStep', 'x', x);
    const clamped = tf.minimum(tf.maximum(xi, int32(p.weightSumMin)), int32(p.weightSumMax));
    const theta = learning
      ? tf.where(tf.greater(s.threshold, int32(p.maxThreshold)), shiftRightInt32(s.threshold, 1), s.threshold)
      : s.threshold;
    const rest = int32(p.vRest);
    const decayed = tf.add(shiftRightInt32(tf.mul(int32(p.decay), tf.sub(s.v, rest)), p.shiftVoltage), rest);
    const drive = shiftRightInt32(tf.mul(clamped, int32(p.weightSumCoef)), p.shiftWeightSumCoef);
    const h = tf.add(decayed, tf.where(tf.lessEqual(s.refrac, int32(0)), drive, tf.zerosLike(drive)));
    const fired = tf.greater(h, theta);
    const refrac = tf.where(fired, int32(p.refrac), tf.maximum(tf.sub(s.refrac, int32(1)), int32(0)));
    const reset = tf.where(fired, int32(p.vReset), h);
    const v = p.vLowerBound === null ? reset : tf.maximum(reset, int32(p.vLowerBound));
    const spike = tf.cast(fired, 'float32');
    const rise = tf.mul(int32(p.thresholdPlus), tf.sum(tf.cast(fired, 'int32'), 0));
    const threshold = learning ? tf.add(theta, rise) : tf.clone(theta);
    return { spike, state: { v, threshold, refrac } };
  });
}

/** The initial state: `V = vRest`, threshold `vThreshold`, no refractory steps (int32 scalars that broadcast). */
export function diehlCookIntInitialState(
  p: Pick<DiehlCookIntParams, 'vRest'> & { vThreshold: number },
): DiehlCookIntState {
  return { v: int32(p.vRest), threshold: int32(p.vThreshold), refrac: int32(0) };
}

/** Options of {@link DiehlCookIntNode}: whole numbers; see {@link DiehlCookIntParams}. */
export interface DiehlCookIntNodeOptions extends SpaicNodeOptions {
  /** Initial threshold (SPAIC's `thresh`). Default 213. */
  readonly vThreshold?: number;
  /** Default 4915. */
  readonly maxThreshold?: number;
  /** Default 1013 (with `shiftVoltage` 10: ×0.989 per step). */
  readonly decay?: number;
  /** 0–30. Default 10. */
  readonly shiftVoltage?: number;
  /** Default 154 (with `shiftWeightSumCoef` 10: ×0.150). */
  readonly weightSumCoef?: number;
  /** 0–30. Default 10. */
  readonly shiftWeightSumCoef?: number;
  /** Default −32767. */
  readonly weightSumMin?: number;
  /** Default 32767. */
  readonly weightSumMax?: number;
  /** Default 0. */
  readonly vReset?: number;
  /** Default 0. */
  readonly vRest?: number;
  /** Steps, ≥ 0. Default 5. */
  readonly refrac?: number;
  /** Default 66. */
  readonly thresholdPlus?: number;
  /** A whole number, or null for none. Default −32767. */
  readonly vLowerBound?: number | null;
  /** Whether `reset()` keeps the learned threshold. Default true. */
  readonly keepThreshold?: boolean;
}

/** Every option of {@link DiehlCookIntNodeOptions} (see {@link OptionTable}). */
export const DIEHL_COOK_INT_NODE_OPTIONS: OptionTable<DiehlCookIntNodeOptions> = {
  ...SPAIC_NODE_OPTIONS,
  vThreshold: 'value',
  maxThreshold: 'value',
  decay: 'value',
  shiftVoltage: 'value',
  weightSumCoef: 'value',
  shiftWeightSumCoef: 'value',
  weightSumMin: 'value',
  weightSumMax: 'value',
  vReset: 'value',
  vRest: 'value',
  refrac: 'value',
  thresholdPlus: 'value',
  vLowerBound: 'value',
  keepThreshold: 'boolean',
};

/**
 * Resolves and checks every parameter of `o` (SPAIC's defaults); `fn` names the caller in errors.
 * @throws ValueError when a parameter is not a whole number in range, or `weightSumMin > weightSumMax`.
 */
export function resolveDiehlCookIntParams(
  fn: string,
  o: DiehlCookIntNodeOptions,
): DiehlCookIntParams & { vThreshold: number } {
  const weightSumMin = checkInt(fn, 'weightSumMin', o.weightSumMin ?? -32767);
  const weightSumMax = checkInt(fn, 'weightSumMax', o.weightSumMax ?? 32767, weightSumMin);
  const vLowerBound = o.vLowerBound === undefined ? -32767 : o.vLowerBound;
  return {
    vThreshold: checkInt(fn, 'vThreshold', o.vThreshold ?? 213),
    maxThreshold: checkInt(fn, 'maxThreshold', o.maxThreshold ?? 4915),
    decay: checkInt(fn, 'decay', o.decay ?? 1013),
    shiftVoltage: checkInt(fn, 'shiftVoltage', o.shiftVoltage ?? 10, 0, 30),
    weightSumCoef: checkInt(fn, 'weightSumCoef', o.weightSumCoef ?? 154),
    shiftWeightSumCoef: checkInt(fn, 'shiftWeightSumCoef', o.shiftWeightSumCoef ?? 10, 0, 30),
    weightSumMin,
    weightSumMax,
    vReset: checkInt(fn, 'vReset', o.vReset ?? 0),
    vRest: checkInt(fn, 'vRest', o.vRest ?? 0),
    refrac: checkInt(fn, 'refrac', o.refrac ?? 5, 0),
    thresholdPlus: checkInt(fn, 'thresholdPlus', o.thresholdPlus ?? 66),
    vLowerBound: vLowerBound === null ? null : checkInt(fn, 'vLowerBound', vLowerBound),
  };
}

/**
 * SPAIC's integer Diehl & Cook neuron (`diehlandcook`, class `DiehlAndCookModelInt`), the
 * quantised version of {@link DiehlCookNode} for neuromorphic hardware: int32 state and exact
 * int32 arithmetic on every backend. Per step (see {@link diehlCookIntStep}):
 *
 * - halve the threshold (`θ >> 1`) where it is above `maxThreshold` (in training mode)
 * - leak by multiply and shift: `H = ((decay·(V − vRest)) >> shiftVoltage) + vRest`
 * - input, unless refractory: `H += (clamp(X)·weightSumCoef) >> shiftWeightSumCoef`
 * - `S = [H > θ]`; where S: `V = vReset`, `refrac` steps of refractoriness, `θ += thresholdPlus`
 *   per spike in the batch (training mode); then `V = max(V, vLowerBound)`
 *
 * The input is int32, or float32 truncated toward zero (SPAIC's `x.int()`). θ is per neuron and
 * shared by the batch (shape `[...]` without B, as `DiehlCookNode`); it changes only in training
 * mode (`train()`, the default; `eval()` freezes it, halving included) and is persistent state:
 * `reset()` keeps it unless `keepThreshold: false`; `resetThreshold()` restores `vThreshold`.
 * Inputs need a batch axis: `[B, N, ...]`. Spikes are float32 0/1 without gradient.
 *
 * Parameters (defaults, SPAIC's): `vThreshold` 213, `maxThreshold` 4915, `decay` 1013,
 * `shiftVoltage` 10, `weightSumCoef` 154, `shiftWeightSumCoef` 10, `weightSumMin` −32767,
 * `weightSumMax` 32767, `vReset` 0, `vRest` 0, `refrac` 5 steps, `thresholdPlus` 66,
 * `vLowerBound` −32767, `keepThreshold` true. State: `v` (int32, starts at `vRest`),
 * `threshold` (int32, per neuron), `refrac` (refractory steps left).
 *
 * @throws UnknownOptionError for an option name that {@link DiehlCookIntNodeOptions} lacks;
 * ValueError when a parameter is not a whole number in range or a boolean option is not a
 * boolean; on `forward`, DTypeError for an input that is neither int32 nor float32 and
 * ShapeError for one without a batch axis or whose neurons differ from the threshold's.
 * @example
 * ```ts
 * const exc = new DiehlCookIntNode({ stepMode: 'm' });
 * const spikes = exc.forward(tf.fill([100, 1, 64], 1000, 'int32')); // 1000·154 >> 10 = 150 per step
 * exc.threshold; // 213 + 66 per spike
 * ```
 */
export class DiehlCookIntNode extends SpaicNode<{ v: Tensor; refrac: Tensor }> implements DiehlCookIntParams {
  readonly vThreshold: number;
  readonly maxThreshold: number;
  readonly decay: number;
  readonly shiftVoltage: number;
  readonly weightSumCoef: number;
  readonly shiftWeightSumCoef: number;
  readonly weightSumMin: number;
  readonly weightSumMax: number;
  readonly vReset: number;
  readonly vRest: number;
  readonly refrac: number;
  readonly thresholdPlus: number;
  readonly vLowerBound: number | null;
  readonly keepThreshold: boolean;
  // The threshold has its own shape (no batch axis), so the step reads and writes it itself.
  protected readonly stateKeys = ['v', 'refrac'] as const;

  constructor(options: DiehlCookIntNodeOptions = {}) {
    const fn = 'DiehlCookIntNode';
    const o = checkOptionTable(fn, options, DIEHL_COOK_INT_NODE_OPTIONS);
    const p = resolveDiehlCookIntParams(fn, o);
    const keepThreshold = booleanOr(fn, 'keepThreshold', o.keepThreshold, true);
    super(fn, o, DIEHL_COOK_INT_NODE_OPTIONS);
    this.vThreshold = p.vThreshold;
    this.maxThreshold = p.maxThreshold;
    this.decay = p.decay;
    this.shiftVoltage = p.shiftVoltage;
    this.weightSumCoef = p.weightSumCoef;
    this.shiftWeightSumCoef = p.shiftWeightSumCoef;
    this.weightSumMin = p.weightSumMin;
    this.weightSumMax = p.weightSumMax;
    this.vReset = p.vReset;
    this.vRest = p.vRest;
    this.refrac = p.refrac;
    this.thresholdPlus = p.thresholdPlus;
    this.vLowerBound = p.vLowerBound;
    this.keepThreshold = keepThreshold;
    this.registerMemory('v', () => int32(p.vRest));
    this.registerMemory('refrac', () => int32(0));
    this.registerMemory('threshold', () => int32(p.vThreshold), { persistent: keepThreshold });
  }

  /** The adaptive threshold now, per neuron (int32, owned by the node). */
  get threshold(): Tensor {
    return this.getMemory('threshold');
  }

  /** Refractory steps left, per neuron and sample (owned by the node). */
  get refracSteps(): Tensor {
    return this.getMemory('refrac');
  }

  /** Restores the threshold to `vThreshold` (a scalar again, so the neuron shape is free). */
  resetThreshold(): void {
    this.resetState('threshold');
  }

  /** Besides the state's shape: int32 or float32, a batch axis, neurons that match the threshold's shape. */
  protected override checkInput(x: Tensor, arg: string, stepShape: readonly number[]): void {
    super.checkInput(x, arg, stepShape);
    const fn = `${this.nodeName}.forward`;
    if (x.dtype !== 'int32' && x.dtype !== 'float32') throw new DTypeError(fn, arg, 'int32 or float32', x.dtype);
    if (stepShape.length < 2) throw new ShapeError(fn, arg, 'a batch axis and neurons, [B, N, ...] per step', x.shape);
    const theta = this.getMemory('threshold');
    const neurons = stepShape.slice(1);
    if (theta.rank > 0 && (theta.rank !== neurons.length || theta.shape.some((d, i) => d !== neurons[i]))) {
      throw new ShapeError(
        fn,
        arg,
        `neurons of the shape of the threshold, [${theta.shape.join(', ')}] (call resetThreshold() to change it)`,
        x.shape,
      );
    }
  }

  protected stepState(
    x: Tensor,
    s: { v: Tensor; refrac: Tensor },
    _e: ExtraInputs,
  ): { out: Tensor; state: { v: Tensor; refrac: Tensor } } {
    const r = diehlCookIntStep(x, { ...s, threshold: this.getMemory('threshold') }, this, this.training);
    // A scalar threshold (before the first step) takes the neurons' shape here.
    const neurons = x.shape.slice(1);
    const threshold = r.state.threshold.rank === 0 ? tf.broadcastTo(r.state.threshold, neurons) : r.state.threshold;
    this.setMemory('threshold', threshold);
    return { out: r.spike, state: { v: r.state.v, refrac: r.state.refrac } };
  }
}

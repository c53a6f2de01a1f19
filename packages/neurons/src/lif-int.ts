import { DTypeError } from '@snn/core';
import type { Tensor } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';
import { checkOptionTable, type OptionTable } from './checks.js';
import { checkInt, int32, shiftRightInt32, toInt32 } from './int-ops.js';
import { type ExtraInputs, SPAIC_NODE_OPTIONS, SpaicNode, type SpaicNodeOptions } from './spaic-node.js';
import type { StepResult } from './step.js';

/** Parameters of {@link lifIntStep}: whole numbers (int32). */
export interface LIFIntParams {
  /** Firing threshold: a neuron fires when `V ≥ vThreshold` (inclusive, as SPAIC's `lifint`). */
  readonly vThreshold: number;
  /** Potential after a spike. */
  readonly vReset: number;
  /** Resting potential, the target of the leak (and the initial V). */
  readonly vRest: number;
  /** Leak multiplier: `V − vRest` is multiplied by `decay`, then shifted right by `shiftVoltage`. */
  readonly decay: number;
  /** Right shift of the decayed potential (floor division by `2^shiftVoltage`), 0–30. */
  readonly shiftVoltage: number;
  /** Refractory period in steps (SPAIC's `reset_refrac`): the input is ignored for that many steps after a spike. */
  readonly refrac: number;
}

/** State of a LIF-int population: int32 tensors. */
export type LIFIntState = {
  /** Membrane potential V, int32. */
  readonly v: Tensor;
  /** Refractory steps left, int32, ≥ 0 (0: the neuron integrates). */
  readonly refrac: Tensor;
};

/**
 * One LIF-int step, in exact int32 arithmetic (`>>` is the arithmetic shift, a floor division):
 *
 * 1. `H = ((decay·(V − vRest)) >> shiftVoltage) + vRest`
 * 2. `H = H + X` where `refrac = 0` (the input is dropped while refractory; the leak goes on)
 * 3. `S = [H ≥ vThreshold]`
 * 4. `refrac' = refrac` steps where S, else `max(refrac − 1, 0)`; `V' = vReset` where S, else H
 *
 * `x` is int32, or float32 truncated toward zero (torch's `.int()`). Spikes are float32 0/1
 * (no gradient: the model is not differentiable). Pure: reads `s`, never disposes it.
 *
 * @throws DTypeError when `x` is neither int32 nor float32.
 */
export function lifIntStep(x: Tensor, s: LIFIntState, p: LIFIntParams): StepResult<LIFIntState> {
  return tf.tidy(() => {
    const xi = toInt32('lifIntStep', 'x', x);
    const rest = int32(p.vRest);
    const decayed = shiftRightInt32(tf.mul(int32(p.decay), tf.sub(s.v, rest)), p.shiftVoltage);
    const integrating = tf.lessEqual(s.refrac, int32(0));
    const h = tf.add(tf.add(decayed, rest), tf.where(integrating, xi, tf.zerosLike(xi)));
    const fired = tf.greaterEqual(h, int32(p.vThreshold));
    const countdown = tf.maximum(tf.sub(s.refrac, int32(1)), int32(0));
    const refrac = tf.where(fired, int32(p.refrac), countdown);
    const v = tf.where(fired, int32(p.vReset), h);
    return { spike: tf.cast(fired, 'float32'), state: { v, refrac } };
  });
}

/** The initial state: `V = vRest`, no refractory steps left (int32 scalars that broadcast). */
export function lifIntInitialState(p: Pick<LIFIntParams, 'vRest'>): LIFIntState {
  return { v: int32(p.vRest), refrac: int32(0) };
}

/** Options of {@link LIFIntNode}: whole numbers. */
export interface LIFIntNodeOptions extends SpaicNodeOptions {
  /** Default 1 (SPAIC's `thresh`). */
  readonly vThreshold?: number;
  /** Default 0 (SPAIC's `v_reset`). */
  readonly vReset?: number;
  /** Default 0 (SPAIC's `v_rest`). */
  readonly vRest?: number;
  /** Default 1: no leak (SPAIC's `decay`). */
  readonly decay?: number;
  /** 0–30. Default 0 (SPAIC has no shift here; see {@link LIFIntNode}). */
  readonly shiftVoltage?: number;
  /** Steps, ≥ 0. Default 0 (SPAIC's `reset_refrac`). */
  readonly refrac?: number;
}

/** Every option of {@link LIFIntNodeOptions} (see {@link OptionTable}). */
export const LIF_INT_NODE_OPTIONS: OptionTable<LIFIntNodeOptions> = {
  ...SPAIC_NODE_OPTIONS,
  vThreshold: 'value',
  vReset: 'value',
  vRest: 'value',
  decay: 'value',
  shiftVoltage: 'value',
  refrac: 'value',
};

/** Resolves and checks every parameter of `o`; `fn` names the caller in errors. */
export function resolveLIFIntParams(fn: string, o: LIFIntNodeOptions): LIFIntParams {
  return {
    vThreshold: checkInt(fn, 'vThreshold', o.vThreshold ?? 1),
    vReset: checkInt(fn, 'vReset', o.vReset ?? 0),
    vRest: checkInt(fn, 'vRest', o.vRest ?? 0),
    decay: checkInt(fn, 'decay', o.decay ?? 1),
    shiftVoltage: checkInt(fn, 'shiftVoltage', o.shiftVoltage ?? 0, 0, 30),
    refrac: checkInt(fn, 'refrac', o.refrac ?? 0, 0),
  };
}

/**
 * SPAIC's integer LIF (`lifint`) for neuromorphic hardware: int32 state and exact int32
 * arithmetic on every backend (tfjs's division is emulated where a backend rounds through
 * float32). Per step:
 *
 * - `H = ((decay·(V − vRest)) >> shiftVoltage) + vRest`, plus the input X unless refractory
 * - `S = [H ≥ vThreshold]` (inclusive, as SPAIC's `lifint`; its float models fire at `>`)
 * - where S: `V = vReset` and `refrac` steps of refractoriness, in which the input is dropped
 *
 * SPAIC's `decay` is a plain factor; `shiftVoltage` (default 0, which is SPAIC's model) adds the
 * multiply-and-shift decay of its Diehl & Cook int model, so that a fractional leak stays whole:
 * `decay: 3, shiftVoltage: 2` multiplies by 3/4 and rounds toward −∞.
 *
 * The input is int32, or float32 truncated toward zero; values and products must stay in the
 * int32 range (they wrap, as int32 does). Spikes are float32 0/1 without gradient. Parameters
 * (defaults, SPAIC's): `vThreshold` 1, `vReset` 0, `vRest` 0, `decay` 1 (no leak),
 * `shiftVoltage` 0, `refrac` 0 steps. State: `v` (int32, starts at `vRest`), `refrac`
 * (refractory steps left, int32, 0).
 *
 * @throws UnknownOptionError for an option name that {@link LIFIntNodeOptions} lacks; ValueError
 * when a parameter is not a whole number in range (`shiftVoltage` 0–30, `refrac` ≥ 0) or a
 * boolean option is not a boolean; on `forward`, DTypeError for an input that is neither int32
 * nor float32.
 * @example
 * ```ts
 * const node = new LIFIntNode({ vThreshold: 10, decay: 3, shiftVoltage: 2, refrac: 2, stepMode: 'm' });
 * const spikes = node.forward(tf.fill([7, 1, 1], 4, 'int32')); // V: 4, 7, 9, 10 → spike, 0, 0, 4
 * ```
 */
export class LIFIntNode extends SpaicNode<LIFIntState> implements LIFIntParams {
  readonly vThreshold: number;
  readonly vReset: number;
  readonly vRest: number;
  readonly decay: number;
  readonly shiftVoltage: number;
  readonly refrac: number;
  protected readonly stateKeys = ['v', 'refrac'] as const;

  constructor(options: LIFIntNodeOptions = {}) {
    const o = checkOptionTable('LIFIntNode', options, LIF_INT_NODE_OPTIONS);
    const p = resolveLIFIntParams('LIFIntNode', o);
    super('LIFIntNode', o, LIF_INT_NODE_OPTIONS);
    this.vThreshold = p.vThreshold;
    this.vReset = p.vReset;
    this.vRest = p.vRest;
    this.decay = p.decay;
    this.shiftVoltage = p.shiftVoltage;
    this.refrac = p.refrac;
    this.registerMemory('v', () => int32(p.vRest));
    this.registerMemory('refrac', () => int32(0));
  }

  /** Refractory steps left, per neuron and sample (owned by the node). */
  get refracSteps(): Tensor {
    return this.getMemory('refrac');
  }

  /** Besides the shape checks: int32 or float32 input. */
  protected override checkInput(x: Tensor, arg: string, stepShape: readonly number[]): void {
    super.checkInput(x, arg, stepShape);
    if (x.dtype !== 'int32' && x.dtype !== 'float32') {
      throw new DTypeError(`${this.nodeName}.forward`, arg, 'int32 or float32', x.dtype);
    }
  }

  protected stepState(x: Tensor, s: LIFIntState, _e: ExtraInputs): { out: Tensor; state: LIFIntState } {
    const r = lifIntStep(x, s, this);
    return { out: r.spike, state: r.state };
  }
}

import type { Tensor } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';
import { checkOptionTable, type OptionTable } from './checks.js';
import { RateNode, type RateNodeOptions, type RateStepResult } from './mean-field.js';
import { type ExtraInputs, SPAIC_NODE_OPTIONS } from './spaic-node.js';
import type { MembraneState } from './step.js';

/** Parameters of {@link simpleRateStep}. */
export interface SimpleRateParams {
  /** `dt/τ` in float32, in (0, 1]. */
  readonly rate: number;
}

/**
 * One SimpleRate step: `U' = U + (dt/τ)·(sigmoid(X + I_ext) − U)`, in the order of SPAIC's op
 * list (`X + I_ext`, sigmoid, minus U, times dt/τ, plus U); the output is U'. `iExt` is a number
 * or a tensor of X's shape. Pure: reads `s`, never disposes it.
 */
export function simpleRateStep(
  x: Tensor,
  s: MembraneState,
  iExt: Tensor | number,
  p: SimpleRateParams,
): RateStepResult {
  return tf.tidy(() => {
    const f = tf.sigmoid(tf.add(x, iExt));
    const v = tf.add(tf.mul(p.rate, tf.sub(f, s.v)), s.v);
    return { out: tf.clone(v), state: { v } };
  });
}

/** Options of {@link SimpleRateNode}. */
export type SimpleRateNodeOptions = RateNodeOptions;

/** Every option of {@link SimpleRateNodeOptions} (see {@link OptionTable}). */
export const SIMPLE_RATE_NODE_OPTIONS: OptionTable<SimpleRateNodeOptions> = {
  ...SPAIC_NODE_OPTIONS,
  tau: 'value',
  dt: 'value',
  iExt: 'value',
};

/**
 * SPAIC's `SimpleRateModel`, a sigmoid rate unit:
 *
 * - `U ← U + (dt/τ)·(sigmoid(X + I_ext) − U)` (forward Euler of `τ dU/dt = −U + σ(X + I_ext)`)
 * - output U, a rate in (0, 1) once it has relaxed
 *
 * SPAIC 0.6.3 defines this model but cannot build it (it is not registered, and its constructor
 * calls the wrong superclass; its op list also needs a `sigmoid` op the backend lacks), so it is
 * implemented from its documented equation and op list; there are no SPAIC numbers to compare.
 * X is the synaptic input (`WgtSum`), I_ext the external input (the `iExt` option, or
 * {@link RateNode.forwardWithExternal} for one call).
 *
 * Parameters (defaults, SPAIC's): `tau` 1 ms, `dt` 0.1 ms, `iExt` 0. State: `v` (U, starts at 0).
 *
 * @throws UnknownOptionError for an option name that {@link SimpleRateNodeOptions} lacks;
 * ValueError when `tau` or `dt` is not > 0, `tau < dt`, or `iExt` is not finite; on `forward`,
 * DTypeError for a non-float32 input.
 * @example
 * ```ts
 * const unit = new SimpleRateNode({ tau: 5, stepMode: 'm' });
 * const u = unit.forward(tf.fill([400, 1, 3], 2)); // relaxes to sigmoid(2) ≈ 0.881
 * ```
 */
export class SimpleRateNode extends RateNode implements SimpleRateParams {
  constructor(options: SimpleRateNodeOptions = {}) {
    const o = checkOptionTable('SimpleRateNode', options, SIMPLE_RATE_NODE_OPTIONS);
    super('SimpleRateNode', o, SIMPLE_RATE_NODE_OPTIONS);
  }

  protected stepState(x: Tensor, s: MembraneState, e: ExtraInputs): RateStepResult {
    return simpleRateStep(x, s, this.external(e), this);
  }
}

import { checkOneOf } from '@snn/core';
import type { Tensor } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';

/**
 * A sign constraint on a layer's weights (Dale's law: a population's outgoing synapses are all
 * excitatory or all inhibitory; SpikingJelly #466).
 *
 * - `'nonNegative'`: every weight ≥ 0 (excitatory);
 * - `'nonPositive'`: every weight ≤ 0 (inhibitory).
 *
 * It is a parameterisation, not a projection: the layer stores an unconstrained variable `θ`
 * (`layer.weight`) and computes with `W = |θ|` or `W = −|θ|`. The constraint therefore holds after
 * any optimizer step, with any optimizer, with nothing to call after the step.
 */
export type WeightConstraint = 'nonNegative' | 'nonPositive';

/** The constraints a weighted layer accepts. */
export const WEIGHT_CONSTRAINTS: readonly WeightConstraint[] = ['nonNegative', 'nonPositive'];

/**
 * Checks a `constraint` option: `undefined` and `null` mean none.
 * @throws ValueError for anything but `'nonNegative'`, `'nonPositive'`, `null` or `undefined`.
 */
export function checkConstraint(fn: string, value: unknown): WeightConstraint | null {
  if (value === undefined || value === null) return null;
  return checkOneOf(fn, 'constraint', value, WEIGHT_CONSTRAINTS);
}

/**
 * The weight a layer computes with: `θ` unconstrained, `|θ|` for `'nonNegative'`, `−|θ|` for
 * `'nonPositive'`. Differentiable in `θ` (d|θ|/dθ = sign θ). Returns a new tensor the caller owns.
 */
export function constrainWeight(theta: Tensor, constraint: WeightConstraint | null): Tensor {
  if (constraint === null) return tf.clone(theta);
  if (constraint === 'nonNegative') return tf.abs(theta);
  return tf.tidy(() => tf.neg(tf.abs(theta)));
}

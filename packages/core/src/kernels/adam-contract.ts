/**
 * The fused Adam update: one kernel per variable in place of tfjs's fourteen. Same float32
 * arithmetic as tfjs's `AdamOptimizer.applyGradients`, in its order:
 *
 * - `m' = m·β1 + g·(1 − β1)`, `v' = v·β2 + g²·(1 − β2)`
 * - `value' = (m'/c1) / (sqrt(v'/c2) + ε) · (−lr) + value`, with `c1 = 1 − β1ᵗ`, `c2 = 1 − β2ᵗ`
 *   (the optimizer's bias corrections, scalar inputs so that they stay on the device).
 *
 * Inputs: `value`, `m`, `v`, `gradient` (one shape), `c1`, `c2` (scalars). Outputs, in this order:
 * `value'`, `m'`, `v'`.
 */
export const AdamUpdate = 'SnnAdamUpdate';

/** Attributes of {@link AdamUpdate}. */
export interface AdamUpdateAttrs {
  learningRate: number;
  beta1: number;
  beta2: number;
  epsilon: number;
  [name: string]: number;
}

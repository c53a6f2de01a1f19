import type { Tensor } from '@tensorflow/tfjs-core';
import { fire, type NodeParams, resetV } from './base-node.js';

// Type aliases rather than interfaces: tf.tidy returns only objects with an index signature.

/** State of a neuron whose only variable is its membrane potential. */
export type MembraneState = {
  /** Membrane potential V: a scalar (before the first step) or `[B, ...]`. */
  readonly v: Tensor;
};

/** What a pure step returns: this step's spikes and the new state (new tensors, owned by the caller). */
export type StepResult<S> = {
  readonly spike: Tensor;
  readonly state: S;
};

/**
 * Fire and reset after a charge, the second half of every pure step:
 * `S = Θ(H − vThreshold)` (surrogate gradient backward), then hard `V = H·(1 − S) + vReset·S` or
 * soft `V = H − vThreshold·S`. Call inside `tf.tidy`.
 */
export function fireAndReset(h: Tensor, p: NodeParams): StepResult<MembraneState> {
  const spike = fire(h, p);
  return { spike, state: { v: resetV(h, spike, p) } };
}

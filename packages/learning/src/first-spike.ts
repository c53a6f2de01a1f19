import type { Tensor } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';
import { checkOutputSeq } from './labels.js';

/**
 * Differentiable first-spike time of every output neuron, in time steps:
 *
 * `t̂[b, c] = Σ_{t=0}^{T−1} Π_{k=0}^{t} (1 − S[k, b, c])`
 *
 * Each product is 1 while neuron (b, c) has not fired up to step t and 0 from its first spike
 * on, so for 0/1 spikes `t̂` is exactly the index of the first spike (0-based), and T when the
 * neuron never fires. For values in [0, 1] read as spike probabilities of independent steps it
 * is the expected first-spike time, with T standing for "no spike".
 *
 * Gradients flow through the products (and through the surrogate gradient of the spikes that
 * produced `S`): `∂t̂/∂S[j] = −Σ_{t ≥ j} Π_{k ≤ t, k ≠ j} (1 − S[k])`, which is negative for
 * every step up to and including the first spike (firing earlier lowers `t̂`) and 0 after it.
 * A silent neuron gets `−(T − j)` at step j, so the loss can still wake it up.
 *
 * @param spikeSeq - float32 `[T, B, C]`, spikes in {0, 1} (or probabilities in [0, 1]).
 * @returns float32 `[B, C]`, values in [0, T]; the caller owns it.
 * @throws ShapeError unless `spikeSeq` is `[T, B, C]` with B, C ≥ 1; ValueError when T = 0;
 *   DTypeError unless float32.
 * @example
 * ```ts
 * const s = tf.tensor3d([[[0, 1]], [[1, 0]], [[1, 0]]]); // T = 3, B = 1, C = 2
 * firstSpikeTime(s).print(); // [[1, 0]]
 * ```
 */
export function firstSpikeTime(spikeSeq: Tensor): Tensor {
  const [T, B, C] = checkOutputSeq('firstSpikeTime', 'spikeSeq', spikeSeq);
  return tf.tidy(() => {
    let survive: Tensor = tf.ones([B, C]);
    let total: Tensor = tf.zeros([B, C]);
    for (let t = 0; t < T; t++) {
      const s = tf.reshape(tf.slice(spikeSeq, [t, 0, 0], [1, B, C]), [B, C]);
      survive = tf.mul(survive, tf.sub(1, s));
      total = tf.add(total, survive);
    }
    return total;
  });
}

/** What a Tempotron reads out of its voltage trace `v` `[B, outFeatures, T]`. */
import { checkFinite, checkRank, detach, ValueError } from '@snn/core';
import type { Tensor } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';

function checkTrace(fn: string, v: Tensor): number {
  checkRank(fn, 'v', v, 3, '[B, outFeatures, T]');
  const T = v.shape[2] as number;
  if (T < 1) throw new ValueError(fn, 'v.shape[2] (T)', 'at least 1 time step', T);
  return T;
}

/**
 * The peak of each trace, `v_max[b, o] = max_t v[b, o, t]` (SpikingJelly's `'v_max'`, without
 * its `.squeeze()`). As PyTorch's max pooling, the gradient goes to the first time of the
 * maximum only.
 *
 * @param v - Voltage traces `[B, outFeatures, T]`.
 * @returns `[B, outFeatures]`, a new tensor the caller owns.
 * @throws ShapeError when `v` is not rank 3; ValueError when `T = 0`.
 */
export function voltageMax(v: Tensor): Tensor {
  const T = checkTrace('voltageMax', v);
  return tf.tidy(() => {
    // One step is its own maximum (and tf.oneHot refuses a depth below 2).
    if (T === 1) return tf.reshape(v, v.shape.slice(0, 2));
    const first = tf.cast(tf.oneHot(tf.argMax(v, 2), T), 'float32');
    return tf.sum(tf.mul(v, first), 2);
  });
}

/**
 * SpikingJelly's `'spikes'` read-out: the time of the voltage maximum (first maximum,
 * `argmax_t v`), positive where `v_max >= vThreshold` and negated where the neuron stays below
 * it. A silent neuron peaking at `t = 0` therefore reads 0, like one that fires at 0.
 *
 * Backward is straight-through: the value is `s·t̃ + detach(s·argmax − s·t̃)` with
 * `t̃ = Σ_t softmax(T·v)[t]·t` and `s = ±1`, so the gradient is that of `s·t̃`.
 *
 * @param v - Voltage traces `[B, outFeatures, T]`.
 * @param vThreshold - The firing threshold.
 * @returns float32 `[B, outFeatures]`, a new tensor the caller owns.
 * @throws ShapeError when `v` is not rank 3; ValueError when `T = 0` or the threshold is not finite.
 */
export function maxTimeSpikes(v: Tensor, vThreshold: number): Tensor {
  const fn = 'maxTimeSpikes';
  const T = checkTrace(fn, v);
  checkFinite(fn, 'vThreshold', vThreshold);
  return tf.tidy(() => {
    const hard = tf.cast(tf.argMax(v, 2), 'float32');
    const steps = tf.range(0, T, 1, 'float32');
    const soft = tf.sum(tf.mul(tf.softmax(tf.mul(v, T)), steps), 2);
    const fired = tf.cast(tf.greaterEqual(tf.max(v, 2), vThreshold), 'float32');
    const sign = tf.sub(tf.mul(fired, 2), 1);
    const hardSigned = tf.mul(hard, sign);
    const softSigned = tf.mul(soft, sign);
    return tf.add(softSigned, detach(tf.sub(hardSigned, softSigned)));
  });
}

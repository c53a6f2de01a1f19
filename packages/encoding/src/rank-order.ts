/**
 * Rank-order coding (Thorpe & Gautrais, 1998): information is in the order in which the elements
 * of a sample fire, strongest first; each element fires at most once.
 */
import type { Tensor } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';
import { checkAllFinite, checkInteger, checkMinRank } from './checks.js';

/**
 * Rank-order coding. Within each sample `b`, an element with `x > 0` has rank
 * `r = #{ j in b : x_j > x_i }` (ties share a rank) and fires once, at step
 * `t = floor(r · T / N_b)`, where `N_b` is the number of elements of the sample with `x > 0`.
 * The strongest element fires at step 0; when `T >= N_b` every distinct rank gets its own step.
 * Elements with `x <= 0` carry no information and never fire.
 *
 * @param x - Values `[B, ...]`, finite (rank >= 2: the first axis is the batch).
 * @param T - Number of time steps, an integer >= 1.
 * @returns Spikes `[T, B, ...]`, float32 0/1, at most one spike per element.
 * @throws EncodingValueError for `T < 1` or a non-finite value.
 * @throws EncodingShapeError when `x` has rank < 2.
 * @example
 * ```ts
 * const s = rankOrderEncode(tf.tensor2d([[0.2, 0.9, 0, 0.5]]), 3);   // [3, 1, 4]
 * // 0.9 fires at t = 0, 0.5 at t = 1, 0.2 at t = 2, 0 never
 * ```
 */
export function rankOrderEncode(x: Tensor, T: number): Tensor {
  const fn = 'rankOrderEncode';
  checkMinRank(fn, 'x', x, 2, '[B, ...]');
  checkInteger(fn, 'T', T, 1);
  checkAllFinite(fn, 'x', x);
  const B = x.shape[0] as number;
  const n = B === 0 ? 0 : x.size / B;
  const values = x.dataSync();
  const out = new Float32Array(T * x.size);
  const order = new Int32Array(n);
  for (let b = 0; b < B; b++) {
    const base = b * n;
    let active = 0;
    for (let i = 0; i < n; i++) if ((values[base + i] as number) > 0) order[active++] = i;
    const firing = order
      .subarray(0, active)
      .sort((i, j) => (values[base + j] as number) - (values[base + i] as number));
    let rank = 0;
    for (let k = 0; k < active; k++) {
      const i = firing[k] as number;
      // Ties share the rank of the first of them.
      if (k > 0 && (values[base + i] as number) < (values[base + (firing[k - 1] as number)] as number)) rank = k;
      const t = Math.floor((rank * T) / active);
      out[t * x.size + base + i] = 1;
    }
  }
  return tf.tensor(out, [T, ...x.shape], 'float32');
}

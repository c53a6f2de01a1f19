/**
 * Periodic coding (SpikingJelly's PeriodicEncoder): replays a given spike pattern over and over.
 */
import type { Tensor } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';
import { checkInteger, checkMinRank, checkSteps } from './checks.js';

/**
 * Repeats `pattern` along time: `S[t] = pattern[t mod P]` for `t = 0 .. T-1`.
 *
 * @param pattern - One period of spikes `[P, B, ...]` (P >= 1; values are copied as they are).
 * @param T - Number of time steps, an integer >= 1 (may be shorter or longer than `P`).
 * @returns Spikes `[T, B, ...]` with the dtype of `pattern`.
 * @throws EncodingShapeError when `pattern` has rank < 2; EncodingValueError for `P = 0` or `T < 1`.
 * @example
 * ```ts
 * const p = tf.tensor3d([[[1, 0]], [[0, 1]]]);   // [P=2, B=1, N=2]
 * periodicEncode(p, 5);                            // [5, 1, 2]: steps 0, 2, 4 are [1, 0]
 * ```
 */
export function periodicEncode(pattern: Tensor, T: number): Tensor {
  const fn = 'periodicEncode';
  checkMinRank(fn, 'pattern', pattern, 2, '[P, B, ...]');
  checkSteps(fn, 'pattern', pattern);
  checkInteger(fn, 'T', T, 1);
  const P = pattern.shape[0] as number;
  const reps = Math.ceil(T / P);
  return tf.tidy(() => {
    const tiled = reps === 1 ? pattern : tf.tile(pattern, [reps, ...pattern.shape.slice(1).map(() => 1)]);
    return tf.slice(tiled, 0, T);
  });
}

/**
 * Stateful periodic encoder: holds one period of spikes `[P, B, ...]`; each `forward()` returns
 * the next step `[B, ...]`, cycling through the period. `reset()` goes back to step 0.
 *
 * @example
 * ```ts
 * const enc = new PeriodicEncoder(tf.tensor3d([[[1, 0]], [[0, 1]]]));   // keeps a copy
 * const s0 = enc.forward();   // [[1, 0]]
 * const s1 = enc.forward();   // [[0, 1]], then [[1, 0]] again
 * ```
 */
export class PeriodicEncoder {
  private readonly pattern: Tensor;
  private t = 0;

  /**
   * @param pattern - One period `[P, B, ...]`; the encoder keeps its own copy until `dispose()`.
   * @throws EncodingShapeError when `pattern` has rank < 2; EncodingValueError when `P = 0`.
   */
  constructor(pattern: Tensor) {
    checkMinRank('PeriodicEncoder', 'pattern', pattern, 2, '[P, B, ...]');
    checkSteps('PeriodicEncoder', 'pattern', pattern);
    this.pattern = tf.keep(tf.clone(pattern));
  }

  /** The period `P`. */
  get period(): number {
    return this.pattern.shape[0] as number;
  }

  /** The index of the step the next `forward` returns. */
  get step(): number {
    return this.t;
  }

  /**
   * The next step of the pattern, `[B, ...]` (owned by the caller). An argument, if given, is
   * ignored: the encoder's output does not depend on its input.
   */
  forward(_x?: Tensor): Tensor {
    const t = this.t;
    const p = this.pattern;
    const out = tf.tidy(() =>
      tf.reshape(
        tf.slice(
          p,
          p.shape.map((_, i) => (i === 0 ? t : 0)),
          p.shape.map((d, i) => (i === 0 ? 1 : d)),
        ),
        p.shape.slice(1),
      ),
    );
    this.t = (t + 1) % this.period;
    return out;
  }

  /** Goes back to step 0 (the pattern is kept). */
  reset(): void {
    this.t = 0;
  }

  /** Frees the pattern; the encoder cannot be used afterwards. */
  dispose(): void {
    this.pattern.dispose();
  }
}

/**
 * Delta coding: a spike where the input changed by at least a threshold since the previous step,
 * in two channels, ON (increase) and OFF (decrease), as an event camera reports polarity.
 */
import type { Tensor } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';
import {
  asFloat,
  checkAllFinite,
  checkFinite,
  checkMinRank,
  checkOptions,
  checkPositive,
  checkSteps,
} from './checks.js';
import { EncodingShapeError } from './errors.js';

/** Options of the delta encoders. */
export interface DeltaOptions {
  /** The smallest change that spikes, > 0 (default 0.1). */
  readonly threshold?: number;
  /**
   * The value the first step is compared with. Default: none, the first step is compared with
   * itself and never spikes.
   */
  readonly initial?: number;
}

/** ON/OFF spikes `[B, 2, ...]` of `x` against `prev`: ON = `x − prev >= θ`, OFF = `prev − x >= θ`. */
function onOff(x: Tensor, prev: Tensor, threshold: number): Tensor {
  return tf.tidy(() => {
    const d = tf.sub(x, prev);
    const on = tf.cast(tf.greaterEqual(d, threshold), 'float32');
    const off = tf.cast(tf.lessEqual(d, -threshold), 'float32');
    return tf.stack([on, off], 1);
  });
}

const DELTA_OPTIONS = ['threshold', 'initial'] as const;

function readOptions(
  fn: string,
  options: DeltaOptions | undefined,
): { threshold: number; initial: number | undefined } {
  const o = checkOptions(fn, options, DELTA_OPTIONS);
  const threshold = checkPositive(fn, 'threshold', o.threshold ?? 0.1);
  const initial = o.initial === undefined ? undefined : checkFinite(fn, 'initial', o.initial);
  return { threshold, initial };
}

/**
 * Delta coding of a sequence: with `d[t] = x[t] − x[t−1]`,
 * `ON[t] = (d[t] >= θ)` and `OFF[t] = (d[t] <= −θ)`; `x[−1]` is `initial`, or `x[0]` when no
 * `initial` is given (then step 0 never spikes).
 *
 * @param xSeq - Inputs over time `[T, B, ...]`, finite.
 * @param options - `threshold` θ > 0 (default 0.1); `initial` (default: none).
 * @returns Spikes `[T, B, 2, ...]`, float32 0/1; channel 0 is ON, channel 1 is OFF.
 * @throws EncodingValueError for `T = 0`, a bad threshold or a non-finite input; EncodingOptionError
 * for an unknown option name.
 * @throws EncodingShapeError when `xSeq` has rank < 2.
 * @example
 * ```ts
 * const x = tf.tensor2d([[0], [0.5], [0.5], [0.1]]);   // [T=4, B=1]
 * deltaEncode(x, { threshold: 0.2 });                  // [4, 1, 2]: ON at t = 1, OFF at t = 3
 * ```
 */
export function deltaEncode(xSeq: Tensor, options?: DeltaOptions): Tensor {
  const fn = 'deltaEncode';
  const { threshold, initial } = readOptions(fn, options);
  checkMinRank(fn, 'xSeq', xSeq, 2, '[T, B, ...]');
  checkSteps(fn, 'xSeq', xSeq);
  checkAllFinite(fn, 'xSeq', xSeq);
  return tf.tidy(() => {
    const x = tf.cast(xSeq, 'float32');
    const T = x.shape[0] as number;
    const first = tf.slice(x, 0, 1);
    const start = initial === undefined ? first : tf.fill(first.shape, initial, 'float32');
    const prev = T === 1 ? start : tf.concat([start, tf.slice(x, 0, T - 1)], 0);
    // Fold T into the batch so that the channel axis lands after B: [T·B, 2, ...] → [T, B, 2, ...].
    const rest = x.shape.slice(1);
    const flat = (t: Tensor) => tf.reshape(t, [T * (rest[0] as number), ...rest.slice(1)]);
    const spikes = onOff(flat(x), flat(prev), threshold);
    return tf.reshape(spikes, [T, rest[0] as number, 2, ...rest.slice(1)]);
  });
}

/**
 * Stateful delta encoder for streams: each `forward(x)` compares `x [B, ...]` with the previous
 * call's input and returns ON/OFF spikes `[B, 2, ...]`. The first call after a reset compares
 * with `initial` (or with itself: no spikes).
 *
 * @example
 * ```ts
 * const enc = new DeltaEncoder({ threshold: 0.2 });
 * for (const frame of frames) tf.dispose(enc.forward(frame));   // frames: [B, ...] each
 * enc.reset();
 * ```
 */
export class DeltaEncoder {
  /** The smallest change that spikes. */
  readonly threshold: number;
  /** The value the first step is compared with (undefined: itself). */
  readonly initial: number | undefined;
  private prev: Tensor | undefined;

  /**
   * @param options - `threshold` θ > 0 (default 0.1); `initial` (default: none).
   * @throws EncodingValueError for a bad threshold or initial value; EncodingOptionError for an unknown option name.
   */
  constructor(options?: DeltaOptions) {
    const { threshold, initial } = readOptions('DeltaEncoder', options);
    this.threshold = threshold;
    this.initial = initial;
  }

  /**
   * One step: ON/OFF spikes `[B, 2, ...]` of `x` against the previous input (owned by the caller).
   * @throws EncodingShapeError when `x` is a scalar or its shape differs from the previous input's.
   * @throws EncodingValueError for a non-finite input.
   */
  forward(x: Tensor): Tensor {
    const fn = 'DeltaEncoder.forward';
    checkMinRank(fn, 'x', x, 1, '[B, ...]');
    if (this.prev !== undefined && !sameShape(this.prev.shape, x.shape)) {
      throw new EncodingShapeError(fn, 'x', `the previous input's shape [${this.prev.shape.join(', ')}]`, x.shape);
    }
    checkAllFinite(fn, 'x', x);
    const current = tf.keep(asFloat(x));
    const prev = this.prev;
    const out = tf.tidy(() => {
      const reference = prev ?? (this.initial === undefined ? current : tf.fill(x.shape, this.initial, 'float32'));
      return onOff(current, reference, this.threshold);
    });
    prev?.dispose();
    this.prev = current;
    return out;
  }

  /** Forgets the previous input. */
  reset(): void {
    this.prev?.dispose();
    this.prev = undefined;
  }

  /** Frees the kept input (as `reset`). */
  dispose(): void {
    this.reset();
  }
}

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

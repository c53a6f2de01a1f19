/**
 * Decoders: from output spike trains or membrane potentials over time `[T, B, ...]` to a value per
 * sample and, where it means one, a predicted class (an index into the flattened features).
 */
import type { Tensor } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';
import { checkInteger, checkMinRank, checkPositive, checkSteps } from './checks.js';
import { EncodingShapeError } from './errors.js';

/** What a decoder returns. Both tensors are owned by the caller. */
export interface Decoded {
  /** The decoded value, `[B, ...]` unless the decoder says otherwise; float32. */
  readonly value: Tensor;
  /**
   * The predicted class per sample `[B]`, int32: an index into the sample's flattened features
   * (for rank-3 input `[T, B, N]`, the neuron). Ties go to the lowest index.
   */
  readonly prediction: Tensor;
}

/** What a decoder returns when a class means nothing (a trajectory). */
export interface DecodedValue {
  /** The decoded value; float32, owned by the caller. */
  readonly value: Tensor;
}

/** Throws unless `xSeq` is a sequence `[T, B, N, ...]` with T >= 1. */
export function checkSeq(fn: string, arg: string, xSeq: Tensor): Tensor {
  checkMinRank(fn, arg, xSeq, 3, '[T, B, N, ...]');
  return checkSteps(fn, arg, xSeq);
}

/**
 * The index of the largest score per sample `[B]` (int32), ties to the lowest index, the same on
 * every backend: `min { i : score[b, i] == max_j score[b, j] }`. `score` is `[B, ...]`.
 */
export function argMaxLowest(score: Tensor): Tensor {
  return tf.tidy(() => {
    const B = score.shape[0] as number;
    const flat = tf.reshape(score, [B, -1]);
    const n = flat.shape[1] as number;
    const index = tf.range(0, n, 1, 'float32');
    const isMax = tf.equal(flat, tf.max(flat, 1, true));
    return tf.cast(tf.min(tf.where(isMax, tf.broadcastTo(index, flat.shape), tf.fill(flat.shape, n)), 1), 'int32');
  });
}

/** `{ value, prediction }` with the class = the largest value (ties to the lowest index). */
export function withPrediction(value: Tensor): Decoded {
  return { value, prediction: argMaxLowest(value) };
}

/**
 * Spike count: `value[b, i] = Σ_t S[t, b, i]`; class = the neuron with the most spikes.
 * @param spikes - Spikes `[T, B, N, ...]` (any dtype; nonzero counts as its value).
 * @returns `value` `[B, N, ...]`, `prediction` `[B]`.
 * @throws EncodingShapeError when rank < 3; EncodingValueError when T = 0.
 * @example
 * ```ts
 * const { value, prediction } = decodeSpikeCount(outSpikes);   // outSpikes: [T, B, classes]
 * prediction.print();                                          // class per sample
 * ```
 */
export function decodeSpikeCount(spikes: Tensor): Decoded {
  checkSeq('decodeSpikeCount', 'spikes', spikes);
  return withPrediction(tf.tidy(() => tf.sum(tf.cast(spikes, 'float32'), 0)));
}

/**
 * Spike rate: `value[b, i] = (1/T) Σ_t S[t, b, i]`, spikes per step; class = the highest rate.
 * @param spikes - Spikes `[T, B, N, ...]`.
 * @returns `value` `[B, N, ...]` in [0, 1] for 0/1 spikes, `prediction` `[B]`.
 * @throws EncodingShapeError when rank < 3; EncodingValueError when T = 0.
 * @example
 * ```ts
 * const { value } = decodeSpikeRate(spikes);   // firing probability per step
 * const hz = tf.mul(value, 1000 / dtMs);       // in Hz
 * ```
 */
export function decodeSpikeRate(spikes: Tensor): Decoded {
  checkSeq('decodeSpikeRate', 'spikes', spikes);
  return withPrediction(tf.tidy(() => tf.mean(tf.cast(spikes, 'float32'), 0)));
}

/**
 * First-spike time: `value[b, i] = min { t : S[t, b, i] > 0 }`, or −1 when neuron `i` never
 * fires; class = the neuron that fires first (ties to the lowest index), or −1 when no neuron
 * of the sample fires.
 * @param spikes - Spikes `[T, B, N, ...]`.
 * @returns `value` `[B, N, ...]` (steps, float32), `prediction` `[B]` int32.
 * @throws EncodingShapeError when rank < 3; EncodingValueError when T = 0.
 * @example
 * ```ts
 * const { value, prediction } = decodeFirstSpike(outSpikes);   // earliest neuron wins
 * ```
 */
export function decodeFirstSpike(spikes: Tensor): Decoded {
  checkSeq('decodeFirstSpike', 'spikes', spikes);
  const T = spikes.shape[0] as number;
  return tf.tidy(() => {
    const fired = tf.greater(tf.cast(spikes, 'float32'), 0);
    const steps = tf.reshape(tf.range(0, T, 1, 'float32'), [T, ...spikes.shape.slice(1).map(() => 1)]);
    // T stands for "never" while reducing; it is larger than every real step.
    const first = tf.min(tf.where(fired, tf.broadcastTo(steps, spikes.shape), tf.fill(spikes.shape, T)), 0);
    const never = tf.equal(first, T);
    const value = tf.where(never, tf.fill(first.shape, -1, 'float32'), first);
    const B = first.shape[0] as number;
    const anyFired = tf.any(tf.logicalNot(tf.reshape(never, [B, -1])), 1);
    const earliest = argMaxLowest(tf.neg(first));
    const prediction = tf.where(anyFired, earliest, tf.fill([B], -1, 'int32'));
    return { value, prediction };
  });
}

/**
 * Final-step voltage: `value[b, i] = V[T−1, b, i]`; class = the neuron with the highest
 * potential at the last step.
 * @param vSeq - Membrane potentials `[T, B, N, ...]` (e.g. of non-spiking read-out neurons).
 * @returns `value` `[B, N, ...]`, `prediction` `[B]`.
 * @throws EncodingShapeError when rank < 3; EncodingValueError when T = 0.
 * @example
 * ```ts
 * const { prediction } = decodeFinalVoltage(vSeq);   // vSeq: [T, B, classes]
 * ```
 */
export function decodeFinalVoltage(vSeq: Tensor): Decoded {
  checkSeq('decodeFinalVoltage', 'vSeq', vSeq);
  const T = vSeq.shape[0] as number;
  return withPrediction(tf.tidy(() => tf.reshape(tf.cast(tf.slice(vSeq, T - 1, 1), 'float32'), vSeq.shape.slice(1))));
}

/**
 * Voltage sum: `value[b, i] = Σ_t V[t, b, i]`; class = the largest sum.
 * @param vSeq - Membrane potentials `[T, B, N, ...]`.
 * @returns `value` `[B, N, ...]`, `prediction` `[B]`.
 * @throws EncodingShapeError when rank < 3; EncodingValueError when T = 0.
 * @example
 * ```ts
 * const { value, prediction } = decodeVoltageSum(vSeq);
 * ```
 */
export function decodeVoltageSum(vSeq: Tensor): Decoded {
  checkSeq('decodeVoltageSum', 'vSeq', vSeq);
  return withPrediction(tf.tidy(() => tf.sum(tf.cast(vSeq, 'float32'), 0)));
}

/**
 * Voltage trajectory: the potentials of each sample over time, batch first:
 * `value[b, i, t] = V[t, b, i]` (for regression or plotting; no class).
 * @param vSeq - Membrane potentials `[T, B, N, ...]`.
 * @returns `value` `[B, N, ..., T]`.
 * @throws EncodingShapeError when rank < 3; EncodingValueError when T = 0.
 * @example
 * ```ts
 * const { value } = decodeVoltageTrajectory(vSeq);   // [B, N, T]
 * ```
 */
export function decodeVoltageTrajectory(vSeq: Tensor): DecodedValue {
  checkSeq('decodeVoltageTrajectory', 'vSeq', vSeq);
  const perm = [...vSeq.shape.keys()].slice(1).concat(0);
  return { value: tf.tidy(() => tf.transpose(tf.cast(vSeq, 'float32'), perm)) };
}

/**
 * Time softmax: earlier spikes count more. With the weight `w(t) = (T − t)/T` (1 at step 0,
 * 1/T at the last step), `score[b, i] = Σ_t w(t) · S[t, b, i]` and
 * `value[b, ·] = softmax(score[b, ·] / temperature)` over the sample's flattened features;
 * class = the largest probability. Differentiable in the spikes.
 * @param spikes - Spikes `[T, B, N, ...]`.
 * @param temperature - Softmax temperature > 0 (default 1).
 * @returns `value` `[B, N, ...]` (probabilities summing to 1 per sample), `prediction` `[B]`.
 * @throws EncodingShapeError when rank < 3; EncodingValueError when T = 0 or a bad temperature.
 * @example
 * ```ts
 * const { value } = decodeTimeSoftmax(outSpikes);   // class probabilities, early spikes weigh more
 * ```
 */
export function decodeTimeSoftmax(spikes: Tensor, temperature = 1): Decoded {
  const fn = 'decodeTimeSoftmax';
  checkSeq(fn, 'spikes', spikes);
  checkPositive(fn, 'temperature', temperature);
  const T = spikes.shape[0] as number;
  return withPrediction(
    tf.tidy(() => {
      const w = tf.reshape(tf.div(tf.sub(T, tf.range(0, T, 1, 'float32')), T), [
        T,
        ...spikes.shape.slice(1).map(() => 1),
      ]);
      const score = tf.sum(tf.mul(tf.cast(spikes, 'float32'), w), 0);
      const B = score.shape[0] as number;
      return tf.reshape(tf.softmax(tf.div(tf.reshape(score, [B, -1]), temperature)), score.shape);
    }),
  );
}

/**
 * Population rate: neurons are grouped, `neuronsPerClass` consecutive neurons per class;
 * `value[b, c] = (1 / (T · n_c)) Σ_t Σ_{i in group c} S[t, b, i]` (the group's mean rate per step);
 * class = the group with the highest rate.
 * @param spikes - Spikes `[T, B, N]` with `N` a multiple of `neuronsPerClass`.
 * @param neuronsPerClass - Neurons per class `n_c`, an integer >= 1.
 * @returns `value` `[B, N / n_c]`, `prediction` `[B]`.
 * @throws EncodingShapeError when `spikes` is not rank 3 or `N` is not a multiple of `n_c`.
 * @throws EncodingValueError when T = 0 or `neuronsPerClass` is not an integer >= 1.
 * @example
 * ```ts
 * const { prediction } = decodePopulationRate(outSpikes, 10);   // [T, B, 100]: 10 classes × 10 neurons
 * ```
 */
export function decodePopulationRate(spikes: Tensor, neuronsPerClass: number): Decoded {
  const fn = 'decodePopulationRate';
  checkSeq(fn, 'spikes', spikes);
  if (spikes.rank !== 3) throw new EncodingShapeError(fn, 'spikes', 'rank 3 ([T, B, N])', spikes.shape);
  checkInteger(fn, 'neuronsPerClass', neuronsPerClass, 1);
  const [T, B, N] = spikes.shape as [number, number, number];
  if (N % neuronsPerClass !== 0) {
    throw new EncodingShapeError(
      fn,
      'spikes',
      `a neuron count N that is a multiple of ${neuronsPerClass}`,
      spikes.shape,
    );
  }
  const C = N / neuronsPerClass;
  return withPrediction(
    tf.tidy(() =>
      tf.div(tf.sum(tf.reshape(tf.cast(spikes, 'float32'), [T, B, C, neuronsPerClass]), [0, 3]), T * neuronsPerClass),
    ),
  );
}

/**
 * Time-weighted spike count (SPAIC's `TimeSpike_Counts`, `'time_spike_counts'`): each spike is
 * weighted by `w(t) = 0.1 · exp(−t / (T/2))`, so early spikes count more (0.1 at step 0, about
 * 0.1·e^−2 at the end): `value[b, i] = Σ_t w(t) · S[t, b, i]`; class = the largest value.
 * @param spikes - Spikes `[T, B, N, ...]`.
 * @returns `value` `[B, N, ...]`, `prediction` `[B]`.
 * @throws EncodingShapeError when rank < 3; EncodingValueError when T = 0.
 * @example
 * ```ts
 * const { value, prediction } = decodeTimeSpikeCounts(outSpikes);   // [T, B, classes]
 * ```
 */
export function decodeTimeSpikeCounts(spikes: Tensor): Decoded {
  checkSeq('decodeTimeSpikeCounts', 'spikes', spikes);
  const T = spikes.shape[0] as number;
  // The weights in double precision, then float32 (SPAIC computes them in float32: within an ulp).
  const w = Float32Array.from({ length: T }, (_, t) => 0.1 * Math.exp(-t / (0.5 * T)));
  return withPrediction(
    tf.tidy(() => {
      const weights = tf.tensor(w, [T, ...spikes.shape.slice(1).map(() => 1)], 'float32');
      return tf.sum(tf.mul(tf.cast(spikes, 'float32'), weights), 0);
    }),
  );
}

/**
 * First-spike pattern (SPAIC's `First_Spike`, `'first_spike'`): for each sample, the step `t0` at
 * which any of its elements is first nonzero, and `value[b] = S[t0, b]` — the whole pattern of that
 * step, not a time (a silent sample gives `S[0, b]`, all zeros). Class = the largest element of
 * the pattern (for 0/1 spikes: the lowest-index neuron among the first to fire), or −1 when the
 * sample never fires. For first-spike *times* per neuron use {@link decodeFirstSpike}.
 * @param spikes - Spikes `[T, B, N, ...]`.
 * @returns `value` `[B, N, ...]` (float32), `prediction` `[B]` int32.
 * @throws EncodingShapeError when rank < 3; EncodingValueError when T = 0.
 * @example
 * ```ts
 * const { value } = decodeFirstSpikePattern(outSpikes);   // which neurons fired at the first firing step
 * ```
 */
export function decodeFirstSpikePattern(spikes: Tensor): Decoded {
  checkSeq('decodeFirstSpikePattern', 'spikes', spikes);
  const [T, B] = spikes.shape as [number, number];
  return tf.tidy(() => {
    const s = tf.reshape(tf.cast(spikes, 'float32'), [T, B, -1]);
    // A step counts when any element is nonzero (torch.nonzero in SPAIC), negative values too.
    const active = tf.any(tf.notEqual(s, 0), 2); // [T, B]
    const steps = tf.broadcastTo(tf.reshape(tf.range(0, T, 1, 'float32'), [T, 1]), [T, B]);
    const first = tf.min(tf.where(active, steps, tf.fill([T, B], T)), 0); // [B]; T = never
    const never = tf.equal(first, T);
    const t0 = tf.cast(tf.where(never, tf.zerosLike(first), first), 'int32');
    // S[t0[b], b]: row t0[b]·B + b of S viewed as [T·B, features].
    const rows = tf.add(tf.mul(t0, tf.scalar(B, 'int32')), tf.range(0, B, 1, 'int32'));
    const value = tf.reshape(tf.gather(tf.reshape(s, [T * B, -1]), rows), spikes.shape.slice(1));
    const prediction = tf.where(tf.logicalNot(never), argMaxLowest(value), tf.fill([B], -1, 'int32'));
    return { value, prediction };
  });
}

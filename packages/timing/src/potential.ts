/**
 * The Tempotron's membrane potential: a weighted sum of normalised PSP kernels, one per input
 * spike, sampled at `t = 0 .. T−1`.
 */
import { checkRank, checkTensor, ValueError } from '@snn/core';
import type { GradSaveFunc, Tensor } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';
import { checkParams, readSpikeTimes, type TempotronParams } from './checks.js';
import { pspKernel, pspNormalization } from './psp-kernel.js';

function checkWeight(fn: string, weight: Tensor): [number, number] {
  checkTensor(fn, 'weight', weight);
  checkRank(fn, 'weight', weight, 2, '[outFeatures, inFeatures]');
  if (weight.dtype !== 'float32') throw new ValueError(fn, 'weight.dtype', "'float32'", weight.dtype);
  return weight.shape as [number, number];
}

/** Decay matrices `[T, T]`, row `u` (the bin of a spike), column `t`; zero where `t < u`. */
interface DecayMatrices {
  /** `V0·e^{−(t−u)/τ}`. */
  readonly slow: Float32Array;
  /** `V0·e^{−(t−u)/τs}`. */
  readonly fast: Float32Array;
  /** `slow − fast = V0·K(t − u)`: the whole kernel, for spikes at integer times. */
  readonly kernel: Float32Array;
  /** `slow/τ − fast/τs = −V0·K′(t − u)`: d v / d s for spikes at integer times. */
  readonly slope: Float32Array;
}

/** The last matrices made: a layer asks for the same ones at every call. */
let lastDecay: { key: string; values: DecayMatrices } | undefined;

/** {@link DecayMatrices} of `p` (float64 arithmetic, stored as float32). */
function decayMatrices(p: TempotronParams, v0: number): DecayMatrices {
  const { T, tau, tauS } = p;
  const key = `${T} ${tau} ${tauS} ${v0}`;
  if (lastDecay?.key === key) return lastDecay.values;
  const values = {
    slow: new Float32Array(T * T),
    fast: new Float32Array(T * T),
    kernel: new Float32Array(T * T),
    slope: new Float32Array(T * T),
  };
  for (let u = 0; u < T; u++) {
    for (let t = u; t < T; t++) {
      const slow = v0 * Math.exp(-(t - u) / tau);
      const fast = v0 * Math.exp(-(t - u) / tauS);
      values.slow[u * T + t] = slow;
      values.fast[u * T + t] = fast;
      values.kernel[u * T + t] = slow - fast;
      values.slope[u * T + t] = slow / tau - fast / tauS;
    }
  }
  lastDecay = { key, values };
  return values;
}

/** Where each input spike lands: one entry per spike that reaches the window. */
interface SpikeList {
  /** Number of spikes with a time in [0, T − 1]. */
  readonly count: number;
  /** Input index `i` of each spike. */
  readonly input: Int32Array;
  /** `b·T + u` with `u = ⌈s⌉`, the first step the spike is felt at. */
  readonly bucket: Int32Array;
  /** `b·inFeatures + i`. */
  readonly cell: Int32Array;
  /** `exp(−(u − s)/τ)` of each spike. */
  readonly a: Float32Array;
  /** `exp(−(u − s)/τs)` of each spike. */
  readonly c: Float32Array;
  /** Whether every spike time is an integer (then `a = c = 1`). */
  readonly integer: boolean;
}

function listSpikes(times: Float32Array, n: number, p: TempotronParams): SpikeList {
  let count = 0;
  for (const s of times) if (s >= 0 && s <= p.T - 1) count++;
  const input = new Int32Array(count);
  const bucket = new Int32Array(count);
  const cell = new Int32Array(count);
  const a = new Float32Array(count);
  const c = new Float32Array(count);
  let integer = true;
  let k = 0;
  for (let j = 0; j < times.length; j++) {
    const s = times[j] as number;
    if (!(s >= 0 && s <= p.T - 1)) continue;
    const b = Math.floor(j / n);
    const u = Math.ceil(s);
    if (u !== s) integer = false;
    input[k] = j - b * n;
    bucket[k] = b * p.T + u;
    cell[k] = j;
    a[k] = Math.exp(-(u - s) / p.tau);
    c[k] = Math.exp(-(u - s) / p.tauS);
    k++;
  }
  return { count, input, bucket, cell, a, c, integer };
}

/**
 * The Tempotron's membrane potential (SpikingJelly's `Tempotron.forward(x, 'v')`):
 *
 * `v[b, o, t] = Σ_i W[o, i] · V0 · K(t − s[b, i]) · [s[b, i] ≥ 0]`, for `t = 0 .. T−1`,
 *
 * with `K` the {@link pspKernel} and `V0` its {@link pspNormalization}. A negative spike time
 * means that input did not spike.
 *
 * Computed without the dense `[B, inFeatures, T]` kernel tensor: a spike at `s` is felt from
 * step `u = ⌈s⌉` on, and `K(t − s) = e^{−(t−u)/τ}·e^{−(u−s)/τ} − e^{−(t−u)/τs}·e^{−(u−s)/τs}`,
 * so the weights of all spikes are first summed into time bins `u` (a scatter-add,
 * `O(spikes · outFeatures)`) and the bins then decay through fixed `[T, T]` matrices
 * (`O(B · outFeatures · T²)`); for integer spike times (what encoders make) one matrix,
 * `V0·K(t − u)`, does it. Gradients flow to `weight` and to the spike times (a custom
 * gradient that gathers from the same bins); {@link tempotronPotentialReference} is the dense
 * formula it is tested against.
 *
 * Reads the spike times once on the CPU to check them and to list the spikes.
 *
 * @param weight - `W`, float32 `[outFeatures, inFeatures]`.
 * @param inSpikes - Spike times `[B, inFeatures]` in `[0, T]`, negative for no spike (float32 or int32).
 * @param p - `T`, `tau`, `tauS`, `vThreshold`.
 * @returns `v`, float32 `[B, outFeatures, T]`; a new tensor the caller owns.
 * @throws ShapeError when `weight` is not rank 2, or `inSpikes` not `[B, inFeatures]`.
 * @throws ValueError for a spike time that is NaN or beyond `T`, or a bad constant in `p`.
 * @example
 * ```ts
 * const w = tf.ones([1, 2]);
 * const v = tempotronPotential(w, tf.tensor2d([[0, 5.5]]), { T: 20, tau: 15, tauS: 3.75, vThreshold: 1 });
 * ```
 */
export function tempotronPotential(weight: Tensor, inSpikes: Tensor, p: TempotronParams): Tensor {
  return potential('tempotronPotential', weight, inSpikes, p);
}

/** {@link tempotronPotential}, naming `fn` in its errors. */
export function potential(fn: string, weight: Tensor, inSpikes: Tensor, p: TempotronParams): Tensor {
  checkParams(fn, p);
  const [O, N] = checkWeight(fn, weight);
  const times = readSpikeTimes(fn, 'inSpikes', inSpikes, N, p.T);
  const B = inSpikes.shape[0] as number;
  const T = p.T;
  const spikes = listSpikes(times, N, p);
  const nnz = spikes.count;
  const decay = decayMatrices(p, pspNormalization(p.tau, p.tauS, p.vThreshold));
  const s = inSpikes.dtype === 'float32' ? inSpikes : tf.cast(inSpikes, 'float32');
  const matrix = (values: Float32Array) => tf.tensor2d(values, [T, T], 'float32');
  // [B·O, T] (a trace per neuron) ⇄ [B·T, O] (a row per time bin), for the scatter and the gathers
  const toBins = (x: Tensor) => tf.reshape(tf.transpose(tf.reshape(x, [B, O, T]), [0, 2, 1]), [B * T, O]);
  const fromBins = (x: Tensor) => tf.reshape(tf.transpose(tf.reshape(x, [B, T, O]), [0, 2, 1]), [B * O, T]);

  const forward = (w: Tensor, _s: Tensor, save: GradSaveFunc) => {
    if (nnz === 0) {
      return { value: tf.zeros([B, O, T]), gradFunc: () => [tf.zeros([O, N]), tf.zeros([B, N])] };
    }
    const inputIdx = tf.tensor2d(spikes.input, [nnz, 1], 'int32');
    const bucketIdx = tf.tensor2d(spikes.bucket, [nnz, 1], 'int32');
    const wSpike = tf.gatherND(tf.transpose(w), inputIdx); // [nnz, O]: W[:, i] of each spike
    const bin = (x: Tensor) => fromBins(tf.scatterND(bucketIdx, x, [B * T, O])); // Σ over spikes per bin
    let v: Tensor;
    let a: Tensor | undefined;
    let c: Tensor | undefined;
    if (spikes.integer) {
      v = tf.matMul(bin(wSpike), matrix(decay.kernel));
    } else {
      a = tf.tensor2d(spikes.a, [nnz, 1], 'float32');
      c = tf.tensor2d(spikes.c, [nnz, 1], 'float32');
      const slow = tf.matMul(bin(tf.mul(wSpike, a)), matrix(decay.slow));
      v = tf.sub(slow, tf.matMul(bin(tf.mul(wSpike, c)), matrix(decay.fast)));
    }
    save(a === undefined || c === undefined ? [wSpike, inputIdx, bucketIdx] : [wSpike, inputIdx, bucketIdx, a, c]);

    const gradFunc = (dy: Tensor, saved: Tensor[]): Tensor[] => {
      const [wS, inIdx, bIdx, sa, sc] = saved as [Tensor, Tensor, Tensor, Tensor?, Tensor?];
      const dyRows = tf.reshape(dy, [B * O, T]);
      // the transposed decay, then each spike reads its bin: [nnz, O]
      const back = (values: Float32Array) => tf.gatherND(toBins(tf.matMul(dyRows, matrix(values), false, true)), bIdx);
      let dwSpike: Tensor;
      let dsSpike: Tensor;
      if (sa === undefined || sc === undefined) {
        dwSpike = back(decay.kernel);
        dsSpike = tf.sum(tf.mul(wS, back(decay.slope)), 1);
      } else {
        const g1 = back(decay.slow);
        const g2 = back(decay.fast);
        dwSpike = tf.sub(tf.mul(g1, sa), tf.mul(g2, sc));
        // d/ds e^{−(u − s)/τ} = e^{−(u − s)/τ}/τ, likewise for τs
        const slope = tf.sub(tf.mul(g1, tf.div(sa, p.tau)), tf.mul(g2, tf.div(sc, p.tauS)));
        dsSpike = tf.sum(tf.mul(wS, slope), 1);
      }
      const dw = tf.transpose(tf.scatterND(inIdx, dwSpike, [N, O]));
      const cellIdx = tf.tensor2d(spikes.cell, [nnz, 1], 'int32');
      const ds = tf.reshape(tf.scatterND(cellIdx, dsSpike, [B * N]), [B, N]);
      return [dw, ds];
    };
    return { value: tf.reshape(v, [B, O, T]), gradFunc };
  };
  const op = tf.customGrad(forward as unknown as Parameters<typeof tf.customGrad>[0]);
  try {
    return op(weight, s) as Tensor;
  } finally {
    if (s !== inSpikes) s.dispose();
  }
}

/**
 * The dense formula of {@link tempotronPotential}, term by term as SpikingJelly computes it:
 * the `[B, inFeatures, T]` tensor `V0 · K(t − s) · [s ≥ 0]`, then the linear layer over inputs.
 * Memory grows as `B · inFeatures · T`: the reference for tests and small problems.
 *
 * @returns `v`, float32 `[B, outFeatures, T]`; a new tensor the caller owns.
 * @throws As {@link tempotronPotential}.
 */
export function tempotronPotentialReference(weight: Tensor, inSpikes: Tensor, p: TempotronParams): Tensor {
  const fn = 'tempotronPotentialReference';
  checkParams(fn, p);
  const [O, N] = checkWeight(fn, weight);
  readSpikeTimes(fn, 'inSpikes', inSpikes, N, p.T);
  const B = inSpikes.shape[0] as number;
  const v0 = pspNormalization(p.tau, p.tauS, p.vThreshold);
  return tf.tidy(() => {
    const s = tf.expandDims(tf.cast(inSpikes, 'float32'), 2); // [B, N, 1]
    const t = tf.reshape(tf.range(0, p.T, 1, 'float32'), [1, 1, p.T]);
    const kernel = tf.mul(pspKernel(tf.sub(t, s), p.tau, p.tauS), v0);
    const psp = tf.where(tf.greaterEqual(s, 0), kernel, tf.zerosLike(kernel)); // [B, N, T]
    const rows = tf.reshape(tf.transpose(psp, [0, 2, 1]), [B * p.T, N]);
    const v = tf.matMul(rows, weight, false, true); // [B·T, O]
    return tf.transpose(tf.reshape(v, [B, p.T, O]), [0, 2, 1]);
  });
}

import { checkPositive, checkTensor, ValueError } from '@snn/core';
import type { Tensor } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';

/** Checks the two time constants of the kernel: finite, > 0 and different (for τ = τs the kernel is 0 everywhere). */
export function checkTimeConstants(fn: string, tau: number, tauS: number): void {
  checkPositive(fn, 'tau', tau);
  checkPositive(fn, 'tauS', tauS);
  if (tau === tauS) throw new ValueError(fn, 'tauS', `a number other than tau (${tau}): the kernel would be 0`, tauS);
}

/**
 * The post-synaptic potential kernel of the Tempotron (Gütig & Sompolinsky 2006), without its
 * normalisation: `K(t) = (exp(−t/τ) − exp(−t/τs)) · [t ≥ 0]`. SpikingJelly's
 * `Tempotron.psp_kernel(t, tau, tau_s)`; multiply by {@link pspNormalization} for a kernel that
 * peaks at the threshold.
 *
 * Computed as `exp(−t⁺/τ) − exp(−t⁺/τs)` with `t⁺ = t` where `t ≥ 0` and 0 elsewhere, equal since
 * `K(0) = 0`: a very negative `t` never overflows into `∞ · 0 = NaN` and gets gradient 0, while at
 * `t = 0` the gradient is PyTorch's for SpikingJelly's product form, `1/τs − 1/τ`.
 *
 * @param t - Times (any shape, float32), or a number or an array of numbers.
 * @param tau - The slow (membrane) time constant τ, a finite number > 0.
 * @param tauS - The fast (synaptic) time constant τs, a finite number > 0 other than τ.
 * @returns `K(t)`, float32, the shape of `t`; a new tensor the caller owns.
 * @throws ValueError for a time constant that is not a finite number > 0, or τs = τ.
 * @example
 * ```ts
 * const k = pspKernel(tf.range(0, 40), 15, 3.75);   // peaks at t ≈ 6.93 with 0.4725
 * ```
 */
export function pspKernel(t: Tensor | number | readonly number[], tau: number, tauS: number): Tensor {
  const fn = 'pspKernel';
  checkTimeConstants(fn, tau, tauS);
  if (typeof t !== 'number' && !Array.isArray(t)) checkTensor(fn, 't', t);
  return tf.tidy(() => {
    const times =
      typeof t === 'number' || Array.isArray(t) ? tf.tensor(t as number | number[], undefined, 'float32') : t;
    const t32 = tf.cast(times as Tensor, 'float32');
    const after = tf.where(tf.greaterEqual(t32, 0), t32, tf.zerosLike(t32));
    return tf.sub(tf.exp(tf.div(tf.neg(after), tau)), tf.exp(tf.div(tf.neg(after), tauS)));
  });
}

/**
 * Time of the peak of {@link pspKernel}: `t_max = τ·τs·ln(τ/τs) / (τ − τs)`.
 * @throws ValueError as {@link pspKernel}.
 */
export function pspPeakTime(tau: number, tauS: number): number {
  checkTimeConstants('pspPeakTime', tau, tauS);
  return (tau * tauS * Math.log(tau / tauS)) / (tau - tauS);
}

/**
 * The factor `V0 = v_threshold / (exp(−t_max/τ) − exp(−t_max/τs))` that scales {@link pspKernel}
 * so that one input spike through a weight of 1 peaks exactly at `vThreshold`. Computed in float64.
 * @throws ValueError as {@link pspKernel}, or for a `vThreshold` that is not a finite number > 0.
 * @example
 * ```ts
 * pspNormalization(15, 3.75, 1);   // 2.1165347...
 * ```
 */
export function pspNormalization(tau: number, tauS: number, vThreshold: number): number {
  checkPositive('pspNormalization', 'vThreshold', vThreshold);
  const tMax = pspPeakTime(tau, tauS);
  return vThreshold / (Math.exp(-tMax / tau) - Math.exp(-tMax / tauS));
}

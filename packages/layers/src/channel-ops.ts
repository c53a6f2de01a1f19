import { runWithGradient } from '@snn/core/internal';
import type { Tensor } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';

/**
 * Sum of `x` over every axis but `channelAxis`: `[C]`. Without a transpose of `x`:
 * tfjs-backend-wasm 4.22 reduces only innermost axes and transposes the whole tensor first
 * otherwise, which dominated a convolutional network's step. Channels last: `ones[1, M]·x[M, C]`
 * (a plain matMul); channels at axis c: innermost sums over the axes after c, then over those
 * before it on the small `[lead, C]` rest.
 */
export function sumPerChannel(x: Tensor, channelAxis: number): Tensor {
  return tf.tidy(() => {
    const C = x.shape[channelAxis] as number;
    const lead = x.shape.slice(0, channelAxis).reduce((a, b) => a * b, 1);
    const trail = x.shape.slice(channelAxis + 1).reduce((a, b) => a * b, 1);
    if (trail === 1) return tf.reshape(tf.matMul(tf.ones([1, lead]), tf.reshape(x, [lead, C])), [C]);
    const perLead = tf.sum(tf.reshape(x, [lead, C, trail]), 2); // [lead, C]
    return lead === 1 ? tf.reshape(perLead, [C]) : tf.reshape(tf.matMul(tf.ones([1, lead]), perLead), [C]);
  });
}

/** `[C]` → a shape that broadcasts along `channelAxis` of a rank-`rank` tensor. */
export function channelShape(C: number, channelAxis: number, rank: number): number[] {
  return Array.from({ length: rank }, (_, i) => (i === channelAxis ? C : 1));
}

/**
 * `x + bias` along `channelAxis` as one node of the gradient tape, whose bias gradient is
 * {@link sumPerChannel} of `dy` (tfjs's add gradient reduces with the slow transpose).
 */
export function addPerChannel(x: Tensor, bias: Tensor, channelAxis: number): Tensor {
  const C = bias.shape[0] as number;
  const [y] = runWithGradient(
    [x, bias],
    () => [tf.add(x, tf.reshape(bias, channelShape(C, channelAxis, x.rank)))],
    ([dy]) => [() => tf.clone(dy as Tensor), () => sumPerChannel(dy as Tensor, channelAxis)],
  );
  return y as Tensor;
}

/** What {@link batchNormTrain} returns: the output, and the batch statistics (no gradient) for running averages. */
export interface BatchNormResult {
  readonly y: Tensor;
  readonly mean: Tensor;
  readonly variance: Tensor;
}

/**
 * Batch normalisation with the batch's statistics as one node of the gradient tape:
 * `μ = Σx/n`, `σ² = Σ(x − μ)²/n`, `x̂ = (x − μ)/√(σ² + eps)`, `y = x̂·γ + β` (γ, β optional), with
 * the closed-form backward `dx = s·(g − mean(g) − x̂·mean(g·x̂))`, `g = dy·γ`, `s = 1/√(σ² + eps)`,
 * `dγ = Σ dy·x̂`, `dβ = Σ dy` — every sum per channel by {@link sumPerChannel}.
 */
export function batchNormTrain(
  x: Tensor,
  gamma: Tensor | null,
  beta: Tensor | null,
  channelAxis: number,
  eps: number,
): BatchNormResult {
  const C = x.shape[channelAxis] as number;
  const n = x.size / C;
  const shape = channelShape(C, channelAxis, x.rank);
  const inputs = gamma !== null && beta !== null ? [x, gamma, beta] : [x];
  // mean and variance are outputs too (for the running averages); their gradients are ignored.
  const [y, mean, variance] = runWithGradient(
    inputs,
    (save) => {
      const mean = tf.div(sumPerChannel(x, channelAxis), n);
      const centred = tf.sub(x, tf.reshape(mean, shape));
      const variance = tf.div(sumPerChannel(tf.square(centred), channelAxis), n);
      const scale = tf.rsqrt(tf.add(variance, eps));
      const xHat = tf.mul(centred, tf.reshape(scale, shape));
      save(gamma === null ? [xHat, scale] : [xHat, scale, gamma]);
      const out =
        gamma === null || beta === null
          ? xHat
          : tf.add(tf.mul(xHat, tf.reshape(gamma, shape)), tf.reshape(beta, shape));
      return [out, mean, variance];
    },
    ([dy], [xHat, scale, g]) => {
      const grad = dy as Tensor;
      const hat = xHat as Tensor;
      const dxHat = g === undefined ? grad : tf.mul(grad, tf.reshape(g, shape));
      const dx = () => {
        const meanG = tf.reshape(tf.div(sumPerChannel(dxHat, channelAxis), n), shape);
        const meanGX = tf.reshape(tf.div(sumPerChannel(tf.mul(dxHat, hat), channelAxis), n), shape);
        return tf.mul(tf.sub(tf.sub(dxHat, meanG), tf.mul(hat, meanGX)), tf.reshape(scale as Tensor, shape));
      };
      if (g === undefined) return [dx];
      return [dx, () => sumPerChannel(tf.mul(grad, hat), channelAxis), () => sumPerChannel(grad, channelAxis)];
    },
  );
  return { y: y as Tensor, mean: mean as Tensor, variance: variance as Tensor };
}

// Test helpers (not built into dist): a dense layer as a Module, a small classification task.
import { createRng, Module, Sequential, seqToANNForward } from '@snn/core';
import { LIFNode } from '@snn/neurons';
import { atan } from '@snn/surrogates';
import type { Tensor, Variable } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';

/** `y = x · W` with W `[in, out]`; `[T, B, in]` → `[T, B, out]` (time folded into batch). */
export class Dense extends Module {
  readonly weight: Variable;

  constructor(init: Tensor) {
    super('m');
    this.weight = this.registerParameter('weight', init);
  }

  protected override singleStepForward(x: Tensor): Tensor {
    return tf.matMul(x, this.weight);
  }

  protected override multiStepForward(xSeq: Tensor): Tensor {
    return seqToANNForward(xSeq, (x) => tf.matMul(x, this.weight));
  }
}

export const T = 8;
export const IN = 16;
export const CLASSES = 4;
export const SAMPLES = 8;

/** Dense [16, 4] (seeded normal, std 0.3) → multi-step LIF (tau 2, atan surrogate). */
export function makeNet(seed = 1): Sequential {
  const init = createRng(seed).normal([IN, CLASSES], 0, 0.3);
  return new Sequential(new Dense(init), new LIFNode({ tau: 2, surrogate: atan(2), stepMode: 'm' }));
}

/**
 * 8 samples of 4 classes (2 each): each class has a seeded firing-probability prototype over 16
 * inputs; each sample is one fixed Bernoulli spike train of its prototype, `[T, 8, 16]`.
 * Labels int32 `[8]` = 0, 1, 2, 3, 0, 1, 2, 3.
 */
export function makeData(seed = 7): { xSeq: Tensor; labels: Tensor } {
  const rng = createRng(seed);
  return tf.tidy(() => {
    const prototypes = rng.uniform([CLASSES, IN], 0, 1);
    const classes = Array.from({ length: SAMPLES }, (_, i) => i % CLASSES);
    const probs = tf.gather(prototypes, classes); // [8, 16]
    const xSeq = rng.bernoulli(tf.tile(tf.expandDims(probs, 0), [T, 1, 1]));
    return { xSeq, labels: tf.tensor1d(classes, 'int32') };
  });
}

/**
 * Rate cross-entropy in float64, from its formula, for tests that must not use the code under
 * test: `r = (1/T) Σ_t S`, `z = scale·r`, `L = −(1/B) Σ_b Σ_c y log softmax(z[b])_c`, and
 * `∂L/∂S[t, b, c] = scale·(softmax(z[b])_c − y[b, c])/(B·T)` (the same at every step).
 * @param spikes - `[T][B][C]`.
 * @param y - `[B][C]` targets (one-hot or distributions).
 */
export function rateCrossEntropyReference(
  spikes: readonly (readonly (readonly number[])[])[],
  y: readonly (readonly number[])[],
  scale: number,
): { loss: number; grad: number[][][] } {
  const T = spikes.length;
  const B = y.length;
  let loss = 0;
  const dz: number[][] = [];
  for (let b = 0; b < B; b++) {
    const yb = y[b] as readonly number[];
    const z = yb.map((_, c) => {
      let sum = 0;
      for (let t = 0; t < T; t++) sum += spikes[t]?.[b]?.[c] as number;
      return (scale * sum) / T;
    });
    const max = Math.max(...z);
    const logSum = max + Math.log(z.reduce((a, v) => a + Math.exp(v - max), 0));
    for (let c = 0; c < z.length; c++) loss -= ((yb[c] as number) * ((z[c] as number) - logSum)) / B;
    dz.push(z.map((v, c) => (scale * (Math.exp(v - logSum) - (yb[c] as number))) / (B * T)));
  }
  return { loss, grad: Array.from({ length: T }, () => dz.map((row) => row.slice())) };
}

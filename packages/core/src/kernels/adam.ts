import type { NamedTensorMap, Optimizer, Tensor } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';
import { AdamUpdate, type AdamUpdateAttrs } from './adam-contract.js';
import { adamUpdateReference } from './adam-reference.js';
import { hasFusedKernel } from './define-kernel.js';
import { registeredVariable, tfjsAdamState } from './tfjs-internals.js';

/**
 * Applies `grads` with `optimizer`, as `optimizer.applyGradients(grads)` does. When the optimizer
 * is tfjs's `AdamOptimizer` (`tf.train.adam`), the update runs as one fused {@link AdamUpdate}
 * kernel per variable on the optimizer's own state (moments, bias corrections, iteration count),
 * so the numbers, the saved weights and later `applyGradients` calls are the same as tfjs's; any
 * other optimizer is called as it is.
 *
 * @example
 * ```ts
 * const { value, grads } = optimizer.computeGradients(lossFn);
 * applyGradients(optimizer, grads);
 * ```
 */
export function applyGradients(optimizer: Optimizer, grads: NamedTensorMap): void {
  const adam = tfjsAdamState(optimizer);
  if (adam === null) {
    optimizer.applyGradients(grads);
    return;
  }
  const attrs: AdamUpdateAttrs = {
    learningRate: adam.learningRate,
    beta1: adam.beta1,
    beta2: adam.beta2,
    epsilon: adam.epsilon,
  };
  const fused = hasFusedKernel(AdamUpdate);
  tf.tidy(() => {
    const c1 = tf.sub(1, adam.accBeta1);
    const c2 = tf.sub(1, adam.accBeta2);
    Object.keys(grads).forEach((name, i) => {
      const value = registeredVariable(name);
      if (value === undefined) return;
      // Slots as tfjs makes them: by position, named `<variable>/m` and `<variable>/v`, not trainable.
      adam.accumulatedFirstMoment[i] ??= {
        originalName: `${name}/m`,
        variable: tf.tidy(() => tf.variable(tf.zerosLike(value), false)),
      };
      adam.accumulatedSecondMoment[i] ??= {
        originalName: `${name}/v`,
        variable: tf.tidy(() => tf.variable(tf.zerosLike(value), false)),
      };
      const gradient = grads[name];
      if (gradient == null) return;
      const m = adam.accumulatedFirstMoment[i].variable;
      const v = adam.accumulatedSecondMoment[i].variable;
      const io = { value, m, v, gradient, c1, c2 };
      const [newValue, newM, newV] = (
        fused ? tf.engine().runKernel(AdamUpdate, { ...io }, { ...attrs }) : adamUpdateReference(io, attrs)
      ) as [Tensor, Tensor, Tensor];
      m.assign(newM);
      v.assign(newV);
      value.assign(newValue);
    });
    adam.accBeta1.assign(tf.mul(adam.accBeta1, adam.beta1));
    adam.accBeta2.assign(tf.mul(adam.accBeta2, adam.beta2));
  });
  adam.incrementIterations();
}

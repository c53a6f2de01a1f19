import type { Tensor } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';
import type { AdamUpdateAttrs } from './adam-contract.js';

/** Inputs of {@link adamUpdateReference}. */
export interface AdamUpdateTensors {
  readonly value: Tensor;
  readonly m: Tensor;
  readonly v: Tensor;
  readonly gradient: Tensor;
  readonly c1: Tensor;
  readonly c2: Tensor;
}

/** Reference {@link AdamUpdate} from tfjs ops (tfjs's own update): `[value', m', v']`. */
export function adamUpdateReference(io: AdamUpdateTensors, a: AdamUpdateAttrs): Tensor[] {
  return tf.tidy(() => {
    const m = tf.add(tf.mul(io.m, a.beta1), tf.mul(io.gradient, 1 - a.beta1));
    const v = tf.add(tf.mul(io.v, a.beta2), tf.mul(tf.square(io.gradient), 1 - a.beta2));
    const step = tf.div(tf.div(m, io.c1), tf.add(tf.sqrt(tf.div(v, io.c2)), a.epsilon));
    return [tf.add(tf.mul(step, -a.learningRate), io.value), m, v];
  });
}

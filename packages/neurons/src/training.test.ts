// Training works: BPTT through the surrogate gradient of a multi-step LIF layer.
import { createRng } from '@snn/core';
import { describeBackends } from '@snn/core/testing';
import { atan } from '@snn/surrogates';
import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import { LIFNode } from './lif.js';

const T = 8;
const PATTERNS = 4;
const IN = 16;
const OUT = 4;
const STEPS = 100;

/**
 * Maps 4 fixed random input patterns (rate-coded: one seeded Bernoulli spike train each, T = 8) through a Linear
 * weight [16, 4] and a LIF layer to target spike counts in 0..8; loss = mean squared count error.
 */
function train(): { losses: number[] } {
  const rng = createRng(2024);
  const patterns = rng.uniform([PATTERNS, IN], 0, 1); // firing probabilities
  const xSeq = tf.tidy(() => rng.bernoulli(tf.tile(tf.expandDims(patterns, 0), [T, 1, 1]))); // [T, 4, 16] spikes
  const target = tf.tensor2d(
    Array.from({ length: PATTERNS }, () => Array.from({ length: OUT }, () => rng.nextInt(T + 1))),
  );
  const init = rng.normal([IN, OUT], 0, 0.3);
  const weight = tf.variable(init);
  init.dispose();
  const lif = new LIFNode({ tau: 2, surrogate: atan(2), stepMode: 'm' });
  const opt = tf.train.adam(0.05);
  const lossOf = (): tf.Scalar => {
    lif.reset();
    const current = tf.reshape(tf.matMul(tf.reshape(xSeq, [T * PATTERNS, IN]), weight), [T, PATTERNS, OUT]);
    const counts = tf.sum(lif.forward(current), 0); // [4, 4]
    return tf.mean(tf.square(tf.sub(counts, target)));
  };
  const losses: number[] = [];
  for (let i = 0; i < STEPS; i++) {
    const loss = opt.minimize(lossOf, true, [weight]) as tf.Scalar;
    losses.push(loss.dataSync()[0] as number);
    loss.dispose();
  }
  losses.push(tf.tidy(() => lossOf().dataSync()[0] as number));
  tf.dispose([patterns, xSeq, target, weight]);
  opt.dispose();
  lif.dispose();
  return { losses };
}

describeBackends('training a LIF layer with BPTT', () => {
  it(`cuts the loss at least 10x within ${STEPS} Adam steps, deterministically, in < 10 s`, () => {
    const before = tf.memory().numTensors;
    const start = performance.now();
    const { losses } = train();
    const seconds = (performance.now() - start) / 1000;
    const first = losses[0] as number;
    const last = losses.at(-1) as number;
    const lastTen = losses.slice(-10).reduce((a, b) => a + b, 0) / 10;
    console.log(
      `training: loss ${first.toFixed(3)} -> ${last.toFixed(4)} after ${STEPS} steps ` +
        `(mean of the last 10: ${lastTen.toFixed(4)}), ${seconds.toFixed(2)} s`,
    );
    expect(first).toBeGreaterThan(10); // counts start far from their targets
    expect(lastTen).toBeLessThan(first / 10);
    expect(last).toBeLessThan(first / 10);
    expect(tf.memory().numTensors).toBe(before);
    expect(train().losses).toEqual(losses); // same seed, same numbers
  });
}, ['cpu']);

// The README's example, as a test (keep the two in step): a two-layer spiking MLP on a toy task.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRng, Module, Sequential, seqToANNForward, useBackend } from '@snn/core';
import { LIFNode } from '@snn/neurons';
import { atan } from '@snn/surrogates';
import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import {
  cosineAnnealing,
  evaluate,
  type LossFn,
  loadCheckpoint,
  rateCrossEntropyLoss,
  saveCheckpoint,
  trainStep,
} from './index.js';

/** y = x·W, time folded into batch: [T, B, in] → [T, B, out]. (@snn/layers' Linear does this with a bias.) */
class Linear extends Module {
  readonly weight: tf.Variable;
  constructor(inFeatures: number, outFeatures: number, seed: number) {
    super('m');
    const bound = 1 / Math.sqrt(inFeatures);
    this.weight = this.registerParameter('weight', createRng(seed).uniform([inFeatures, outFeatures], -bound, bound));
  }
  protected override multiStepForward(xSeq: tf.Tensor): tf.Tensor {
    return seqToANNForward(xSeq, (x) => tf.matMul(x, this.weight));
  }
}

const T = 8;
const B = 16;
const IN = 20;
const HIDDEN = 32;
const CLASSES = 3;

const makeNet = () =>
  new Sequential(
    new Linear(IN, HIDDEN, 1),
    new LIFNode({ tau: 2, surrogate: atan(), stepMode: 'm' }),
    new Linear(HIDDEN, CLASSES, 2),
    new LIFNode({ tau: 2, surrogate: atan(), stepMode: 'm' }),
  );

it('the README example trains a toy task to >= 90 % and restores it from a checkpoint', async () => {
  await useBackend('cpu');
  const dir = await mkdtemp(join(tmpdir(), 'snn-readme-'));
  const start = tf.memory().numTensors;

  // A toy task: each class is a pattern of firing probabilities over 20 inputs; a sample is a
  // Bernoulli spike train of its class's pattern, [T, B, IN].
  const rng = createRng(0);
  const prototypes = rng.uniform([CLASSES, IN], 0, 1);
  const batch = () =>
    tf.tidy(() => {
      const labels = tf.tensor1d(
        Array.from({ length: B }, () => rng.nextInt(CLASSES)),
        'int32',
      );
      const p = tf.tile(tf.expandDims(tf.gather(prototypes, labels), 0), [T, 1, 1]);
      return { inputs: rng.bernoulli(p), labels };
    });

  const net = makeNet();
  const optimizer = tf.train.adam(1e-2);
  const loss: LossFn = (out, y) => rateCrossEntropyLoss(out, y, { scale: T }); // CE on spike counts
  const steps = 200;
  const schedule = cosineAnnealing({ lrMax: 1e-2, lrMin: 1e-4, totalSteps: steps });
  let first = 0;
  for (let step = 0; step < steps; step++) {
    const { inputs, labels } = batch();
    const r = trainStep({ net, optimizer, inputs, labels, loss, clipNorm: 1, learningRate: schedule(step) });
    tf.dispose([inputs, labels]);
    if (step === 0) first = r.loss;
    if (step % 50 === 0) console.log(`step ${step}: loss ${r.loss.toFixed(3)}, accuracy ${r.accuracy}`);
  }

  const test = Array.from({ length: 4 }, batch);
  const result = evaluate({ net, batches: test, loss });
  console.log(`test: loss ${result.loss?.toFixed(3)}, accuracy ${((result.accuracy ?? 0) * 100).toFixed(1)} %`);

  const path = join(dir, 'toy-snn.json');
  await saveCheckpoint(path, net, { meta: { steps, accuracy: result.accuracy } });
  const restored = makeNet(); // the same structure
  const { meta } = await loadCheckpoint(path, restored);
  const again = evaluate({ net: restored, batches: test, loss });

  expect(result.loss).toBeLessThan(first / 3);
  expect(result.accuracy).toBeGreaterThanOrEqual(0.9);
  expect(meta).toEqual({ steps, accuracy: result.accuracy });
  expect(again).toEqual(result);

  tf.dispose([prototypes, test]);
  net.dispose();
  restored.dispose();
  optimizer.dispose();
  expect(tf.memory().numTensors).toBe(start);
  await rm(dir, { recursive: true, force: true });
});

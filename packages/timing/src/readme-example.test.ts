// The example of ../README.md, run as written (with its printed values checked).
import { useBackend } from '@snn/core';
import { GaussianTuning } from '@snn/encoding';
import { Tempotron, tempotronRuleStep } from '@snn/timing';
import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';

it('README example', async () => {
  await useBackend('cpu');
  // Spike times [B, inFeatures]: 4 values per sample, each through m = 6 Gaussian tuning curves
  const enc = new GaussianTuning(1, 6, 0, 1);
  const x = tf.tensor3d([[[0.1, 0.4, 0.6, 0.9]], [[0.9, 0.6, 0.4, 0.1]]]); // [B=2, n=1, k=4]
  const times = tf.reshape(enc.encode(x, 30), [2, 24]); // integers in [0, 30), −1: no spike

  // Two Tempotron neurons over the 24 afferents, T = 30 steps, trained with Adam on mseLoss
  const net = new Tempotron(24, 2, 30, { seed: 0 });
  const opt = tf.train.adam(0.01);
  const loss = () => Tempotron.mseLoss(net.forward(times, 'vMax'), net.vThreshold, [0, 1], 2) as tf.Scalar;
  for (let i = 0; i < 100; i++) opt.minimize(loss)?.dispose();
  net.forward(times, 'vMax').print(); // peaks: the label's neuron at or above 1, the other below
  net.forward(times, 'spikes').print(); // time of each peak, negative when below threshold

  // The classic rule on one neuron: fire for the first pattern only
  const single = new Tempotron(24, 1, 30, { seed: 1 });
  for (let epoch = 0; epoch < 20; epoch++) {
    let errors = 0;
    for (const b of [0, 1]) {
      const pattern = tf.slice(times, [b, 0], [1, 24]);
      errors += tempotronRuleStep(single, pattern, [b === 0 ? 1 : 0], { lr: 0.05 }).errors;
      pattern.dispose();
    }
    if (errors === 0) break;
  }
  single.forward(times, 'vMax').print(); // first above 1, second below

  const vMax = net.forward(times, 'vMax').arraySync() as number[][];
  expect(vMax[0]?.[0]).toBeGreaterThanOrEqual(1);
  expect(vMax[0]?.[1]).toBeLessThan(1);
  expect(vMax[1]?.[1]).toBeGreaterThanOrEqual(1);
  expect(vMax[1]?.[0]).toBeLessThan(1);
  const peaks = single.forward(times, 'vMax').dataSync();
  expect(peaks[0]).toBeGreaterThanOrEqual(1);
  expect(peaks[1]).toBeLessThan(1);
});

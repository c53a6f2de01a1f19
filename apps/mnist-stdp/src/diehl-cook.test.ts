import { useBackend } from '@snn/core';
import { loadEmbeddedMNIST, take } from '@snn/datasets';
import { expect, it } from 'vitest';
import { assignLabels, buildDiehlCook, DEFAULTS, predict, trainAndTest } from './diehl-cook.js';

it('assigns labels by mean response and votes as BindsNET (all activity, proportion weighting)', () => {
  // Neuron 0 fires for class 1, neuron 1 for class 2, neuron 2 for both (more for 2), neuron 3 never.
  const counts = [Float32Array.of(4, 0, 1, 0), Float32Array.of(0, 6, 3, 0), Float32Array.of(2, 0, 1, 0)];
  const a = assignLabels(counts, [1, 2, 1], 4, 3);
  expect(Array.from(a.assignments)).toEqual([1, 2, 2, -1]);
  expect(a.proportions[2 * 3 + 1]).toBeCloseTo(1 / 4); // neuron 2: mean 1 for class 1, 3 for class 2
  // All activity: class 1 has neuron 0 (5 spikes), class 2 neurons 1 and 2 (mean (0 + 4) / 2 = 2).
  expect(predict(Float32Array.of(5, 0, 4, 9), a, 3)).toEqual({ all: 1, proportion: 1 });
  expect(predict(Float32Array.of(1, 3, 3, 0), a, 3).all).toBe(2);
});

it('learns digits without labels: 30 neurons, 400 digits, well above chance', async () => {
  await useBackend('cpu');
  const data = await loadEmbeddedMNIST({ seed: 0 });
  const config = { ...DEFAULTS, neurons: 30, time: 150, seed: 1, oneSpike: false }; // 0.6 here
  const d = buildDiehlCook(config);
  const r = trainAndTest(d, take(data.train, 400), take(data.test, 200), config, { labelSamples: 400 });
  expect(r.accuracy).toBeGreaterThan(0.45); // chance: 0.1
  expect(r.trainSamples).toBe(400);
  // θ grew (homeostasis) and the input weights keep their normalisation.
  const theta = Array.from(
    (d.exc as unknown as { node: { theta: { dataSync(): Float32Array } } }).node.theta.dataSync(),
  );
  expect(Math.max(...theta)).toBeGreaterThan(0);
  const w = d.input.w.arraySync() as number[][];
  for (const row of w) expect(row.reduce((s, v) => s + v, 0)).toBeCloseTo(78.4, 1);
  d.net.dispose();
});

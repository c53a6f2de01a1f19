import { batches, type ImageDataset } from '@snn/datasets';
import { Monitor, type RecordedArray } from '@snn/monitor';
import * as tf from '@tensorflow/tfjs-core';
import type { SpikingMLP } from './model.js';

/** What the network did on one test digit. */
export interface DigitRecording {
  readonly label: number;
  readonly predicted: number;
  /** Hidden-layer spikes, `[T, 1, hidden]`. */
  readonly hiddenSpikes: RecordedArray;
  /** Output-layer membrane potential, `[T, 1, 10]`. */
  readonly outputV: RecordedArray;
  /** Output-layer spikes, `[T, 1, 10]`. */
  readonly outputSpikes: RecordedArray;
}

/** Runs one test digit (sample `index` of `test`) with Monitors on the hidden and output layers. */
export function recordDigit(net: SpikingMLP, test: ImageDataset, index = 0): DigitRecording {
  const hidden = new Monitor(net.hiddenLIF, ['spike']);
  const output = new Monitor(net.outputLIF, ['spike', 'v']);
  const image = tf.tensor2d(test.images.subarray(index * 784, (index + 1) * 784), [1, 784]);
  net.eval();
  net.reset();
  const counts = tf.tidy(() => tf.sum(net.forward(image), 0).dataSync());
  net.reset();
  net.train();
  image.dispose();
  const recording = {
    label: test.labels[index] as number,
    predicted: counts.indexOf(Math.max(...counts)),
    hiddenSpikes: hidden.toArray('spike'),
    outputV: output.toArray('v'),
    outputSpikes: output.toArray('spike'),
  };
  hidden.dispose();
  output.dispose();
  return recording;
}

/** Mean firing rate (spikes per step) of every hidden neuron for the test digits of each class: `[10][hidden]`. */
export function hiddenRatesByClass(net: SpikingMLP, test: ImageDataset): number[][] {
  const hidden = net.fc1.outFeatures;
  const sums = Array.from({ length: 10 }, () => new Float64Array(hidden));
  const counts = new Array<number>(10).fill(0);
  let rates: tf.Tensor | undefined;
  // The hidden layer's spikes are read through its forward hook: the rate over T of each sample.
  const off = net.hiddenLIF.onForward((_m, _x, spikes) => {
    rates = tf.keep(tf.mean(spikes, 0));
  });
  net.eval();
  for (const b of batches(test, 256)) {
    net.reset();
    tf.dispose(net.forward(b.images));
    const values = rates?.dataSync() ?? new Float32Array(0);
    const labels = b.labels.dataSync();
    tf.dispose([rates as tf.Tensor, b]);
    labels.forEach((label, i) => {
      counts[label] = (counts[label] as number) + 1;
      const row = sums[label] as Float64Array;
      for (let j = 0; j < hidden; j++) row[j] = (row[j] as number) + (values[i * hidden + j] as number);
    });
  }
  off();
  net.reset();
  net.train();
  return sums.map((row, c) => Array.from(row, (v) => v / Math.max(1, counts[c] as number)));
}

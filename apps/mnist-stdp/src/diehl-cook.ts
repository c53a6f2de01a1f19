import { createRng, type Rng } from '@snn/core';
import type { ImageDataset } from '@snn/datasets';
import { PostPre } from '@snn/learning';
import { Connection, diehlCookNodes, Input, lifNodes, Network, type Population } from '@snn/network';
import * as tf from '@tensorflow/tfjs-core';

/** Settings of the Diehl & Cook (2015) network, BindsNET's `DiehlAndCook2015` names in camelCase. */
export interface DiehlCookConfig {
  /** Excitatory (and inhibitory) neurons. Default 100. */
  readonly neurons: number;
  /** Excitatory → inhibitory weight, mV. Default 22.5. */
  readonly exc: number;
  /** Inhibitory → excitatory weight (as −inh), mV. Default 120 (BindsNET's eth_mnist). */
  readonly inh: number;
  /** Threshold rise per spike, mV. Default 0.05. */
  readonly thetaPlus: number;
  /** PostPre rates `[pre, post]`. Default `[1e-4, 1e-2]`. */
  readonly nu: readonly [number, number];
  /** Sum of the input weights into each excitatory neuron after every sample. Default 78.4. */
  readonly norm: number;
  /** Presentation time per digit, ms. Default 250. */
  readonly time: number;
  /** Input rate of a white pixel, Hz. Default 128. */
  readonly intensity: number;
  /** Seed of the weights and the Poisson input. Default 0. */
  readonly seed: number;
  /** At most one excitatory spike per step (BindsNET's `DiehlAndCookNodes` default). Default true. */
  readonly oneSpike: boolean;
}

export const DEFAULTS: DiehlCookConfig = {
  neurons: 100,
  exc: 22.5,
  inh: 120,
  thetaPlus: 0.05,
  nu: [1e-4, 1e-2],
  norm: 78.4,
  time: 250,
  intensity: 128,
  seed: 0,
  oneSpike: true,
};

/** The network and its parts. */
export interface DiehlCookNet {
  readonly net: Network;
  readonly exc: Population;
  readonly input: Connection;
}

/**
 * Diehl & Cook (2015) as BindsNET's `DiehlAndCook2015`: Input(784) → excitatory Diehl–Cook
 * neurons (adaptive threshold) with PostPre STDP, weights in [0, 1] normalised to `norm` per
 * neuron; each excitatory neuron drives one inhibitory LIF neuron (`exc`), which inhibits every
 * other excitatory neuron (`−inh`).
 */
export function buildDiehlCook(c: DiehlCookConfig): DiehlCookNet {
  const n = c.neurons;
  const net = new Network({ dt: 1 });
  const X = new Input(784, { tcTrace: 20 });
  const Ae = diehlCookNodes(n, {
    thetaPlus: c.thetaPlus,
    tcThetaDecay: 1e7,
    tcTrace: 20,
    countSpikes: true,
    oneSpike: c.oneSpike,
  });
  const Ai = lifNodes(n, { rest: -60, reset: -45, thresh: -40, tcDecay: 10, refrac: 2, traces: false });
  net.addLayer(X, 'X');
  net.addLayer(Ae, 'Ae');
  net.addLayer(Ai, 'Ai');
  const w = tf.tidy(() => tf.mul(0.3, createRng(c.seed).uniform([n, 784])));
  const input = new Connection(X, Ae, { w, rule: new PostPre({ nu: c.nu }), wmin: 0, wmax: 1, norm: c.norm });
  const excW = tf.tidy(() => tf.mul(tf.eye(n), c.exc));
  const inhW = tf.tidy(() => tf.mul(tf.sub(tf.eye(n), 1), c.inh));
  net.addConnection(input, 'X', 'Ae');
  net.addConnection(new Connection(Ae, Ai, { w: excW }), 'Ae', 'Ai');
  net.addConnection(new Connection(Ai, Ae, { w: inhW }), 'Ai', 'Ae');
  tf.dispose([w, excW, inhW]);
  return { net, exc: Ae, input };
}

/** Poisson (Bernoulli per ms) spikes of one image: `[time, 1, 784]`, rate `pixel · intensity` Hz. */
export function poissonImage(pixels: Float32Array, time: number, intensity: number, rng: Rng): tf.Tensor {
  const out = new Float32Array(time * 784);
  const p = Float32Array.from(pixels, (x) => (x * intensity) / 1000);
  for (let t = 0; t < time; t++) {
    const off = t * 784;
    for (let i = 0; i < 784; i++) {
      const pi = p[i] as number;
      if (pi > 0 && rng.nextFloat() < pi) out[off + i] = 1;
    }
  }
  return tf.tensor3d(out, [time, 1, 784]);
}

/**
 * Presents one image and returns the excitatory spike counts (`[neurons]`). As in Diehl & Cook's
 * code, a digit that drew fewer than `minSpikes` excitatory spikes is shown again with the input
 * rate raised by 32 Hz (at most `maxRetries` times); each presentation learns when learning is on.
 */
export function present(
  d: DiehlCookNet,
  pixels: Float32Array,
  c: DiehlCookConfig,
  rng: Rng,
  minSpikes = 5,
  maxRetries = 5,
): Float32Array {
  let intensity = c.intensity;
  for (let attempt = 0; ; attempt++) {
    const x = poissonImage(pixels, c.time, intensity, rng);
    d.net.run({ inputs: { X: x }, time: c.time });
    x.dispose();
    const counts = Float32Array.from(d.exc.count.dataSync());
    d.net.reset(); // V, refractory counters, traces and counts; θ is persistent
    let total = 0;
    for (const k of counts) total += k;
    if (total >= minSpikes || attempt >= maxRetries) return counts;
    intensity += 32;
  }
}

/** BindsNET's `assign_labels`: each neuron's class is the one it fired most for on average. */
export interface Assignment {
  /** Class per neuron (−1: never fired). */
  readonly assignments: Int32Array;
  /** `[neurons, 10]`: each neuron's share of its mean rate per class. */
  readonly proportions: Float64Array;
}

/** Assigns labels from the spike counts `[samples][neurons]` and their labels. */
export function assignLabels(
  counts: Float32Array[],
  labels: ArrayLike<number>,
  neurons: number,
  classes = 10,
): Assignment {
  const rates = new Float64Array(neurons * classes);
  const perClass = new Float64Array(classes);
  counts.forEach((row, s) => {
    const y = labels[s] as number;
    perClass[y] = (perClass[y] as number) + 1;
    for (let k = 0; k < neurons; k++) rates[k * classes + y] = (rates[k * classes + y] as number) + (row[k] as number);
  });
  const assignments = new Int32Array(neurons).fill(-1);
  const proportions = new Float64Array(neurons * classes);
  for (let k = 0; k < neurons; k++) {
    let best = -1;
    let bestRate = 0;
    let sum = 0;
    for (let y = 0; y < classes; y++) {
      const r = (perClass[y] as number) > 0 ? (rates[k * classes + y] as number) / (perClass[y] as number) : 0;
      rates[k * classes + y] = r;
      sum += r;
      if (r > bestRate) {
        bestRate = r;
        best = y;
      }
    }
    assignments[k] = best;
    for (let y = 0; y < classes; y++)
      proportions[k * classes + y] = sum > 0 ? (rates[k * classes + y] as number) / sum : 0;
  }
  return { assignments, proportions };
}

/**
 * Predictions of BindsNET's two votes: `all`: the class whose assigned neurons fired most on
 * average; `proportion`: the same with each spike weighted by the neuron's share for the class.
 */
export function predict(counts: Float32Array, a: Assignment, classes = 10): { all: number; proportion: number } {
  const n = a.assignments.length;
  const all = new Float64Array(classes);
  const prop = new Float64Array(classes);
  const size = new Float64Array(classes);
  for (let k = 0; k < n; k++) {
    const y = a.assignments[k] as number;
    if (y < 0) continue;
    size[y] = (size[y] as number) + 1;
    all[y] = (all[y] as number) + (counts[k] as number);
    for (let c = 0; c < classes; c++)
      prop[c] = (prop[c] as number) + (counts[k] as number) * (a.proportions[k * classes + c] as number);
  }
  const argmax = (v: Float64Array, norm: boolean) => {
    let best = 0;
    let bestV = Number.NEGATIVE_INFINITY;
    for (let c = 0; c < classes; c++) {
      const s = size[c] as number;
      const x = norm ? (s > 0 ? (v[c] as number) / s : 0) : (v[c] as number);
      if (x > bestV) {
        bestV = x;
        best = c;
      }
    }
    return best;
  };
  return { all: argmax(all, true), proportion: argmax(prop, false) };
}

/** Progress callback: (done, total). */
export type Progress = (done: number, total: number) => void;

/** What {@link trainAndTest} returns. */
export interface Result {
  readonly accuracy: number;
  readonly accuracyProportion: number;
  readonly trainSeconds: number;
  /** Time of the labelling pass (learning off). */
  readonly labelSeconds: number;
  readonly testSeconds: number;
  readonly trainSamples: number;
  readonly testSamples: number;
}

/**
 * Trains without labels on `train` (STDP, θ adapting); then, with learning off (weights and θ
 * frozen), shows the last `labelSamples` training digits again and assigns each neuron the class
 * it fired most for (Diehl & Cook assign labels on the trained network); then classifies `test`.
 */
export function trainAndTest(
  d: DiehlCookNet,
  train: ImageDataset,
  test: ImageDataset,
  c: DiehlCookConfig,
  options: {
    readonly labelSamples?: number;
    readonly onTrain?: Progress;
    readonly onLabel?: Progress;
    readonly onTest?: Progress;
  } = {},
): Result {
  const rng = createRng(c.seed + 1);
  const order = Array.from({ length: train.size }, (_, i) => i);
  for (let i = order.length - 1; i > 0; i--) {
    const j = rng.nextInt(i + 1);
    [order[i], order[j]] = [order[j] as number, order[i] as number];
  }
  const image = (ds: ImageDataset, i: number) => ds.images.subarray(i * 784, (i + 1) * 784);
  const t0 = performance.now();
  d.net.learning = true;
  order.forEach((idx, i) => {
    present(d, image(train, idx), c, rng);
    options.onTrain?.(i + 1, train.size);
  });
  const trainSeconds = (performance.now() - t0) / 1000;

  const t1 = performance.now();
  d.net.learning = false;
  const labelSamples = Math.min(options.labelSamples ?? 2000, train.size);
  const recorded: Float32Array[] = [];
  const recordedLabels: number[] = [];
  for (let k = 0; k < labelSamples; k++) {
    const idx = order[train.size - labelSamples + k] as number;
    recorded.push(present(d, image(train, idx), c, rng));
    recordedLabels.push(train.labels[idx] as number);
    options.onLabel?.(k + 1, labelSamples);
  }
  const assignment = assignLabels(recorded, recordedLabels, c.neurons);
  const labelSeconds = (performance.now() - t1) / 1000;

  const t2 = performance.now();
  let correct = 0;
  let correctProp = 0;
  for (let i = 0; i < test.size; i++) {
    const p = predict(present(d, image(test, i), c, rng), assignment);
    const y = test.labels[i] as number;
    if (p.all === y) correct++;
    if (p.proportion === y) correctProp++;
    options.onTest?.(i + 1, test.size);
  }
  const testSeconds = (performance.now() - t2) / 1000;
  return {
    accuracy: correct / test.size,
    accuracyProportion: correctProp / test.size,
    trainSeconds,
    labelSeconds,
    testSeconds,
    trainSamples: train.size,
    testSamples: test.size,
  };
}

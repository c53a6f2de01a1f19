import { createRng } from '@snn/core';
import type { Monitor } from '@snn/monitor';
import { Connection, Input, lifNodes, Network, populationMonitor } from '@snn/network';
import type { Tensor } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';

/** Options of {@link buildSeedNetwork}. */
export interface SeedOptions {
  /** Input neurons. Default 100. */
  readonly inputs?: number;
  /** LIF neurons. Default 1000. */
  readonly neurons?: number;
  /** Seed of the weights and the input. Default 0. */
  readonly seed?: number;
  /** Record spikes and voltages. Default true. */
  readonly monitors?: boolean;
}

/** The seed network and its monitors. */
export interface SeedNetwork {
  readonly net: Network;
  readonly spikes: Monitor | null;
  readonly voltages: Monitor | null;
}

/**
 * BindsNET's seed example: Input(100) → LIF(1000) (BindsNET's default `LIFNodes`) with weights
 * `0.05 + 0.1·N(0, 1)`, and a recurrent inhibitory connection `0.025·(I − 1)` on the LIF layer
 * (every neuron inhibits every other by 0.025 mV per spike); monitors on the spikes of both
 * layers and the LIF voltages.
 */
export function buildSeedNetwork(options: SeedOptions = {}): SeedNetwork {
  const nIn = options.inputs ?? 100;
  const n = options.neurons ?? 1000;
  const rng = createRng(options.seed ?? 0);
  const net = new Network({ dt: 1 });
  const X = new Input(nIn, { traces: false });
  const Y = lifNodes(n, { traces: false });
  net.addLayer(X, 'X');
  net.addLayer(Y, 'Y');
  const w = tf.tidy(() => tf.add(0.05, tf.mul(0.1, rng.normal([n, nIn]))));
  net.addConnection(new Connection(X, Y, { w }), 'X', 'Y');
  const r = tf.tidy(() => tf.mul(0.025, tf.sub(tf.eye(n), 1)));
  net.addConnection(new Connection(Y, Y, { w: r }), 'Y', 'Y');
  tf.dispose([w, r]);
  if (options.monitors === false) return { net, spikes: null, voltages: null };
  const spikes = populationMonitor(Y, ['s']);
  const voltages = populationMonitor(Y, ['v']);
  net.addMonitor(spikes, 'Y_spikes');
  net.addMonitor(voltages, 'Y_voltages');
  return { net, spikes, voltages };
}

/** Bernoulli(p) input spikes `[time, batch, inputs]` from `seed`. */
export function bernoulliInput(time: number, batch: number, inputs: number, p = 0.1, seed = 1): Tensor {
  return createRng(seed).bernoulli(p, [time, batch, inputs]);
}

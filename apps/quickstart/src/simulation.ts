import {
  type BackendName,
  checkInteger,
  checkPositive,
  createRng,
  lifCharge,
  lifFireReset,
  Module,
  type Rng,
  ValueError,
} from '@snn/core';
import { Monitor, type RecordedArray } from '@snn/monitor';
import type { Tensor } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';

/** LIF parameters of the population (SpikingJelly's LIFNode, decay_input, hard reset to 0). */
export const LIF = { tau: 10, decayInput: true, vThreshold: 1, vReset: 0, softReset: false } as const;

/**
 * A LIF population as a Module: `v` is its memory, one step is charge → fire → reset with core's
 * reference equations. (The neuron package will provide LIFNode; this keeps the quickstart to core.)
 */
export class LIFPopulation extends Module {
  constructor() {
    super();
    this.registerMemory('v', 0);
  }

  protected override singleStepForward(current: Tensor): Tensor {
    return tf.tidy(() => {
      const h = lifCharge(current, this.getMemory('v'), LIF);
      const [spike, v] = lifFireReset(h, LIF);
      this.setMemory('v', v);
      return spike;
    });
  }
}

/** Settings of one quickstart run. */
export interface SimulationOptions {
  readonly steps: number;
  readonly seed: number;
  /** Number of Poisson input channels. */
  readonly inputs?: number;
  /** Number of LIF neurons. */
  readonly neurons?: number;
  /** Time step in ms (input rates are in Hz). */
  readonly dtMs?: number;
  /** Called after every step, e.g. to move a progress bar. */
  readonly onStep?: (step: number) => void;
  /** Record spikes and membrane potential of every neuron with a Monitor. Default false. */
  readonly record?: boolean;
}

/** What a run measured. */
export interface SimulationResult {
  readonly backend: BackendName | string;
  readonly steps: number;
  /** Firing rate of each LIF neuron in Hz. */
  readonly ratesHz: Float32Array;
  /** Mean rate of the Poisson inputs actually drawn, in Hz. */
  readonly inputRateHz: number;
  readonly seconds: number;
  /** What the Monitor recorded (`[steps, 1, neurons]`), when `record` was set. */
  readonly recording?: { readonly spike: RecordedArray; readonly v: RecordedArray };
}

/**
 * Drives a LIF population with Poisson spike trains through random excitatory weights for
 * `steps` steps of `dtMs` and counts its spikes. Same seed, same rates, on every backend.
 */
export function simulate(backend: BackendName | string, options: SimulationOptions): SimulationResult {
  const steps = checkInteger('simulate', 'steps', options.steps, 1);
  const nIn = checkInteger('simulate', 'inputs', options.inputs ?? 200, 1);
  const nOut = checkInteger('simulate', 'neurons', options.neurons ?? 100, 1);
  const dtMs = checkPositive('simulate', 'dtMs', options.dtMs ?? 1);
  const rng: Rng = createRng(options.seed);

  // Input rates spread over 5–50 Hz; weights uniform in [0, 0.4): a mean drive a little above threshold.
  const ratesHz = tf.tidy(() => tf.add(5, tf.mul(rng.uniform([1, nIn]), 45)));
  const probability = tf.tidy(() => tf.mul(ratesHz, dtMs / 1000));
  const maxProbability = tf.tidy(() => tf.max(probability).dataSync()[0] as number);
  if (maxProbability > 1) {
    tf.dispose([ratesHz, probability]);
    throw new ValueError('simulate', 'dtMs', 'small enough that rate · dt <= 1', dtMs);
  }
  const weights = rng.uniform([nIn, nOut], 0, 0.4);
  const population = new LIFPopulation();
  const monitor = options.record ? new Monitor(population, ['spike', 'v'], { dt: dtMs }) : null;
  let spikeCounts = tf.zeros([1, nOut]);
  let inputCount: Tensor = tf.scalar(0);
  const start = performance.now();
  for (let t = 0; t < steps; t++) {
    const input = rng.bernoulli(probability);
    const [counts, total] = tf.tidy(() => {
      const spikes = population.forward(tf.matMul(input, weights));
      return [tf.add(spikeCounts, spikes), tf.add(inputCount, tf.sum(input))];
    });
    tf.dispose([input, spikeCounts, inputCount]);
    spikeCounts = counts as Tensor;
    inputCount = total as Tensor;
    options.onStep?.(t + 1);
  }
  const counts = spikeCounts.dataSync() as Float32Array;
  const inputSpikes = inputCount.dataSync()[0] as number;
  const seconds = (performance.now() - start) / 1000;
  const durationS = (steps * dtMs) / 1000;
  const rates = Float32Array.from(counts, (c) => c / durationS);
  tf.dispose([ratesHz, probability, weights, spikeCounts, inputCount]);
  const recording = monitor === null ? undefined : { spike: monitor.toArray('spike'), v: monitor.toArray('v') };
  monitor?.dispose();
  population.dispose();
  const result = { backend, steps, ratesHz: rates, inputRateHz: inputSpikes / nIn / durationS, seconds };
  return recording === undefined ? result : { ...result, recording };
}

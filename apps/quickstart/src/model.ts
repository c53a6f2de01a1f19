import { checkInteger, checkRank, Module, repeatOverTime } from '@snn/core';
import { Linear } from '@snn/layers';
import { LIFNode } from '@snn/neurons';
import { atan } from '@snn/surrogates';
import type { Tensor } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';

/** Settings of {@link SpikingMLP}. */
export interface SpikingMLPOptions {
  readonly inputs?: number;
  readonly hidden?: number;
  readonly classes?: number;
  /** Time steps per sample. */
  readonly T?: number;
  /** LIF membrane time constant, in steps. */
  readonly tau?: number;
  /** Seed of the weight initialisation. */
  readonly seed?: number;
}

/**
 * A spiking MLP: `784 → Linear → LIF (hidden) → Linear → LIF (10 outputs)`, run for T steps.
 * The input is a batch of images `[B, 784]` (direct encoding: the same current every step) or
 * a spike train `[T, B, 784]` (e.g. Poisson encoding). The output is the output layer's spikes
 * `[T, B, 10]`; the class is the neuron that fires most.
 *
 * With direct encoding the first layer's current is the same at every step, so it is computed
 * once and repeated over T instead of T times.
 */
export class SpikingMLP extends Module {
  readonly T: number;
  readonly fc1: Linear;
  readonly hiddenLIF: LIFNode;
  readonly fc2: Linear;
  readonly outputLIF: LIFNode;

  constructor(options: SpikingMLPOptions = {}) {
    super('m');
    const inputs = options.inputs ?? 784;
    const hidden = checkInteger('SpikingMLP', 'hidden', options.hidden ?? 256, 1);
    const classes = options.classes ?? 10;
    this.T = checkInteger('SpikingMLP', 'T', options.T ?? 8, 1);
    const seed = options.seed ?? 0;
    const lif = {
      tau: options.tau ?? 2,
      surrogate: atan(2),
      detachReset: true,
      stepMode: 'm' as const,
      checkFiniteInput: false,
    };
    this.fc1 = this.registerModule('fc1', new Linear(inputs, hidden, { seed, stepMode: 's' }));
    this.hiddenLIF = this.registerModule('hiddenLIF', new LIFNode(lif));
    this.fc2 = this.registerModule('fc2', new Linear(hidden, classes, { seed: seed + 1, stepMode: 'm' }));
    this.outputLIF = this.registerModule('outputLIF', new LIFNode({ ...lif, storeVSeq: true }));
  }

  /** Keeps fc1 single-step (it takes `[B, 784]` or `[T·B, 784]` itself); the rest is multi-step. */
  override setStepMode(_mode: 's' | 'm'): this {
    return this;
  }

  protected override compute(x: Tensor): Tensor {
    return tf.tidy(() => {
      let current: Tensor;
      if (x.rank === 2) {
        current = repeatOverTime(this.fc1.forward(x), this.T);
      } else {
        checkRank('SpikingMLP.forward', 'x', x, 3, '[T, B, 784] spikes or [B, 784] images');
        const [T, B, F] = x.shape as [number, number, number];
        current = tf.reshape(this.fc1.forward(tf.reshape(x, [T * B, F])), [T, B, this.fc1.outFeatures]);
      }
      const hidden = this.hiddenLIF.forward(current);
      return this.outputLIF.forward(this.fc2.forward(hidden));
    });
  }
}

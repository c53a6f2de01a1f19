import { checkBoolean, checkOptions, Module, ValueError } from '@snn/core';
import type { Tensor, Variable } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';
import { checkStepInput, STEP_MODE_OPTION_KEYS, type StepModeOptions } from './layer.js';
import { keysOf } from './options.js';

/**
 * One step of SpikingJelly's synapse filter, pure: `I' = I − (1 − X)·I·k + X`, `k = 1/τ`.
 *
 * For spikes X ∈ {0, 1}: without a spike the current decays, `I' = I·(1 − 1/τ)` (the discrete
 * form of `τ dI/dt = −I`); with one it grows by 1 and does not decay, `I' = I + 1`. Reads `outI`,
 * never disposes it; returns a new tensor. Differentiable in `x`, `outI` and `k`.
 * @param k - The decay rate `1/τ`: a number, or a scalar tensor (`sigmoid(w)`) for a gradient.
 */
export function synapseFilterStep(x: Tensor, outI: Tensor, k: number | Tensor): Tensor {
  return tf.tidy(() => tf.add(tf.sub(outI, tf.mul(tf.mul(tf.sub(1, x), outI), k)), x));
}

/** Options of {@link SynapseFilter}. */
export interface SynapseFilterOptions extends StepModeOptions {
  /** Time constant of the decay in steps, > 1 (the initial value when learnable). Default 100. */
  readonly tau?: number;
  /** Learn τ: `k = 1/τ = sigmoid(w)` with a trainable scalar `w = −ln(τ − 1)`, as PLIF. Default false. */
  readonly learnable?: boolean;
}

/** The keys of {@link SynapseFilterOptions}. */
export const SYNAPSE_FILTER_OPTION_KEYS = keysOf<SynapseFilterOptions>()([
  ...STEP_MODE_OPTION_KEYS,
  'tau',
  'learnable',
]);

/**
 * Synapse with a first-order low-pass filter (SpikingJelly `layer.SynapseFilter`): the output
 * current `I` (memory `outI`) follows {@link synapseFilterStep}, `I[t] = I[t−1] − (1 − X[t])·I[t−1]/τ + X[t]`,
 * from `I = 0` after `reset()`. It turns spike trains into a decaying trace (a LIF neuron with an
 * infinite threshold); as the last layer, `I` at the end measures how many spikes came.
 *
 * This is SpikingJelly's equation, not the unit-gain low-pass `I += (X − I)/τ`: an input adds in
 * full, and a spike (X = 1) suspends the decay for that step.
 *
 * Shapes: `[B, ...]` → same in step mode `'s'`; `[T, B, ...]` → same in `'m'` (stepped over T).
 * State: `outI`, a scalar after `reset()` that takes the input's shape at the first step.
 * Parameter (learnable only): `w`, one scalar, `1/τ = sigmoid(w)`.
 *
 * @throws UnknownOptionError for an option name it does not know; ValueError when `tau` is not
 * a finite number > 1 or `learnable` not a boolean;
 * ShapeError from `forward` when the input's shape differs from the state's (reset first).
 * @example
 * ```ts
 * const syn = new SynapseFilter({ tau: 10, stepMode: 'm' });
 * const current = syn.forward(spikeSeq); // [T, B, N]
 * syn.reset();
 * ```
 */
export class SynapseFilter extends Module {
  readonly learnable: boolean;
  /** The trainable `w` (`1/τ = sigmoid(w)`), or `null` when τ is fixed. */
  readonly w: Variable | null;
  private readonly fixedTau: number;

  constructor(options: SynapseFilterOptions = {}) {
    checkOptions('SynapseFilter', options, SYNAPSE_FILTER_OPTION_KEYS);
    super(options.stepMode ?? 's');
    const tau = options.tau ?? 100;
    if (!(typeof tau === 'number' && Number.isFinite(tau) && tau > 1)) {
      throw new ValueError('SynapseFilter', 'tau', 'a finite number > 1', tau);
    }
    this.learnable = checkBoolean('SynapseFilter', 'learnable', options.learnable) ?? false;
    this.fixedTau = tau;
    this.w = this.learnable ? this.registerParameter('w', tf.scalar(-Math.log(tau - 1))) : null;
    this.registerMemory('outI', 0);
  }

  /** The time constant: fixed, or `1 / sigmoid(w)` read back from the device. */
  get tau(): number {
    if (this.w === null) return this.fixedTau;
    return tf.tidy(() => 1 / (tf.sigmoid(this.w as Variable).dataSync()[0] as number));
  }

  /** The current `I` (owned by the layer: do not dispose). */
  get outI(): Tensor {
    return this.getMemory('outI');
  }

  private expectInput(sample: readonly number[], lead: string): string | undefined {
    const state = this.getMemory('outI');
    if (state.rank === 0 || (state.rank === sample.length && state.shape.every((d, i) => d === sample[i]))) {
      return undefined;
    }
    return `shape [${lead}${state.shape.join(', ')}] (the state's, since the last reset(); call reset() for a new shape)`;
  }

  protected override singleStepForward(x: Tensor): Tensor {
    checkStepInput(this, x, 's', (s, lead) => this.expectInput(s, lead));
    return tf.tidy(() => {
      const k = this.w === null ? 1 / this.fixedTau : tf.sigmoid(this.w);
      const next = synapseFilterStep(x, this.getMemory('outI'), k);
      this.setMemory('outI', next);
      return tf.clone(next);
    });
  }

  protected override multiStepForward(xSeq: Tensor): Tensor {
    checkStepInput(this, xSeq, 'm', (s, lead) => this.expectInput(s, lead));
    return super.multiStepForward(xSeq);
  }
}

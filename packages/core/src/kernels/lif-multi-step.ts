import type { Tensor } from '@tensorflow/tfjs-core';
import { ValueError } from '../errors.js';
import { neuronMultiStep } from './neuron-multi-step.js';

/** Options of {@link lifMultiStep}: LIF (or IF, `tau = Infinity`) with an elementwise surrogate derivative. */
export interface LIFMultiStepOptions {
  /** Membrane time constant > 1, or `Infinity` for IF. */
  readonly tau: number;
  readonly decayInput: boolean;
  readonly vThreshold: number;
  readonly vReset: number;
  readonly softReset: boolean;
  readonly detachReset: boolean;
  /** Surrogate derivative `g'(z)` at `z = H − vThreshold`, elementwise (a surrogate's `grad`). */
  readonly surrogateGrad: (z: Tensor) => Tensor;
}

/** Result of {@link lifMultiStep}: both `[T, ...shape]`, owned by the caller. */
export interface LIFMultiStepResult {
  readonly spikeSeq: Tensor;
  /** V after the reset of each step (SpikingJelly's `v_seq`). */
  readonly vSeq: Tensor;
}

/**
 * LIF/IF over a whole sequence with `vSeq`: {@link neuronMultiStep} with `charge: 'lif'` (or
 * `'if'` when `tau` is Infinity), for callers that think in SpikingJelly's LIF arguments.
 *
 * @param xSeq - Input current `[T, ...shape]`, T ≥ 1.
 * @param v0 - Initial membrane potential: a scalar or `[...shape]`.
 * @throws ShapeError / ValueError for bad shapes, T = 0, a tau that is not > 1.
 * @example
 * ```ts
 * const { spikeSeq, vSeq } = lifMultiStep(xSeq, tf.scalar(0), {
 *   tau: 2, decayInput: true, vThreshold: 1, vReset: 0, softReset: false, detachReset: false,
 *   surrogateGrad: (z) => sigmoid(4).grad(z),
 * });
 * ```
 */
export function lifMultiStep(xSeq: Tensor, v0: Tensor, options: LIFMultiStepOptions): LIFMultiStepResult {
  if (options === null || typeof options !== 'object' || typeof options.surrogateGrad !== 'function') {
    throw new ValueError(
      'lifMultiStep',
      'options',
      '{ tau, decayInput, vThreshold, vReset, softReset, detachReset, surrogateGrad }',
      options,
    );
  }
  for (const flag of ['decayInput', 'softReset', 'detachReset'] as const) {
    if (typeof options[flag] !== 'boolean') throw new ValueError('lifMultiStep', flag, 'a boolean', options[flag]);
  }
  const isIF = options.tau === Number.POSITIVE_INFINITY;
  if (isIF && options.decayInput)
    throw new ValueError('lifMultiStep', 'decayInput', 'false when tau is Infinity (IF)', true);
  const r = neuronMultiStep(
    xSeq,
    { v: v0 },
    {
      charge: isIF ? 'if' : 'lif',
      ...(isIF ? {} : { tau: options.tau }),
      decayInput: options.decayInput,
      vThreshold: options.vThreshold,
      vReset: options.softReset ? null : options.vReset,
      detachReset: options.detachReset,
      surrogate: { name: 'elementwise', params: {}, grad: options.surrogateGrad },
      storeVSeq: true,
    },
  );
  r.v.dispose();
  return { spikeSeq: r.spikeSeq, vSeq: r.vSeq as Tensor };
}

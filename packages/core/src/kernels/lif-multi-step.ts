import type { Tensor } from '@tensorflow/tfjs-core';
import { checkFinite, checkOptions, checkTensor } from '../checks.js';
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

/** The option names of {@link lifMultiStep}, all required. */
const LIF_MULTI_STEP_OPTIONS = [
  'tau',
  'decayInput',
  'vThreshold',
  'vReset',
  'softReset',
  'detachReset',
  'surrogateGrad',
] as const;

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
 * @throws ShapeError / ValueError for bad shapes, T = 0, a tau that is not > 1, a non-tensor
 * `xSeq` or `v0`, missing options, an unknown option name, a flag that is not a boolean.
 * @example
 * ```ts
 * const { spikeSeq, vSeq } = lifMultiStep(xSeq, tf.scalar(0), {
 *   tau: 2, decayInput: true, vThreshold: 1, vReset: 0, softReset: false, detachReset: false,
 *   surrogateGrad: (z) => sigmoid(4).grad(z),
 * });
 * ```
 */
export function lifMultiStep(xSeq: Tensor, v0: Tensor, options: LIFMultiStepOptions): LIFMultiStepResult {
  const fn = 'lifMultiStep';
  checkTensor(fn, 'xSeq', xSeq);
  checkTensor(fn, 'v0', v0);
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw new ValueError(fn, 'options', `{ ${LIF_MULTI_STEP_OPTIONS.join(', ')} }`, options);
  }
  checkOptions(fn, options, LIF_MULTI_STEP_OPTIONS);
  if (typeof options.surrogateGrad !== 'function') {
    throw new ValueError(fn, 'surrogateGrad', "a function of a tensor (a surrogate's grad)", options.surrogateGrad);
  }
  for (const flag of ['decayInput', 'softReset', 'detachReset'] as const) {
    if (typeof options[flag] !== 'boolean') throw new ValueError(fn, flag, 'a boolean', options[flag]);
  }
  const { tau } = options;
  if (!(tau === Number.POSITIVE_INFINITY || (typeof tau === 'number' && Number.isFinite(tau) && tau > 1))) {
    throw new ValueError(fn, 'tau', 'a finite number > 1, or Infinity for IF', tau);
  }
  checkFinite(fn, 'vThreshold', options.vThreshold);
  if (!options.softReset) checkFinite(fn, 'vReset', options.vReset);
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

import type { Tensor } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';
import { checkFinite, checkTimeSteps } from '../checks.js';
import { ShapeError, ValueError } from '../errors.js';
import { hasFusedKernel } from './define-kernel.js';
import { lifMultiStepBackwardReference, lifMultiStepReference } from './lif-multi-step-reference.js';
import { LIFMultiStep, type LIFMultiStepAttrs, LIFMultiStepBackward, type LIFMultiStepBackwardAttrs } from './names.js';
import { runWithGradient } from './run-with-gradient.js';

/** Options of {@link lifMultiStep}: the kernel attributes plus what only the backward pass needs. */
export interface LIFMultiStepOptions {
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
  /** V after the reset of each step (SpikingJelly's `v_seq`); its last step is the new state. */
  readonly vSeq: Tensor;
}

function checkAttrs(a: LIFMultiStepOptions): void {
  const fn = 'lifMultiStep';
  if (!(a.tau === Number.POSITIVE_INFINITY || (Number.isFinite(a.tau) && a.tau > 0))) {
    throw new ValueError(fn, 'tau', 'a finite number > 0 (or Infinity for IF)', a.tau);
  }
  if (a.tau === Number.POSITIVE_INFINITY && a.decayInput) {
    throw new ValueError(fn, 'decayInput', 'false when tau is Infinity (IF)', a.decayInput);
  }
  checkFinite(fn, 'vThreshold', a.vThreshold);
  checkFinite(fn, 'vReset', a.vReset);
}

function forwardKernel(xSeq: Tensor, v0: Tensor, a: LIFMultiStepAttrs): Tensor[] {
  if (hasFusedKernel(LIFMultiStep)) {
    return tf.engine().runKernel(LIFMultiStep, { xSeq, v0 }, { ...a }) as Tensor[];
  }
  return lifMultiStepReference(xSeq, v0, a);
}

function backwardKernel(
  inputs: Record<'gradSpikeSeq' | 'gradVSeq' | 'hSeq' | 'spikeSeq' | 'surrogateGradSeq', Tensor>,
  a: LIFMultiStepBackwardAttrs,
): Tensor[] {
  if (hasFusedKernel(LIFMultiStepBackward)) {
    return tf.engine().runKernel(LIFMultiStepBackward, inputs, { ...a }) as Tensor[];
  }
  return lifMultiStepBackwardReference(
    inputs.gradSpikeSeq,
    inputs.gradVSeq,
    inputs.hSeq,
    inputs.spikeSeq,
    inputs.surrogateGradSeq,
    a,
  );
}

/**
 * A whole sequence of LIF/IF updates (the {@link LIFMultiStep} contract) as one differentiable
 * op: the fused kernel of the current backend if one is registered, else the tfjs-ops reference.
 * Gradients reach `xSeq` and `v0` through the surrogate derivative.
 *
 * @param xSeq - Input current `[T, ...shape]`, T ≥ 1.
 * @param v0 - Initial membrane potential: a scalar or `[...shape]`.
 * @throws ShapeError / ValueError for bad shapes, T = 0, a non-positive tau.
 * @example
 * ```ts
 * const { spikeSeq, vSeq } = lifMultiStep(xSeq, tf.scalar(0), {
 *   tau: 2, decayInput: true, vThreshold: 1, vReset: 0, softReset: false, detachReset: false,
 *   surrogateGrad: (z) => sigmoidGrad(z, 4),
 * });
 * ```
 */
export function lifMultiStep(xSeq: Tensor, v0: Tensor, options: LIFMultiStepOptions): LIFMultiStepResult {
  checkTimeSteps('lifMultiStep', 'xSeq', xSeq);
  checkAttrs(options);
  const stepShape = xSeq.shape.slice(1);
  const fits = v0.rank === 0 || (v0.rank === stepShape.length && v0.shape.every((d, i) => d === stepShape[i]));
  if (!fits) throw new ShapeError('lifMultiStep', 'v0', `shape [] or [${stepShape.join(', ')}]`, v0.shape);
  const attrs: LIFMultiStepAttrs = {
    tau: options.tau,
    decayInput: options.decayInput,
    vThreshold: options.vThreshold,
    vReset: options.vReset,
    softReset: options.softReset,
  };
  const backwardAttrs: LIFMultiStepBackwardAttrs = { ...attrs, detachReset: options.detachReset };
  return tf.tidy(() => {
    // A scalar v0 is spread by an add: broadcastTo runs the tile kernel, slow on wasm.
    const v0Full = v0.rank === 0 ? tf.add(tf.zeros(stepShape), v0) : v0;
    const [spikeSeq, vSeq] = runWithGradient(
      [xSeq, v0Full],
      (save) => {
        const [spike, v, h] = forwardKernel(xSeq, v0Full, attrs) as [Tensor, Tensor, Tensor];
        save([h, spike]);
        return [spike, v];
      },
      ([gradSpikeSeq, gradVSeq], [hSeq, spike]) => {
        const h = hSeq as Tensor;
        const surrogateGradSeq = options.surrogateGrad(tf.sub(h, attrs.vThreshold));
        const [gradHSeq, gradV0] = backwardKernel(
          {
            gradSpikeSeq: gradSpikeSeq as Tensor,
            gradVSeq: gradVSeq as Tensor,
            hSeq: h,
            spikeSeq: spike as Tensor,
            surrogateGradSeq,
          },
          backwardAttrs,
        ) as [Tensor, Tensor];
        const gradX = attrs.decayInput ? tf.div(gradHSeq, attrs.tau) : gradHSeq;
        return [gradX, gradV0];
      },
    ) as [Tensor, Tensor];
    return { spikeSeq, vSeq };
  });
}

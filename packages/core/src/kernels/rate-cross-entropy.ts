import type { Scalar, Tensor } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';
import { hasFusedKernel } from './define-kernel.js';
import { runWithGradient } from './tfjs-internals.js';

/**
 * Softmax cross-entropy on firing rates as one kernel: with `z = scale · mean_t S[t]`,
 * `L = −(1/B) Σ_b Σ_c y[b, c] · log softmax(z[b])_c`. Inputs `spikeSeq` `[T, B, C]`, `targets`
 * `[B, C]` (rows sum to 1). Outputs: `loss` `[]`, `probs` `[B, C]` (softmax(z), for the backward).
 */
export const RateCrossEntropy = 'SnnRateCrossEntropy';

/**
 * Its backward: `∂L/∂S[t, b, c] = dy · scale/(T·B) · (probs − y)[b, c]` for every t. Inputs
 * `probs`, `targets` `[B, C]`, `dy` `[]`; output `[T, B, C]`.
 */
export const RateCrossEntropyBackward = 'SnnRateCrossEntropyBackward';

/** Attributes of both kernels. */
export interface RateCrossEntropyAttrs {
  scale: number;
  T: number;
  [name: string]: number;
}

/** The output of a one-output kernel (array-kernel runners return a list). */
function firstOf(out: Tensor | Tensor[]): Tensor {
  return Array.isArray(out) ? (out[0] as Tensor) : out;
}

/** Reference of {@link RateCrossEntropy} from tfjs ops: `[loss, probs]`. */
export function rateCrossEntropyReference(spikeSeq: Tensor, targets: Tensor, a: RateCrossEntropyAttrs): Tensor[] {
  return tf.tidy(() => {
    const B = spikeSeq.shape[1] as number;
    const logProbs = tf.logSoftmax(tf.mul(tf.mean(spikeSeq, 0), a.scale));
    return [tf.div(tf.neg(tf.sum(tf.mul(targets, logProbs))), B), tf.exp(logProbs)];
  });
}

/** Reference of {@link RateCrossEntropyBackward} from tfjs ops. */
export function rateCrossEntropyBackwardReference(
  probs: Tensor,
  targets: Tensor,
  dy: Tensor,
  a: RateCrossEntropyAttrs,
): Tensor {
  return tf.tidy(() => {
    const B = probs.shape[0] as number;
    const perRate = tf.mul(tf.sub(probs, targets), tf.mul(dy, a.scale / (a.T * B)));
    return tf.add(tf.zeros([a.T, ...probs.shape]), perRate);
  });
}

/**
 * `L` of {@link RateCrossEntropy} as one differentiable op (gradient to `spikeSeq` only): the
 * fused kernels of the current backend when registered, else the reference. Checks nothing: the
 * caller (`rateCrossEntropyLoss` of @snn/learning) has.
 */
export function rateCrossEntropy(spikeSeq: Tensor, targets: Tensor, scale: number): Scalar {
  const a: RateCrossEntropyAttrs = { scale, T: spikeSeq.shape[0] as number };
  const [loss] = runWithGradient(
    [spikeSeq],
    (save) => {
      const [l, probs] = (
        hasFusedKernel(RateCrossEntropy)
          ? tf.engine().runKernel(RateCrossEntropy, { spikeSeq, targets }, { ...a })
          : rateCrossEntropyReference(spikeSeq, targets, a)
      ) as [Tensor, Tensor];
      save([probs, targets]); // targets may be freed when the loss returns
      return [l];
    },
    ([dy], [probs, y]) => [
      () =>
        hasFusedKernel(RateCrossEntropyBackward)
          ? firstOf(
              tf
                .engine()
                .runKernel(
                  RateCrossEntropyBackward,
                  { probs: probs as Tensor, targets: y as Tensor, dy: dy as Tensor },
                  { ...a },
                ) as Tensor | Tensor[],
            )
          : rateCrossEntropyBackwardReference(probs as Tensor, y as Tensor, dy as Tensor, a),
    ],
  );
  return loss as Scalar;
}

import type { Tensor } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';
import type { LIFMultiStepAttrs, LIFMultiStepBackwardAttrs } from './names.js';

/** Slices step t of a `[T, ...]` tensor as `[...]`. */
function stepOf(seq: Tensor, t: number): Tensor {
  const [, ...rest] = seq.shape;
  return tf.reshape(tf.slice(seq, [t, ...rest.map(() => 0)], [1, ...rest]), rest);
}

/** The LIF charge equation of {@link LIFMultiStep}, in SpikingJelly's order of float32 operations. */
export function lifCharge(x: Tensor, v: Tensor, a: LIFMultiStepAttrs): Tensor {
  const r = a.softReset ? 0 : a.vReset;
  if (a.decayInput) {
    return r === 0 ? tf.add(v, tf.div(tf.sub(x, v), a.tau)) : tf.add(v, tf.div(tf.sub(x, tf.sub(v, r)), a.tau));
  }
  if (a.tau === Number.POSITIVE_INFINITY) return tf.add(v, x);
  return r === 0 ? tf.add(tf.mul(v, Math.fround(1 - 1 / a.tau)), x) : tf.add(tf.sub(v, tf.div(tf.sub(v, r), a.tau)), x);
}

/** Fire and reset of one step: `[spike, v]` from the charged `h`. */
export function lifFireReset(h: Tensor, a: LIFMultiStepAttrs): [Tensor, Tensor] {
  const spike = tf.cast(tf.greaterEqual(h, a.vThreshold), 'float32');
  const v = a.softReset
    ? tf.sub(h, tf.mul(spike, a.vThreshold))
    : tf.add(tf.mul(h, tf.sub(1, spike)), tf.mul(spike, a.vReset));
  return [spike, v];
}

/**
 * Reference forward of {@link LIFMultiStep} from ordinary tfjs ops: runs on every backend,
 * defines the numbers a fused kernel must reproduce. Returns `[spikeSeq, vSeq, hSeq]`.
 */
export function lifMultiStepReference(xSeq: Tensor, v0: Tensor, a: LIFMultiStepAttrs): [Tensor, Tensor, Tensor] {
  return tf.tidy(() => {
    const T = xSeq.shape[0] as number;
    const spikes: Tensor[] = [];
    const vs: Tensor[] = [];
    const hs: Tensor[] = [];
    let v = v0;
    for (let t = 0; t < T; t++) {
      const h = lifCharge(stepOf(xSeq, t), v, a);
      const [spike, vNext] = lifFireReset(h, a);
      spikes.push(spike);
      vs.push(vNext);
      hs.push(h);
      v = vNext;
    }
    return [tf.stack(spikes), tf.stack(vs), tf.stack(hs)] as [Tensor, Tensor, Tensor];
  });
}

/**
 * Reference backward of {@link LIFMultiStepBackward}: BPTT from the last step to the first.
 * Returns `[gradHSeq, gradV0]`.
 */
export function lifMultiStepBackwardReference(
  gradSpikeSeq: Tensor,
  gradVSeq: Tensor,
  hSeq: Tensor,
  spikeSeq: Tensor,
  surrogateGradSeq: Tensor,
  a: LIFMultiStepBackwardAttrs,
): [Tensor, Tensor] {
  return tf.tidy(() => {
    const T = hSeq.shape[0] as number;
    const decay = a.tau === Number.POSITIVE_INFINITY ? 1 : 1 - 1 / a.tau;
    const gradH: Tensor[] = new Array(T);
    let carry: Tensor = tf.zeros(hSeq.shape.slice(1));
    for (let t = T - 1; t >= 0; t--) {
      const g = stepOf(surrogateGradSeq, t);
      const s = stepOf(spikeSeq, t);
      const gV = tf.add(stepOf(gradVSeq, t), carry);
      let dVdH: Tensor;
      if (a.softReset) {
        dVdH = a.detachReset ? tf.onesLike(g) : tf.sub(1, tf.mul(g, a.vThreshold));
      } else {
        const keep = tf.sub(1, s);
        dVdH = a.detachReset ? keep : tf.add(keep, tf.mul(tf.sub(a.vReset, stepOf(hSeq, t)), g));
      }
      const gH = tf.add(tf.mul(stepOf(gradSpikeSeq, t), g), tf.mul(gV, dVdH));
      gradH[t] = gH;
      carry = tf.mul(gH, decay);
    }
    return [tf.stack(gradH), carry] as [Tensor, Tensor];
  });
}

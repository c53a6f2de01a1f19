/**
 * Reference of the neuron-kernel contract from ordinary tfjs ops: runs on every backend and
 * defines the numbers a fused kernel must reproduce (see `neuron-contract.ts`).
 */
import type { Tensor } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';
import type { NeuronBackwardAttrs, NeuronForwardAttrs } from './neuron-contract.js';

/** Row t of a `[T, ...]` tensor as `[...]`. */
function stepOf(seq: Tensor, t: number): Tensor {
  const [, ...rest] = seq.shape;
  return tf.reshape(tf.slice(seq, [t, ...rest.map(() => 0)], [1, ...rest]), rest);
}

/** The charge `H` of one step, in SpikingJelly's order of float32 operations. */
export function neuronCharge(x: Tensor, v: Tensor, param: Tensor | null, a: NeuronForwardAttrs): Tensor {
  const r = a.softReset ? 0 : a.vReset;
  if (a.charge === 'if' || param === null) return tf.add(v, x);
  const leakFrom = r === 0 ? v : tf.sub(v, r);
  if (a.charge === 'lif') {
    if (a.decayInput) return tf.add(v, tf.div(tf.sub(x, leakFrom), param));
    if (r === 0) return tf.add(tf.mul(v, tf.sub(1, tf.div(1, param))), x);
    return tf.add(tf.sub(v, tf.div(leakFrom, param)), x);
  }
  if (a.decayInput) return tf.add(v, tf.mul(tf.sub(x, leakFrom), param));
  if (r === 0) return tf.add(tf.mul(v, tf.sub(1, param)), x);
  return tf.add(tf.sub(v, tf.mul(leakFrom, param)), x);
}

/** Inputs of the reference forward (the contract's, as tensors). */
export interface NeuronForwardTensors {
  readonly xSeq: Tensor;
  readonly v0: Tensor;
  readonly param: Tensor | null;
  readonly theta0: Tensor | null;
}

/** Reference {@link NeuronForward}: `[spikeSeq, vSeq, thetaSeq?, hSeq?]` as the contract lists them. */
export function neuronForwardReference(io: NeuronForwardTensors, a: NeuronForwardAttrs): Tensor[] {
  return tf.tidy(() => {
    const T = io.xSeq.shape[0] as number;
    const r = a.softReset ? 0 : a.vReset;
    const adaptive = a.adaptive && io.theta0 !== null;
    const spikes: Tensor[] = [];
    const vs: Tensor[] = [];
    const thetas: Tensor[] = [];
    const hs: Tensor[] = [];
    let v = io.v0;
    let theta = io.theta0 as Tensor;
    for (let t = 0; t < T; t++) {
      const h = neuronCharge(stepOf(io.xSeq, t), v, io.param, a);
      let s: Tensor;
      if (adaptive) {
        s = tf.cast(tf.greaterEqual(tf.sub(tf.sub(h, a.vThreshold), theta), 0), 'float32');
        v = a.softReset
          ? tf.sub(h, tf.mul(s, tf.add(theta, a.vThreshold)))
          : tf.add(tf.mul(h, tf.sub(1, s)), tf.mul(s, r));
        theta = tf.add(tf.sub(theta, tf.div(theta, a.tauTheta)), tf.mul(a.thetaPlus, s));
        thetas.push(theta);
      } else {
        s = tf.cast(tf.greaterEqual(h, a.vThreshold), 'float32');
        v = a.softReset ? tf.sub(h, tf.mul(s, a.vThreshold)) : tf.add(tf.mul(h, tf.sub(1, s)), tf.mul(s, r));
      }
      spikes.push(s);
      vs.push(v);
      hs.push(h);
    }
    const seq = (rows: Tensor[]) => (a.keepSeq ? tf.stack(rows) : tf.expandDims(rows[T - 1] as Tensor, 0));
    const out = [tf.stack(spikes), seq(vs)];
    if (adaptive) out.push(seq(thetas));
    if (a.saveH) out.push(tf.stack(hs));
    return out;
  });
}

/** Inputs of the reference backward (the contract's, as tensors). */
export interface NeuronBackwardTensors {
  readonly gradSpikeSeq: Tensor;
  readonly gradVSeq: Tensor;
  readonly gradThetaSeq: Tensor | null;
  readonly hSeq: Tensor;
  readonly spikeSeq: Tensor;
  readonly v0: Tensor;
  readonly param: Tensor | null;
  readonly xSeq: Tensor | null;
  readonly vSeq: Tensor | null;
  readonly theta0: Tensor | null;
  readonly thetaSeq: Tensor | null;
  readonly surrogateGradSeq: Tensor | null;
}

/** The surrogate derivative `g'(z)` of the backward's kind. */
function surrogateGrad(z: Tensor, t: number, io: NeuronBackwardTensors, a: NeuronBackwardAttrs): Tensor {
  if (a.surrogate === 'sigmoid') {
    const e = tf.sigmoid(tf.mul(z, a.alpha));
    return tf.mul(tf.mul(e, tf.sub(1, e)), a.alpha);
  }
  if (a.surrogate === 'atan') return tf.div(a.alpha / 2, tf.add(1, tf.square(tf.mul(z, (Math.PI / 2) * a.alpha))));
  return stepOf(io.surrogateGradSeq as Tensor, t);
}

/** Reference {@link NeuronBackward}: `[gradXSeq, gradV0, gradTheta0?, gradK?]` as the contract lists them. */
export function neuronBackwardReference(io: NeuronBackwardTensors, a: NeuronBackwardAttrs): Tensor[] {
  return tf.tidy(() => {
    const T = io.hSeq.shape[0] as number;
    const stepShape = io.hSeq.shape.slice(1);
    const r = a.softReset ? 0 : a.vReset;
    const adaptive = a.adaptive && io.thetaSeq !== null && io.theta0 !== null;
    const all = (io.gradVSeq.shape[0] as number) === T;
    const gradAt = (seq: Tensor | null, t: number): Tensor | number =>
      seq === null ? 0 : all ? stepOf(seq, t) : t === T - 1 ? stepOf(seq, 0) : 0;
    const p = io.param;
    const gradX: Tensor[] = new Array(T);
    let carryV: Tensor = tf.zeros(stepShape);
    let carryTheta: Tensor = tf.zeros(stepShape);
    let gradK: Tensor = tf.zeros(stepShape);
    for (let t = T - 1; t >= 0; t--) {
      const h = stepOf(io.hSeq, t);
      const s = stepOf(io.spikeSeq, t);
      const gV = tf.add(carryV, gradAt(io.gradVSeq, t));
      const gTheta = adaptive ? tf.add(carryTheta, gradAt(io.gradThetaSeq, t)) : null;
      const theta = adaptive ? (t === 0 ? (io.theta0 as Tensor) : stepOf(io.thetaSeq as Tensor, t - 1)) : null;
      const z = theta === null ? tf.sub(h, a.vThreshold) : tf.sub(tf.sub(h, a.vThreshold), theta);
      const g = surrogateGrad(z, t, io, a);
      const dVdH: Tensor | number = a.softReset ? 1 : tf.sub(1, s);
      let dVdS: Tensor | number = 0;
      if (!a.detachReset) {
        dVdS = a.softReset
          ? tf.neg(theta === null ? tf.scalar(a.vThreshold) : tf.add(theta, a.vThreshold))
          : tf.sub(r, h);
      }
      let gS = tf.add(stepOf(io.gradSpikeSeq, t), tf.mul(gV, dVdS));
      if (gTheta !== null) gS = tf.add(gS, tf.mul(gTheta, a.thetaPlus));
      const gH = tf.add(tf.mul(gS, g), tf.mul(gV, dVdH));
      if (gTheta !== null) {
        const fromV = a.softReset ? tf.mul(gV, s) : tf.zerosLike(gV);
        carryTheta = tf.sub(tf.sub(tf.mul(gTheta, 1 - 1 / a.tauTheta), fromV), tf.mul(gS, g));
      }
      if (a.charge === 'lif' && p !== null) {
        gradX[t] = a.decayInput ? tf.div(gH, p) : gH;
        carryV = tf.mul(gH, tf.sub(1, tf.div(1, p)));
      } else if (a.charge === 'plif' && p !== null) {
        gradX[t] = a.decayInput ? tf.mul(gH, p) : gH;
        carryV = tf.mul(gH, tf.sub(1, p));
        const vPrev = t === 0 ? io.v0 : stepOf(io.vSeq as Tensor, t - 1);
        const leak = r === 0 ? vPrev : tf.sub(vPrev, r);
        gradK = tf.add(gradK, tf.mul(gH, a.decayInput ? tf.sub(io.xSeq ? stepOf(io.xSeq, t) : 0, leak) : tf.neg(leak)));
      } else {
        gradX[t] = gH;
        carryV = gH;
      }
    }
    const out = [tf.stack(gradX), carryV];
    if (adaptive) out.push(carryTheta);
    if (a.charge === 'plif' && p !== null) out.push(sumToShape(gradK, p.shape));
    return out;
  });
}

/** Sums a `[...stepShape]` tensor down to a parameter's shape (`[]` or a suffix of it). */
export function sumToShape(x: Tensor, shape: readonly number[]): Tensor {
  const lead = x.rank - shape.length;
  const summed =
    lead > 0
      ? tf.sum(
          x,
          Array.from({ length: lead }, (_, i) => i),
        )
      : x;
  return tf.reshape(summed, shape as number[]);
}

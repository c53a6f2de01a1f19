import type { Tensor } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';
import { checkFinite, checkTensor, checkTimeSteps } from '../checks.js';
import { ShapeError, ValueError } from '../errors.js';
import { hasFusedKernel } from './define-kernel.js';
import {
  type ChargeKind,
  NeuronBackward,
  type NeuronBackwardAttrs,
  NeuronForward,
  type NeuronForwardAttrs,
  neuronKernelLayout,
  type SurrogateKind,
} from './neuron-contract.js';
import {
  type NeuronBackwardTensors,
  type NeuronForwardTensors,
  neuronBackwardReference,
  neuronForwardReference,
} from './neuron-reference.js';
import { isRecordingGradient, runWithGradient } from './tfjs-internals.js';

/** What the backward needs of a surrogate spike function (an `@snn/surrogates` Surrogate fits). */
export interface NeuronSurrogate {
  /** `'sigmoid'` and `'atan'` (with `params.alpha`) are computed inside fused backward kernels. */
  readonly name: string;
  readonly params: Readonly<Record<string, number>>;
  /** The surrogate derivative `g'(z)`, elementwise; used for every other name. */
  grad(z: Tensor): Tensor;
}

/** Options of {@link neuronMultiStep}: the model's charge and parameters, fire, reset, surrogate. */
export interface NeuronMultiStepOptions {
  /** Which charge equation (see `NeuronForward`). */
  readonly charge: ChargeKind;
  /** Scale the input by `1/τ` (or `k`). Default true. Ignored by `'if'`. */
  readonly decayInput?: boolean;
  /** `'lif'`: membrane time constant > 1, a number or a per-neuron tensor (`[]` or a suffix of the step shape). */
  readonly tau?: number | Tensor;
  /** `'plif'`: the decay `k = 1/τ` in (0, 1), a number or a tensor; a tensor gets its gradient. */
  readonly k?: number | Tensor;
  /** Default 1. */
  readonly vThreshold?: number;
  /** Hard-reset value, or `null` for soft reset. Default 0. */
  readonly vReset?: number | null;
  /** Treat S in the reset as a constant in the backward. Default false. */
  readonly detachReset?: boolean;
  /** The surrogate gradient of the fire step. */
  readonly surrogate: NeuronSurrogate;
  /** An adaptive threshold `θ ← θ − θ/τθ + θ₊·S` (state `theta`), or none. */
  readonly adaptive?: { readonly thetaPlus: number; readonly tauTheta: number } | null;
  /** Return V after every step (`vSeq`). Default false: only the last V. */
  readonly storeVSeq?: boolean;
}

/** State of a neuron population: scalars (before the first step) or `[...shape]`. */
export interface NeuronState {
  readonly v: Tensor;
  /** The adaptive threshold offset, with `adaptive`. */
  readonly theta?: Tensor | null;
}

/** Result of {@link neuronMultiStep}; every tensor is new and owned by the caller. */
export interface NeuronMultiStepResult {
  /** `[T, ...shape]`. */
  readonly spikeSeq: Tensor;
  /** V after each step's reset, `[T, ...shape]`, with `storeVSeq`; else null. */
  readonly vSeq: Tensor | null;
  /** The new state: V after the last step, `[...shape]`. */
  readonly v: Tensor;
  /** θ after the last step, with `adaptive`; else null. */
  readonly theta: Tensor | null;
}

const FN = 'neuronMultiStep';
const NAMED_SURROGATES: readonly string[] = ['sigmoid', 'atan'];

function checkParam(
  name: string,
  value: number | Tensor | undefined,
  stepShape: number[],
  ok: (x: number) => boolean,
  expected: string,
): void {
  if (typeof value === 'number') {
    if (!ok(value)) throw new ValueError(FN, name, expected, value);
    return;
  }
  checkTensor(FN, name, value);
  const t = value as Tensor;
  if (t.isDisposed) throw new ValueError(FN, name, 'a tensor that is not disposed', 'a disposed tensor');
  const suffix = stepShape.slice(stepShape.length - t.rank);
  if (t.rank > stepShape.length || t.shape.some((d, i) => d !== suffix[i])) {
    throw new ShapeError(FN, name, `shape [] or a suffix of the step shape [${stepShape.join(', ')}]`, t.shape);
  }
}

function resolveAttrs(o: NeuronMultiStepOptions, stepShape: number[]): NeuronBackwardAttrs {
  if (o === null || typeof o !== 'object') throw new ValueError(FN, 'options', '{ charge, surrogate, ... }', o);
  if (!['if', 'lif', 'plif'].includes(o.charge))
    throw new ValueError(FN, 'charge', "one of 'if', 'lif', 'plif'", o.charge);
  for (const flag of ['decayInput', 'detachReset', 'storeVSeq'] as const) {
    if (o[flag] !== undefined && typeof o[flag] !== 'boolean') throw new ValueError(FN, flag, 'a boolean', o[flag]);
  }
  if (o.charge === 'lif') {
    checkParam('tau', o.tau, stepShape, (x) => Number.isFinite(x) && x > 1, 'a finite number > 1');
  }
  if (o.charge === 'plif') {
    checkParam('k', o.k, stepShape, (x) => Number.isFinite(x) && x > 0 && x < 1, 'a number in (0, 1)');
  }
  const vThreshold = checkFinite(FN, 'vThreshold', o.vThreshold ?? 1);
  const vReset = o.vReset === undefined ? 0 : o.vReset;
  if (vReset !== null) checkFinite(FN, 'vReset', vReset);
  const s = o.surrogate as Partial<NeuronSurrogate> | null | undefined;
  if (s === null || typeof s !== 'object' || typeof s.grad !== 'function') {
    throw new ValueError(FN, 'surrogate', 'a surrogate with name, params and grad (e.g. sigmoid(4))', s);
  }
  const alpha = s.params?.alpha;
  const surrogate: SurrogateKind =
    NAMED_SURROGATES.includes(s.name as string) && typeof alpha === 'number' ? (s.name as SurrogateKind) : 'input';
  const adaptive = o.adaptive ?? null;
  if (adaptive !== null) {
    checkFinite(FN, 'adaptive.thetaPlus', adaptive.thetaPlus);
    if (!(Number.isFinite(adaptive.tauTheta) && adaptive.tauTheta > 1)) {
      throw new ValueError(FN, 'adaptive.tauTheta', 'a finite number > 1', adaptive.tauTheta);
    }
  }
  return {
    charge: o.charge,
    decayInput: o.decayInput ?? true,
    vThreshold,
    vReset: vReset ?? 0,
    softReset: vReset === null,
    adaptive: adaptive !== null,
    thetaPlus: adaptive?.thetaPlus ?? 0,
    tauTheta: adaptive?.tauTheta ?? 2,
    keepSeq: o.storeVSeq ?? false,
    saveH: false,
    detachReset: o.detachReset ?? false,
    surrogate,
    alpha: typeof alpha === 'number' ? alpha : 0,
  };
}

/** A state tensor spread to the step shape; a scalar by an add (broadcastTo tiles slowly on wasm). */
function spread(fn: string, arg: string, x: Tensor, stepShape: number[]): Tensor {
  checkTensor(fn, arg, x);
  if (x.isDisposed) throw new ValueError(fn, arg, 'a tensor that is not disposed', 'a disposed tensor');
  if (x.rank === 0) return tf.add(tf.zeros(stepShape), x);
  if (x.rank !== stepShape.length || x.shape.some((d, i) => d !== stepShape[i])) {
    throw new ShapeError(fn, arg, `shape [] or [${stepShape.join(', ')}]`, x.shape);
  }
  return x;
}

function forwardKernel(io: NeuronForwardTensors, a: NeuronForwardAttrs): Tensor[] {
  if (!hasFusedKernel(NeuronForward)) return neuronForwardReference(io, a);
  const inputs: Record<string, Tensor> = { xSeq: io.xSeq, v0: io.v0 };
  const layout = neuronKernelLayout(a.charge);
  if (layout.param !== null && io.param !== null) inputs[layout.param] = io.param;
  if (io.theta0 !== null) inputs.theta0 = io.theta0;
  return tf.engine().runKernel(NeuronForward, inputs, { ...a }) as Tensor[];
}

function backwardKernel(io: NeuronBackwardTensors, a: NeuronBackwardAttrs): Tensor[] {
  if (!hasFusedKernel(NeuronBackward)) return neuronBackwardReference(io, a);
  const inputs: Record<string, Tensor> = {};
  const layout = neuronKernelLayout(a.charge);
  for (const [name, t] of Object.entries(io)) {
    if (t === null) continue;
    inputs[name === 'param' ? (layout.param as string) : name] = t as Tensor;
  }
  return tf.engine().runKernel(NeuronBackward, inputs, { ...a }) as Tensor[];
}

/**
 * A whole sequence of neuron updates (the `NeuronForward` contract) as one differentiable op: the
 * fused kernel of the current backend if one is registered, else the tfjs-ops reference. Under a
 * gradient tape it saves what the backward needs and gives gradients to `xSeq`, the state (`v`,
 * `theta`) and a tensor `k`; otherwise it writes only what was asked for.
 *
 * @param xSeq - Input current `[T, ...shape]`, T ≥ 1.
 * @param state - `v` (and `theta` when `adaptive`): scalars or `[...shape]`.
 * @throws ShapeError / ValueError for bad shapes, T = 0, a tau ≤ 1, a k outside (0, 1), a
 *   non-finite threshold, a non-boolean flag, a disposed tensor — before any work.
 * @example
 * ```ts
 * const { spikeSeq, v } = neuronMultiStep(xSeq, { v: tf.scalar(0) }, {
 *   charge: 'lif', tau: 2, surrogate: sigmoid(4),   // sigmoid from @snn/surrogates
 * });
 * ```
 */
export function neuronMultiStep(
  xSeq: Tensor,
  state: NeuronState,
  options: NeuronMultiStepOptions,
): NeuronMultiStepResult {
  checkTimeSteps(FN, 'xSeq', xSeq);
  if (xSeq.isDisposed) throw new ValueError(FN, 'xSeq', 'a tensor that is not disposed', 'a disposed tensor');
  if (xSeq.dtype !== 'float32') throw new ValueError(FN, 'xSeq', 'a float32 tensor', `dtype ${xSeq.dtype}`);
  const T = xSeq.shape[0] as number;
  const stepShape = xSeq.shape.slice(1);
  const a = resolveAttrs(options, stepShape);
  if (state === null || typeof state !== 'object') throw new ValueError(FN, 'state', '{ v, theta? }', state);
  checkTensor(FN, 'state.v', state.v);
  if (a.adaptive) checkTensor(FN, 'state.theta', state.theta);
  const layout = neuronKernelLayout(a.charge);
  const storeVSeq = a.keepSeq;
  const result = tf.tidy(() => {
    const v0 = spread(FN, 'state.v', state.v, stepShape);
    const theta0 = a.adaptive ? spread(FN, 'state.theta', state.theta as Tensor, stepShape) : null;
    const given = a.charge === 'lif' ? options.tau : a.charge === 'plif' ? options.k : undefined;
    const param = given === undefined ? null : typeof given === 'number' ? tf.scalar(given) : given;
    const recording = isRecordingGradient();
    const keepSeq = storeVSeq || (recording && (a.adaptive || layout.needsXAndV));
    const fwd: NeuronForwardAttrs = { ...a, keepSeq, saveH: recording };
    const io: NeuronForwardTensors = { xSeq, v0, param, theta0 };
    let outs: Tensor[];
    if (!recording) {
      outs = forwardKernel(io, fwd);
    } else {
      const learnK = a.charge === 'plif' && typeof given !== 'number';
      const gradInputs = [xSeq, v0, ...(theta0 === null ? [] : [theta0]), ...(learnK ? [param as Tensor] : [])];
      outs = runWithGradient(
        gradInputs,
        (save) => {
          const out = forwardKernel(io, fwd);
          const [spikeSeq, vOut] = out as [Tensor, Tensor];
          const thetaOut = a.adaptive ? (out[2] as Tensor) : null;
          const hSeq = out[out.length - 1] as Tensor;
          // What the backward reads must be saved (tensors made in this call are freed when it
          // returns), and tfjs clones each saved tensor (a kernel each): save only that; a number
          // parameter is made again, and v0's values matter to plif alone.
          const saveParam = param !== null && typeof given !== 'number';
          save([
            hSeq,
            spikeSeq,
            ...(layout.needsXAndV ? [vOut, v0, xSeq] : []),
            ...(thetaOut === null ? [] : [thetaOut, theta0 as Tensor]),
            ...(saveParam ? [param] : []),
          ]);
          return out.slice(0, a.adaptive ? 3 : 2);
        },
        (dys, saved) => {
          let i = 0;
          const next = () => saved[i++] as Tensor; // in the order of save() above
          const hSeq = next();
          const spikeSeq = next();
          const [vOut, v0Saved, xSaved] = layout.needsXAndV
            ? [next(), next(), next()]
            : [null, tf.zeros(stepShape), null];
          const [thetaSeq, thetaStart] = a.adaptive ? [next(), next()] : [null, null];
          const p = param === null ? null : typeof given === 'number' ? tf.scalar(given) : next();
          let surrogateGradSeq: Tensor | null = null;
          if (a.surrogate === 'input') {
            let z = tf.sub(hSeq, a.vThreshold);
            if (thetaSeq !== null && thetaStart !== null) {
              const before = tf.concat([tf.expandDims(thetaStart, 0), tf.slice(thetaSeq, 0, T - 1)], 0);
              z = tf.sub(z, before);
            }
            surrogateGradSeq = options.surrogate.grad(z);
          }
          const grads = backwardKernel(
            {
              gradSpikeSeq: dys[0] as Tensor,
              gradVSeq: dys[1] as Tensor,
              gradThetaSeq: a.adaptive ? (dys[2] as Tensor) : null,
              hSeq,
              spikeSeq,
              v0: v0Saved,
              param: p,
              xSeq: xSaved,
              vSeq: vOut,
              theta0: thetaStart,
              thetaSeq,
              surrogateGradSeq,
            },
            { ...a, keepSeq, saveH: true },
          );
          // Outputs are [gradX, gradV0, gradTheta0?, gradK?]; inputs were [x, v0, theta0?, k?].
          return learnK ? grads : grads.slice(0, gradInputs.length);
        },
      );
    }
    const [spikeSeq, vOut] = outs as [Tensor, Tensor];
    const lastOf = (seq: Tensor) =>
      tf.reshape((seq.shape[0] as number) === 1 ? seq : tf.slice(seq, (seq.shape[0] as number) - 1, 1), stepShape);
    return {
      spikeSeq,
      vSeq: storeVSeq ? vOut : null,
      v: lastOf(vOut),
      theta: a.adaptive ? lastOf(outs[2] as Tensor) : null,
    } as unknown as tf.TensorContainerObject;
  });
  return result as unknown as NeuronMultiStepResult;
}

// What the nodes ported from SPAIC (github.com/zju-bmi-lab/SPAIC) share: SPAIC's strict firing
// rule, its float32 time-constant conventions, and a Module base that steps a pure function over
// named memories (SPAIC's models are lists of ops over several state variables, not a
// charge → fire → reset triple).
import {
  checkFinite,
  checkPositive,
  checkTensor,
  checkTimeSteps,
  Module,
  ShapeError,
  type StepMode,
  ValueError,
} from '@snn/core';
import { type Surrogate, sigmoid } from '@snn/surrogates';
import type { Tensor } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';
import { type AnyOptionTable, booleanOr, checkOptionTable, type OptionTable } from './checks.js';

/** Options every node ported from SPAIC takes. */
export interface SpaicNodeOptions {
  /** `'s'`: `[B, ...]` per call; `'m'`: `[T, B, ...]` per call. Default `'s'`. */
  readonly stepMode?: StepMode;
  /** Keep V after every step of the last multi-step call in `vSeq`. Default false. */
  readonly storeVSeq?: boolean;
  /** Debug check: refuse NaN/Infinity in the input (one read-back per call). Default false. */
  readonly checkFiniteInput?: boolean;
}

/** The options of {@link SpaicNodeOptions} (see {@link OptionTable}). */
export const SPAIC_NODE_OPTIONS: OptionTable<SpaicNodeOptions> = {
  stepMode: 'value',
  storeVSeq: 'boolean',
  checkFiniteInput: 'boolean',
};

/** Options of the spiking nodes ported from SPAIC: a threshold and a surrogate gradient. */
export interface SpaicSpikingOptions extends SpaicNodeOptions {
  /** Firing threshold (SPAIC's `v_th`); a neuron fires when its potential is strictly above it. Default 1. */
  readonly vThreshold?: number;
  /** Surrogate gradient of the spike. Default `sigmoid(4)`. (SPAIC's own threshold has none.) */
  readonly surrogate?: Surrogate;
}

/** The options of {@link SpaicSpikingOptions} (see {@link OptionTable}). */
export const SPAIC_SPIKING_OPTIONS: OptionTable<SpaicSpikingOptions> = {
  ...SPAIC_NODE_OPTIONS,
  vThreshold: 'value',
  surrogate: 'value',
};

/** The resolved firing parameters of a SPAIC node. */
export interface SpaicFireParams {
  /** Firing threshold: `S = [H > vThreshold]`. */
  readonly vThreshold: number;
  /** Gives the spike its gradient (and, in non-spiking mode, its smooth forward). */
  readonly surrogate: Surrogate;
}

/** Resolves and checks {@link SpaicSpikingOptions}'s threshold and surrogate; `fn` names the node. */
export function resolveSpaicFireParams(fn: string, o: SpaicSpikingOptions): SpaicFireParams {
  const vThreshold = checkFinite(fn, 'vThreshold', o.vThreshold ?? 1);
  const surrogate = o.surrogate ?? sigmoid(4);
  if (typeof surrogate?.apply !== 'function' || typeof surrogate.grad !== 'function')
    throw new ValueError(fn, 'surrogate', 'a Surrogate (e.g. sigmoid(4))', surrogate);
  return { vThreshold, surrogate };
}

/** Checks a time step in ms: a finite number > 0. */
export function checkDt(fn: string, dt: number | undefined): number {
  return checkPositive(fn, 'dt', dt ?? SPAIC_DT);
}

/** SPAIC's default time step (its backends' `dt`), in ms. */
export const SPAIC_DT = 0.1;

/**
 * SPAIC's decay factor of a time constant, `exp(−dt/τ)`, as SPAIC computes it for a
 * `tau_variable`: torch divides a number by a float32 tensor as `(1/τ)·(−dt)` in float32, then
 * takes a float32 `exp`. Pure.
 */
export function spaicDecay(dt: number, tau: number): number {
  return Math.fround(Math.exp(Math.fround(Math.fround(1 / tau) * Math.fround(-dt))));
}

/** SPAIC's `membrane_variable` of a time constant, `dt/τ`, computed as torch does: `(1/τ)·dt` in float32. Pure. */
export function spaicRate(dt: number, tau: number): number {
  return Math.fround(Math.fround(1 / tau) * Math.fround(dt));
}

/**
 * The normalising factor of SPAIC's two-exponential kernels, `V0 = β^{β/(β−1)}/(β − 1)` with
 * `β = τ1/τ2`: one unit of input then gives a PSP `V0·(e^{−t/τ1} − e^{−t/τ2})` that peaks at 1
 * (in continuous time). Computed in float64, as SPAIC (numpy) does.
 */
export function spaicKernelV0(tau1: number, tau2: number): number {
  const beta = tau1 / tau2;
  return (1 / (beta - 1)) * beta ** (beta / (beta - 1));
}

// Strict Θ with the surrogate's gradient; one customGrad per surrogate.
const strictSteps = new WeakMap<Surrogate, (z: Tensor) => Tensor>();

function strictStep(surrogate: Surrogate): (z: Tensor) => Tensor {
  let f = strictSteps.get(surrogate);
  if (f === undefined) {
    const spikeFunc = (z: Tensor, save: tf.GradSaveFunc) => {
      save([z]);
      return {
        value: tf.tidy(() => tf.cast(tf.greater(z, 0), 'float32')),
        gradFunc: (dy: Tensor, saved: Tensor[]) => tf.mul(dy, surrogate.grad(saved[0] as Tensor)),
      };
    };
    f = tf.customGrad(spikeFunc as unknown as Parameters<typeof tf.customGrad>[0]) as (z: Tensor) => Tensor;
    strictSteps.set(surrogate, f);
  }
  return f;
}

/**
 * SPAIC's fire: `S = [H > vThreshold]` (strict: `H = vThreshold` does not fire, unlike
 * SpikingJelly's `Θ`), float32 0/1; backward, the surrogate's gradient `g'(H − vThreshold)`.
 * With a non-spiking surrogate the forward is its primitive `g(H − vThreshold)`. Pure.
 *
 * @example
 * ```ts
 * spaicFire(tf.tensor1d([0.5, 1, 1.5]), { vThreshold: 1, surrogate: sigmoid(4) }); // [0, 0, 1]
 * ```
 */
export function spaicFire(h: Tensor, p: SpaicFireParams): Tensor {
  return tf.tidy(() => {
    const z = tf.sub(h, p.vThreshold);
    return p.surrogate.spiking ? strictStep(p.surrogate)(z) : p.surrogate.apply(z);
  });
}

/** A state of named tensors (type alias: tf.tidy returns only objects with an index signature). */
export type NamedState = { readonly [name: string]: Tensor };

/** Extra inputs of one forward call: tensors shaped like `x`, or numbers. */
export type ExtraInputs = { readonly [name: string]: Tensor | number };

/**
 * Base of the nodes ported from SPAIC: a {@link Module} whose state is a set of named memories
 * (all starting as scalars that take the input's shape at the first step, as in `BaseNode`) and
 * whose step is a pure function `(x, state, extras) → { out, state }` (the model's `xxxStep`).
 * It supplies the step modes, the input checks (tensor, shape of the state, optional finite
 * check), `vSeq` with `storeVSeq`, and extra inputs for a call (`forwardWithInputs`).
 *
 * Options are checked against the node's {@link OptionTable} before anything is made.
 *
 * @throws UnknownOptionError for an option name the table lacks; ValueError for a bad value.
 */
export abstract class SpaicNode<S extends NamedState> extends Module {
  /** Whether multi-step calls keep V after every step in {@link vSeq}. */
  readonly storeVSeq: boolean;
  private readonly checkFiniteInput: boolean;
  private storedVSeq: Tensor | null = null;
  private extras: ExtraInputs | null = null;
  /** The state variables, in the order the memories were registered. */
  protected abstract readonly stateKeys: readonly (keyof S & string)[];

  constructor(
    /** The node's name in error messages. */
    protected readonly nodeName: string,
    options: SpaicNodeOptions,
    optionTable: AnyOptionTable,
  ) {
    super(checkOptionTable(nodeName, options, optionTable).stepMode ?? 's');
    this.storeVSeq = booleanOr(nodeName, 'storeVSeq', options.storeVSeq, false);
    this.checkFiniteInput = booleanOr(nodeName, 'checkFiniteInput', options.checkFiniteInput, false);
  }

  /** The membrane potential now (owned by the node). */
  get v(): Tensor {
    return this.getMemory('v');
  }

  /** V after each step of the last multi-step call, `[T, B, ...]` (with `storeVSeq`), else null. Owned by the node. */
  get vSeq(): Tensor | null {
    return this.storedVSeq;
  }

  /** The model's step: output and new state from input `x`, the state now and this call's extras (one step's slices). */
  protected abstract stepState(x: Tensor, s: S, extras: ExtraInputs): { out: Tensor; state: S };

  /**
   * The shape of the state for one step of input of shape `stepShape` (default: the same).
   * Throws a ShapeError for an input the model cannot take.
   */
  protected stateShape(stepShape: readonly number[], _arg: string): readonly number[] {
    return stepShape;
  }

  /** The state now, memory by memory (owned by the node). */
  protected currentState(): S {
    const s: Record<string, Tensor> = {};
    for (const k of this.stateKeys) s[k] = this.getMemory(k);
    return s as S;
  }

  /** Checks an input before any state changes: a tensor, shaped like the state, finite. */
  protected checkInput(x: Tensor, arg: string, stepShape: readonly number[]): void {
    const fn = `${this.nodeName}.forward`;
    checkTensor(fn, arg, x);
    for (const k of this.stateKeys) {
      const m = this.getMemory(k);
      if (m.rank > 0 && (m.rank !== stepShape.length || m.shape.some((d, i) => d !== stepShape[i]))) {
        const how = this.isPersistent(k) ? `resetState('${k}')` : 'reset()';
        throw new ShapeError(
          fn,
          arg,
          `the shape of the state '${k}', [${m.shape.join(', ')}] per step (call ${how} to change shape)`,
          x.shape,
        );
      }
    }
    if (this.checkFiniteInput && x.dtype === 'float32' && x.size > 0) {
      const finite = tf.tidy(() => tf.all(tf.isFinite(x)).dataSync()[0]);
      if (!finite)
        throw new ValueError(fn, arg, 'finite everywhere (no NaN or Infinity)', 'a tensor with non-finite values');
    }
  }

  /**
   * Runs `forward(x)` with extra inputs for this call: each a number, or a tensor of `x`'s shape
   * (`[B, ...]` in step mode `'s'`, `[T, B, ...]` in `'m'`, sliced per step). Checked before any
   * state changes.
   */
  protected forwardWithInputs(fn: string, x: Tensor, extras: ExtraInputs): Tensor {
    checkTensor(fn, 'x', x);
    for (const [name, e] of Object.entries(extras)) {
      if (typeof e === 'number') {
        checkFinite(fn, name, e);
        continue;
      }
      checkTensor(fn, name, e);
      if (e.rank !== x.rank || e.shape.some((d, i) => d !== x.shape[i]))
        throw new ShapeError(fn, name, `the shape of x, [${x.shape.join(', ')}]`, e.shape);
    }
    this.extras = extras;
    try {
      return this.forward(x);
    } finally {
      this.extras = null;
    }
  }

  /** One step without input checks; `extras` are this step's, `shape` the state's. */
  private step(x: Tensor, extras: ExtraInputs, shape: readonly number[]): Tensor {
    return tf.tidy(() => {
      const r = this.stepState(x, this.currentState(), extras);
      // A variable no input reaches in the first step (a trace of past spikes) stays a scalar
      // there: give every variable the state's shape from the first step on.
      const kept = this.stateKeys.map((k) => {
        const t = r.state[k] as Tensor;
        return t.rank === shape.length ? t : tf.broadcastTo(t, shape as number[]);
      });
      for (const [i, k] of this.stateKeys.entries()) this.setMemory(k, kept[i] as Tensor);
      // The caller owns the output: never hand out a memory (the spikes are often state too).
      return kept.includes(r.out) ? tf.clone(r.out) : r.out;
    });
  }

  protected override singleStepForward(x: Tensor): Tensor {
    checkTensor(`${this.nodeName}.forward`, 'x', x);
    const shape = this.stateShape(x.shape, 'x');
    this.checkInput(x, 'x', shape);
    return this.step(x, this.extras ?? {}, shape);
  }

  protected override multiStepForward(xSeq: Tensor): Tensor {
    checkTimeSteps(`${this.nodeName}.forward`, 'xSeq', xSeq);
    const T = xSeq.shape[0] as number;
    const shape = this.stateShape(xSeq.shape.slice(1), 'xSeq');
    this.checkInput(xSeq, 'xSeq', shape);
    const extras = this.extras ?? {};
    const vs: Tensor[] = [];
    const out = tf.tidy(() => {
      const outputs: Tensor[] = [];
      for (let t = 0; t < T; t++) {
        const stepExtras: Record<string, Tensor | number> = {};
        for (const [name, e] of Object.entries(extras)) stepExtras[name] = typeof e === 'number' ? e : sliceStep(e, t);
        outputs.push(this.step(sliceStep(xSeq, t), stepExtras, shape));
        if (this.storeVSeq) vs.push(tf.keep(tf.clone(this.getMemory('v'))));
      }
      return tf.stack(outputs);
    });
    if (this.storeVSeq) {
      this.storedVSeq?.dispose();
      this.storedVSeq = tf.keep(tf.tidy(() => tf.stack(vs)));
      tf.dispose(vs);
    }
    return out;
  }

  override reset(): void {
    super.reset();
    this.storedVSeq?.dispose();
    this.storedVSeq = null;
  }

  override dispose(): void {
    this.storedVSeq?.dispose();
    this.storedVSeq = null;
    super.dispose();
  }
}

/** Step `t` of `xSeq`, `[B, ...]`: a fresh `begin` per step (tfjs keeps attribute arrays for the backward pass). */
function sliceStep(xSeq: Tensor, t: number): Tensor {
  const rest = xSeq.shape.slice(1);
  return tf.reshape(tf.slice(xSeq, [t, ...rest.map(() => 0)], [1, ...rest]), rest);
}

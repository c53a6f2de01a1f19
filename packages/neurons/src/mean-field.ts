import { checkFinite, checkPositive, DTypeError, ValueError } from '@snn/core';
import type { Tensor } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';
import { type AnyOptionTable, checkOptionTable, type OptionTable } from './checks.js';
import {
  checkDt,
  type ExtraInputs,
  SPAIC_NODE_OPTIONS,
  SpaicNode,
  type SpaicNodeOptions,
  spaicRate,
} from './spaic-node.js';
import type { MembraneState } from './step.js';

/** Parameters of {@link meanFieldStep}. */
export interface MeanFieldParams {
  /** `dt/τ` in float32 (SPAIC's stored membrane variable), in (0, 1]. */
  readonly rate: number;
  /** Scale of the synaptic input (SPAIC's `rho`). */
  readonly rho: number;
}

/** What a rate-model step returns: the output rate and the new state (new tensors). */
export type RateStepResult = {
  /** The population's output this step. */
  readonly out: Tensor;
  /** The new state: `v` holds the field U. */
  readonly state: MembraneState;
};

/**
 * The mean-field relaxation shared by MeanField and the CANN model:
 * `U' = U + (dt/τ)·(ρ·X + I_ext − U)`, in SPAIC's order of float32 operations
 * (`ρ·X + I_ext`, minus U, times dt/τ, plus U). Pure.
 */
export function meanFieldRelax(x: Tensor, u: Tensor, iExt: Tensor | number, p: MeanFieldParams): Tensor {
  return tf.tidy(() => {
    const drive = tf.add(tf.mul(p.rho, x), iExt);
    return tf.add(tf.mul(p.rate, tf.sub(drive, u)), u);
  });
}

/**
 * One MeanField step (SPAIC's `meanfield`): `U' = U + (dt/τ)·(ρ·X + I_ext − U)`, output
 * `O = relu(U')`. `iExt` is the external input (a number or a tensor of X's shape). Pure:
 * reads `s`, never disposes it.
 */
export function meanFieldStep(x: Tensor, s: MembraneState, iExt: Tensor | number, p: MeanFieldParams): RateStepResult {
  return tf.tidy(() => {
    const v = meanFieldRelax(x, s.v, iExt, p);
    return { out: tf.relu(v), state: { v } };
  });
}

/** Options of the rate models ({@link MeanFieldNode}, {@link SimpleRateNode}, the CANN field). */
export interface RateNodeOptions extends SpaicNodeOptions {
  /** Time constant in ms, ≥ dt. Default 1 (SPAIC's). */
  readonly tau?: number;
  /** Time step in ms. Default 0.1 (SPAIC's). */
  readonly dt?: number;
  /** External input used when a call gives none (SPAIC's `Iext`). Default 0. */
  readonly iExt?: number;
}

/** Options of {@link MeanFieldNode}. */
export interface MeanFieldNodeOptions extends RateNodeOptions {
  /** Scale of the synaptic input. Default 0.1 (SPAIC's). */
  readonly rho?: number;
}

/** Every option of {@link MeanFieldNodeOptions} (see {@link OptionTable}). */
export const MEAN_FIELD_NODE_OPTIONS: OptionTable<MeanFieldNodeOptions> = {
  ...SPAIC_NODE_OPTIONS,
  tau: 'value',
  dt: 'value',
  iExt: 'value',
  rho: 'value',
};

/** Resolves `tau`, `dt` and `iExt` of a rate model; `fn` names it in errors. */
export function resolveRateOptions(
  fn: string,
  o: RateNodeOptions,
): { tau: number; dt: number; rate: number; iExt: number } {
  const dt = checkDt(fn, o.dt);
  const tau = checkPositive(fn, 'tau', o.tau ?? 1);
  if (tau < dt) throw new ValueError(fn, 'tau', `at least dt (${dt} ms): the Euler step overshoots below`, tau);
  return { tau, dt, rate: spaicRate(dt, tau), iExt: checkFinite(fn, 'iExt', o.iExt ?? 0) };
}

/**
 * Base of the rate models: U is kept in memory `v` (starts at 0; `storeVSeq` records it), the
 * input X is the synaptic input (Darwin's and SPAIC's `WgtSum`/`Isyn`), and the external input
 * `I_ext` is the `iExt` option or, for one call, {@link forwardWithExternal}'s second argument.
 * Input must be float32.
 */
export abstract class RateNode extends SpaicNode<MembraneState> {
  /** Time constant in ms. */
  readonly tau: number;
  /** Time step in ms. */
  readonly dt: number;
  /** `dt/τ` in float32. */
  readonly rate: number;
  /** The external input of calls that give none. */
  readonly iExt: number;
  protected readonly stateKeys = ['v'] as const;

  constructor(nodeName: string, options: RateNodeOptions, optionTable: AnyOptionTable) {
    const r = resolveRateOptions(nodeName, options);
    super(nodeName, options, optionTable);
    this.tau = r.tau;
    this.dt = r.dt;
    this.rate = r.rate;
    this.iExt = r.iExt;
    this.registerMemory('v', 0);
  }

  /** The field U now (owned by the node; the same tensor as `v`). */
  get u(): Tensor {
    return this.getMemory('v');
  }

  /**
   * `forward(x)` with the external input `iExt` for this call: a number, or a tensor of `x`'s
   * shape (`[T, B, ...]` in step mode `'m'`, one slice per step).
   * @throws ShapeError for a tensor of another shape; ValueError for a non-finite number.
   */
  forwardWithExternal(x: Tensor, iExt: Tensor | number): Tensor {
    return this.forwardWithInputs(`${this.nodeName}.forwardWithExternal`, x, { iExt });
  }

  protected override checkInput(x: Tensor, arg: string, stepShape: readonly number[]): void {
    super.checkInput(x, arg, stepShape);
    if (x.dtype !== 'float32') throw new DTypeError(`${this.nodeName}.forward`, arg, 'float32', x.dtype);
  }

  /** This step's external input. */
  protected external(e: ExtraInputs): Tensor | number {
    return e.iExt ?? this.iExt;
  }
}

/**
 * SPAIC's mean-field rate model of a LIF population (`meanfield`):
 *
 * - `U ← U + (dt/τ)·(ρ·X + I_ext − U)` (forward Euler of `τ dU/dt = −U + ρ·X + I_ext`)
 * - output `O = relu(U)`
 *
 * X is the synaptic input (the weighted rates of the presynaptic populations), I_ext the
 * external input. SPAIC's docstring writes `ρ·(I_ext + I_syn)`; its code computes
 * `ρ·I_syn + I_ext`, which this node follows (ρ scales the summed synaptic input only, as in
 * its CANN model; the two agree for the default `I_ext = 0`). `forward` returns O; U is `u`
 * (memory `v`, recorded by `storeVSeq`).
 *
 * Parameters (defaults, SPAIC's): `tau` 1 ms, `dt` 0.1 ms, `rho` 0.1, `iExt` 0. State: `v` (U,
 * starts at 0).
 *
 * @throws UnknownOptionError for an option name that {@link MeanFieldNodeOptions} lacks;
 * ValueError when `tau` or `dt` is not > 0, `tau < dt`, or `rho`/`iExt` is not finite; on
 * `forward`, DTypeError for a non-float32 input.
 * @example
 * ```ts
 * const pop = new MeanFieldNode({ tau: 10, rho: 1, stepMode: 'm' });
 * const rates = pop.forwardWithExternal(tf.zeros([500, 1, 8]), 2); // relaxes to relu(2)
 * ```
 */
export class MeanFieldNode extends RateNode implements MeanFieldParams {
  readonly rho: number;

  constructor(options: MeanFieldNodeOptions = {}) {
    const o = checkOptionTable('MeanFieldNode', options, MEAN_FIELD_NODE_OPTIONS);
    const rho = checkFinite('MeanFieldNode', 'rho', o.rho ?? 0.1);
    super('MeanFieldNode', o, MEAN_FIELD_NODE_OPTIONS);
    this.rho = rho;
  }

  protected stepState(x: Tensor, s: MembraneState, e: ExtraInputs): RateStepResult {
    return meanFieldStep(x, s, this.external(e), this);
  }
}

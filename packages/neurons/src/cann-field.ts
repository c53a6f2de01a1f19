import { checkFinite, ShapeError, ValueError } from '@snn/core';
import type { Tensor } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';
import { checkOptionTable, type OptionTable } from './checks.js';
import {
  type MeanFieldParams,
  meanFieldRelax,
  RateNode,
  type RateNodeOptions,
  type RateStepResult,
} from './mean-field.js';
import { type ExtraInputs, SPAIC_NODE_OPTIONS } from './spaic-node.js';
import type { MembraneState } from './step.js';

/** Parameters of {@link cannFieldStep}. */
export interface CANNFieldParams extends MeanFieldParams {
  /** Strength of the global divisive inhibition (SPAIC's `k`). */
  readonly k: number;
}

/**
 * One step of the CANN mean-field model (SPAIC's `cann_field`), with batch axis 0:
 *
 * - `U' = U + (dt/τ)·(ρ·X + I_ext − U)`
 * - `O = relu(U')² / (1 + k·Σ relu(U')²)`, the sum over each sample's neurons
 *
 * in SPAIC's order of float32 operations. Pure: reads `s`, never disposes it.
 */
export function cannFieldStep(x: Tensor, s: MembraneState, iExt: Tensor | number, p: CANNFieldParams): RateStepResult {
  return tf.tidy(() => {
    const v = meanFieldRelax(x, s.v, iExt, p);
    const r = tf.relu(v);
    const u2 = tf.mul(r, r);
    const axes = Array.from({ length: u2.rank - 1 }, (_, i) => i + 1);
    const total = tf.sum(u2, axes, true);
    return { out: tf.div(u2, tf.add(tf.mul(p.k, total), 1)), state: { v } };
  });
}

/** Options of {@link CANNFieldNode}. */
export interface CANNFieldNodeOptions extends RateNodeOptions {
  /** Scale of the recurrent input (the neuron density ρ). Default 0.02 (SPAIC's). */
  readonly rho?: number;
  /** Global inhibition strength, ≥ 0. Default 0.01 (SPAIC's). */
  readonly k?: number;
}

/** Every option of {@link CANNFieldNodeOptions} (see {@link OptionTable}). */
export const CANN_FIELD_NODE_OPTIONS: OptionTable<CANNFieldNodeOptions> = {
  ...SPAIC_NODE_OPTIONS,
  tau: 'value',
  dt: 'value',
  iExt: 'value',
  rho: 'value',
  k: 'value',
};

/**
 * The mean-field continuous attractor neural network of Fung, Wong & Wu (2010, Neural Comput.
 * 22:752), SPAIC's `cann_field`. For neurons at preferred positions x_i:
 *
 * - `U ← U + (dt/τ)·(I_ext + ρ·X − U)`, X the recurrent input `Σ_j J_ij·O_j` (and any other
 *   synaptic input), I_ext the stimulus
 * - `O = U₊² / (1 + k·Σ_j U₊,j²)` with `U₊ = relu(U)`: divisive global inhibition
 *
 * The paper writes the normalisation `1 + kρ∫u(x')²dx'`; with `∫dx' ≈ Σ/ρ` over the neurons that
 * is `1 + k·Σ U²`, which is what SPAIC's code computes and this node follows (SPAIC's docstring
 * writes `k·ρ·ΣU²`, which counts ρ twice). With translation-invariant weights `J_ij = J(x_i −
 * x_j)·Δx` and `ρ = 1/Δx` the recurrent term is the paper's `ρ∫J(x − x')r(x')dx'`. A stimulus
 * bump moving on the ring drags the activity bump along (see the package README's example).
 *
 * The sum runs over each sample's neurons (all axes but the batch axis), so inputs need one:
 * `[B, N, ...]`. (SPAIC sums over axis 1 and broadcasts the sum wrongly for batch > 1; its
 * numbers are for batch 1, where both agree.) `forward` returns O; U is `u` (memory `v`).
 *
 * Parameters (defaults, SPAIC's): `tau` 1 ms, `dt` 0.1 ms, `rho` 0.02, `k` 0.01, `iExt` 0.
 * State: `v` (U, starts at 0).
 *
 * @throws UnknownOptionError for an option name that {@link CANNFieldNodeOptions} lacks;
 * ValueError when `tau` or `dt` is not > 0, `tau < dt`, `k` is negative, or a value is not
 * finite; on `forward`, DTypeError for a non-float32 input, ShapeError for one without a batch axis.
 * @example
 * ```ts
 * const ring = new CANNFieldNode({ tau: 1, dt: 0.1, rho: N / (2 * Math.PI), k: 0.5 });
 * let o = tf.zeros([1, N]);
 * for (const stimulus of stimuli) o = ring.forwardWithExternal(tf.matMul(o, J), stimulus); // J: [N, N]
 * ```
 */
export class CANNFieldNode extends RateNode implements CANNFieldParams {
  readonly rho: number;
  readonly k: number;

  constructor(options: CANNFieldNodeOptions = {}) {
    const fn = 'CANNFieldNode';
    const o = checkOptionTable(fn, options, CANN_FIELD_NODE_OPTIONS);
    const rho = checkFinite(fn, 'rho', o.rho ?? 0.02);
    const k = o.k ?? 0.01;
    if (!(typeof k === 'number' && Number.isFinite(k) && k >= 0))
      throw new ValueError(fn, 'k', 'a finite number >= 0', k);
    super(fn, o, CANN_FIELD_NODE_OPTIONS);
    this.rho = rho;
    this.k = k;
  }

  protected override checkInput(x: Tensor, arg: string, stepShape: readonly number[]): void {
    super.checkInput(x, arg, stepShape);
    if (stepShape.length < 2) {
      throw new ShapeError(`${this.nodeName}.forward`, arg, 'a batch axis and neurons, [B, N, ...] per step', x.shape);
    }
  }

  protected stepState(x: Tensor, s: MembraneState, e: ExtraInputs): RateStepResult {
    return cannFieldStep(x, s, this.external(e), this);
  }
}

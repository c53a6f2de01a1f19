import { checkBoolean, checkInteger, checkOptions } from '@snn/core';
import type { Tensor, Variable } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';
import { checkConstraint, constrainWeight, type WeightConstraint } from './constraint.js';
import { denseForward } from './dense-op.js';
import { initWeightAndBias, RANDOM_OPTION_KEYS, type RandomOptions, resolveRng } from './init.js';
import { STEP_MODE_OPTION_KEYS, StatelessLayer, type StepModeOptions } from './layer.js';
import { keysOf } from './options.js';

/** Options of {@link Linear}. */
export interface LinearOptions extends RandomOptions, StepModeOptions {
  /** Add a learnable bias `b` of `outFeatures` values. Default true. */
  readonly bias?: boolean;
  /** Keep every weight ≥ 0 or ≤ 0 (see {@link WeightConstraint}). Default none (`null`). */
  readonly constraint?: WeightConstraint | null;
}

/** The keys of {@link LinearOptions}: anything else is an `UnknownOptionError`. */
export const LINEAR_OPTION_KEYS = keysOf<LinearOptions>()([
  ...RANDOM_OPTION_KEYS,
  ...STEP_MODE_OPTION_KEYS,
  'bias',
  'constraint',
]);

/**
 * Fully connected layer (PyTorch `nn.Linear`, SpikingJelly `layer.Linear`): `y = x Wᵀ + b`.
 *
 * Shapes: `[B, ..., inFeatures]` → `[B, ..., outFeatures]` in step mode `'s'`;
 * `[T, B, ..., inFeatures]` → `[T, B, ..., outFeatures]` in `'m'` (one matMul over all steps).
 *
 * Parameters: `weight` `[outFeatures, inFeatures]` (PyTorch's layout) and `bias` `[outFeatures]`,
 * both initialised as PyTorch does, uniform in ±1/√inFeatures, drawn from the layer's seeded
 * random source. With a `constraint` the layer computes with `W = ±|weight|`.
 *
 * @param inFeatures - Size of the input's last axis, an integer >= 1.
 * @param outFeatures - Size of the output's last axis, an integer >= 1.
 * @throws UnknownOptionError for an option name it does not know (`{ biass: false }`); ValueError
 * on a bad size or option value; ShapeError from `forward` when the last axis is not
 * `inFeatures`; DTypeError when the input is not float32.
 * @example
 * ```ts
 * const fc = new Linear(784, 100, { seed: 1 });
 * const y = fc.forward(tf.zeros([32, 784])); // [32, 100]
 * ```
 */
export class Linear extends StatelessLayer {
  /** The weight variable `[outFeatures, inFeatures]`; under a constraint, the unconstrained `θ` (W = ±|θ|). */
  readonly weight: Variable;
  /** The bias `[outFeatures]`, or `null` without one. */
  readonly bias: Variable | null;
  readonly constraint: WeightConstraint | null;

  constructor(
    readonly inFeatures: number,
    readonly outFeatures: number,
    options: LinearOptions = {},
  ) {
    checkOptions('Linear', options, LINEAR_OPTION_KEYS);
    super(options.stepMode ?? 's');
    checkInteger('Linear', 'inFeatures', inFeatures, 1);
    checkInteger('Linear', 'outFeatures', outFeatures, 1);
    const withBias = checkBoolean('Linear', 'bias', options.bias) ?? true;
    this.constraint = checkConstraint('Linear', options.constraint);
    const rng = resolveRng('Linear', options);
    const init = initWeightAndBias(rng, [outFeatures, inFeatures], inFeatures, withBias);
    this.weight = this.registerParameter('weight', init.weight);
    this.bias = init.bias === null ? null : this.registerParameter('bias', init.bias);
  }

  /** The weight the layer computes with, `[outFeatures, inFeatures]` (constraint applied). The caller owns it. */
  effectiveWeight(): Tensor {
    return constrainWeight(this.weight, this.constraint);
  }

  protected override expectInput(sample: readonly number[], lead: string): string | undefined {
    if (sample.length >= 1 && sample[sample.length - 1] === this.inFeatures) return undefined;
    return `shape [${lead}B, ..., ${this.inFeatures}] (last axis = inFeatures ${this.inFeatures})`;
  }

  protected override forwardBatch(x: Tensor): Tensor {
    // Reshapes only when x is not already [N, inFeatures] (each is a recorded op under a tape).
    const x2 = x.rank === 2 ? x : tf.reshape(x, [-1, this.inFeatures]);
    // Without a constraint the weight itself (effectiveWeight() would copy it: one more taped op).
    const w = this.constraint === null ? this.weight : this.effectiveWeight();
    const y = denseForward(x2, w, this.bias);
    return x.rank === 2 ? y : tf.reshape(y, [...x.shape.slice(0, -1), this.outFeatures]);
  }
}

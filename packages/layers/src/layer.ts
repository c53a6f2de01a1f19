import { checkOneOf, DTypeError, Module, ShapeError, type StepMode, seqToANNForward, ValueError } from '@snn/core';
import type { Tensor } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';
import { keysOf } from './options.js';

/** The step-mode option every layer takes. */
export interface StepModeOptions {
  /** `'s'`: one step `[B, ...]` per call; `'m'`: a sequence `[T, B, ...]` per call. Default `'s'`. */
  readonly stepMode?: StepMode;
}

/** The keys of {@link StepModeOptions}. */
export const STEP_MODE_OPTION_KEYS = keysOf<StepModeOptions>()(['stepMode']);

/** Layout of 2-D feature maps: `'NCHW'` (PyTorch, SpikingJelly: the default) or `'NHWC'` (TensorFlow). */
export type DataFormat = 'NCHW' | 'NHWC';

/** Checks a `dataFormat` option (default `'NCHW'`). */
export function checkDataFormat(fn: string, value: unknown): DataFormat {
  return checkOneOf(fn, 'dataFormat', value ?? 'NCHW', ['NCHW', 'NHWC'] as const);
}

/**
 * What went wrong with one step's input, for a ShapeError: the expected shape in words, or
 * `undefined` when the shape is fine. `lead` is `''` in step mode `'s'` and `'T, '` in `'m'`, to be
 * put in front of the axes (`shape [${lead}B, 784]`).
 */
export type InputCheck = (sample: readonly number[], lead: string) => string | undefined;

/**
 * Base of the stateless layers, and of a custom one: the same function of each sample at every
 * time step, so step mode `'m'` folds time into the batch (`[T, B, ...]` → `[T·B, ...]` → layer →
 * `[T, B, ...]`, as SpikingJelly's `SeqToANNContainer`) and runs the layer once. Subclasses
 * implement `forwardBatch` on a batch `[N, ...]` and `expectInput`, which the base uses to reject
 * bad shapes with a ShapeError naming the argument (`'x'` or `'xSeq'`), the expected and the
 * received shape; the base also refuses non-float32 input (DTypeError) and an empty sequence
 * (ValueError) before `forwardBatch` runs. Pass the step mode (`'s'` or `'m'`) to `super`.
 *
 * @example
 * ```ts
 * // y = 2·x, for inputs whose last axis has `features` values.
 * class Scale extends StatelessLayer {
 *   constructor(readonly features: number, stepMode: StepMode = 's') {
 *     super(stepMode);
 *   }
 *   protected override expectInput(sample: readonly number[], lead: string): string | undefined {
 *     return sample.at(-1) === this.features ? undefined : `shape [${lead}B, ${this.features}]`;
 *   }
 *   protected override forwardBatch(x: Tensor): Tensor {
 *     return tf.mul(x, 2);
 *   }
 * }
 * new Scale(4, 'm').forward(tf.zeros([8, 2, 4])); // [8, 2, 4]
 * ```
 */
export abstract class StatelessLayer extends Module {
  /**
   * The layer's function on a batch `[N, ...]` (time already folded in; a valid shape). Called
   * inside a tidy: intermediate tensors are freed; return a new tensor.
   */
  protected abstract forwardBatch(x: Tensor): Tensor;

  /**
   * Checks the shape of one step's input: `undefined` when `sample` (`[B, ...]`, T removed in step
   * mode `'m'`) is fine, else the expected shape in words for the ShapeError. `lead` is `''` in
   * step mode `'s'` and `'T, '` in `'m'`, to be put in front of the axes (`shape [${lead}B, 784]`).
   */
  protected abstract expectInput(sample: readonly number[], lead: string): string | undefined;

  protected override singleStepForward(x: Tensor): Tensor {
    checkStepInput(this, x, 's', (s, lead) => this.expectInput(s, lead));
    return tf.tidy(() => this.forwardBatch(x));
  }

  protected override multiStepForward(xSeq: Tensor): Tensor {
    checkStepInput(this, xSeq, 'm', (s, lead) => this.expectInput(s, lead));
    return seqToANNForward(xSeq, (x) => this.forwardBatch(x));
  }
}

/**
 * Checks the input of `module.forward` in `mode`: float32, at least one time step in `'m'`, and
 * one step's shape (`x.shape`, or `xSeq.shape` without T) accepted by `check`.
 * @throws DTypeError, ShapeError, or ValueError (T = 0).
 */
export function checkStepInput(module: Module, x: Tensor, mode: StepMode, check: InputCheck): void {
  const fn = `${module.constructor.name}.forward`;
  const arg = mode === 's' ? 'x' : 'xSeq';
  if (x.dtype !== 'float32') throw new DTypeError(fn, arg, 'float32', x.dtype);
  if (mode === 'm') {
    if (x.rank < 2) throw new ShapeError(fn, arg, 'rank >= 2 ([T, B, ...]) in step mode m', x.shape);
    if (x.shape[0] === 0) throw new ValueError(fn, `${arg}.shape[0] (T)`, 'at least 1 time step', 0);
  }
  const expected = check(mode === 's' ? x.shape : x.shape.slice(1), mode === 's' ? '' : 'T, ');
  if (expected !== undefined) throw new ShapeError(fn, arg, expected, x.shape);
}

/** `[a, a]` for a number, the pair itself for a pair: kernel sizes, strides, paddings. */
export function pair(fn: string, arg: string, value: unknown, min: number): [number, number] {
  const v = typeof value === 'number' ? [value, value] : value;
  if (!Array.isArray(v) || v.length !== 2 || v.some((d) => !Number.isInteger(d) || d < min)) {
    throw new ValueError(fn, arg, `an integer >= ${min} or a pair of them`, value);
  }
  return [v[0] as number, v[1] as number];
}

/** `[N, C, H, W]` → `[N, H, W, C]` when the data are NCHW; a clone otherwise. */
export function toChannelsLast(x: Tensor, format: DataFormat): Tensor {
  return format === 'NCHW' ? tf.transpose(x, [0, 2, 3, 1]) : tf.clone(x);
}

/** `[N, H, W, C]` → `[N, C, H, W]` when the data are NCHW; a clone otherwise. */
export function fromChannelsLast(y: Tensor, format: DataFormat): Tensor {
  return format === 'NCHW' ? tf.transpose(y, [0, 3, 1, 2]) : tf.clone(y);
}

/** Names the axes of a 2-D feature map in `format`, with `C` fixed when known: `[B, 3, H, W]`. */
export function mapAxes(format: DataFormat, lead: string, channels?: number): string {
  const c = channels === undefined ? 'C' : String(channels);
  return format === 'NCHW' ? `[${lead}B, ${c}, H, W]` : `[${lead}B, H, W, ${c}]`;
}

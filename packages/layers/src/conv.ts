import { checkBoolean, checkInteger, checkOptions, ValueError } from '@snn/core';
import type { Tensor, Variable } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';
import { addPerChannel } from './channel-ops.js';
import { checkConstraint, constrainWeight, type WeightConstraint } from './constraint.js';
import { conv2dChannelsLast, dilateFilter, type SpatialPadding } from './conv2d-op.js';
import { initWeightAndBias, RANDOM_OPTION_KEYS, type RandomOptions, resolveRng } from './init.js';
import {
  checkDataFormat,
  type DataFormat,
  fromChannelsLast,
  mapAxes,
  pair,
  STEP_MODE_OPTION_KEYS,
  StatelessLayer,
  type StepModeOptions,
  toChannelsLast,
} from './layer.js';
import { keysOf } from './options.js';

/**
 * Padding of a convolution: a number of zeros on both sides of every spatial axis (or a pair
 * `[pH, pW]` for Conv2d), `'valid'` (none) or `'same'` (output as large as the input; stride 1
 * only, as in PyTorch; an odd total puts the extra zero after, at the bottom/right).
 */
export type ConvPadding = number | readonly [number, number] | 'same' | 'valid';

/** Options shared by {@link Conv1d} and {@link Conv2d}. */
export interface ConvOptions extends RandomOptions, StepModeOptions {
  /** Add a learnable bias per output channel. Default true. */
  readonly bias?: boolean;
  /** Keep every weight ≥ 0 or ≤ 0 (see {@link WeightConstraint}). Default none (`null`). */
  readonly constraint?: WeightConstraint | null;
}

/** The keys of {@link ConvOptions}. */
export const CONV_OPTION_KEYS = keysOf<ConvOptions>()([
  ...RANDOM_OPTION_KEYS,
  ...STEP_MODE_OPTION_KEYS,
  'bias',
  'constraint',
]);

/** Options of {@link Conv2d}. */
export interface Conv2dOptions extends ConvOptions {
  /** Step of the kernel, `s` or `[sH, sW]`. Default 1. */
  readonly stride?: number | readonly [number, number];
  /** Zero padding (see {@link ConvPadding}). Default 0. */
  readonly padding?: ConvPadding;
  /** Spacing of the kernel's taps, `d` or `[dH, dW]`. Default 1. */
  readonly dilation?: number | readonly [number, number];
  /** Layout of input and output: `'NCHW'` (default, PyTorch) or `'NHWC'` (no transposes). */
  readonly dataFormat?: DataFormat;
}

/** The keys of {@link Conv2dOptions}. */
export const CONV2D_OPTION_KEYS = keysOf<Conv2dOptions>()([
  ...CONV_OPTION_KEYS,
  'stride',
  'padding',
  'dilation',
  'dataFormat',
]);

/** Options of {@link Conv1d}. */
export interface Conv1dOptions extends ConvOptions {
  /** Step of the kernel. Default 1. */
  readonly stride?: number;
  /** Zero padding: a number, `'valid'` or `'same'`. Default 0. */
  readonly padding?: number | 'same' | 'valid';
  /** Spacing of the kernel's taps. Default 1. */
  readonly dilation?: number;
}

/** The keys of {@link Conv1dOptions}. */
export const CONV1D_OPTION_KEYS = keysOf<Conv1dOptions>()([...CONV_OPTION_KEYS, 'stride', 'padding', 'dilation']);

/** `[before, after]` zeros of one spatial axis. */
function axisPadding(
  fn: string,
  padding: number | 'same' | 'valid',
  kernel: number,
  dilation: number,
  stride: number,
): [number, number] {
  if (padding === 'valid') return [0, 0];
  if (padding === 'same') {
    if (stride !== 1) throw new ValueError(fn, 'padding', "a number when stride > 1 ('same' needs stride 1)", 'same');
    const total = dilation * (kernel - 1);
    return [Math.floor(total / 2), total - Math.floor(total / 2)];
  }
  return [padding, padding];
}

/** Checks `padding` and returns it per spatial axis: `'same'`, `'valid'` or a number each. */
function paddingPerAxis(fn: string, padding: unknown, axes: number): (number | 'same' | 'valid')[] {
  if (padding === 'same' || padding === 'valid') return new Array(axes).fill(padding);
  const p = typeof padding === 'number' ? new Array(axes).fill(padding) : padding;
  if (!Array.isArray(p) || p.length !== axes || p.some((d) => !Number.isInteger(d) || d < 0)) {
    const expected =
      axes === 1 ? "an integer >= 0, 'same' or 'valid'" : "an integer >= 0, a pair of them, 'same' or 'valid'";
    throw new ValueError(fn, 'padding', expected, padding);
  }
  return p as number[];
}

/** Output length of one spatial axis: ⌊(L + before + after − d·(k − 1) − 1) / s⌋ + 1. */
function outLength(length: number, pads: readonly [number, number], kernel: number, dilation: number, stride: number) {
  return Math.floor((length + pads[0] + pads[1] - dilation * (kernel - 1) - 1) / stride) + 1;
}

/**
 * 2-D convolution (PyTorch `nn.Conv2d`, SpikingJelly `layer.Conv2d`), a cross-correlation:
 * `y[b, o, i, j] = bias[o] + Σ_{c, u, v} W[o, c, u, v] · xpad[b, c, s·i + d·u, s·j + d·v]`.
 *
 * Shapes (NCHW, the default): `[B, inChannels, H, W]` → `[B, outChannels, OH, OW]` with
 * `OH = ⌊(H + padTop + padBottom − d·(kH − 1) − 1) / s⌋ + 1` (OW alike); `[T, B, ...]` in step mode
 * `'m'` (time folded into the batch). `dataFormat: 'NHWC'` takes and gives `[B, H, W, C]`.
 *
 * Parameters: `weight` `[outChannels, inChannels, kH, kW]` (PyTorch's layout, whatever the data
 * layout) and `bias` `[outChannels]`, uniform in ±1/√(inChannels·kH·kW) as PyTorch. The
 * convolution runs NHWC (all tfjs-wasm offers): NCHW input is transposed in and out. Trains on
 * every backend (see `conv2dChannelsLast` in conv2d-op.ts). No `groups`.
 *
 * @param kernelSize - `k` or `[kH, kW]`, integers >= 1.
 * @throws UnknownOptionError for an option name it does not know; ValueError on bad sizes or
 * option values; ShapeError from `forward` on a wrong rank, channel count or an input smaller
 * than the (dilated) kernel; DTypeError when the input is not float32.
 * @example
 * ```ts
 * const conv = new Conv2d(1, 8, 3, { padding: 1, seed: 0 });
 * const y = conv.forward(tf.zeros([4, 1, 28, 28])); // [4, 8, 28, 28]
 * ```
 */
export class Conv2d extends StatelessLayer {
  /** The weight variable `[outChannels, inChannels, kH, kW]`; under a constraint, `θ` with W = ±|θ|. */
  readonly weight: Variable;
  /** The bias `[outChannels]`, or `null`. */
  readonly bias: Variable | null;
  readonly kernelSize: readonly [number, number];
  readonly stride: readonly [number, number];
  readonly dilation: readonly [number, number];
  /** Zeros per spatial axis, `[[top, bottom], [left, right]]`, resolved from the `padding` option. */
  readonly padding: SpatialPadding;
  readonly constraint: WeightConstraint | null;
  readonly dataFormat: DataFormat;

  constructor(
    readonly inChannels: number,
    readonly outChannels: number,
    kernelSize: number | readonly [number, number],
    options: Conv2dOptions = {},
  ) {
    checkOptions('Conv2d', options, CONV2D_OPTION_KEYS);
    super(options.stepMode ?? 's');
    const fn = 'Conv2d';
    checkInteger(fn, 'inChannels', inChannels, 1);
    checkInteger(fn, 'outChannels', outChannels, 1);
    this.kernelSize = pair(fn, 'kernelSize', kernelSize, 1);
    this.stride = pair(fn, 'stride', options.stride ?? 1, 1);
    this.dilation = pair(fn, 'dilation', options.dilation ?? 1, 1);
    const p = paddingPerAxis(fn, options.padding ?? 0, 2);
    this.padding = [0, 1].map((a) =>
      axisPadding(
        fn,
        p[a] as number | 'same' | 'valid',
        this.kernelSize[a] as number,
        this.dilation[a] as number,
        this.stride[a] as number,
      ),
    ) as unknown as SpatialPadding;
    const withBias = checkBoolean(fn, 'bias', options.bias) ?? true;
    this.constraint = checkConstraint(fn, options.constraint);
    this.dataFormat = checkDataFormat(fn, options.dataFormat);
    const [kH, kW] = this.kernelSize;
    const init = initWeightAndBias(
      resolveRng(fn, options),
      [outChannels, inChannels, kH, kW],
      inChannels * kH * kW,
      withBias,
    );
    this.weight = this.registerParameter('weight', init.weight);
    this.bias = init.bias === null ? null : this.registerParameter('bias', init.bias);
  }

  /** The weight the layer computes with, `[outChannels, inChannels, kH, kW]` (constraint applied). The caller owns it. */
  effectiveWeight(): Tensor {
    return constrainWeight(this.weight, this.constraint);
  }

  /** The output's spatial size `[OH, OW]` for an input of `[H, W]`. */
  outputSize(height: number, width: number): [number, number] {
    const [kH, kW] = this.kernelSize;
    return [
      outLength(height, this.padding[0], kH, this.dilation[0], this.stride[0]),
      outLength(width, this.padding[1], kW, this.dilation[1], this.stride[1]),
    ];
  }

  protected override expectInput(sample: readonly number[], lead: string): string | undefined {
    const axes = mapAxes(this.dataFormat, lead, this.inChannels);
    const c = this.dataFormat === 'NCHW' ? 1 : 3;
    if (sample.length !== 4 || sample[c] !== this.inChannels) {
      return `shape ${axes} (rank ${lead === '' ? 4 : 5}, inChannels ${this.inChannels})`;
    }
    const [h, w] = this.dataFormat === 'NCHW' ? [sample[2], sample[3]] : [sample[1], sample[2]];
    const [oh, ow] = this.outputSize(h as number, w as number);
    if (oh < 1 || ow < 1) return `shape ${axes} with H and W at least the dilated kernel minus the padding`;
    return undefined;
  }

  protected override forwardBatch(x: Tensor): Tensor {
    const filter = dilateFilter(tf.transpose(this.effectiveWeight(), [2, 3, 1, 0]), this.dilation);
    let y = conv2dChannelsLast(toChannelsLast(x, this.dataFormat), filter, this.stride, this.padding);
    // The bias gradient sums per channel without tfjs's transpose (see addPerChannel).
    if (this.bias !== null) y = addPerChannel(y, this.bias, 3);
    return fromChannelsLast(y, this.dataFormat);
  }
}

/**
 * 1-D convolution (PyTorch `nn.Conv1d`, SpikingJelly `layer.Conv1d`):
 * `y[b, o, i] = bias[o] + Σ_{c, u} W[o, c, u] · xpad[b, c, s·i + d·u]`.
 *
 * Shapes: `[B, inChannels, L]` → `[B, outChannels, OL]`, `OL = ⌊(L + 2p − d·(k − 1) − 1) / s⌋ + 1`;
 * `[T, B, ...]` in step mode `'m'`. Parameters: `weight` `[outChannels, inChannels, k]`, `bias`
 * `[outChannels]`, uniform in ±1/√(inChannels·k). Runs as a Conv2d of height 1.
 *
 * @param kernelSize - An integer >= 1.
 * @throws UnknownOptionError for an option name it does not know; ValueError on bad sizes or
 * option values; ShapeError from `forward` on a wrong rank, channel count or an input shorter
 * than the dilated kernel; DTypeError when the input is not float32.
 * @example
 * ```ts
 * const conv = new Conv1d(2, 4, 5, { padding: 'same', seed: 0 });
 * const y = conv.forward(tf.zeros([8, 2, 100])); // [8, 4, 100]
 * ```
 */
export class Conv1d extends StatelessLayer {
  /** The weight variable `[outChannels, inChannels, kernelSize]`; under a constraint, `θ` with W = ±|θ|. */
  readonly weight: Variable;
  /** The bias `[outChannels]`, or `null`. */
  readonly bias: Variable | null;
  readonly stride: number;
  readonly dilation: number;
  /** Zeros `[before, after]`, resolved from the `padding` option. */
  readonly padding: readonly [number, number];
  readonly constraint: WeightConstraint | null;

  constructor(
    readonly inChannels: number,
    readonly outChannels: number,
    readonly kernelSize: number,
    options: Conv1dOptions = {},
  ) {
    checkOptions('Conv1d', options, CONV1D_OPTION_KEYS);
    super(options.stepMode ?? 's');
    const fn = 'Conv1d';
    checkInteger(fn, 'inChannels', inChannels, 1);
    checkInteger(fn, 'outChannels', outChannels, 1);
    checkInteger(fn, 'kernelSize', kernelSize, 1);
    this.stride = checkInteger(fn, 'stride', options.stride ?? 1, 1);
    this.dilation = checkInteger(fn, 'dilation', options.dilation ?? 1, 1);
    const p = paddingPerAxis(fn, options.padding ?? 0, 1)[0] as number | 'same' | 'valid';
    this.padding = axisPadding(fn, p, kernelSize, this.dilation, this.stride);
    const withBias = checkBoolean(fn, 'bias', options.bias) ?? true;
    this.constraint = checkConstraint(fn, options.constraint);
    const init = initWeightAndBias(
      resolveRng(fn, options),
      [outChannels, inChannels, kernelSize],
      inChannels * kernelSize,
      withBias,
    );
    this.weight = this.registerParameter('weight', init.weight);
    this.bias = init.bias === null ? null : this.registerParameter('bias', init.bias);
  }

  /** The weight the layer computes with, `[outChannels, inChannels, kernelSize]` (constraint applied). The caller owns it. */
  effectiveWeight(): Tensor {
    return constrainWeight(this.weight, this.constraint);
  }

  /** The output length for an input of length `length`. */
  outputLength(length: number): number {
    return outLength(length, this.padding, this.kernelSize, this.dilation, this.stride);
  }

  protected override expectInput(sample: readonly number[], lead: string): string | undefined {
    const axes = `[${lead}B, ${this.inChannels}, L]`;
    if (sample.length !== 3 || sample[1] !== this.inChannels) {
      return `shape ${axes} (rank ${lead === '' ? 3 : 4}, inChannels ${this.inChannels})`;
    }
    if (this.outputLength(sample[2] as number) < 1)
      return `shape ${axes} with L at least the dilated kernel minus the padding`;
    return undefined;
  }

  protected override forwardBatch(x: Tensor): Tensor {
    const [n, , length] = x.shape as [number, number, number];
    const x4 = tf.reshape(tf.transpose(x, [0, 2, 1]), [n, 1, length, this.inChannels]);
    const w = tf.transpose(this.effectiveWeight(), [2, 1, 0]);
    const filter = dilateFilter(tf.reshape(w, [1, this.kernelSize, this.inChannels, this.outChannels]), [
      1,
      this.dilation,
    ]);
    let y = conv2dChannelsLast(x4, filter, [1, this.stride], [[0, 0], this.padding]);
    if (this.bias !== null) y = addPerChannel(y, this.bias, 3);
    const [, , ol] = y.shape as [number, number, number, number];
    return tf.transpose(tf.reshape(y, [n, ol, this.outChannels]), [0, 2, 1]);
  }
}

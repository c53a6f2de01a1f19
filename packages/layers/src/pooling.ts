import { checkBoolean, checkOptions, ValueError } from '@snn/core';
import type { Tensor, Tensor4D } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';
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

/** Options of {@link MaxPool2d} and {@link AvgPool2d}. */
export interface Pool2dOptions extends StepModeOptions {
  /** Step of the window, `s` or `[sH, sW]`. Default: the kernel size (windows do not overlap). */
  readonly stride?: number | readonly [number, number];
  /** Padding on both sides, `p` or `[pH, pW]`, at most half the kernel (as PyTorch). Default 0. */
  readonly padding?: number | readonly [number, number];
  /** Layout of input and output: `'NCHW'` (default) or `'NHWC'`. */
  readonly dataFormat?: DataFormat;
}

/** The keys of {@link Pool2dOptions} (those of {@link MaxPool2d}). */
export const POOL2D_OPTION_KEYS = keysOf<Pool2dOptions>()([
  ...STEP_MODE_OPTION_KEYS,
  'stride',
  'padding',
  'dataFormat',
]);

/** Options of {@link AvgPool2d}. */
export interface AvgPool2dOptions extends Pool2dOptions {
  /** Count padded zeros in the divisor (PyTorch's default). Default true. */
  readonly countIncludePad?: boolean;
}

/** The keys of {@link AvgPool2dOptions}. */
export const AVG_POOL2D_OPTION_KEYS = keysOf<AvgPool2dOptions>()([...POOL2D_OPTION_KEYS, 'countIncludePad']);

type Explicit = [[number, number], [number, number], [number, number], [number, number]];

/**
 * Base of {@link MaxPool2d} and {@link AvgPool2d}: window geometry, PyTorch's padding rule and
 * the input checks. Not meant to be constructed by users.
 */
export abstract class Pool2d extends StatelessLayer {
  readonly kernelSize: readonly [number, number];
  readonly stride: readonly [number, number];
  readonly padding: readonly [number, number];
  readonly dataFormat: DataFormat;

  /**
   * @param fn - The subclass's name, for errors.
   * @param known - The option names the subclass takes (checked before anything else).
   */
  constructor(
    fn: string,
    kernelSize: number | readonly [number, number],
    options: Pool2dOptions,
    known: readonly string[],
  ) {
    checkOptions(fn, options, known);
    super(options.stepMode ?? 's');
    this.kernelSize = pair(fn, 'kernelSize', kernelSize, 1);
    this.stride = pair(fn, 'stride', options.stride ?? this.kernelSize, 1);
    this.padding = pair(fn, 'padding', options.padding ?? 0, 0);
    if (this.padding.some((p, a) => 2 * p > (this.kernelSize[a] as number))) {
      throw new ValueError(
        fn,
        'padding',
        `at most half the kernel size [${this.kernelSize.join(', ')}]`,
        options.padding,
      );
    }
    this.dataFormat = checkDataFormat(fn, options.dataFormat);
  }

  /** The output's spatial size `[OH, OW]`: `⌊(H + 2p − k) / s⌋ + 1` per axis (floor mode). */
  outputSize(height: number, width: number): [number, number] {
    return [height, width].map((len, a) => {
      const [k, s, p] = [this.kernelSize[a], this.stride[a], this.padding[a]] as [number, number, number];
      return Math.floor((len + 2 * p - k) / s) + 1;
    }) as [number, number];
  }

  protected get explicitPadding(): Explicit {
    const [pH, pW] = this.padding;
    return [
      [0, 0],
      [pH, pH],
      [pW, pW],
      [0, 0],
    ];
  }

  protected override expectInput(sample: readonly number[], lead: string): string | undefined {
    const axes = mapAxes(this.dataFormat, lead);
    if (sample.length !== 4) return `shape ${axes} (rank ${lead === '' ? 4 : 5})`;
    const [h, w] = this.dataFormat === 'NCHW' ? [sample[2], sample[3]] : [sample[1], sample[2]];
    const [oh, ow] = this.outputSize(h as number, w as number);
    if (oh < 1 || ow < 1) return `shape ${axes} with H and W at least the kernel size minus twice the padding`;
    return undefined;
  }

  protected override forwardBatch(x: Tensor): Tensor {
    return fromChannelsLast(this.pool(toChannelsLast(x, this.dataFormat) as Tensor4D), this.dataFormat);
  }

  /** Pools `[N, H, W, C]`. */
  protected abstract pool(x: Tensor4D): Tensor;
}

/**
 * 2-D max pooling (PyTorch `nn.MaxPool2d`, SpikingJelly `layer.MaxPool2d`):
 * `y[b, c, i, j] = max_{u < kH, v < kW} xpad[b, c, s·i + u, s·j + v]`, padding never chosen.
 *
 * Shapes (NCHW): `[B, C, H, W]` → `[B, C, OH, OW]`, `OH = ⌊(H + 2pH − kH) / sH⌋ + 1`; `[T, B, ...]`
 * in step mode `'m'`. No parameters. Floor mode only (no `ceilMode`), no dilation.
 *
 * @param kernelSize - `k` or `[kH, kW]`.
 * @throws UnknownOptionError for an option name it does not know; ValueError on bad option
 * values (padding above half the kernel); ShapeError from `forward`
 * on a wrong rank or an input smaller than the window.
 * @example
 * ```ts
 * const pool = new MaxPool2d(2);
 * const y = pool.forward(tf.zeros([4, 8, 28, 28])); // [4, 8, 14, 14]
 * ```
 */
export class MaxPool2d extends Pool2d {
  constructor(kernelSize: number | readonly [number, number], options: Pool2dOptions = {}) {
    super('MaxPool2d', kernelSize, options, POOL2D_OPTION_KEYS);
  }

  protected override pool(x: Tensor4D): Tensor {
    const [kH, kW] = this.kernelSize;
    return tf.maxPool(x, [kH, kW], [this.stride[0], this.stride[1]], this.explicitPadding);
  }
}

/**
 * 2-D average pooling (PyTorch `nn.AvgPool2d`, SpikingJelly `layer.AvgPool2d`): the mean of each
 * window. With `countIncludePad` (default, as PyTorch) padded zeros count, so every window divides
 * by `kH·kW`; without, only the input pixels in the window count.
 *
 * Shapes (NCHW): `[B, C, H, W]` → `[B, C, OH, OW]`, `OH = ⌊(H + 2pH − kH) / sH⌋ + 1`; `[T, B, ...]`
 * in step mode `'m'`. No parameters. Floor mode only.
 *
 * @param kernelSize - `k` or `[kH, kW]`.
 * @throws UnknownOptionError for an option name it does not know; ValueError on bad option
 * values; ShapeError from `forward` on a wrong rank or an input smaller than the window.
 * @example
 * ```ts
 * const pool = new AvgPool2d(2);
 * const y = pool.forward(tf.ones([4, 8, 28, 28])); // [4, 8, 14, 14], all ones
 * ```
 */
export class AvgPool2d extends Pool2d {
  readonly countIncludePad: boolean;

  constructor(kernelSize: number | readonly [number, number], options: AvgPool2dOptions = {}) {
    super('AvgPool2d', kernelSize, options, AVG_POOL2D_OPTION_KEYS);
    this.countIncludePad = checkBoolean('AvgPool2d', 'countIncludePad', options.countIncludePad) ?? true;
  }

  protected override pool(x: Tensor4D): Tensor {
    const [kH, kW] = this.kernelSize;
    const strides: [number, number] = [this.stride[0], this.stride[1]];
    if (!this.countIncludePad) return tf.avgPool(x, [kH, kW], strides, this.explicitPadding);
    // tfjs leaves padding out of the divisor: pad with zeros first, then pool without padding.
    return tf.avgPool(tf.pad(x, this.explicitPadding) as Tensor4D, [kH, kW], strides, 'valid');
  }
}

/** Options of {@link AdaptiveAvgPool2d}. */
export interface AdaptiveAvgPool2dOptions extends StepModeOptions {
  /** Layout of input and output: `'NCHW'` (default) or `'NHWC'`. */
  readonly dataFormat?: DataFormat;
}

/** The keys of {@link AdaptiveAvgPool2dOptions}. */
export const ADAPTIVE_AVG_POOL2D_OPTION_KEYS = keysOf<AdaptiveAvgPool2dOptions>()([
  ...STEP_MODE_OPTION_KEYS,
  'dataFormat',
]);

/**
 * The averaging matrix of one axis `[outLen, inLen]`: row `i` averages the input over
 * `[⌊i·inLen/outLen⌋, ⌈(i + 1)·inLen/outLen⌉)`, PyTorch's adaptive windows.
 */
function adaptiveMatrix(inLen: number, outLen: number): Float32Array {
  const m = new Float32Array(outLen * inLen);
  for (let i = 0; i < outLen; i++) {
    const start = Math.floor((i * inLen) / outLen);
    const end = Math.ceil(((i + 1) * inLen) / outLen);
    for (let k = start; k < end; k++) m[i * inLen + k] = 1 / (end - start);
  }
  return m;
}

/**
 * 2-D adaptive average pooling (PyTorch `nn.AdaptiveAvgPool2d`, SpikingJelly
 * `layer.AdaptiveAvgPool2d`): a fixed output size whatever the input size. Output row `i` of an
 * axis averages input rows `⌊i·H/OH⌋ … ⌈(i + 1)·H/OH⌉ − 1` (windows may overlap when OH does not
 * divide H). Computed as two small matMuls, so it runs and differentiates on every backend.
 *
 * Shapes (NCHW): `[B, C, H, W]` → `[B, C, OH, OW]`; `[T, B, ...]` in step mode `'m'`.
 *
 * @param outputSize - `o`, `[oH, oW]`; `null` in the pair keeps that axis's input size.
 * @throws UnknownOptionError for an option name it does not know; ValueError on a bad size or
 * option value; ShapeError from `forward` on a wrong rank.
 * @example
 * ```ts
 * const gap = new AdaptiveAvgPool2d(1); // global average pooling
 * const y = gap.forward(tf.ones([4, 64, 7, 7])); // [4, 64, 1, 1]
 * ```
 */
export class AdaptiveAvgPool2d extends StatelessLayer {
  /** The requested `[oH, oW]`; `null` keeps the input's size on that axis. */
  readonly outputSize: readonly [number | null, number | null];
  readonly dataFormat: DataFormat;

  constructor(outputSize: number | readonly [number | null, number | null], options: AdaptiveAvgPool2dOptions = {}) {
    checkOptions('AdaptiveAvgPool2d', options, ADAPTIVE_AVG_POOL2D_OPTION_KEYS);
    super(options.stepMode ?? 's');
    const fn = 'AdaptiveAvgPool2d';
    const o = typeof outputSize === 'number' ? [outputSize, outputSize] : outputSize;
    if (!Array.isArray(o) || o.length !== 2 || o.some((d) => d !== null && !(Number.isInteger(d) && d >= 1))) {
      throw new ValueError(fn, 'outputSize', 'an integer >= 1 or a pair of them (null keeps that axis)', outputSize);
    }
    this.outputSize = [o[0] as number | null, o[1] as number | null];
    this.dataFormat = checkDataFormat(fn, options.dataFormat);
  }

  protected override expectInput(sample: readonly number[], lead: string): string | undefined {
    if (sample.length === 4 && sample.every((d) => d >= 1)) return undefined;
    return `shape ${mapAxes(this.dataFormat, lead)} (rank ${lead === '' ? 4 : 5}, no empty axis)`;
  }

  protected override forwardBatch(x: Tensor): Tensor {
    const nchw = this.dataFormat === 'NCHW' ? x : tf.transpose(x, [0, 3, 1, 2]);
    const [n, c, h, w] = nchw.shape as [number, number, number, number];
    const oh = this.outputSize[0] ?? h;
    const ow = this.outputSize[1] ?? w;
    const pw = tf.tensor2d(adaptiveMatrix(w, ow), [ow, w]);
    const ph = tf.tensor2d(adaptiveMatrix(h, oh), [oh, h]);
    // Along W: [N·C·H, W] · Pwᵀ → [N·C, H, OW]; then along H on the transposed map.
    const alongW = tf.reshape(tf.matMul(tf.reshape(nchw, [n * c * h, w]), pw, false, true), [n * c, h, ow]);
    const hLast = tf.reshape(tf.transpose(alongW, [0, 2, 1]), [n * c * ow, h]);
    const alongH = tf.reshape(tf.matMul(hLast, ph, false, true), [n * c, ow, oh]);
    const y = tf.reshape(tf.transpose(alongH, [0, 2, 1]), [n, c, oh, ow]);
    return this.dataFormat === 'NCHW' ? y : tf.transpose(y, [0, 2, 3, 1]);
  }
}

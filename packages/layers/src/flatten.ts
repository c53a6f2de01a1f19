import { checkOptions, ValueError } from '@snn/core';
import type { Tensor } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';
import { STEP_MODE_OPTION_KEYS, StatelessLayer, type StepModeOptions } from './layer.js';
import { keysOf } from './options.js';

/** Options of {@link Flatten}. */
export interface FlattenOptions extends StepModeOptions {
  /** First axis to merge, counted in one step's input `[B, ...]` (negative from the end). Default 1. */
  readonly startDim?: number;
  /** Last axis to merge (inclusive; negative from the end). Default -1. */
  readonly endDim?: number;
}

/** The keys of {@link FlattenOptions}. */
export const FLATTEN_OPTION_KEYS = keysOf<FlattenOptions>()([...STEP_MODE_OPTION_KEYS, 'startDim', 'endDim']);

/**
 * Merges axes `startDim … endDim` into one (PyTorch `nn.Flatten`, SpikingJelly `layer.Flatten`).
 * Axes count in one step's input, so in step mode `'m'` time stays apart: `[T, B, C, H, W]` →
 * `[T, B, C·H·W]` with the defaults.
 *
 * Shapes: `[B, C, H, W]` → `[B, C·H·W]` (defaults `startDim` 1, `endDim` −1). No parameters.
 *
 * @throws UnknownOptionError for an option name it does not know; ValueError when
 * `startDim`/`endDim` are not integers; ShapeError from `forward` when
 * the input lacks those axes or `startDim` comes after `endDim`.
 * @example
 * ```ts
 * const flat = new Flatten({ stepMode: 'm' });
 * const y = flat.forward(tf.zeros([8, 4, 1, 28, 28])); // [8, 4, 784]
 * ```
 */
export class Flatten extends StatelessLayer {
  readonly startDim: number;
  readonly endDim: number;

  constructor(options: FlattenOptions = {}) {
    checkOptions('Flatten', options, FLATTEN_OPTION_KEYS);
    super(options.stepMode ?? 's');
    this.startDim = options.startDim ?? 1;
    this.endDim = options.endDim ?? -1;
    for (const [arg, v] of [
      ['startDim', this.startDim],
      ['endDim', this.endDim],
    ] as const) {
      if (!Number.isInteger(v)) throw new ValueError('Flatten', arg, 'an integer', v);
    }
  }

  /** `[start, end]` as axes of a step input of rank `rank`, or `undefined` if out of range. */
  private axes(rank: number): [number, number] | undefined {
    const start = this.startDim < 0 ? this.startDim + rank : this.startDim;
    const end = this.endDim < 0 ? this.endDim + rank : this.endDim;
    if (start < 0 || end >= rank || start > end) return undefined;
    return [start, end];
  }

  protected override expectInput(sample: readonly number[], lead: string): string | undefined {
    if (this.axes(sample.length) !== undefined) return undefined;
    return `axes ${this.startDim} to ${this.endDim} (startDim to endDim) in each step's [${lead}B, ...]`;
  }

  protected override forwardBatch(x: Tensor): Tensor {
    const [start, end] = this.axes(x.rank) as [number, number];
    const merged = x.shape.slice(start, end + 1).reduce((a, b) => a * b, 1);
    return tf.reshape(x, [...x.shape.slice(0, start), merged, ...x.shape.slice(end + 1)]);
  }
}

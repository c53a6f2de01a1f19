import { checkBoolean, checkInteger, checkOptions, checkPositive, detach, ValueError } from '@snn/core';
import type { Tensor, Variable } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';
import { batchNormTrain } from './channel-ops.js';
import {
  checkDataFormat,
  type DataFormat,
  mapAxes,
  STEP_MODE_OPTION_KEYS,
  StatelessLayer,
  type StepModeOptions,
} from './layer.js';
import { keysOf } from './options.js';

/** Options of {@link BatchNorm1d} and {@link BatchNorm2d} (PyTorch's, in camelCase). */
export interface BatchNormOptions extends StepModeOptions {
  /** Added to the variance before the square root. Default 1e-5. */
  readonly eps?: number;
  /**
   * Weight of the new batch in the running statistics, in [0, 1]: `r ← (1 − m)·r + m·batch`.
   * `null`: a cumulative average over all batches seen (`m = 1 / numBatchesTracked`). Default 0.1.
   */
  readonly momentum?: number | null;
  /** Learnable per-channel scale `weight` (γ, starts at 1) and shift `bias` (β, starts at 0). Default true. */
  readonly affine?: boolean;
  /** Keep running statistics and use them in eval mode; without, every call uses its batch's. Default true. */
  readonly trackRunningStats?: boolean;
}

/** The keys of {@link BatchNormOptions} (those of {@link BatchNorm1d}). */
export const BATCH_NORM_OPTION_KEYS = keysOf<BatchNormOptions>()([
  ...STEP_MODE_OPTION_KEYS,
  'eps',
  'momentum',
  'affine',
  'trackRunningStats',
]);

/**
 * Batch normalisation over the channel axis (base of {@link BatchNorm1d} and {@link BatchNorm2d}):
 *
 * `y = (x − μ) / √(σ² + eps) · γ + β`, per channel.
 *
 * In training mode (`layer.train()`, the default) μ and σ² are the batch's mean and biased
 * variance over every axis but the channel; the running statistics move towards them:
 * `runningMean ← (1 − m)·runningMean + m·μ`, `runningVar ← (1 − m)·runningVar + m·σ²·n/(n − 1)`
 * (unbiased, n values per channel), as PyTorch. In eval mode (`layer.eval()`) μ and σ² are the
 * running statistics. In step mode `'m'` time is folded into the batch, so the statistics run
 * over T·B (SpikingJelly's `SeqToANNContainer(BatchNorm)`).
 *
 * Parameters: `weight` (γ) and `bias` (β) `[C]`, trainable. `runningMean`, `runningVar` `[C]` and
 * `numBatchesTracked` (int32 scalar) are persistent state (core's `registerMemory(…, { persistent:
 * true })`): `saveState` and checkpoints store them (under `persistent`), optimizers never see
 * them, `reset()` leaves them alone; `resetRunningStats()` restores them.
 */
export abstract class BatchNorm extends StatelessLayer {
  readonly eps: number;
  readonly momentum: number | null;
  readonly affine: boolean;
  readonly trackRunningStats: boolean;
  /** γ `[numFeatures]`, or `null` when not affine. */
  readonly weight: Variable | null;
  /** β `[numFeatures]`, or `null` when not affine. */
  readonly bias: Variable | null;
  /** Running mean `[numFeatures]` (persistent state, owned by the layer), or `null` without running statistics. */
  get runningMean(): Tensor | null {
    return this.trackRunningStats ? this.getMemory('runningMean') : null;
  }
  /** Running unbiased variance `[numFeatures]` (persistent state), or `null` without running statistics. */
  get runningVar(): Tensor | null {
    return this.trackRunningStats ? this.getMemory('runningVar') : null;
  }
  /** Training batches seen (int32 scalar, persistent state), or `null` without running statistics. */
  get numBatchesTracked(): Tensor | null {
    return this.trackRunningStats ? this.getMemory('numBatchesTracked') : null;
  }

  /**
   * @param fn - The subclass's name, for errors.
   * @param known - The option names the subclass takes (checked before anything is created).
   */
  constructor(
    fn: string,
    readonly numFeatures: number,
    options: BatchNormOptions,
    known: readonly string[],
  ) {
    checkOptions(fn, options, known);
    super(options.stepMode ?? 's');
    checkInteger(fn, 'numFeatures', numFeatures, 1);
    this.eps = checkPositive(fn, 'eps', options.eps ?? 1e-5);
    const momentum = options.momentum === undefined ? 0.1 : options.momentum;
    if (momentum !== null && !(typeof momentum === 'number' && momentum >= 0 && momentum <= 1)) {
      throw new ValueError(fn, 'momentum', 'a number in [0, 1] or null (cumulative average)', momentum);
    }
    this.momentum = momentum;
    this.affine = checkBoolean(fn, 'affine', options.affine) ?? true;
    this.trackRunningStats = checkBoolean(fn, 'trackRunningStats', options.trackRunningStats) ?? true;
    this.weight = this.affine ? this.registerParameter('weight', tf.ones([numFeatures])) : null;
    this.bias = this.affine ? this.registerParameter('bias', tf.zeros([numFeatures])) : null;
    if (this.trackRunningStats) {
      const persistent = { persistent: true };
      this.registerMemory('runningMean', () => tf.zeros([numFeatures]), persistent);
      this.registerMemory('runningVar', () => tf.ones([numFeatures]), persistent);
      this.registerMemory('numBatchesTracked', () => tf.scalar(0, 'int32'), persistent);
    }
  }

  /** Position of the channel axis in one batch `[N, ...]`. */
  protected abstract channelAxis(rank: number): number;

  /** Restores running mean 0, variance 1 and the batch count 0 (PyTorch's `reset_running_stats`). */
  resetRunningStats(): void {
    if (!this.trackRunningStats) return;
    for (const name of ['runningMean', 'runningVar', 'numBatchesTracked']) this.resetState(name);
  }

  protected override forwardBatch(x: Tensor): Tensor {
    const c = this.channelAxis(x.rank);
    const statShape = x.shape.map((d, i) => (i === c ? d : 1));
    const useBatch = this.training || !this.trackRunningStats;
    if (useBatch) {
      const n = x.size / this.numFeatures;
      if (this.training && n <= 1) {
        throw new ValueError(
          `${this.constructor.name}.forward`,
          'x',
          'a batch with more than 1 value per channel in training mode',
          x,
        );
      }
      // One node of the tape with a closed-form backward and per-channel sums that need no transpose.
      const r = batchNormTrain(x, this.weight, this.bias, c, this.eps);
      if (this.training && this.trackRunningStats) this.updateRunningStats(r.mean, r.variance, n);
      return r.y;
    }
    const mean = this.getMemory('runningMean');
    const variance = this.getMemory('runningVar');
    const scale = tf.rsqrt(tf.add(variance, this.eps));
    let y = tf.mul(tf.sub(x, tf.reshape(mean, statShape)), tf.reshape(scale, statShape));
    if (this.weight !== null && this.bias !== null) {
      y = tf.add(tf.mul(y, tf.reshape(this.weight, statShape)), tf.reshape(this.bias, statShape));
    }
    return y;
  }

  private updateRunningStats(mean: Tensor, variance: Tensor, n: number): void {
    const count = this.getMemory('numBatchesTracked');
    // The count is read back only for a cumulative average, so that the default needs no sync.
    const m = this.momentum ?? 1 / ((count.dataSync()[0] as number) + 1);
    tf.tidy(() => {
      // The running statistics are not part of the gradient.
      const unbiased = tf.mul(detach(variance), n / (n - 1));
      const runningMean = this.getMemory('runningMean');
      const runningVar = this.getMemory('runningVar');
      this.setMemory('runningMean', tf.add(tf.mul(runningMean, 1 - m), tf.mul(detach(mean), m)));
      this.setMemory('runningVar', tf.add(tf.mul(runningVar, 1 - m), tf.mul(unbiased, m)));
      this.setMemory('numBatchesTracked', tf.add(count, tf.scalar(1, 'int32')));
    });
  }
}

/**
 * Batch normalisation of features (PyTorch `nn.BatchNorm1d`, SpikingJelly `layer.BatchNorm1d`);
 * the equations, modes and parameters are those of {@link BatchNorm}.
 *
 * Shapes: `[B, C]` or `[B, C, L]` → same shape; `[T, B, C]` or `[T, B, C, L]` in step mode `'m'`,
 * with statistics over T·B (·L).
 *
 * @param numFeatures - C, the size of axis 1 of each step's input.
 * @throws UnknownOptionError for an option name it does not know; ValueError on a bad option
 * value, or in training mode with one value per channel; ShapeError
 * from `forward` on a wrong rank or channel count; DTypeError when the input is not float32.
 * @example
 * ```ts
 * const bn = new BatchNorm1d(100, { stepMode: 'm' });
 * const y = bn.forward(xSeq); // [T, B, 100], normalised over T·B
 * bn.eval();                  // now uses the running statistics
 * ```
 */
export class BatchNorm1d extends BatchNorm {
  constructor(numFeatures: number, options: BatchNormOptions = {}) {
    super('BatchNorm1d', numFeatures, options, BATCH_NORM_OPTION_KEYS);
  }

  protected override channelAxis(): number {
    return 1;
  }

  protected override expectInput(sample: readonly number[], lead: string): string | undefined {
    if ((sample.length === 2 || sample.length === 3) && sample[1] === this.numFeatures) return undefined;
    const c = this.numFeatures;
    return `shape [${lead}B, ${c}] or [${lead}B, ${c}, L] (numFeatures ${c})`;
  }
}

/** Options of {@link BatchNorm2d}. */
export interface BatchNorm2dOptions extends BatchNormOptions {
  /** Layout of input and output: `'NCHW'` (default) or `'NHWC'`. */
  readonly dataFormat?: DataFormat;
}

/** The keys of {@link BatchNorm2dOptions}. */
export const BATCH_NORM_2D_OPTION_KEYS = keysOf<BatchNorm2dOptions>()([...BATCH_NORM_OPTION_KEYS, 'dataFormat']);

/**
 * Batch normalisation of feature maps (PyTorch `nn.BatchNorm2d`, SpikingJelly `layer.BatchNorm2d`);
 * the equations, modes and parameters are those of {@link BatchNorm}.
 *
 * Shapes: `[B, C, H, W]` → same shape (NCHW; `[B, H, W, C]` with `dataFormat: 'NHWC'`);
 * `[T, B, C, H, W]` in step mode `'m'`, with statistics over T·B·H·W per channel.
 *
 * @param numFeatures - C, the number of channels.
 * @throws UnknownOptionError for an option name it does not know; ValueError on a bad option
 * value, or in training mode with one value per channel; ShapeError
 * from `forward` on a wrong rank or channel count; DTypeError when the input is not float32.
 * @example
 * ```ts
 * const bn = new BatchNorm2d(8);
 * const y = bn.forward(conv.forward(x)); // [B, 8, H, W]
 * ```
 */
export class BatchNorm2d extends BatchNorm {
  readonly dataFormat: DataFormat;

  constructor(numFeatures: number, options: BatchNorm2dOptions = {}) {
    // Every option is checked before the base class creates the parameters and statistics.
    const o = checkOptions('BatchNorm2d', options, BATCH_NORM_2D_OPTION_KEYS);
    const dataFormat = checkDataFormat('BatchNorm2d', o.dataFormat);
    super('BatchNorm2d', numFeatures, options, BATCH_NORM_2D_OPTION_KEYS);
    this.dataFormat = dataFormat;
  }

  protected override channelAxis(): number {
    return this.dataFormat === 'NCHW' ? 1 : 3;
  }

  protected override expectInput(sample: readonly number[], lead: string): string | undefined {
    if (sample.length === 4 && sample[this.channelAxis()] === this.numFeatures) return undefined;
    return `shape ${mapAxes(this.dataFormat, lead, this.numFeatures)} (rank ${lead === '' ? 4 : 5}, numFeatures ${this.numFeatures})`;
  }
}

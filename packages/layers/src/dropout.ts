import { checkOptions, Module, type Rng, ValueError } from '@snn/core';
import type { Tensor } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';
import { RANDOM_OPTION_KEYS, type RandomOptions, resolveRng } from './init.js';
import { checkStepInput, STEP_MODE_OPTION_KEYS, type StepModeOptions } from './layer.js';
import { keysOf } from './options.js';

/** Options of {@link Dropout}. */
export interface DropoutOptions extends RandomOptions, StepModeOptions {}

/** The keys of {@link DropoutOptions}. */
export const DROPOUT_OPTION_KEYS = keysOf<DropoutOptions>()([...RANDOM_OPTION_KEYS, ...STEP_MODE_OPTION_KEYS]);

const sameShape = (a: readonly number[], b: readonly number[]): boolean =>
  a.length === b.length && a.every((d, i) => d === b[i]);

/**
 * Inverted dropout with one mask per sample shared over all time steps (SpikingJelly
 * `layer.Dropout`): in training mode `y = x · M`, `M = Bernoulli(1 − p) / (1 − p)`, so the
 * expected output is `x`; in eval mode `y = x`.
 *
 * The mask `M` `[B, ...]` is a memory (`mask`): drawn at the first training call after
 * `reset()`, then reused by every later call, in both step modes, until the next `reset()`. A
 * spiking neuron therefore loses the same inputs at every step of a sample (dropping different
 * ones at each step would only add noise to its integration). Reset the network between
 * batches (`resetNet`), as a spiking network needs anyway. Before the first draw `mask` is the
 * scalar 1.
 *
 * Shapes: `[B, ...]` → same in step mode `'s'`; `[T, B, ...]` → same in `'m'` (mask `[B, ...]`
 * broadcast over T). Masks are drawn from the layer's seeded `Rng`.
 *
 * @param p - Probability of dropping an element, in [0, 1). Default 0.5.
 * @throws UnknownOptionError for an option name it does not know; ValueError when `p` is not
 * in [0, 1) or an option value is bad; ShapeError from `forward` when the input's
 * sample shape differs from the mask's (reset first) and on a rank-0 input.
 * @example
 * ```ts
 * const drop = new Dropout(0.2, { stepMode: 'm', seed: 7 });
 * const y = drop.forward(xSeq); // the same elements are zero at every t
 * drop.reset();                 // a new mask for the next batch
 * ```
 */
export class Dropout extends Module {
  private readonly rng: Rng;

  constructor(
    readonly p = 0.5,
    options: DropoutOptions = {},
  ) {
    checkOptions('Dropout', options, DROPOUT_OPTION_KEYS);
    super(options.stepMode ?? 's');
    if (!(typeof p === 'number' && p >= 0 && p < 1)) throw new ValueError('Dropout', 'p', 'a number in [0, 1)', p);
    this.rng = resolveRng('Dropout', options);
    this.registerMemory('mask', 1);
  }

  /** The current mask `[B, ...]` (the scalar 1 before the first training call). The layer owns it. */
  get mask(): Tensor {
    return this.getMemory('mask');
  }

  protected override singleStepForward(x: Tensor): Tensor {
    checkStepInput(this, x, 's', (s, lead) => this.expectInput(s, lead));
    return this.dropWith(x, x.shape);
  }

  protected override multiStepForward(xSeq: Tensor): Tensor {
    checkStepInput(this, xSeq, 'm', (s, lead) => this.expectInput(s, lead));
    return this.dropWith(xSeq, xSeq.shape.slice(1));
  }

  private expectInput(sample: readonly number[], lead: string): string | undefined {
    if (sample.length === 0) return `shape [${lead}B, ...]`;
    const mask = this.getMemory('mask');
    if (this.training && this.p > 0 && mask.rank > 0 && !sameShape(mask.shape, sample)) {
      return `shape [${lead}${mask.shape.join(', ')}] (the mask drawn since the last reset(); call reset() for a new shape)`;
    }
    return undefined;
  }

  private dropWith(x: Tensor, sampleShape: readonly number[]): Tensor {
    if (!this.training || this.p === 0) return tf.clone(x);
    return tf.tidy(() => {
      if (this.getMemory('mask').rank === 0) {
        const keep = this.rng.bernoulli(1 - this.p, sampleShape);
        this.setMemory('mask', tf.div(keep, 1 - this.p));
      }
      return tf.mul(x, this.getMemory('mask'));
    });
  }
}

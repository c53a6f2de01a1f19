// The convolutional spiking network of SpikingJelly's Fashion-MNIST tutorial, built from snn's
// layers and neurons. Static images in, output spikes [T, B, 10] out.
import {
  checkInteger,
  checkOneOf,
  checkRank,
  createRng,
  Module,
  type Rng,
  repeatOverTime,
  Sequential,
  ShapeError,
} from '@snn/core';
import { BatchNorm2d, Conv2d, Flatten, Linear, MaxPool2d } from '@snn/layers';
import { IFNode, LIFNode } from '@snn/neurons';
import { atan } from '@snn/surrogates';
import type { Tensor } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';

/** Spiking neuron of every layer: `'lif'` (τ = 2) or `'if'` (SpikingJelly's tutorial uses IF). */
export type NeuronKind = 'lif' | 'if';
export const NEURON_KINDS: readonly NeuronKind[] = ['lif', 'if'];

/**
 * Direct encoding of the static image over T steps:
 * - `'conv-once'`: the first Conv2d–BatchNorm2d runs once on `[B, 1, 28, 28]` and its output is
 *   repeated T times (it is the same at every step);
 * - `'repeat'`: the image is repeated T times and the first Conv2d–BatchNorm2d runs on all T·B copies.
 * Both give the same spikes; `'conv-once'` does the first convolution T times less often.
 */
export type Encoding = 'conv-once' | 'repeat';
export const ENCODINGS: readonly Encoding[] = ['conv-once', 'repeat'];

/** Memory layout of the feature maps: `'nchw'` (PyTorch's, the default) or `'nhwc'` (tfjs's own, no transposes). */
export type Layout = 'nchw' | 'nhwc';
export const LAYOUTS: readonly Layout[] = ['nchw', 'nhwc'];

/** Options of {@link CSNN}. */
export interface CSNNOptions {
  /** Channels C of both convolutions (the tutorial: 128). Default 128. */
  readonly channels?: number;
  /** Time steps T. Default 4. */
  readonly timeSteps?: number;
  /** Neuron model. Default `'lif'`. */
  readonly neuron?: NeuronKind;
  /** Direct encoding. Default `'conv-once'`. */
  readonly encoding?: Encoding;
  /** Layout of images and feature maps. Default `'nchw'`. */
  readonly layout?: Layout;
  /** Seed of the initial weights (PyTorch's default init). Default 0. */
  readonly seed?: number;
  /** A random stream for the initial weights instead of `seed`. */
  readonly rng?: Rng;
}

/** The resolved settings of a {@link CSNN}. */
export interface CSNNSettings {
  readonly channels: number;
  readonly timeSteps: number;
  readonly neuron: NeuronKind;
  readonly encoding: Encoding;
  readonly layout: Layout;
}

const NUM_CLASSES = 10;
const SIDE = 28;

/** Checks and fills in the defaults of {@link CSNNOptions}. */
export function resolveCSNNSettings(options: CSNNOptions = {}): CSNNSettings {
  const fn = 'CSNN';
  return {
    channels: checkInteger(fn, 'channels', options.channels ?? 128, 1),
    timeSteps: checkInteger(fn, 'timeSteps', options.timeSteps ?? 4, 1),
    neuron: checkOneOf(fn, 'neuron', options.neuron ?? 'lif', NEURON_KINDS),
    encoding: checkOneOf(fn, 'encoding', options.encoding ?? 'conv-once', ENCODINGS),
    layout: checkOneOf(fn, 'layout', options.layout ?? 'nchw', LAYOUTS),
  };
}

/**
 * SpikingJelly's convolutional SNN for Fashion-MNIST (its `conv_fashion_mnist` tutorial):
 *
 * ```
 * [Conv2d(1, C, 3, pad 1) – BatchNorm2d(C) – LIF – MaxPool2d(2)]      28×28 → 14×14
 * [Conv2d(C, C, 3, pad 1) – BatchNorm2d(C) – LIF – MaxPool2d(2)]      14×14 → 7×7
 * Flatten – Linear(C·7·7, C·4·4) – LIF – Linear(C·4·4, 10) – LIF
 * ```
 *
 * Convolutions and linear layers have no bias (BatchNorm follows the convolutions), as in the
 * tutorial. Neurons: LIF (τ = 2) or IF, threshold 1, hard reset to 0, ATan surrogate (α = 2),
 * `detachReset`. Every stateless layer folds T into the batch (one call per sequence).
 *
 * `forward(images)` takes static images, float32 `[B, 1, 28, 28]` (`[B, 28, 28, 1]` with
 * layout `'nhwc'`), encodes them directly over T steps (see {@link Encoding}) and returns the
 * output spikes `[T, B, 10]`; their mean over T is the firing rate the loss reads. The step mode is
 * always multi-step (`setStepMode` changes nothing).
 *
 * @example
 * ```ts
 * const net = new CSNN({ channels: 8, seed: 1 });
 * const spikes = net.forward(images); // [4, B, 10]
 * net.reset();
 * ```
 */
export class CSNN extends Module {
  readonly settings: CSNNSettings;
  /** First Conv2d–BatchNorm2d: the encoder, run in single-step mode on `[B, ...]` (or `[T·B, ...]`). */
  readonly encoder: Sequential;
  /** Everything after the encoder, in multi-step mode on `[T, B, ...]`. */
  readonly body: Sequential;

  constructor(options: CSNNOptions = {}) {
    super('m');
    const s = resolveCSNNSettings(options);
    this.settings = s;
    const rng = options.rng ?? createRng(options.seed ?? 0);
    const C = s.channels;
    const dataFormat = s.layout === 'nhwc' ? 'NHWC' : 'NCHW';
    const neuron = () => {
      const common = { surrogate: atan(2), detachReset: true, checkFiniteInput: false } as const;
      return s.neuron === 'if' ? new IFNode(common) : new LIFNode({ ...common, tau: 2 });
    };
    const conv = (inC: number) => new Conv2d(inC, C, 3, { padding: 1, bias: false, rng, dataFormat });
    this.encoder = this.registerModule('encoder', new Sequential(conv(1), new BatchNorm2d(C, { dataFormat })));
    this.body = this.registerModule(
      'body',
      new Sequential(
        neuron(),
        new MaxPool2d(2, { dataFormat }),
        conv(C),
        new BatchNorm2d(C, { dataFormat }),
        neuron(),
        new MaxPool2d(2, { dataFormat }),
        new Flatten(),
        new Linear(C * 7 * 7, C * 4 * 4, { bias: false, rng }),
        neuron(),
        new Linear(C * 4 * 4, NUM_CLASSES, { bias: false, rng }),
        neuron(),
      ).setStepMode('m'),
    );
  }

  /** Always multi-step over static images: this changes nothing. */
  override setStepMode(_mode: 's' | 'm'): this {
    return this;
  }

  /** Shape of one image in this network's layout. */
  get imageShape(): [number, number, number] {
    return this.settings.layout === 'nhwc' ? [SIDE, SIDE, 1] : [1, SIDE, SIDE];
  }

  protected override compute(images: Tensor): Tensor {
    const fn = 'CSNN.forward';
    checkRank(fn, 'images', images, 4, this.settings.layout === 'nhwc' ? '[B, 28, 28, 1]' : '[B, 1, 28, 28]');
    const want = this.imageShape;
    if (want.some((d, i) => images.shape[i + 1] !== d)) {
      throw new ShapeError(fn, 'images', `shape [B, ${want.join(', ')}]`, images.shape);
    }
    const T = this.settings.timeSteps;
    const B = images.shape[0] as number;
    return tf.tidy(() => {
      let xSeq: Tensor;
      if (this.settings.encoding === 'conv-once') {
        const y = this.encoder.forward(images);
        xSeq = repeatOverTime(y, T);
      } else {
        const y = this.encoder.forward(tf.reshape(repeatOverTime(images, T), [T * B, ...want]));
        xSeq = tf.reshape(y, [T, B, ...y.shape.slice(1)]);
      }
      return this.body.forward(xSeq);
    });
  }
}

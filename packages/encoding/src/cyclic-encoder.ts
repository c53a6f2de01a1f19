/**
 * The shared machinery of the stateful, single-step encoders (latency, weighted phase): the first
 * call after a reset encodes its input into a whole train `[P, ...]` and keeps it; call `k` (from
 * 0, modulo `P`) returns step `k` of that train. Later inputs are ignored until `reset()`.
 */
import type { Tensor } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';

/**
 * Base class of the single-step encoders that replay a cached train periodically. Subclasses
 * implement {@link CyclicEncoder.encodeTrain}; users call `forward`, `reset` and `dispose`.
 */
export abstract class CyclicEncoder {
  private train: Tensor | undefined;
  private t = 0;

  /**
   * Encodes `x` into its whole train `[P, ...x.shape]`. Called on the first `forward` after a
   * reset; validates `x` before anything is kept, so a throw leaves the encoder unchanged.
   */
  protected abstract encodeTrain(x: Tensor): Tensor;

  /** The index of the step the next `forward` returns (0 after a reset). */
  get step(): number {
    return this.t;
  }

  /** The cached train `[P, ...]` (undefined before the first call after a reset). Owned by the encoder. */
  get cached(): Tensor | undefined {
    return this.train;
  }

  /**
   * One step: on the first call after a reset, encodes `x` and caches the train; returns the
   * spikes of the current step `[...x.shape]` (owned by the caller) and moves on by one, modulo
   * the period. Later calls ignore `x` until {@link CyclicEncoder.reset}.
   */
  forward(x: Tensor): Tensor {
    if (this.train === undefined) this.train = tf.keep(this.encodeTrain(x));
    const train = this.train;
    const t = this.t;
    const period = train.shape[0] as number;
    const out = tf.tidy(() => {
      const begin = train.shape.map((_, i) => (i === 0 ? t : 0));
      const size = train.shape.map((d, i) => (i === 0 ? 1 : d));
      return tf.reshape(tf.slice(train, begin, size), train.shape.slice(1));
    });
    this.t = (t + 1) % period;
    return out;
  }

  /** Forgets the cached train and starts again at step 0; the next `forward` encodes its input. */
  reset(): void {
    this.train?.dispose();
    this.train = undefined;
    this.t = 0;
  }

  /** Frees the cached train. The encoder can still be used (as after a reset). */
  dispose(): void {
    this.reset();
  }
}

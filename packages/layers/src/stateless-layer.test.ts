import { DTypeError, ShapeError, type StepMode } from '@snn/core';
import { describeBackends, expectClose } from '@snn/core/testing';
import type { Tensor } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import { StatelessLayer } from './index.js';

/** The custom layer of StatelessLayer's documentation, written against the public entry only. */
class Scale extends StatelessLayer {
  constructor(
    readonly features: number,
    stepMode: StepMode = 's',
  ) {
    super(stepMode);
  }
  protected override expectInput(sample: readonly number[], lead: string): string | undefined {
    return sample.at(-1) === this.features ? undefined : `shape [${lead}B, ${this.features}]`;
  }
  protected override forwardBatch(x: Tensor): Tensor {
    return tf.mul(x, 2);
  }
}

describeBackends('a custom StatelessLayer', () => {
  it('runs in both step modes and gets the base checks', () => {
    const layer = new Scale(4, 'm');
    tf.tidy(() => {
      const xSeq = tf.tensor3d([[[1, 2, 3, 4]], [[0, -1, 0.5, 2]]]); // [T = 2, B = 1, 4]
      expectClose(layer.forward(xSeq), [[[2, 4, 6, 8]], [[0, -2, 1, 4]]]);
      expect(() => layer.forward(tf.zeros([2, 1, 3]))).toThrow(
        "Scale.forward: 'xSeq' must have shape [T, B, 4], got shape [2, 1, 3]",
      );
      expect(() => layer.forward(tf.zeros([2, 1, 4], 'int32'))).toThrow(DTypeError);
      layer.setStepMode('s');
      expect(layer.forward(tf.zeros([3, 4])).shape).toEqual([3, 4]);
      expect(() => layer.forward(tf.zeros([3, 5]))).toThrow(ShapeError);
    });
    layer.dispose();
  });
});

import { ValueError } from '@snn/core';
import { describeBackends, expectClose } from '@snn/core/testing';
import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import { resolveNodeParams } from './base-node.js';
import { IFNode, ifStep } from './if.js';

describeBackends('IFNode', () => {
  it('validates its options with named errors', () => {
    expect(() => new IFNode({ vThreshold: Number.POSITIVE_INFINITY })).toThrow(
      "IFNode: 'vThreshold' must be a finite number, got Infinity",
    );
    expect(() => new IFNode({ vReset: Number.NaN })).toThrow("IFNode: 'vReset' must be a finite number, got NaN");
    expect(() => new IFNode({ surrogate: 'sigmoid' as never })).toThrow(ValueError);
    expect(() => new IFNode({ surrogate: 'sigmoid' as never })).toThrow("IFNode: 'surrogate' must be a Surrogate");
  });

  it('the pure step integrates, fires at H >= vThreshold and resets', () => {
    tf.tidy(() => {
      const p = resolveNodeParams('test', { vReset: -0.5 });
      const { spike, state } = ifStep(tf.tensor1d([0.5, 0.25]), { v: tf.tensor1d([0.5, 0.5]) }, p);
      expect(Array.from(spike.dataSync())).toEqual([1, 0]);
      expectClose(state.v, [-0.5, 0.75]);
      const soft = resolveNodeParams('test', { vReset: null });
      expectClose(ifStep(tf.tensor1d([1.25]), { v: tf.scalar(0) }, soft).state.v, [0.25]);
    });
  });
});

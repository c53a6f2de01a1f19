import { loadState, Sequential, saveState } from '@snn/core';
import { describeBackends, expectClose, expectNoLeak } from '@snn/core/testing';
import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import { BatchNorm1d, BatchNorm2d } from './batch-norm.js';
import { Conv2d } from './conv.js';
import { Dropout } from './dropout.js';
import { Flatten } from './flatten.js';
import { Linear } from './linear.js';
import { AvgPool2d, MaxPool2d } from './pooling.js';
import { SynapseFilter } from './synapse-filter.js';

/** A small convolutional net in step mode m; `seed` changes every initial weight. */
function makeNet(seed: number): Sequential {
  return new Sequential(
    new Conv2d(1, 4, 3, { padding: 1, seed }),
    new BatchNorm2d(4),
    new MaxPool2d(2),
    new Conv2d(4, 4, 3, { padding: 1, seed: seed + 1, constraint: 'nonNegative' }),
    new AvgPool2d(2),
    new Flatten(),
    new Linear(16, 8, { seed: seed + 2 }),
    new BatchNorm1d(8, { momentum: null }),
    new Dropout(0.5, { seed: seed + 3 }),
    new Linear(8, 3, { seed: seed + 4 }),
    new SynapseFilter({ tau: 2, learnable: true }),
  ).setStepMode('m');
}

describeBackends('layers in a Sequential', () => {
  it('save and load round-trip: names, running statistics and eval outputs', () => {
    const net = makeNet(1);
    const xSeq = tf.randomUniform([2, 3, 1, 8, 8], 0, 1, 'float32', 1);
    for (let i = 0; i < 3; i++) {
      net.reset();
      tf.dispose(net.forward(xSeq)); // training mode: running statistics move
    }
    const saved = JSON.parse(JSON.stringify(saveState(net)));
    expect(Object.keys(saved.parameters)).toEqual([
      '0.weight',
      '0.bias',
      '1.weight',
      '1.bias',
      '3.weight',
      '3.bias',
      '6.weight',
      '6.bias',
      '7.weight',
      '7.bias',
      '9.weight',
      '9.bias',
      '10.w',
    ]);
    expect(Object.keys(saved.persistent)).toEqual([
      '1.runningMean',
      '1.runningVar',
      '1.numBatchesTracked',
      '7.runningMean',
      '7.runningVar',
      '7.numBatchesTracked',
    ]);
    const copy = makeNet(100);
    loadState(copy, saved);
    net.eval();
    copy.eval();
    tf.tidy(() => {
      net.reset();
      copy.reset();
      const y = net.forward(xSeq);
      expect(y.shape).toEqual([2, 3, 3]);
      expectClose(copy.forward(xSeq), y, { rtol: 0, atol: 0 });
    });
    const bn = copy.layers[7] as BatchNorm1d;
    expect(bn.numBatchesTracked!.dataSync()[0]).toBe(3);
    tf.dispose(xSeq);
    net.dispose();
    copy.dispose();
  });

  it('trains end to end with BPTT and leaks nothing over training steps', () => {
    const net = makeNet(5);
    const xSeq = tf.randomUniform([2, 4, 1, 8, 8], 0, 1, 'float32', 2);
    const target = tf.oneHot(tf.tensor1d([0, 1, 2, 0], 'int32'), 3);
    const opt = tf.train.adam(0.01);
    const loss = () => {
      net.reset();
      const out = net.forward(xSeq);
      const last = tf.reshape(tf.slice(out, [1, 0, 0], [1, 4, 3]), [4, 3]);
      return tf.losses.softmaxCrossEntropy(target, last) as tf.Scalar;
    };
    expectNoLeak(() => tf.dispose(opt.minimize(loss, true) as tf.Scalar), 20);
    tf.dispose([xSeq, target]);
    opt.dispose();
    net.dispose();
  });
});

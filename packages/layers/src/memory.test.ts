import { describeBackends } from '@snn/core/testing';
import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import { Dropout } from './dropout.js';
import { SynapseFilter } from './synapse-filter.js';

// The two layers with memories (the filter's state, the dropout mask), stepped 1,000 times.
describeBackends('stateful layers keep tf.memory() flat', () => {
  it('SynapseFilter and Dropout over 1,000 single steps, with resets', () => {
    const filter = new SynapseFilter({ tau: 4, learnable: true });
    const dropout = new Dropout(0.3, { seed: 1 });
    const x = tf.ones([2, 16]);
    tf.dispose([filter.forward(x), dropout.forward(x)]);
    const before = tf.memory().numTensors;
    for (let t = 0; t < 1000; t++) {
      tf.dispose([filter.forward(x), dropout.forward(x)]);
      if (t % 100 === 99) {
        filter.reset();
        dropout.reset();
        tf.dispose([filter.forward(x), dropout.forward(x)]);
      }
    }
    expect(tf.memory().numTensors).toBe(before);
    filter.dispose();
    dropout.dispose();
    x.dispose();
  });
});

// An empty input (a 0 in its shape) gives an empty output of that shape on every backend, for the
// integer, Darwin-chip, rate and field and STDP-ready SPAIC models too (as empty-input.test.ts
// checks for the BaseNode models).
import { describeBackends } from '@snn/core/testing';
import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import { ALIFSTDPNode } from './alif-stdp.js';
import { CANNFieldNode } from './cann-field.js';
import { DarwinALIFNode } from './darwin-alif.js';
import { DarwinCLIFNode } from './darwin-clif.js';
import { DarwinRandomNode } from './darwin-random.js';
import { DiehlCookIntNode } from './diehl-cook-int.js';
import { LIFIntNode } from './lif-int.js';
import { MeanFieldNode } from './mean-field.js';
import { SimpleRateNode } from './simple-rate.js';

type Node = { forward(x: tf.Tensor): tf.Tensor; dispose(): void; getMemory(name: string): tf.Tensor };
const NODES: readonly (readonly [string, (o: { stepMode?: 's' | 'm'; checkFiniteInput?: boolean }) => Node])[] = [
  ['LIFIntNode', (o) => new LIFIntNode(o)],
  ['DiehlCookIntNode', (o) => new DiehlCookIntNode(o)],
  ['DarwinCLIFNode', (o) => new DarwinCLIFNode({ ...o, seed: 1 })],
  ['DarwinALIFNode', (o) => new DarwinALIFNode({ ...o, seed: 1 })],
  ['DarwinRandomNode', (o) => new DarwinRandomNode({ ...o, seed: 1, std: 100 })],
  ['MeanFieldNode', (o) => new MeanFieldNode(o)],
  ['SimpleRateNode', (o) => new SimpleRateNode(o)],
  ['CANNFieldNode', (o) => new CANNFieldNode(o)],
  ['ALIFSTDPNode', (o) => new ALIFSTDPNode(o)],
];

describeBackends('empty input (SPAIC integer, Darwin, rate and STDP-ready models)', () => {
  it.each(NODES)('%s: [0, 4], [2, 0] and [3, 0, 4] give empty outputs of that shape', (_name, make) => {
    for (const checkFiniteInput of [false, true]) {
      for (const stepShape of [
        [0, 4],
        [2, 0],
      ]) {
        const before = tf.memory().numTensors;
        const single = make({ checkFiniteInput });
        const multi = make({ checkFiniteInput, stepMode: 'm' });
        const x = tf.zeros(stepShape);
        const xSeq = tf.zeros([3, ...stepShape]);
        for (let call = 0; call < 2; call++) {
          const y = single.forward(x);
          expect(y.shape).toEqual(stepShape);
          expect(single.getMemory('v').shape).toEqual(stepShape);
          const ys = multi.forward(xSeq);
          expect(ys.shape).toEqual([3, ...stepShape]);
          tf.dispose([y, ys]);
        }
        tf.dispose([x, xSeq]);
        single.dispose();
        multi.dispose();
        expect(tf.memory().numTensors).toBe(before);
      }
    }
  });
});

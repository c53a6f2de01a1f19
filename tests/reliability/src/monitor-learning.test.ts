import { isSnnError } from '@snn/core';
import { describeBackends } from '@snn/core/testing';
import { mseCountLoss, rateCrossEntropyLoss, rateMSELoss } from '@snn/learning';
import { Monitor } from '@snn/monitor';
import { LIFNode } from '@snn/neurons';
import type { Tensor } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';
import fc from 'fast-check';
import { expect, it } from 'vitest';
import {
  argArb,
  build,
  check,
  expectConstruct,
  expectContract,
  free,
  isCleanFloat,
  optionsArb,
  reportCalls,
  shapeArb,
} from './harness.js';

reportCalls('monitor-learning');

const LOSSES: readonly [string, (s: Tensor, l: Tensor) => Tensor][] = [
  ['rateCrossEntropyLoss', (s, l) => rateCrossEntropyLoss(s, l)],
  ['mseCountLoss', (s, l) => mseCountLoss(s, l)],
  ['rateMSELoss', (s, l) => rateMSELoss(s, l)],
];

describeBackends('property: losses', () => {
  for (const [name, loss] of LOSSES) {
    it(`${name}: a finite scalar or a named error`, () => {
      check(40, argArb(shapeArb(2, 4), ['binary']), argArb(shapeArb(1, 2), ['integers', 'unit']), (s, l) => {
        const spikes = build(s);
        const labels = build(l);
        expectContract(
          name,
          () => loss(spikes, labels),
          (out) => {
            expect(out.shape).toEqual([]);
            if (isCleanFloat(s)) expect(Number.isFinite(out.dataSync()[0])).toBe(true);
          },
        );
        free(s, spikes);
        free(l, labels);
      });
    });
  }
});

describeBackends('property: monitor', () => {
  it('random variables and options record or are refused by name; forwards stay leak-free', () => {
    const vars = fc.oneof(
      fc.constantFrom<unknown>('spike', 'v', 'input', ['spike', 'v'], 'vv', [], ['spike', 'spike'], 3),
      fc.constant({ name: 'p', read: () => 1 }),
    );
    const keep = fc.constantFrom<unknown>('all', 'reduce', { last: 3 }, { every: 2 }, { every: 0 }, 'none', {
      lats: 2,
    });
    check(60, vars, optionsArb({ keep, dt: fc.double({ min: 0.1, max: 2, noNaN: true }) }), (v, o) => {
      const start = tf.memory().numTensors;
      const lif = new LIFNode();
      const mon = expectConstruct('new Monitor', () => new Monitor(lif, v as never, o as never));
      const x = tf.fill([2, 3], 0.7);
      // the first forward may allocate for good (the membrane, a reduce-mode sum): not counted
      try {
        tf.dispose(lif.forward(x));
      } catch (error) {
        expect(isSnnError(error), String(error)).toBe(true);
      }
      for (let t = 0; t < 3; t++)
        expectContract(
          'LIFNode.forward (monitored)',
          () => lif.forward(x),
          () => {},
          lif,
        );
      if (mon !== undefined) {
        for (const name of mon.names) {
          expectContract(
            'Monitor.summary',
            () => mon.summary(name),
            (s) => expect(s.sum.length).toBeGreaterThanOrEqual(0),
          );
        }
        mon.dispose();
      }
      x.dispose();
      lif.dispose();
      expect(tf.memory().numTensors).toBe(start);
    });
  });
});

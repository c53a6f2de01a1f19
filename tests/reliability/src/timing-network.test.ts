import { createRng } from '@snn/core';
import { describeBackends } from '@snn/core/testing';
import { Connection, Input, lifNodes, Network } from '@snn/network';
import { Tempotron } from '@snn/timing';
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

reportCalls('timing-network');

const count = fc.oneof(
  { weight: 8, arbitrary: fc.integer({ min: 1, max: 4 }) },
  fc.constantFrom(0, -1, 2.5, Number.NaN),
);

describeBackends('property: Tempotron', () => {
  it('random sizes, options, spike times and outputs give valid output or a named error', () => {
    const tempotronOptions = optionsArb({
      tau: fc.double({ min: 2, max: 30, noNaN: true }),
      tauS: fc.double({ min: 0.5, max: 1.9, noNaN: true }),
      vThreshold: fc.double({ min: 0.1, max: 2, noNaN: true }),
      seed: fc.nat(),
    });
    const retType = fc.constantFrom<unknown>('v', 'vMax', 'spikes', 'volts', undefined);
    check(
      30,
      count,
      count,
      count,
      tempotronOptions,
      argArb(shapeArb(1, 3), ['positive']),
      retType,
      (inF, outF, T, o, arg, ret) => {
        const start = tf.memory().numTensors;
        const net = expectConstruct('new Tempotron', () => new Tempotron(inF, outF, T, o as never));
        if (net === undefined) return;
        const x = build(arg);
        expectContract(
          'Tempotron.forward',
          () => net.forward(x, ret as never),
          (out) => {
            if (isCleanFloat(arg))
              expect(
                out.dataSync().every((v) => !Number.isNaN(v)),
                'no NaN for clean input',
              ).toBe(true);
          },
          net,
        );
        free(arg, x);
        net.dispose();
        expect(tf.memory().numTensors).toBe(start);
      },
    );
  });
});

describeBackends('property: Network.run', () => {
  it('random run options and inputs run or are refused by name, state unchanged', () => {
    const net = new Network({ dt: 1 });
    const X = new Input(4);
    const Y = lifNodes(3);
    net.addLayer(X, 'X');
    net.addLayer(Y, 'Y');
    const w = tf.tidy(() => tf.mul(2, createRng(0).uniform([3, 4])));
    net.addConnection(new Connection(X, Y, { w }), 'X', 'Y');
    w.dispose();
    // a first valid run makes every memory a tensor of its final shape
    const warm = tf.ones([2, 1, 4]);
    net.run({ inputs: { X: warm }, time: 2 });
    warm.dispose();
    const runOptions = fc.record(
      {
        time: fc.oneof({ weight: 6, arbitrary: fc.integer({ min: 1, max: 4 }) }, fc.constantFrom(0, -1, 1.5, 'x')),
        inputs: fc.constantFrom<unknown>('X', 'Y', 'Z', 'none'),
        tme: fc.constant(1),
      },
      { requiredKeys: ['time'] },
    );
    check(
      30,
      runOptions,
      argArb(fc.constantFrom([4, 1, 4], [2, 1, 4], [4, 2, 4], [4, 4], [4, 1, 5]), ['binary']),
      (o, arg) => {
        const x = build(arg);
        const { inputs, ...rest } = o as { inputs?: string; time: number };
        const options = inputs === undefined || inputs === 'none' ? rest : { ...rest, inputs: { [inputs]: x } };
        expectContract(
          'Network.run',
          () => net.run(options as never),
          () => {},
          net,
        );
        free(arg, x);
      },
    );
    net.dispose();
  });
});

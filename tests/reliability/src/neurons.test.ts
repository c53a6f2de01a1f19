import type { Module } from '@snn/core';
import { describeBackends } from '@snn/core/testing';
import {
  AdaptiveLIFNode,
  AdExNode,
  AlphaNode,
  CLIFNode,
  DiehlCookNode,
  EIFNode,
  GLIFNode,
  HodgkinHuxleyNode,
  IFNode,
  IzhikevichNode,
  LIFNode,
  NonSpikingLIFNode,
  ParametricLIFNode,
  QIFNode,
  RecurrentIFNode,
} from '@snn/neurons';
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

reportCalls('neurons');

const num = (min: number, max: number) => fc.double({ min, max, noNaN: true });
const bool = fc.boolean();

/** Options every node takes, with values a user would pass. */
const BASE = {
  vThreshold: num(0.5, 2),
  vReset: fc.oneof(fc.constant(null), num(-0.5, 0.2)),
  detachReset: bool,
  stepMode: fc.constantFrom('s', 'm'),
  storeVSeq: bool,
  checkFiniteInput: bool,
};

type NodeClass = new (options?: never) => Module;

/** Each node with the options of its own (a few of them: the rest keep their defaults). */
const NODES: readonly [string, NodeClass, Record<string, fc.Arbitrary<unknown>>][] = [
  ['IFNode', IFNode as never, {}],
  ['LIFNode', LIFNode as never, { tau: num(1.1, 10), decayInput: bool }],
  ['ParametricLIFNode', ParametricLIFNode as never, { initTau: num(1.1, 10), decayInput: bool }],
  ['QIFNode', QIFNode as never, { tau: num(1.1, 10) }],
  ['EIFNode', EIFNode as never, { tau: num(1.1, 10) }],
  ['IzhikevichNode', IzhikevichNode as never, { tau: num(1.1, 10) }],
  ['AdExNode', AdExNode as never, { tauW: num(10, 200) }],
  ['HodgkinHuxleyNode', HodgkinHuxleyNode as never, { dt: num(0.005, 0.05) }],
  ['GLIFNode', GLIFNode as never, {}],
  ['CLIFNode', CLIFNode as never, {}],
  ['AlphaNode', AlphaNode as never, {}],
  ['AdaptiveLIFNode', AdaptiveLIFNode as never, { tau: num(1.1, 10) }],
  ['DiehlCookNode', DiehlCookNode as never, {}],
  ['NonSpikingLIFNode', NonSpikingLIFNode as never, { tau: num(1.1, 10) }],
  ['RecurrentIFNode', RecurrentIFNode as never, {}],
];

const RUNS = 12;

describeBackends('property: neuron nodes', () => {
  for (const [name, Node, own] of NODES) {
    it(`${name}: random options and inputs give valid spikes or a named error that changes nothing`, () => {
      check(RUNS, optionsArb({ ...BASE, ...own }), argArb(shapeArb(1, 4)), (options, arg) => {
        const start = tf.memory().numTensors;
        const node = expectConstruct(`new ${name}`, () => new Node(options as never));
        if (node === undefined) return;
        const multi = node.stepMode === 'm';
        // a first, valid step makes the memories tensors of a known shape
        tf.tidy(() => {
          node.forward(tf.fill(multi ? [2, 2, 3] : [2, 3], 0.8));
        });
        const x = build(arg);
        expectContract(
          `${name}.forward`,
          () => node.forward(x),
          (out) => {
            expect(out.shape).toEqual(x.shape);
            expect(out.dtype).toBe('float32');
            if (isCleanFloat(arg) && name !== 'HodgkinHuxleyNode') {
              expect(out.dataSync().every(Number.isFinite), 'finite output for finite input').toBe(true);
            }
          },
          node,
        );
        free(arg, x);
        node.dispose();
        expect(tf.memory().numTensors, `${name}: tensors after dispose`).toBe(start);
      });
    });
  }
});

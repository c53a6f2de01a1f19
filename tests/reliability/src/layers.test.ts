import type { Module } from '@snn/core';
import { describeBackends } from '@snn/core/testing';
import { AvgPool2d, BatchNorm1d, Conv2d, Dropout, Flatten, Linear, MaxPool2d, SynapseFilter } from '@snn/layers';
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

reportCalls('layers');

const stepMode = fc.constantFrom('s', 'm');
const size = fc.oneof(
  { weight: 8, arbitrary: fc.integer({ min: 1, max: 4 }) },
  fc.constantFrom(0, -1, 1.5, Number.NaN),
);

/** A layer built from random arguments, the input shape its first valid call takes, and what its output must be. */
interface LayerCase {
  readonly name: string;
  readonly make: (a: number, b: number, options: unknown) => Module;
  readonly options: Record<string, fc.Arbitrary<unknown>>;
  readonly validInput: (a: number, b: number, multi: boolean) => number[];
}

const CASES: readonly LayerCase[] = [
  {
    name: 'Linear',
    make: (a, b, o) => new Linear(a, b, o as never),
    options: { bias: fc.boolean(), seed: fc.nat(), stepMode },
    validInput: (a, _b, m) => (m ? [2, 2, a] : [2, a]),
  },
  {
    name: 'Conv2d',
    make: (a, b, o) => new Conv2d(a, b, 1, o as never),
    options: { bias: fc.boolean(), seed: fc.nat(), stepMode, padding: fc.constantFrom('same', 'valid', 0, 1) },
    validInput: (a, _b, m) => (m ? [2, 1, a, 3, 3] : [1, a, 3, 3]),
  },
  {
    name: 'BatchNorm1d',
    make: (a, _b, o) => new BatchNorm1d(a, o as never),
    options: {
      eps: fc.double({ min: 1e-6, max: 1e-2, noNaN: true }),
      momentum: fc.double({ min: 0, max: 1, noNaN: true }),
      stepMode,
    },
    validInput: (a, _b, m) => (m ? [2, 3, a] : [3, a]),
  },
  {
    name: 'Dropout',
    make: (_a, _b, o) => new Dropout(0.3, o as never),
    options: { seed: fc.nat(), stepMode },
    validInput: (_a, _b, m) => (m ? [2, 2, 3] : [2, 3]),
  },
  {
    name: 'Flatten',
    make: (_a, _b, o) => new Flatten(o as never),
    options: { stepMode },
    validInput: (_a, _b, m) => (m ? [2, 2, 3, 2] : [2, 3, 2]),
  },
  {
    name: 'MaxPool2d',
    make: (a, _b, o) => new MaxPool2d(a, o as never),
    options: { stepMode },
    validInput: (a, _b, m) => (m ? [2, 1, 1, a * 2, a * 2] : [1, 1, a * 2, a * 2]),
  },
  {
    name: 'AvgPool2d',
    make: (a, _b, o) => new AvgPool2d(a, o as never),
    options: { stepMode },
    validInput: (a, _b, m) => (m ? [2, 1, 1, a * 2, a * 2] : [1, 1, a * 2, a * 2]),
  },
  {
    name: 'SynapseFilter',
    make: (_a, _b, o) => new SynapseFilter(o as never),
    options: { tau: fc.double({ min: 1.5, max: 50, noNaN: true }), stepMode },
    validInput: (_a, _b, m) => (m ? [2, 2, 3] : [2, 3]),
  },
];

describeBackends('property: layers', () => {
  for (const c of CASES) {
    it(`${c.name}: random sizes, options and inputs give valid output or a named error that changes nothing`, () => {
      check(10, size, size, optionsArb(c.options), argArb(shapeArb(1, 5)), (a, b, options, arg) => {
        const start = tf.memory().numTensors;
        const layer = expectConstruct(`new ${c.name}`, () => c.make(a, b, options));
        if (layer === undefined) return;
        const multi = layer.stepMode === 'm';
        const valid = c.validInput(a, b, multi);
        // a valid call first: it must work, and it makes any lazily created state
        tf.tidy(() => {
          const out = layer.forward(tf.fill(valid, 0.5));
          expect(out.dataSync().every(Number.isFinite)).toBe(true);
        });
        const x = build(arg);
        expectContract(
          `${c.name}.forward`,
          () => layer.forward(x),
          (out) => {
            expect(out.dtype).toBe('float32');
            if (isCleanFloat(arg)) expect(out.dataSync().every(Number.isFinite), 'finite output').toBe(true);
          },
          layer,
        );
        free(arg, x);
        layer.dispose();
        expect(tf.memory().numTensors, `${c.name}: tensors after dispose`).toBe(start);
      });
    });
  }
});

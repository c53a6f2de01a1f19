import { describeBackends } from '@snn/core/testing';
import { atan, fastSigmoid, piecewiseQuadratic, type Surrogate, sigmoid, triangular } from '@snn/surrogates';
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

reportCalls('surrogates');

const FACTORIES: readonly [string, (alpha: unknown, o: unknown) => Surrogate][] = [
  ['sigmoid', (a, o) => sigmoid(a as number, o as never)],
  ['atan', (a, o) => atan(a as number, o as never)],
  ['fastSigmoid', (a) => fastSigmoid(a as number)],
  ['piecewiseQuadratic', (a) => piecewiseQuadratic(a as number)],
  ['triangular', (a) => triangular(a as number)],
];
const alpha = fc.oneof(
  { weight: 8, arbitrary: fc.double({ min: 0.1, max: 10, noNaN: true }) },
  fc.constantFrom(0, -1, Number.NaN, 'x'),
);

describeBackends('property: surrogates', () => {
  for (const [name, make] of FACTORIES) {
    it(`${name}: 0/1 spikes and finite gradients, or a named error`, () => {
      check(25, alpha, optionsArb({ spiking: fc.boolean() }), argArb(shapeArb(0, 3)), (a, o, arg) => {
        const s = expectConstruct(name, () => make(a, o));
        if (s === undefined) return;
        const x = build(arg);
        expectContract(
          `${name}.apply`,
          () => s.apply(x),
          (y) => {
            expect(y.shape).toEqual(x.shape);
            if (isCleanFloat(arg) && s.spiking) expect(y.dataSync().every((v) => v === 0 || v === 1)).toBe(true);
          },
        );
        expectContract(
          `${name}.grad`,
          () => s.grad(x),
          (g) => {
            expect(g.shape).toEqual(x.shape);
            if (isCleanFloat(arg)) expect(g.dataSync().every(Number.isFinite)).toBe(true);
          },
        );
        if (isCleanFloat(arg)) {
          // tf.grad itself refuses int and bool tensors: the taped path is checked on float input
          expectContract(
            `${name} gradient`,
            () => tf.grad((v: tf.Tensor) => tf.sum(s.apply(v)))(x),
            (g) => expect(g.dataSync().every(Number.isFinite), 'finite gradient').toBe(true),
          );
        }
        free(arg, x);
      });
    });
  }
});

import { describeBackends } from '@snn/core/testing';
import {
  decodeFirstSpike,
  decodeSpikeCount,
  decodeSpikeRate,
  decodeTimeSoftmax,
  latencyEncode,
  poissonEncode,
  rankOrderEncode,
  relativeLatencyEncode,
  weightedPhaseEncode,
} from '@snn/encoding';
import type { Tensor } from '@tensorflow/tfjs-core';
import fc from 'fast-check';
import { expect, it } from 'vitest';
import {
  argArb,
  build,
  check,
  expectContract,
  free,
  isCleanFloat,
  optionsArb,
  reportCalls,
  shapeArb,
} from './harness.js';

reportCalls('encoding');

const T = fc.oneof(
  { weight: 8, arbitrary: fc.integer({ min: 1, max: 6 }) },
  fc.constantFrom(0, -2, 2.5, Number.NaN, '4'),
);

/** Encoders taking `(x, T, options)`: output `[T, ...x.shape]` of 0/1. */
const ENCODERS: readonly [
  string,
  (x: Tensor, T: number, o: unknown) => Tensor,
  Record<string, fc.Arbitrary<unknown>>,
][] = [
  ['poissonEncode', (x, t, o) => poissonEncode(x, t, o as never), { seed: fc.nat() }],
  ['latencyEncode', (x, t, o) => latencyEncode(x, t, o as never), { fn: fc.constantFrom('linear', 'log') }],
  ['relativeLatencyEncode', (x, t) => relativeLatencyEncode(x, t), {}],
  ['rankOrderEncode', (x, t) => rankOrderEncode(x, t), {}],
  ['weightedPhaseEncode', (x, t) => weightedPhaseEncode(x, t), {}],
];

const DECODERS: readonly [string, (s: Tensor) => unknown][] = [
  ['decodeSpikeCount', decodeSpikeCount],
  ['decodeSpikeRate', decodeSpikeRate],
  ['decodeFirstSpike', decodeFirstSpike],
  ['decodeTimeSoftmax', (s) => decodeTimeSoftmax(s)],
];

describeBackends('property: encoders and decoders', () => {
  for (const [name, encode, own] of ENCODERS) {
    it(`${name}: spikes of shape [T, ...x] or a named error that changes nothing`, () => {
      const options = Object.keys(own).length === 0 ? fc.constant(undefined) : optionsArb(own);
      check(40, argArb(shapeArb(1, 3), ['unit']), T, options, (arg, steps, o) => {
        const x = build(arg);
        expectContract(
          name,
          () => encode(x, steps as number, o),
          (out) => {
            if (name !== 'weightedPhaseEncode') expect(out.shape).toEqual([steps, ...x.shape]);
            if (isCleanFloat(arg))
              expect(
                out.dataSync().every((v) => v === 0 || v === 1),
                '0/1 spikes',
              ).toBe(true);
          },
        );
        free(arg, x);
      });
    });
  }
  for (const [name, decode] of DECODERS) {
    it(`${name}: a decoded value or a named error that changes nothing`, () => {
      check(40, argArb(shapeArb(1, 4), ['binary']), (arg) => {
        const s = build(arg);
        expectContract(
          name,
          () => decode(s),
          () => {},
        );
        free(arg, s);
      });
    });
  }
});

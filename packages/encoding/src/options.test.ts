/**
 * One options policy for every entry point of @snn/encoding: unknown option names are refused
 * with core's message ("did you mean"), nothing is computed or kept on a refusal, and every
 * stochastic entry point takes `{ seed, rng }` as layers and timing do.
 */
import { createRng, isSnnError, UnknownOptionError } from '@snn/core';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, describe, expect, it } from 'vitest';
import {
  ComplexTrajectoryDecoder,
  decodeComplexCount,
  decodeComplexLatency,
  decodeComplexPhase,
  decodeComplexTimingDistance,
  decodeComplexTrajectory,
} from './complex-decoders.js';
import { DeltaEncoder, deltaEncode } from './delta.js';
import { EncodingOptionError, EncodingValueError } from './errors.js';
import { gaussianTuningEncode } from './gaussian-tuning.js';
import {
  ConstantCurrentGenerator,
  constantCurrent,
  PoissonGenerator,
  poissonSpikeTrain,
  RampCurrentGenerator,
  rampCurrent,
  SinusoidalCurrentGenerator,
  sinusoidalCurrent,
} from './generators.js';
import { LatencyEncoder, latencyEncode, latencySpikeTimes } from './latency.js';
import { FloatEncoding, floatEncode, NullEncoder, nullEncode } from './passthrough.js';
import { poissonEncode, poissonRateEncode } from './rate.js';
import { multipleSpikeToBinary, singleSpikeToBinary } from './spike-times.js';
import { uniformEncode } from './uniform.js';

const x = tf.tensor2d([[0.2, 0.8, 0.5]]); // [B = 1, N = 3] in [0, 1]
const rate = tf.tensor2d([[20, 300, 0]]); // Hz
const xSeq = tf.tensor2d([[0], [0.5], [0.1]]); // [T = 3, B = 1]
const x3 = tf.tensor3d([[[0.3, 0.7]]]); // [B = 1, n = 1, k = 2]
const times = tf.tensor2d([[0, 2, -1]]);
const times3 = tf.tensor3d([
  [
    [0, 2],
    [1, -1],
  ],
]);
const complex = {
  real: tf.tensor3d([[[1, 0]], [[0, 1]], [[1, 1]]]),
  imag: tf.tensor3d([[[0.5, 0]], [[0, 0.2]], [[0.1, 0]]]),
};
const spikeTarget = tf.tensor3d([[[0, 1]], [[1, 0]], [[0, 0]]]);
afterAll(() => tf.dispose([x, rate, xSeq, x3, times, times3, complex.real, complex.imag, spikeTarget]));

type Options = Record<string, unknown>;
/** What an entry point returns: a tensor, or an object to dispose. */
type Made = tf.Tensor | { dispose(): void };
/** A decoder's result as something to dispose. */
const made = (out: object): Made => ({ dispose: () => tf.dispose(Object.values(out) as tf.Tensor[]) });

/**
 * Every options-taking entry point: its name in messages, the option names it documents
 * (written here from the docs, not read from the code), options that make a valid call, and the call.
 */
const ENTRY_POINTS: [string, string[], Options, (o: Options | undefined) => Made][] = [
  ['poissonEncode', ['seed', 'rng'], { seed: 1 }, (o) => poissonEncode(x, 4, o)],
  ['poissonRateEncode', ['dt', 'seed', 'rng'], { dt: 0.5, seed: 1 }, (o) => poissonRateEncode(rate, 4, o)],
  ['latencySpikeTimes', ['encFunction'], { encFunction: 'log' }, (o) => latencySpikeTimes(x, 4, o as never)],
  ['latencyEncode', ['encFunction'], { encFunction: 'log' }, (o) => latencyEncode(x, 4, o as never)],
  ['LatencyEncoder', ['encFunction'], { encFunction: 'linear' }, (o) => new LatencyEncoder(4, o as never)],
  ['deltaEncode', ['threshold', 'initial'], { threshold: 0.2, initial: 0 }, (o) => deltaEncode(xSeq, o)],
  ['DeltaEncoder', ['threshold', 'initial'], { threshold: 0.2 }, (o) => new DeltaEncoder(o)],
  [
    'gaussianTuningEncode',
    ['m', 'xMin', 'xMax', 'maxSpikeTime'],
    { m: 5, xMin: 0, xMax: 1, maxSpikeTime: 10 },
    (o) => gaussianTuningEncode(x3, o as never),
  ],
  [
    'poissonSpikeTrain',
    ['rate', 'duration', 'dt', 'shape', 'seed', 'rng'],
    { rate: 50, duration: 10, dt: 1, shape: [1, 3], seed: 2 },
    (o) => poissonSpikeTrain(o as never),
  ],
  [
    'PoissonGenerator',
    ['rate', 'dt', 'shape', 'seed', 'rng'],
    { rate: 50, dt: 1, shape: [1, 3], seed: 2 },
    (o) => new PoissonGenerator(o as never),
  ],
  [
    'constantCurrent',
    ['amplitude', 'duration', 'dt', 'shape', 'start', 'stop'],
    { amplitude: 1, duration: 5, start: 1, stop: 3 },
    (o) => constantCurrent(o as never),
  ],
  [
    'ConstantCurrentGenerator',
    ['amplitude', 'dt', 'shape', 'start', 'stop'],
    { amplitude: 1, stop: 3 },
    (o) => new ConstantCurrentGenerator(o as never),
  ],
  [
    'sinusoidalCurrent',
    ['amplitude', 'frequency', 'phase', 'offset', 'duration', 'dt', 'shape'],
    { amplitude: 1, frequency: 10, phase: 0.5, offset: 1, duration: 5 },
    (o) => sinusoidalCurrent(o as never),
  ],
  [
    'SinusoidalCurrentGenerator',
    ['amplitude', 'frequency', 'phase', 'offset', 'dt', 'shape'],
    { amplitude: 1, frequency: 10 },
    (o) => new SinusoidalCurrentGenerator(o as never),
  ],
  ['singleSpikeToBinary', ['dt'], { dt: 1 }, (o) => singleSpikeToBinary(times, 4, o)],
  ['multipleSpikeToBinary', ['dt'], { dt: 1 }, (o) => multipleSpikeToBinary(times3, 4, o)],
  [
    'uniformEncode',
    ['dt', 'maxTime', 'amp', 'bias'],
    { dt: 0.5, maxTime: 2, amp: 2, bias: 0.1 },
    (o) => uniformEncode(x, 4, o),
  ],
  [
    'rampCurrent',
    ['slope', 'base', 'start', 'stop', 'duration', 'dt', 'shape'],
    { slope: 1, base: 0.5, start: 1, stop: 3, duration: 5 },
    (o) => rampCurrent(o as never),
  ],
  [
    'RampCurrentGenerator',
    ['slope', 'base', 'start', 'stop', 'dt', 'shape'],
    { slope: 1, stop: 3 },
    (o) => new RampCurrentGenerator(o as never),
  ],
  ['nullEncode', ['batchFirst'], { batchFirst: true }, (o) => nullEncode(xSeq, o)],
  ['NullEncoder', ['batchFirst'], { batchFirst: false }, (o) => made(new NullEncoder(o))],
  ['floatEncode', ['amplitude'], { amplitude: 2 }, (o) => floatEncode(x, 3, o)],
  ['FloatEncoding', ['amplitude'], { amplitude: 2 }, (o) => made(new FloatEncoding(o))],
  ['decodeComplexCount', ['maxSpikes'], { maxSpikes: 2 }, (o) => made(decodeComplexCount(complex, o))],
  ['decodeComplexPhase', ['dt'], { dt: 0.1 }, (o) => made(decodeComplexPhase(complex, o))],
  ['decodeComplexLatency', ['tauCount'], { tauCount: 3 }, (o) => made(decodeComplexLatency(complex, o))],
  [
    'decodeComplexTimingDistance',
    ['dt', 'filterTime'],
    { dt: 0.5, filterTime: 4 },
    (o) => made(decodeComplexTimingDistance(complex, spikeTarget, o)),
  ],
  [
    'decodeComplexTrajectory',
    ['tauD', 'tauR', 'weight', 'groups', 'dt'],
    { tauD: 10, tauR: 20, weight: 1, groups: 2, dt: 0.5 },
    (o) => made(decodeComplexTrajectory(complex, o as never)),
  ],
  [
    'ComplexTrajectoryDecoder',
    ['tauD', 'tauR', 'weight', 'groups', 'dt', 'seed', 'rng'],
    { tauD: 10, groups: 2, dt: 0.5, seed: 3 },
    (o) => new ComplexTrajectoryDecoder(2, o),
  ],
];

/** A typo of `key`: its first two different neighbouring letters swapped ('seed' → 'esed'), or doubled ('m' → 'mm'). */
function misspell(key: string): string {
  for (let i = 0; i + 1 < key.length; i++) {
    if (key[i] !== key[i + 1]) return key.slice(0, i) + key[i + 1] + key[i] + key.slice(i + 2);
  }
  return key + key;
}

const CASES = ENTRY_POINTS.flatMap(([fn, known, valid, call]) =>
  known.map((key) => [fn, key, misspell(key), known, valid, call] as const),
);

describe('unknown option names', () => {
  it.each(ENTRY_POINTS)(
    '%s: the valid options work (so each refusal below is for its typo alone)',
    (_fn, _k, valid, call) => {
      const made = call(valid);
      tf.dispose(made as tf.Tensor);
      if (!(made instanceof tf.Tensor)) made.dispose();
    },
  );

  it.each(CASES)(
    "%s: '%s' misspelt as '%s' is an EncodingOptionError with core's message",
    (fn, key, typo, known, valid, call) => {
      const before = tf.memory().numTensors;
      let thrown: unknown;
      try {
        call({ ...valid, [typo]: valid[key] ?? 1 });
      } catch (e) {
        thrown = e;
      }
      expect(tf.memory().numTensors).toBe(before);
      expect(thrown).toBeInstanceOf(EncodingOptionError);
      expect(thrown).toBeInstanceOf(EncodingValueError);
      expect(isSnnError(thrown)).toBe(true);
      const err = thrown as EncodingOptionError;
      expect(err.option).toBe(typo);
      expect([...err.known].sort()).toEqual([...known].sort());
      expect(err.message).toContain(`${fn}: unknown option '${typo}' (did you mean '${key}'?); known options: `);
      // Word for word what @snn/core says for the same mistake.
      expect(err.message).toBe(new UnknownOptionError(fn, typo, err.known).message);
    },
  );

  it.each(ENTRY_POINTS)('%s: options that are not an object are refused by name', (fn, _k, _v, call) => {
    const before = tf.memory().numTensors;
    expect(() => call(5 as never)).toThrow(`${fn}: 'options' must be an options object, got 5`);
    expect(() => call([] as never)).toThrow(EncodingValueError);
    expect(tf.memory().numTensors).toBe(before);
  });
});

/** The stochastic entry points, each as a function of its randomness options, returning the spikes. */
const STOCHASTIC: [string, (o: Options) => tf.Tensor][] = [
  ['poissonEncode', (o) => poissonEncode(x, 50, o)],
  ['poissonRateEncode', (o) => poissonRateEncode(rate, 50, { dt: 1, ...o })],
  ['poissonSpikeTrain', (o) => poissonSpikeTrain({ rate: 200, duration: 50, shape: [2, 3], ...o } as never)],
  [
    'PoissonGenerator',
    (o) => {
      const gen = new PoissonGenerator({ rate: 200, shape: [2, 3], ...o } as never);
      const out = gen.generate(50);
      gen.dispose();
      return out;
    },
  ],
];

describe('{ seed, rng } in every stochastic entry point', () => {
  const values = (t: tf.Tensor) => {
    const v = Array.from(t.dataSync());
    t.dispose();
    return v;
  };

  it.each(STOCHASTIC)("%s: { seed: s } draws core's createRng(s) stream, which { rng } also takes", (_fn, run) => {
    for (const s of [0, 7, 123456]) {
      const bySeed = values(run({ seed: s }));
      expect(values(run({ rng: createRng(s) }))).toEqual(bySeed);
      expect(values(run({ rng: s }))).toEqual(bySeed); // a number as `rng`: still a seed
      expect(bySeed.some((v) => v === 1) && bySeed.some((v) => v === 0)).toBe(true);
    }
    expect(values(run({ seed: 1 }))).not.toEqual(values(run({ seed: 2 })));
  });

  it.each(STOCHASTIC)(
    '%s: a shared rng moves on; seed and rng together, or a bad seed, are named errors',
    (fn, run) => {
      const rng = createRng(4);
      expect(values(run({ rng }))).not.toEqual(values(run({ rng })));
      const before = tf.memory().numTensors;
      expect(() => run({ seed: 1, rng })).toThrow(
        `${fn}: 'seed' must be undefined when 'rng' is given (pass one of the two), got 1`,
      );
      expect(() => run({ seed: 1.5 })).toThrow(`${fn}: 'seed' must be a safe integer, got 1.5`);
      expect(() => run({ rng: { nextFloat: () => Number.NaN } })).toThrow(
        `${fn}: 'rng' must be a source whose nextFloat() returns numbers in [0, 1), got NaN`,
      );
      expect(tf.memory().numTensors).toBe(before);
    },
  );
});

/**
 * Lookup by name: every SPAIC name resolves (the lists below are written from SPAIC's
 * `Encoder.register` / `Decoder.register` / `Generator.register` calls, commit e3b6303, not read
 * from the code under test), each made object computes what its function does, and registering,
 * replacing and unknown names behave as documented.
 */
// Importing @snn/core registers its cpu backend, which describeBackends switches to.
import '@snn/core';
import { readFileSync } from 'node:fs';
import { describeBackends, expectClose } from '@snn/core/testing';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { decodeComplexTimingDistance, decodeComplexTrajectory } from './complex-decoders.js';
import {
  decodeFinalVoltage,
  decodeSpikeRate,
  decodeTimeSoftmax,
  decodeVoltageSum,
  decodeVoltageTrajectory,
} from './decoders.js';
import { EncodingNameError, EncodingOptionError, EncodingShapeError, EncodingValueError } from './errors.js';
import {
  ConstantCurrentGenerator,
  PoissonGenerator,
  RampCurrentGenerator,
  SinusoidalCurrentGenerator,
} from './generators.js';
import { latencyEncode, relativeLatencyEncode } from './latency.js';
import { poissonEncode } from './rate.js';
import {
  createDecoder,
  createEncoder,
  createGenerator,
  type Decoder,
  decoders,
  type Encoder,
  encoders,
  generators,
} from './registry.js';
import { multipleSpikeToBinary, singleSpikeToBinary } from './spike-times.js';
import { uniformEncode } from './uniform.js';

/** SPAIC's registered names (spaic/Neuron/Encoders.py, Decoders.py, Generators.py) this package maps. */
const SPAIC_ENCODERS = [
  'null',
  'float',
  'sstb',
  'mstb',
  'poisson',
  'bernoulli',
  'latency',
  'relative_latency',
  'constant_current',
  'uniform',
];
const SPAIC_DECODERS = [
  'spike_rate',
  'spike_counts',
  'spike_rates',
  'final_step_voltage',
  'first_spike',
  'time_spike_counts',
  'null',
  'v_t',
  'time_softmax',
  'voltage_sum',
  'complex_count',
  'complex_phase',
  'complex_latency',
  'complex_timing_distance',
  'complex_trajectory',
];
const SPAIC_GENERATORS = [
  'poisson_generator',
  'cc_generator',
  'constant_current',
  'sin_generator',
  'sin',
  'ramp_generator',
  'ramp',
];

const same = (a: tf.Tensor, b: tf.Tensor) => {
  expect(a.shape).toEqual(b.shape);
  expect(Array.from(a.dataSync())).toEqual(Array.from(b.dataSync()));
};

describe('registries: names', () => {
  it('hold exactly the SPAIC names this package maps', () => {
    expect(encoders.names()).toEqual([...SPAIC_ENCODERS].sort());
    expect(decoders.names()).toEqual([...SPAIC_DECODERS].sort());
    expect(generators.names()).toEqual([...SPAIC_GENERATORS].sort());
    for (const name of SPAIC_ENCODERS) expect(typeof encoders.get(name)).toBe('function');
    expect(encoders.has('POISSON') && decoders.has('Spike_Counts') && generators.has('Sin')).toBe(true);
    expect(encoders.has('poisson_generator') || generators.has('poisson')).toBe(false);
  });

  it('an unknown name is an EncodingNameError naming the closest and listing the known names', () => {
    let thrown: unknown;
    try {
      createEncoder('posson');
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(EncodingNameError);
    expect(thrown).toBeInstanceOf(EncodingValueError);
    const err = thrown as EncodingNameError;
    expect(err.message).toBe(
      "createEncoder: unknown encoder 'posson' (did you mean 'poisson'?); known encoders: 'bernoulli', " +
        "'constant_current', 'float', 'latency', 'mstb', 'null', 'poisson', 'relative_latency', 'sstb', 'uniform'",
    );
    expect([err.kind, err.requested, err.fn]).toEqual(['encoder', 'posson', 'createEncoder']);
    expect(() => createDecoder('spike_count')).toThrow(
      "createDecoder: unknown decoder 'spike_count' (did you mean 'spike_counts'?); known decoders: ",
    );
    expect(() => generators.get('poison_generator')).toThrow(
      "generators.get: unknown generator 'poison_generator' (did you mean 'poisson_generator'?)",
    );
    // nothing near: no suggestion
    expect(() => decoders.create('softmax_of_everything')).toThrow(
      "decoders.create: unknown decoder 'softmax_of_everything'; known decoders: 'complex_count'",
    );
    expect(() => createEncoder(5 as never)).toThrow(
      "createEncoder: 'name' must be a string (a name in encoders.names()), got 5",
    );
  });

  it('register adds a name (any case); a taken name needs { replace: true }; unregister undoes', () => {
    const double = (): Encoder => ({
      name: 'double',
      encode: (x, T) => tf.tidy(() => tf.stack(Array(T).fill(tf.mul(x, 2)))),
    });
    encoders.register('Double', double);
    try {
      expect(encoders.has('double')).toBe(true);
      tf.tidy(() => {
        expect(
          createEncoder('DOUBLE')
            .encode(tf.tensor1d([1, 2]), 2)
            .arraySync(),
        ).toEqual([
          [2, 4],
          [2, 4],
        ]);
      });
      expect(() => encoders.register('double', double)).toThrow(
        "encoders.register: 'name' must be a name not yet registered (pass { replace: true } to replace 'double'), got 'double'",
      );
      expect(() => encoders.register('poisson', double)).toThrow(EncodingValueError);
      // replacing a built-in, then getting it back
      const original = encoders.get('poisson');
      encoders.register('poisson', double, { replace: true });
      expect(encoders.get('poisson')).toBe(double);
      encoders.unregister('poisson');
      expect(encoders.get('poisson')).toBe(original);
      expect(() => encoders.unregister('poisson')).toThrow(
        "encoders.unregister: 'name' must be a name added with register() (built-in names stay), got 'poisson'",
      );
    } finally {
      encoders.unregister('double');
    }
    expect(encoders.has('double')).toBe(false);
    expect(() => encoders.unregister('double')).toThrow(EncodingNameError);
    expect(() => encoders.register('', double)).toThrow("encoders.register: 'name' must be a non-empty string, got ''");
    expect(() => encoders.register('x', 'f' as never)).toThrow(
      "encoders.register: 'factory' must be a function, got 'f'",
    );
    expect(() => encoders.register('x', double, { replce: true } as never)).toThrow(EncodingOptionError);
    expect(() => encoders.register('x', double, { replace: 1 as never })).toThrow(
      "encoders.register: 'replace' must be a boolean, got 1",
    );
    expect(encoders.has('x')).toBe(false);
  });

  it('a decoder of your own: create returns it, typed by its interface', () => {
    const total = (): Decoder<tf.Tensor, { value: tf.Tensor }> => ({
      name: 'total',
      decode: (record) => ({ value: tf.sum(record) }),
      dispose: () => {},
    });
    decoders.register('total', total);
    try {
      tf.tidy(() => {
        const dec = createDecoder('total');
        expect(dec.decode(tf.ones([2, 1, 3])).value.dataSync()[0]).toBe(6);
      });
    } finally {
      decoders.unregister('total');
    }
  });

  it('typed built-ins: wrong option types do not compile', () => {
    // The lines below are checked by the typecheck (tsc fails if an expected error is missing).
    const bad = () => {
      // @ts-expect-error seed is a number
      createEncoder('poisson', { seed: 'one' });
      // @ts-expect-error the generators need their options
      createGenerator('poisson_generator');
      // @ts-expect-error complex_count decodes { real, imag }, not a tensor
      createDecoder('complex_count').decode(tf.zeros([1, 1, 1]));
    };
    expect(typeof bad).toBe('function');
  });
});

describeBackends('registries: what each name makes', () => {
  const x = () => tf.tensor2d([[0.1, 0.5, 0.9, 0]]);

  it("encoders compute what their functions compute; 'poisson' keeps one stream across calls", () => {
    tf.tidy(() => {
      const enc = createEncoder('poisson', { seed: 3 });
      expect(enc.name).toBe('poisson');
      const both = tf.concat([enc.encode(x(), 5), enc.encode(x(), 5)]);
      same(both, poissonEncode(x(), 10, { seed: 3 })); // draws are time-major: one stream, two calls
      same(createEncoder('bernoulli', { seed: 3 }).encode(x(), 4), poissonEncode(x(), 4, { seed: 3 }));
      same(
        createEncoder('latency', { encFunction: 'log' }).encode(x(), 6),
        latencyEncode(x(), 6, { encFunction: 'log' }),
      );
      same(createEncoder('relative_latency').encode(x(), 6), relativeLatencyEncode(x(), 6));
      const times = tf.tensor2d([[0, 1, 2.5]]);
      same(createEncoder('sstb', { dt: 0.5 }).encode(times, 6), singleSpikeToBinary(times, 6, { dt: 0.5 }));
      const multi = tf.tensor3d([
        [
          [0, 2],
          [1, -1],
        ],
      ]);
      same(createEncoder('mstb').encode(multi, 3), multipleSpikeToBinary(multi, 3));
      same(createEncoder('null').encode(tf.ones([3, 1, 2]), 3), tf.ones([3, 1, 2]));
      same(createEncoder('float').encode(x(), 2), tf.stack([x(), x()]));
      const cc = createEncoder('constant_current', { amplitude: 2 });
      expect(cc.name).toBe('constant_current');
      same(cc.encode(x(), 2), tf.stack([tf.mul(x(), 2), tf.mul(x(), 2)]));
      same(
        createEncoder('uniform', { amp: 2, bias: 0.1 }).encode(x(), 9),
        uniformEncode(x(), 9, { amp: 2, bias: 0.1 }),
      );
    });
  });

  it("'spike_counts' / 'spike_rate': SPAIC's (Σ over popSize neurons + bias) · scale", () => {
    tf.tidy(() => {
      // [T = 2, B = 1, N = 4]: counts per neuron [2, 0, 1, 1]
      const s = tf.tensor3d([[[1, 0, 1, 0]], [[1, 0, 0, 1]]]);
      const counts = createDecoder('spike_counts', { popSize: 2, bias: 1, scale: 0.5 }).decode(s);
      expectClose(counts.value, [[(2 + 0 + 1) * 0.5, (1 + 1 + 1) * 0.5]]);
      expect(Array.from(counts.prediction.dataSync())).toEqual([0]); // tie to the lowest index
      expectClose(createDecoder('spike_counts').decode(s).value, [[2, 0, 1, 1]]);
      // rates per step [1, 0, 0.5, 0.5], summed per population
      expectClose(createDecoder('spike_rate', { popSize: 2 }).decode(s).value, [[1, 1]]);
      same(createDecoder('spike_rates').decode(s).value, decodeSpikeRate(s).value);
      expect(() => createDecoder('spike_counts', { popSize: 3 }).decode(s)).toThrow(
        "spike_counts.decode: 'spikes' must have a neuron count N that is a multiple of popSize (3), got shape [2, 1, 4]",
      );
      expect(() => createDecoder('spike_counts', { popSize: 2 }).decode(tf.zeros([2, 1, 2, 2]))).toThrow(
        EncodingShapeError,
      );
    });
  });

  it('the other decoders compute what their functions compute', () => {
    tf.tidy(() => {
      const v = tf.tensor3d([[[0.1, 0.9]], [[0.4, 0.2]], [[0.8, 0.3]]]);
      same(createDecoder('final_step_voltage').decode(v).value, decodeFinalVoltage(v).value);
      same(createDecoder('voltage_sum').decode(v).value, decodeVoltageSum(v).value);
      same(createDecoder('v_t').decode(v).value, decodeVoltageTrajectory(v).value);
      same(createDecoder('null').decode(v).value, v);
      same(createDecoder('time_softmax', { temperature: 0.5 }).decode(v).value, decodeTimeSoftmax(v, 0.5).value);
      const real = tf.tensor3d([[[1, 0]], [[0, 1]], [[1, 1]]]);
      const imag = tf.mul(real, 0.3);
      const target = tf.tensor3d([[[0, 1]], [[1, 0]], [[0, 0]]]);
      const viaName = createDecoder('complex_timing_distance', { dt: 0.5 }).decode({ spikes: { real, imag }, target });
      const direct = decodeComplexTimingDistance({ real, imag }, target, { dt: 0.5 });
      same(viaName.value, direct.value);
      same(viaName.rate, direct.rate);
      const traj = createDecoder('complex_trajectory', { num: 2, seed: 8, dt: 0.5 });
      same(
        traj.decode({ real, imag }).value,
        decodeComplexTrajectory(
          { real, imag },
          {
            tauD: (traj as unknown as { tauD: tf.Tensor }).tauD,
            tauR: (traj as unknown as { tauR: tf.Tensor }).tauR,
            weight: (traj as unknown as { weight: tf.Tensor }).weight,
            dt: 0.5,
          },
        ).value,
      );
      traj.dispose();
      expect(() => createDecoder('complex_timing_distance').decode({ spikes: { real, imag } } as never)).toThrow(
        "complex_timing_distance.decode: 'record' must be an object { spikes, target }, got an object (Object)",
      );
    });
  });

  it('generators are the package’s generator classes', () => {
    const made = [
      [createGenerator('poisson_generator', { rate: 100, shape: [1, 3], seed: 1 }), PoissonGenerator],
      [createGenerator('cc_generator', { amplitude: 2, shape: [2] }), ConstantCurrentGenerator],
      [createGenerator('constant_current', { amplitude: 2 }), ConstantCurrentGenerator],
      [createGenerator('sin_generator', { amplitude: 1, frequency: 10 }), SinusoidalCurrentGenerator],
      [createGenerator('SIN', { amplitude: 1, frequency: 10 }), SinusoidalCurrentGenerator],
      [createGenerator('ramp_generator', { slope: 1 }), RampCurrentGenerator],
      [createGenerator('ramp', { slope: 1, base: 2 }), RampCurrentGenerator],
    ] as const;
    for (const [gen, type] of made) {
      expect(gen).toBeInstanceOf(type);
      const out = gen.generate(3);
      expect(out.shape[0]).toBe(3);
      out.dispose();
      gen.dispose();
    }
    tf.tidy(() => {
      const gen = createGenerator('cc_generator', { amplitude: 2, shape: [2], stop: 2 });
      expect(gen.generate(3).arraySync()).toEqual([
        [2, 2],
        [2, 2],
        [0, 0],
      ]);
    });
  });

  it('bad options are refused when the object is made, by name, with nothing allocated', () => {
    const before = tf.memory().numTensors;
    const cases: [() => unknown, new (...args: never[]) => Error, string?][] = [
      [
        () => createEncoder('poisson', { sede: 1 } as never),
        EncodingOptionError,
        "createEncoder('poisson'): unknown option 'sede' (did you mean 'seed'?); known options: 'seed', 'rng'",
      ],
      [() => createEncoder('poisson', { seed: 1.5 }), EncodingValueError],
      [
        () => createEncoder('latency', { encFunction: 'cubic' as never }),
        EncodingValueError,
        "createEncoder('latency'): 'encFunction' must be one of 'linear', 'log', got 'cubic'",
      ],
      [() => createEncoder('relative_latency', { amp: 1 } as never), EncodingOptionError],
      [() => createEncoder('sstb', { dt: 0 }), EncodingValueError],
      [() => createEncoder('mstb', { dt: -1 }), EncodingValueError],
      [() => createEncoder('null', { batchFirst: 'no' as never }), EncodingValueError],
      [() => createEncoder('float', { amp: 2 } as never), EncodingOptionError],
      [
        () => createEncoder('uniform', { bias: 0 }),
        EncodingValueError,
        "createEncoder('uniform'): 'bias' must be a finite number > 0, got 0",
      ],
      [() => createEncoder('uniform', { max_time: 1 } as never), EncodingOptionError],
      [() => createGenerator('ramp', { slope: 1, end_time: 2 } as never), EncodingOptionError],
      [() => createDecoder('spike_counts', { popSize: 0 }), EncodingValueError],
      [() => createDecoder('spike_rate', { bias: Number.NaN }), EncodingValueError],
      [() => createDecoder('spike_counts', { pop_size: 2 } as never), EncodingOptionError],
      [() => createDecoder('first_spike', { x: 1 } as never), EncodingOptionError],
      [
        () => createDecoder('time_softmax', { temperature: 0 }),
        EncodingValueError,
        "createDecoder('time_softmax'): 'temperature' must be a finite number > 0, got 0",
      ],
      [
        () => createDecoder('complex_count', { maxSpikes: 0 }),
        EncodingValueError,
        "createDecoder('complex_count'): 'maxSpikes' must be an integer >= 1, got 0",
      ],
      [() => createDecoder('complex_phase', { dt: -1 }), EncodingValueError],
      [() => createDecoder('complex_latency', { tauCount: 0 }), EncodingValueError],
      [() => createDecoder('complex_timing_distance', { filter_time: 5 } as never), EncodingOptionError],
      [() => createDecoder('complex_trajectory', undefined as never), EncodingValueError],
      [() => createDecoder('complex_trajectory', { num: 4, groups: 3 }), EncodingValueError],
      [() => createDecoder('null', { y: 1 } as never), EncodingOptionError],
      [() => createGenerator('poisson_generator', { rate: -1 }), EncodingValueError],
      [() => createGenerator('sin', { amplitude: 1, frequency: 1, phse: 0 } as never), EncodingOptionError],
    ];
    for (const [call, type, message] of cases) {
      let thrown: unknown;
      try {
        call();
      } catch (e) {
        thrown = e;
      }
      expect(thrown, String(call)).toBeInstanceOf(type);
      if (message !== undefined) expect((thrown as Error).message).toBe(message);
      expect(tf.memory().numTensors, String(call)).toBe(before);
    }
  });

  it('the README example runs as written', () => {
    // the README's copy is the one run here: its lines are checked, then run below
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    const section = readme.slice(readme.indexOf('## Lookup by name'));
    const example = section.slice(section.indexOf('```ts'), section.indexOf('```', section.indexOf('```ts') + 5));
    for (const line of [
      'const x = tf.tensor2d([[0.2, 0.9, 0.5]]);',
      "const encoder = createEncoder('poisson', { seed: 42 });",
      'const spikes = encoder.encode(x, 50); // [50, 1, 3]',
      "const { value, prediction } = createDecoder('spike_counts').decode(spikes);",
      'prediction.print(); // [1]',
      "decoders.register('first_count', () => ({",
      'decode: (s: tf.Tensor) => ({ value: tf.slice(tf.sum(s, 0), [0, 0], [-1, 1]) }),',
      "createDecoder('first_count').decode(spikes).value.print();",
    ]) {
      expect(example).toContain(line);
    }
    tf.tidy(() => {
      const x = tf.tensor2d([[0.2, 0.9, 0.5]]);
      const encoder = createEncoder('poisson', { seed: 42 });
      const spikes = encoder.encode(x, 50); // [50, 1, 3]
      const { value, prediction } = createDecoder('spike_counts').decode(spikes);
      expect(value.shape).toEqual([1, 3]);
      expect(Array.from(prediction.dataSync())).toEqual([1]);
      decoders.register('first_count', () => ({
        name: 'first_count',
        decode: (s: tf.Tensor) => ({ value: tf.slice(tf.sum(s, 0), [0, 0], [-1, 1]) }),
        dispose: () => {},
      }));
      try {
        expect(createDecoder('first_count').decode(spikes).value.shape).toEqual([1, 1]);
      } finally {
        decoders.unregister('first_count');
      }
    });
  });
});

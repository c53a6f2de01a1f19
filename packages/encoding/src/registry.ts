/**
 * Lookup by name: typed registries of encoders, decoders and generators under SPAIC's short names
 * (`coding_method='poisson'`, `'spike_counts'`, `'poisson_generator'`), with `register` for your
 * own. Names are case-insensitive (SPAIC lower-cases them too). The README lists every SPAIC name
 * and what it maps to.
 */
import type { Tensor } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';
import { checkFinite, checkInteger, checkOneOf, checkOptions, checkPositive } from './checks.js';
import {
  type ComplexCountOptions,
  type ComplexLatencyOptions,
  type ComplexPhaseOptions,
  type ComplexSpikes,
  type ComplexTimingDistanceOptions,
  ComplexTrajectoryDecoder,
  type ComplexTrajectoryDecoderOptions,
  decodeComplexCount,
  decodeComplexLatency,
  decodeComplexPhase,
  decodeComplexTimingDistance,
  readCountOptions,
  readDistanceOptions,
  readLatencyOptions,
  readPhaseOptions,
  type TimingDistance,
  type TimingDistanceInput,
} from './complex-decoders.js';
import {
  checkSeq,
  type Decoded,
  type DecodedValue,
  decodeFinalVoltage,
  decodeFirstSpikePattern,
  decodeSpikeRate,
  decodeTimeSoftmax,
  decodeTimeSpikeCounts,
  decodeVoltageSum,
  decodeVoltageTrajectory,
  withPrediction,
} from './decoders.js';
import { EncodingNameError, EncodingShapeError, EncodingValueError } from './errors.js';
import {
  ConstantCurrentGenerator,
  type ConstantCurrentOptions,
  PoissonGenerator,
  type PoissonGeneratorOptions,
  RampCurrentGenerator,
  type RampCurrentOptions,
  SinusoidalCurrentGenerator,
  type SinusoidalCurrentOptions,
} from './generators.js';
import { type LatencyOptions, latencyEncode, relativeLatencyEncode } from './latency.js';
import {
  type FloatEncodeOptions,
  FloatEncoding,
  NullDecoder,
  type NullEncodeOptions,
  NullEncoder,
} from './passthrough.js';
import { RANDOM_OPTIONS, type RandomOptions, resolveRandom } from './random.js';
import { poissonEncode } from './rate.js';
import { multipleSpikeToBinary, type SpikeTimeOptions, singleSpikeToBinary } from './spike-times.js';
import { type UniformEncodeOptions, uniformEncode } from './uniform.js';

/** An encoder made by name: numbers (or spike times) in, a train `[T, B, ...]` out. */
export interface Encoder {
  /** The name it was made under. */
  readonly name: string;
  /**
   * Encodes `x` over `T` steps.
   * @returns `[T, B, ...]`, a new tensor the caller owns.
   */
  encode(x: Tensor, T: number): Tensor;
}

/** A decoder made by name: a record over time in, `{ value, ... }` out (tensors the caller owns). */
export interface Decoder<I = Tensor, O extends DecodedValue = DecodedValue> {
  /** The name it was made under. */
  readonly name: string;
  /** Decodes one record. */
  decode(record: I): O;
  /** Frees what the decoder keeps (parameters); a no-op for most. */
  dispose(): void;
}

/** A generator made by name: the stateful generators' interface (`Generator` and its subclasses). */
export interface StepGenerator {
  /** Time step in ms. */
  readonly dt: number;
  /** Shape of one step. */
  readonly shape: readonly number[];
  /** The time of the next step, in ms. */
  readonly time: number;
  /** The next step `[...shape]`. */
  step(): Tensor;
  /** The next `T` steps `[T, ...shape]`. */
  generate(T: number): Tensor;
  /** Back to t = 0. */
  reset(): void;
  /** Frees what the generator keeps. */
  dispose(): void;
}

/** Makes an `R` from its options (what `register` takes). */
export type Factory<R, O = never> = (options?: O) => R;

/** The options of `register`. */
export interface RegisterOptions {
  /** Replace a name that is already registered (a built-in one too; `unregister` brings it back). Default false. */
  readonly replace?: boolean;
}

/** The options of the population decoders `'spike_counts'` and `'spike_rate'` (SPAIC's keyword arguments). */
export interface PopulationDecodeOptions {
  /** Neurons per class, consecutive; each class sums its neurons' values (default 1). Must divide N. */
  readonly popSize?: number;
  /** Added to each class's value before scaling (default 0). */
  readonly bias?: number;
  /** Multiplies each class's value (default 1). */
  readonly scale?: number;
}

/** The options of the `'time_softmax'` decoder. */
export interface TimeSoftmaxOptions {
  /** Softmax temperature > 0 (default 1). */
  readonly temperature?: number;
}

/** The options of the `'complex_trajectory'` decoder: SPAIC's `num` (neurons) and the decoder's options. */
export interface ComplexTrajectoryFactoryOptions extends ComplexTrajectoryDecoderOptions {
  /** Neurons `N` of the records it will decode. */
  readonly num: number;
}

/** Options of a factory that takes none. */
export type NoOptions = Record<string, never>;

/**
 * A registry of factories by name. `get(name)` gives the factory, `create(name, options)` calls it,
 * `register(name, factory)` adds one. Built-in names are typed: `create('poisson', { seed: 1 })`
 * checks the options against `poisson`'s and returns its type. An unknown name is an
 * {@link EncodingNameError} that lists the known names (and suggests the closest).
 */
export class Registry<R, M extends { readonly [K in keyof M]: (options: never) => R }> {
  private readonly table = new Map<string, Factory<R, object>>();
  private readonly builtins: ReadonlyMap<string, Factory<R, object>>;

  /**
   * @param kind - What it holds, singular (`'encoder'`): for messages.
   * @param builtins - The built-in factories by name.
   */
  constructor(
    readonly kind: string,
    builtins: M,
  ) {
    this.builtins = new Map(Object.entries(builtins) as [string, Factory<R, object>][]);
    for (const [name, factory] of this.builtins) this.table.set(name, factory);
  }

  /** The registered names, sorted. */
  names(): string[] {
    return [...this.table.keys()].sort();
  }

  /** Whether `name` (any case) is registered. */
  has(name: string): boolean {
    return typeof name === 'string' && this.table.has(name.toLowerCase());
  }

  /**
   * The factory registered under `name` (any case).
   * @throws EncodingNameError for an unknown name; EncodingValueError when `name` is not a string.
   */
  get<K extends keyof M & string>(name: K): M[K];
  get<N extends string>(name: N extends keyof M ? never : N): Factory<R, object>;
  get(name: string): M[keyof M] | Factory<R, object> {
    return this.lookup(`${this.kind}s.get`, name);
  }

  /**
   * Makes a new `R`: the factory registered under `name`, called with `options`.
   * @throws EncodingNameError for an unknown name; whatever the factory throws for bad options.
   */
  create<K extends keyof M & string>(name: K, ...options: Parameters<M[K]>): ReturnType<M[K]>;
  create<N extends string>(name: N extends keyof M ? never : N, options?: object): R;
  create(name: string, options?: unknown): R {
    return this.make(`${this.kind}s.create`, name, options);
  }

  /**
   * Adds `factory` under `name` (stored lower-case).
   * @param options - `replace` (default false): replace a name that is already registered.
   * @throws EncodingValueError when `name` is not a non-empty string, `factory` is not a function,
   * or the name is taken and `replace` is not true.
   */
  register(name: string, factory: (options: never) => R, options?: RegisterOptions): void {
    const fn = `${this.kind}s.register`;
    const o = checkOptions(fn, options, ['replace']);
    if (o.replace !== undefined && typeof o.replace !== 'boolean') {
      throw new EncodingValueError(fn, 'replace', 'a boolean', o.replace);
    }
    if (typeof name !== 'string' || name.trim() === '') {
      throw new EncodingValueError(fn, 'name', 'a non-empty string', name);
    }
    if (typeof factory !== 'function') throw new EncodingValueError(fn, 'factory', 'a function', factory);
    const key = name.toLowerCase();
    if (this.table.has(key) && o.replace !== true) {
      throw new EncodingValueError(
        fn,
        'name',
        `a name not yet registered (pass { replace: true } to replace '${key}')`,
        name,
      );
    }
    this.table.set(key, factory as Factory<R, object>);
  }

  /**
   * Removes a name added with `register`; a replaced built-in name gets its built-in factory back.
   * @throws EncodingNameError for an unknown name; EncodingValueError for a built-in name that was not replaced.
   */
  unregister(name: string): void {
    const fn = `${this.kind}s.unregister`;
    const key = this.key(fn, name);
    const builtin = this.builtins.get(key);
    if (builtin === undefined) {
      this.table.delete(key);
    } else if (this.table.get(key) !== builtin) {
      this.table.set(key, builtin);
    } else {
      throw new EncodingValueError(fn, 'name', 'a name added with register() (built-in names stay)', name);
    }
  }

  /** Looks `name` up and calls its factory; `fn` names the caller in errors. */
  make(fn: string, name: string, options?: unknown): R {
    return this.lookup(fn, name)(options as object | undefined);
  }

  private key(fn: string, name: string): string {
    if (typeof name !== 'string')
      throw new EncodingValueError(fn, 'name', `a string (a name in ${this.kind}s.names())`, name);
    const key = name.toLowerCase();
    if (!this.table.has(key)) throw new EncodingNameError(fn, this.kind, name, this.names());
    return key;
  }

  private lookup(fn: string, name: string): Factory<R, object> {
    return this.table.get(this.key(fn, name)) as Factory<R, object>;
  }
}

// ---------------------------------------------------------------------------------------------
// Encoders

/** An {@link Encoder} from a name and an encode function. */
function encoder(name: string, encode: (x: Tensor, T: number) => Tensor): Encoder {
  return { name, encode };
}

/** Poisson encoders keep one stream: a `seed` starts it once, and every `encode` moves it on. */
function poissonFactory(name: string): (options?: RandomOptions) => Encoder {
  return (options) => {
    const fn = `createEncoder('${name}')`;
    const o = checkOptions(fn, options, RANDOM_OPTIONS);
    const rng = resolveRandom(fn, o);
    return encoder(name, (x, T) => poissonEncode(x, T, { rng }));
  };
}

/** The built-in encoders, by SPAIC's names. */
export interface EncoderFactories {
  /** `poissonEncode` (SPAIC's `PoissonEncoding`): P(spike) = x per step; `{ seed, rng }`. */
  readonly poisson: (options?: RandomOptions) => Encoder;
  /** `bernoulliEncode` (SPAIC's `bernoulli`): the same draws as `'poisson'`; `{ seed, rng }`. */
  readonly bernoulli: (options?: RandomOptions) => Encoder;
  /** `latencyEncode` (SPAIC's `Latency`): one spike, stronger earlier; `{ encFunction }`. */
  readonly latency: (options?: LatencyOptions) => Encoder;
  /** `relativeLatencyEncode` (SPAIC's `Relative_Latency`): latency within each sample's range. */
  readonly relative_latency: (options?: NoOptions) => Encoder;
  /** `singleSpikeToBinary` (SPAIC's `SigleSpikeToBinary`): one spike time per neuron → train; `{ dt }`. */
  readonly sstb: (options?: SpikeTimeOptions) => Encoder;
  /** `multipleSpikeToBinary` (SPAIC's `MultipleSpikeToBinary`): several spike times per neuron → train; `{ dt }`. */
  readonly mstb: (options?: SpikeTimeOptions) => Encoder;
  /** {@link NullEncoder}: the data is already encoded; `{ batchFirst }`. */
  readonly null: (options?: NullEncodeOptions) => Encoder;
  /** {@link FloatEncoding}: the source at every step; `{ amplitude }`. */
  readonly float: (options?: FloatEncodeOptions) => Encoder;
  /** {@link FloatEncoding} (SPAIC's `Constant_Current` encoder: `amp · x` at every step); `{ amplitude }`. */
  readonly constant_current: (options?: FloatEncodeOptions) => Encoder;
  /** `uniformEncode` (SPAIC's `UniformEncoding`): regular firing, stronger more often; `{ dt, maxTime, amp, bias }`. */
  readonly uniform: (options?: UniformEncodeOptions) => Encoder;
}

const ENCODERS: EncoderFactories = {
  poisson: poissonFactory('poisson'),
  bernoulli: poissonFactory('bernoulli'),
  latency: (options) => {
    const fn = "createEncoder('latency')";
    const o = checkOptions(fn, options, ['encFunction']);
    checkOneOf(fn, 'encFunction', o.encFunction ?? 'linear', ['linear', 'log']);
    return encoder('latency', (x, T) => latencyEncode(x, T, o));
  },
  relative_latency: (options) => {
    checkOptions("createEncoder('relative_latency')", options, []);
    return encoder('relative_latency', relativeLatencyEncode);
  },
  sstb: (options) => {
    const fn = "createEncoder('sstb')";
    const o = checkOptions(fn, options, ['dt']);
    checkPositive(fn, 'dt', o.dt ?? 1);
    return encoder('sstb', (t, T) => singleSpikeToBinary(t, T, o));
  },
  mstb: (options) => {
    const fn = "createEncoder('mstb')";
    const o = checkOptions(fn, options, ['dt']);
    checkPositive(fn, 'dt', o.dt ?? 1);
    return encoder('mstb', (t, T) => multipleSpikeToBinary(t, T, o));
  },
  null: (options) => new NullEncoder(options),
  float: (options) => new FloatEncoding(options),
  constant_current: (options) => {
    const enc = new FloatEncoding(options);
    return encoder('constant_current', (x, T) => enc.encode(x, T));
  },
  uniform: (options) => {
    const fn = "createEncoder('uniform')";
    const o = checkOptions(fn, options, ['dt', 'maxTime', 'amp', 'bias']);
    for (const key of ['dt', 'maxTime', 'amp', 'bias'] as const) {
      if (o[key] !== undefined) checkPositive(fn, key, o[key]);
    }
    return encoder('uniform', (x, T) => uniformEncode(x, T, o));
  },
};

/** The encoders by name (SPAIC's `Encoder` registry). */
export const encoders: Registry<Encoder, EncoderFactories> = new Registry('encoder', ENCODERS);

/**
 * Makes the encoder registered under `name` (any case), e.g. SPAIC's `coding_method='poisson'`.
 * @param name - A name from `encoders.names()`.
 * @param options - The encoder's options.
 * @throws EncodingNameError for an unknown name (the message lists the known ones); EncodingValueError for bad options.
 * @example
 * ```ts
 * const enc = createEncoder('poisson', { seed: 1 });
 * const spikes = enc.encode(x, 100);   // [100, ...x.shape]
 * ```
 */
export function createEncoder<K extends keyof EncoderFactories>(
  name: K,
  ...options: Parameters<EncoderFactories[K]>
): ReturnType<EncoderFactories[K]>;
export function createEncoder<N extends string>(
  name: N extends keyof EncoderFactories ? never : N,
  options?: object,
): Encoder;
export function createEncoder(name: string, options?: unknown): Encoder {
  return encoders.make('createEncoder', name, options);
}

// ---------------------------------------------------------------------------------------------
// Decoders

/** A stateless {@link Decoder} from a name and a decode function. */
function decoder<I, O extends DecodedValue>(name: string, decode: (record: I) => O): Decoder<I, O> {
  return { name, decode, dispose: () => {} };
}

/** A decoder that takes no options. */
function plain<O extends DecodedValue>(
  name: string,
  decode: (record: Tensor) => O,
): (options?: NoOptions) => Decoder<Tensor, O> {
  return (options) => {
    checkOptions(`createDecoder('${name}')`, options, []);
    return decoder(name, decode);
  };
}

/**
 * SPAIC's `Spike_Counts` / `Spike_Rate`: per neuron the count (or the mean per step) over time,
 * summed over groups of `popSize` consecutive neurons, then `(value + bias) · scale`.
 */
function populationFactory(
  name: string,
  perStep: boolean,
): (options?: PopulationDecodeOptions) => Decoder<Tensor, Decoded> {
  return (options) => {
    const fn = `createDecoder('${name}')`;
    const o = checkOptions(fn, options, ['popSize', 'bias', 'scale']);
    const popSize = checkInteger(fn, 'popSize', o.popSize ?? 1, 1);
    const bias = checkFinite(fn, 'bias', o.bias ?? 0);
    const scale = checkFinite(fn, 'scale', o.scale ?? 1);
    return decoder(name, (spikes: Tensor) => {
      const dfn = `${name}.decode`;
      checkSeq(dfn, 'spikes', spikes);
      if (popSize > 1) {
        if (spikes.rank !== 3)
          throw new EncodingShapeError(dfn, 'spikes', 'rank 3 ([T, B, N]) when popSize > 1', spikes.shape);
        if ((spikes.shape[2] as number) % popSize !== 0) {
          throw new EncodingShapeError(
            dfn,
            'spikes',
            `a neuron count N that is a multiple of popSize (${popSize})`,
            spikes.shape,
          );
        }
      }
      return withPrediction(
        tf.tidy(() => {
          const s = tf.cast(spikes, 'float32');
          let value = perStep ? tf.mean(s, 0) : tf.sum(s, 0);
          if (popSize > 1) {
            const [B, N] = value.shape as [number, number];
            value = tf.sum(tf.reshape(value, [B, N / popSize, popSize]), 2);
          }
          return tf.mul(tf.add(value, bias), scale);
        }),
      );
    });
  };
}

/** The built-in decoders, by SPAIC's names. */
export interface DecoderFactories {
  /** SPAIC's `Spike_Counts`: spike counts per neuron (summed per population), `(+ bias) · scale`. */
  readonly spike_counts: (options?: PopulationDecodeOptions) => Decoder<Tensor, Decoded>;
  /** SPAIC's `Spike_Rate`: spikes per step per neuron (summed per population), `(+ bias) · scale`. */
  readonly spike_rate: (options?: PopulationDecodeOptions) => Decoder<Tensor, Decoded>;
  /** `decodeSpikeRate` (SPAIC's `Spike_Rates`: counts / T). */
  readonly spike_rates: (options?: NoOptions) => Decoder<Tensor, Decoded>;
  /** `decodeFinalVoltage` (SPAIC's `Final_Step_Voltage`). */
  readonly final_step_voltage: (options?: NoOptions) => Decoder<Tensor, Decoded>;
  /** `decodeFirstSpikePattern` (SPAIC's `First_Spike`). */
  readonly first_spike: (options?: NoOptions) => Decoder<Tensor, Decoded>;
  /** `decodeTimeSpikeCounts` (SPAIC's `TimeSpike_Counts`). */
  readonly time_spike_counts: (options?: NoOptions) => Decoder<Tensor, Decoded>;
  /** {@link NullDecoder} (SPAIC's `NullDeocder`). */
  readonly null: (options?: NoOptions) => Decoder<Tensor, DecodedValue>;
  /** `decodeVoltageTrajectory` (SPAIC's `V_Trajectory`; batch first here). */
  readonly v_t: (options?: NoOptions) => Decoder<Tensor, DecodedValue>;
  /** `decodeTimeSoftmax` (not SPAIC's `Time_Softmax` formula: see the README); `{ temperature }`. */
  readonly time_softmax: (options?: TimeSoftmaxOptions) => Decoder<Tensor, Decoded>;
  /** `decodeVoltageSum` (SPAIC's `Voltage_Sum`: see the README). */
  readonly voltage_sum: (options?: NoOptions) => Decoder<Tensor, Decoded>;
  /** `decodeComplexCount`; `{ maxSpikes }`. */
  readonly complex_count: (options?: ComplexCountOptions) => Decoder<ComplexSpikes, Decoded>;
  /** `decodeComplexPhase`; `{ dt }`. */
  readonly complex_phase: (options?: ComplexPhaseOptions) => Decoder<ComplexSpikes, Decoded>;
  /** `decodeComplexLatency`; `{ tauCount }`. */
  readonly complex_latency: (options?: ComplexLatencyOptions) => Decoder<ComplexSpikes, Decoded>;
  /** `decodeComplexTimingDistance` on `{ spikes, target }`; `{ dt, filterTime }`. */
  readonly complex_timing_distance: (
    options?: ComplexTimingDistanceOptions,
  ) => Decoder<TimingDistanceInput, TimingDistance>;
  /** {@link ComplexTrajectoryDecoder}; `{ num, tauD, tauR, weight, groups, dt, seed, rng }` (`num` required). */
  readonly complex_trajectory: (options: ComplexTrajectoryFactoryOptions) => Decoder<ComplexSpikes, DecodedValue>;
}

/**
 * A decoder with options: `read` checks them (names and values) when the decoder is made, with
 * `createDecoder('<name>')` in the message, and `decode` gets the checked options.
 */
function withOptions<O extends object, I, R extends DecodedValue>(
  name: string,
  read: (fn: string, options: O | undefined) => O,
  decode: (record: I, options: O) => R,
): (options?: O) => Decoder<I, R> {
  return (options) => {
    const o = read(`createDecoder('${name}')`, options);
    return decoder(name, (record: I) => decode(record, o));
  };
}

const DECODERS: DecoderFactories = {
  spike_counts: populationFactory('spike_counts', false),
  spike_rate: populationFactory('spike_rate', true),
  spike_rates: plain('spike_rates', decodeSpikeRate),
  final_step_voltage: plain('final_step_voltage', decodeFinalVoltage),
  first_spike: plain('first_spike', decodeFirstSpikePattern),
  time_spike_counts: plain('time_spike_counts', decodeTimeSpikeCounts),
  null: (options) => {
    checkOptions("createDecoder('null')", options, []);
    return new NullDecoder();
  },
  v_t: plain('v_t', decodeVoltageTrajectory),
  time_softmax: withOptions<TimeSoftmaxOptions, Tensor, Decoded>(
    'time_softmax',
    (fn, options) => {
      const o = checkOptions(fn, options, ['temperature']);
      return { temperature: checkPositive(fn, 'temperature', o.temperature ?? 1) };
    },
    (s, o) => decodeTimeSoftmax(s, o.temperature),
  ),
  voltage_sum: plain('voltage_sum', decodeVoltageSum),
  complex_count: withOptions<ComplexCountOptions, ComplexSpikes, Decoded>(
    'complex_count',
    readCountOptions,
    decodeComplexCount,
  ),
  complex_phase: withOptions<ComplexPhaseOptions, ComplexSpikes, Decoded>(
    'complex_phase',
    readPhaseOptions,
    decodeComplexPhase,
  ),
  complex_latency: withOptions<ComplexLatencyOptions, ComplexSpikes, Decoded>(
    'complex_latency',
    readLatencyOptions,
    decodeComplexLatency,
  ),
  complex_timing_distance: withOptions<ComplexTimingDistanceOptions, TimingDistanceInput, TimingDistance>(
    'complex_timing_distance',
    readDistanceOptions,
    (input, o) => {
      const i = input as Partial<TimingDistanceInput> | null;
      if (i === null || typeof i !== 'object' || !('spikes' in i) || !('target' in i)) {
        throw new EncodingValueError('complex_timing_distance.decode', 'record', 'an object { spikes, target }', input);
      }
      return decodeComplexTimingDistance(i.spikes as ComplexSpikes, i.target as Tensor, o);
    },
  ),
  complex_trajectory: (options) => {
    const fn = "createDecoder('complex_trajectory')";
    const o = checkOptions(fn, options, ['num', 'tauD', 'tauR', 'weight', 'groups', 'dt', ...RANDOM_OPTIONS], true);
    const { num, ...rest } = o;
    return new ComplexTrajectoryDecoder(num, rest);
  },
};

/** The decoders by name (SPAIC's `Decoder` registry). */
export const decoders: Registry<Decoder<unknown, DecodedValue>, DecoderFactories> = new Registry('decoder', DECODERS);

/**
 * Makes the decoder registered under `name` (any case), e.g. SPAIC's `coding_method='spike_counts'`.
 * @param name - A name from `decoders.names()`.
 * @param options - The decoder's options.
 * @throws EncodingNameError for an unknown name (the message lists the known ones); EncodingValueError for bad options.
 * @example
 * ```ts
 * const dec = createDecoder('spike_counts', { popSize: 10 });
 * const { value, prediction } = dec.decode(outSpikes);   // [T, B, 100] → 10 classes
 * ```
 */
export function createDecoder<K extends keyof DecoderFactories>(
  name: K,
  ...options: Parameters<DecoderFactories[K]>
): ReturnType<DecoderFactories[K]>;
export function createDecoder<N extends string>(
  name: N extends keyof DecoderFactories ? never : N,
  options?: object,
): Decoder<unknown, DecodedValue>;
export function createDecoder(name: string, options?: unknown): Decoder<unknown, DecodedValue> {
  return decoders.make('createDecoder', name, options);
}

// ---------------------------------------------------------------------------------------------
// Generators

/** The built-in generators, by SPAIC's names (rates in Hz, time in ms). */
export interface GeneratorFactories {
  /** {@link PoissonGenerator} (SPAIC's `Poisson_Generator`). */
  readonly poisson_generator: (options: PoissonGeneratorOptions) => PoissonGenerator;
  /** {@link ConstantCurrentGenerator} (SPAIC's `CC_Generator`). */
  readonly cc_generator: (options: ConstantCurrentOptions) => ConstantCurrentGenerator;
  /** {@link ConstantCurrentGenerator} (SPAIC's second name for `CC_Generator`). */
  readonly constant_current: (options: ConstantCurrentOptions) => ConstantCurrentGenerator;
  /** {@link SinusoidalCurrentGenerator} (SPAIC's `Sin_Generator`). */
  readonly sin_generator: (options: SinusoidalCurrentOptions) => SinusoidalCurrentGenerator;
  /** {@link SinusoidalCurrentGenerator} (SPAIC's second name for `Sin_Generator`). */
  readonly sin: (options: SinusoidalCurrentOptions) => SinusoidalCurrentGenerator;
  /** {@link RampCurrentGenerator} (SPAIC's `Ramp_Generator`). */
  readonly ramp_generator: (options: RampCurrentOptions) => RampCurrentGenerator;
  /** {@link RampCurrentGenerator} (SPAIC's second name for `Ramp_Generator`). */
  readonly ramp: (options: RampCurrentOptions) => RampCurrentGenerator;
}

const GENERATORS: GeneratorFactories = {
  poisson_generator: (options) => new PoissonGenerator(options),
  cc_generator: (options) => new ConstantCurrentGenerator(options),
  constant_current: (options) => new ConstantCurrentGenerator(options),
  sin_generator: (options) => new SinusoidalCurrentGenerator(options),
  sin: (options) => new SinusoidalCurrentGenerator(options),
  ramp_generator: (options) => new RampCurrentGenerator(options),
  ramp: (options) => new RampCurrentGenerator(options),
};

/** The generators by name (SPAIC's `Generator` registry). */
export const generators: Registry<StepGenerator, GeneratorFactories> = new Registry('generator', GENERATORS);

/**
 * Makes the generator registered under `name` (any case), e.g. SPAIC's `'poisson_generator'`.
 * @param name - A name from `generators.names()`.
 * @param options - The generator's options (required by the built-in ones).
 * @throws EncodingNameError for an unknown name (the message lists the known ones); EncodingValueError for bad options.
 * @example
 * ```ts
 * const gen = createGenerator('poisson_generator', { rate: 20, shape: [1, 50], seed: 2 });
 * const spikes = gen.generate(100);   // [100, 1, 50]
 * gen.dispose();
 * ```
 */
export function createGenerator<K extends keyof GeneratorFactories>(
  name: K,
  ...options: Parameters<GeneratorFactories[K]>
): ReturnType<GeneratorFactories[K]>;
export function createGenerator<N extends string>(
  name: N extends keyof GeneratorFactories ? never : N,
  options?: object,
): StepGenerator;
export function createGenerator(name: string, options?: unknown): StepGenerator {
  return generators.make('createGenerator', name, options);
}

/**
 * Generators: input spike trains and currents over time in physical units (time in ms, rates and
 * frequencies in Hz). Each has a functional form that returns the whole `[T, ...shape]` sequence
 * and a stateful class whose `step()` returns the next `[...shape]` step and `reset()` restarts
 * at t = 0.
 */
import type { Tensor } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';
import {
  checkAllFinite,
  checkFinite,
  checkInteger,
  checkNonNegative,
  checkOptions,
  checkPositive,
  checkRange,
  checkTensor,
} from './checks.js';
import { EncodingValueError } from './errors.js';
import { drawUniform, RANDOM_OPTIONS, type RandomOptions, type RandomSource, resolveRandom } from './random.js';

/** A value for every element (a number) or per element (a tensor, whose shape is the output's). */
export type Amount = number | Tensor;

/** Options every generator shares. */
export interface GeneratorOptions {
  /** Time step in ms (default 1). */
  readonly dt?: number;
  /** Shape of one step when the amount is a number (default `[1]`); a tensor amount gives its own. */
  readonly shape?: readonly number[];
}

/** Options of the functional generators: how long. */
export interface DurationOptions {
  /** Length in ms; the sequence has `T = round(duration / dt)` steps (at least 1). */
  readonly duration: number;
}

/**
 * Options of {@link PoissonGenerator} and {@link poissonSpikeTrain}; the randomness comes from
 * `seed` (a fresh stream) or `rng` (a shared source), at most one.
 */
export interface PoissonGeneratorOptions extends GeneratorOptions, RandomOptions {
  /** Firing rate in Hz, >= 0 and <= 1000 / dt: one for all, or a tensor per neuron. */
  readonly rate: Amount;
}

/** Options of {@link ConstantCurrentGenerator} and {@link constantCurrent}. */
export interface ConstantCurrentOptions extends GeneratorOptions {
  /** The current while on: one for all, or a tensor per neuron. */
  readonly amplitude: Amount;
  /** Time (ms) the current switches on (default 0). */
  readonly start?: number;
  /** Time (ms) the current switches off (default Infinity: never). */
  readonly stop?: number;
}

/** Options of {@link SinusoidalCurrentGenerator} and {@link sinusoidalCurrent}. */
export interface SinusoidalCurrentOptions extends GeneratorOptions {
  /** Amplitude `A`: one for all, or a tensor per neuron. */
  readonly amplitude: Amount;
  /** Frequency `f` in Hz, >= 0. */
  readonly frequency: number;
  /** Phase `φ` in radians (default 0). */
  readonly phase?: number;
  /** Offset `c` added to the sine (default 0). */
  readonly offset?: number;
}

/** Options of {@link RampCurrentGenerator} and {@link rampCurrent}. */
export interface RampCurrentOptions extends GeneratorOptions {
  /** The slope per ms: one for all, or a tensor per neuron. */
  readonly slope: Amount;
  /** The value at t = 0 (default 0). */
  readonly base?: number;
  /** Time (ms) the ramp switches on (default 0); before it the current is 0. */
  readonly start?: number;
  /** Time (ms) the ramp switches off (default Infinity: never); from it on the current is 0. */
  readonly stop?: number;
}

/** A generator's amount, resolved: internal to the generators, exported for their declarations. */
export interface ResolvedAmount {
  /** Time step in ms. */
  readonly dt: number;
  /** Shape of one step. */
  readonly shape: number[];
  /** The amount as a float32 tensor, when it was given as one. */
  readonly tensor: Tensor | undefined;
  /** The amount, when it was given as a number (else 0). */
  readonly scalar: number;
}

const GENERATOR_OPTIONS = ['dt', 'shape'] as const;
const POISSON_OPTIONS = ['rate', ...GENERATOR_OPTIONS, ...RANDOM_OPTIONS];
const CONSTANT_OPTIONS = ['amplitude', 'start', 'stop', ...GENERATOR_OPTIONS];
const SINE_OPTIONS = ['amplitude', 'frequency', 'phase', 'offset', ...GENERATOR_OPTIONS];
const RAMP_OPTIONS = ['slope', 'base', 'start', 'stop', ...GENERATOR_OPTIONS];

function resolve(fn: string, arg: string, amount: Amount, options: GeneratorOptions): ResolvedAmount {
  const dt = checkPositive(fn, 'dt', options.dt ?? 1);
  if (typeof amount === 'number') {
    checkFinite(fn, arg, amount);
    const shape = options.shape ?? [1];
    if (!Array.isArray(shape) || shape.some((d) => !Number.isInteger(d) || d < 0)) {
      throw new EncodingValueError(fn, 'shape', 'an array of integers >= 0', shape);
    }
    return { dt, shape: [...shape], tensor: undefined, scalar: amount };
  }
  checkTensor(fn, arg, amount);
  return { dt, shape: [...amount.shape], tensor: amount, scalar: 0 };
}

function stepsOf(fn: string, duration: number, dt: number): number {
  checkPositive(fn, 'duration', duration);
  const T = Math.round(duration / dt);
  if (T < 1) throw new EncodingValueError(fn, 'duration', `at least half a time step (dt = ${dt} ms)`, duration);
  return T;
}

/** The rate as a per-step probability `p = rate · dt / 1000`, checked to lie in [0, 1]. */
function checkRate(fn: string, rate: Amount, dt: number): void {
  const maxRate = 1000 / dt;
  if (typeof rate === 'number') {
    if (!(rate >= 0 && rate <= maxRate)) throw new EncodingValueError(fn, 'rate', `a rate in [0, ${maxRate}] Hz`, rate);
  } else {
    checkRange(fn, 'rate', rate, 0, maxRate, `a rate in [0, ${maxRate}] Hz (at most one spike per step)`);
  }
}

/** `[T, ...shape]` Bernoulli spikes with `p = rate · dt / 1000`, draws time-major. */
function poissonSteps(fn: string, r: ResolvedAmount, T: number, source: RandomSource): Tensor {
  const n = r.shape.reduce((a, b) => a * b, 1);
  const u = drawUniform(fn, source, T * n);
  return tf.tidy(() => {
    const p =
      r.tensor === undefined ? tf.scalar(r.scalar * (r.dt / 1000)) : tf.mul(tf.cast(r.tensor, 'float32'), r.dt / 1000);
    return tf.cast(tf.less(tf.tensor(u, [T, ...r.shape], 'float32'), p), 'float32');
  });
}

/**
 * Poisson spike train of `duration` ms: at each step of `dt` ms a neuron with rate `r` Hz
 * spikes with probability `r · dt / 1000`, independently (the mean rate is exactly `r`).
 *
 * @param options - `rate` (Hz), `duration` (ms), `dt` (ms, default 1), `shape` (default `[1]`),
 *   `seed` or `rng`.
 * @returns Spikes `[T, ...shape]`, float32 0/1, `T = round(duration / dt)`.
 * @throws EncodingValueError for a negative or too high rate (`> 1000 / dt`), a bad `dt` or
 * `duration`, both `seed` and `rng`, or an unknown option name (EncodingOptionError).
 * @example
 * ```ts
 * const s = poissonSpikeTrain({ rate: 50, duration: 1000, dt: 1, shape: [1, 100], seed: 3 });
 * tf.mean(tf.sum(s, 0)).print();   // about 50 spikes per neuron
 * ```
 */
export function poissonSpikeTrain(options: PoissonGeneratorOptions & DurationOptions): Tensor {
  const fn = 'poissonSpikeTrain';
  checkOptions(fn, options, [...POISSON_OPTIONS, 'duration'], true);
  const r = resolve(fn, 'rate', options.rate, options);
  const T = stepsOf(fn, options.duration, r.dt);
  checkRate(fn, options.rate, r.dt);
  return poissonSteps(fn, r, T, resolveRandom(fn, options));
}

/** `[T, ...shape]` of `I(t) = A` for `start <= t < stop`, else 0. */
function constantSteps(r: ResolvedAmount, first: number, T: number, start: number, stop: number): Tensor {
  return tf.tidy(() => {
    const on = Array.from({ length: T }, (_, k) => {
      const t = (first + k) * r.dt;
      return +(t >= start && t < stop);
    });
    const gate = tf.tensor(on, [T, ...r.shape.map(() => 1)], 'float32');
    const a = r.tensor === undefined ? tf.fill(r.shape, r.scalar, 'float32') : tf.cast(r.tensor, 'float32');
    return tf.mul(gate, tf.expandDims(a, 0));
  });
}

/**
 * `[T, ...shape]` of `I(t) = c + A · sin(2π f t / 1000 + φ)`. The sines are taken in double
 * precision in JavaScript, so long runs keep their phase and every backend gets the same numbers.
 */
function sineSteps(r: ResolvedAmount, first: number, T: number, f: number, phase: number, offset: number): Tensor {
  const omega = (2 * Math.PI * f) / 1000;
  const sines = Float32Array.from({ length: T }, (_, k) => Math.sin(omega * ((first + k) * r.dt) + phase));
  return tf.tidy(() => {
    const wave = tf.tensor(sines, [T, ...r.shape.map(() => 1)], 'float32');
    const a = r.tensor === undefined ? tf.fill(r.shape, r.scalar, 'float32') : tf.cast(r.tensor, 'float32');
    return tf.add(tf.mul(wave, tf.expandDims(a, 0)), offset);
  });
}

/** `[T, ...shape]` of `I(t) = base + slope · t` for `start <= t < stop`, else 0, `t = k · dt`. */
function rampSteps(r: ResolvedAmount, first: number, T: number, base: number, start: number, stop: number): Tensor {
  const times = Float32Array.from({ length: T }, (_, k) => (first + k) * r.dt);
  const on = Float32Array.from(times, (t) => +(t >= start && t < stop));
  return tf.tidy(() => {
    const axes = r.shape.map(() => 1);
    const t = tf.tensor(times, [T, ...axes], 'float32');
    const slope = r.tensor === undefined ? tf.fill(r.shape, r.scalar, 'float32') : tf.cast(r.tensor, 'float32');
    const ramp = tf.add(tf.mul(t, tf.expandDims(slope, 0)), base);
    return tf.mul(ramp, tf.tensor(on, [T, ...axes], 'float32'));
  });
}

function readWindow(fn: string, options: { start?: number; stop?: number }): { start: number; stop: number } {
  const start = checkNonNegative(fn, 'start', options.start ?? 0);
  const stop = options.stop ?? Number.POSITIVE_INFINITY;
  if (!(stop > start)) throw new EncodingValueError(fn, 'stop', `a time > start (${start} ms)`, stop);
  return { start, stop };
}

function readSine(fn: string, options: SinusoidalCurrentOptions): { f: number; phase: number; offset: number } {
  return {
    f: checkNonNegative(fn, 'frequency', options.frequency),
    phase: checkFinite(fn, 'phase', options.phase ?? 0),
    offset: checkFinite(fn, 'offset', options.offset ?? 0),
  };
}

/**
 * Constant (step) current of `duration` ms: `I(t) = A` for `start <= t < stop`, else 0, at the
 * times `t = k · dt`, `k = 0 .. T−1`.
 * @param options - `amplitude`, `duration` (ms), `dt` (ms, default 1), `shape`, `start` (default 0), `stop` (default ∞).
 * @returns Currents `[T, ...shape]`, float32, `T = round(duration / dt)`.
 * @throws EncodingValueError for a non-finite amplitude, a bad `dt`, `duration` or window;
 * EncodingOptionError for an unknown option name.
 * @example
 * ```ts
 * const i = constantCurrent({ amplitude: 1.5, duration: 100, shape: [1, 10], start: 20 });
 * // [100, 1, 10]: 0 for t < 20 ms, 1.5 after
 * ```
 */
export function constantCurrent(options: ConstantCurrentOptions & DurationOptions): Tensor {
  const fn = 'constantCurrent';
  checkOptions(fn, options, [...CONSTANT_OPTIONS, 'duration'], true);
  const r = resolve(fn, 'amplitude', options.amplitude, options);
  const T = stepsOf(fn, options.duration, r.dt);
  const { start, stop } = readWindow(fn, options);
  return constantSteps(r, 0, T, start, stop);
}

/**
 * Sinusoidal current of `duration` ms: `I(t) = c + A · sin(2π · f · t / 1000 + φ)` with `t = k · dt`
 * in ms and `f` in Hz.
 * @param options - `amplitude`, `frequency` (Hz), `phase` (rad, default 0), `offset` (default 0), `duration` (ms), `dt` (ms, default 1), `shape`.
 * @returns Currents `[T, ...shape]`, float32, `T = round(duration / dt)`.
 * @throws EncodingValueError for a negative frequency, a non-finite parameter, a bad `dt` or
 * `duration`; EncodingOptionError for an unknown option name.
 * @example
 * ```ts
 * const i = sinusoidalCurrent({ amplitude: 1, frequency: 10, offset: 1, duration: 200, shape: [1, 4] });
 * // [200, 1, 4]: two periods of 100 ms between 0 and 2
 * ```
 */
export function sinusoidalCurrent(options: SinusoidalCurrentOptions & DurationOptions): Tensor {
  const fn = 'sinusoidalCurrent';
  checkOptions(fn, options, [...SINE_OPTIONS, 'duration'], true);
  const r = resolve(fn, 'amplitude', options.amplitude, options);
  const T = stepsOf(fn, options.duration, r.dt);
  const { f, phase, offset } = readSine(fn, options);
  return sineSteps(r, 0, T, f, phase, offset);
}

/**
 * Ramp current of `duration` ms (SPAIC's `Ramp_Generator`): `I(t) = base + slope · t` for
 * `start <= t < stop`, else 0, at the times `t = k · dt` (ms), `k = 0 .. T−1`.
 * @param options - `slope` (per ms), `base` (default 0), `start` (default 0), `stop` (default ∞), `duration` (ms), `dt` (ms, default 1), `shape`.
 * @returns Currents `[T, ...shape]`, float32, `T = round(duration / dt)`.
 * @throws EncodingValueError for a non-finite slope or base, a bad `dt`, `duration` or window;
 * EncodingOptionError for an unknown option name.
 * @example
 * ```ts
 * const i = rampCurrent({ slope: 0.01, duration: 100, shape: [1, 4] });   // [100, 1, 4]: 0 to 0.99
 * ```
 */
export function rampCurrent(options: RampCurrentOptions & DurationOptions): Tensor {
  const fn = 'rampCurrent';
  checkOptions(fn, options, [...RAMP_OPTIONS, 'duration'], true);
  const r = resolve(fn, 'slope', options.slope, options);
  const T = stepsOf(fn, options.duration, r.dt);
  const base = checkFinite(fn, 'base', options.base ?? 0);
  const { start, stop } = readWindow(fn, options);
  if (r.tensor !== undefined) checkAllFinite(fn, 'slope', r.tensor);
  return rampSteps(r, 0, T, base, start, stop);
}

/**
 * Base of the stateful generators: a step counter `k` (time `k · dt` ms), `step()` for the next
 * `[...shape]` step, `generate(T)` for the next `T` steps at once, `reset()` back to t = 0, and
 * `dispose()` for the tensor it keeps (a tensor amount is copied).
 */
export abstract class Generator {
  /** Time step in ms. */
  readonly dt: number;
  /** Shape of one step. */
  readonly shape: readonly number[];
  /** The rate or amplitude, resolved (a tensor amount is a kept copy, freed by `dispose()`). */
  protected readonly resolved: ResolvedAmount;
  private k = 0;

  /**
   * @param fn - Name of the concrete class, for error messages.
   * @param arg - Name of the amount option.
   * @param amount - The rate or amplitude.
   * @param options - `dt`, `shape`.
   */
  protected constructor(fn: string, arg: string, amount: Amount, options: GeneratorOptions) {
    const r = resolve(fn, arg, amount, options);
    this.resolved = { ...r, tensor: r.tensor === undefined ? undefined : tf.keep(tf.cast(r.tensor, 'float32')) };
    this.dt = r.dt;
    this.shape = r.shape;
  }

  /** The time of the next step, in ms (`k · dt`). */
  get time(): number {
    return this.k * this.dt;
  }

  /** Steps `first .. first + T − 1` as `[T, ...shape]`. */
  protected abstract steps(first: number, T: number): Tensor;

  /** The next step `[...shape]` (owned by the caller); time advances by `dt`. */
  step(): Tensor {
    const seq = this.steps(this.k, 1);
    this.k += 1;
    const out = tf.reshape(seq, this.shape as number[]);
    seq.dispose();
    return out;
  }

  /**
   * The next `T` steps `[T, ...shape]` (owned by the caller); time advances by `T · dt`.
   * @throws EncodingValueError when `T` is not an integer >= 1.
   */
  generate(T: number): Tensor {
    checkInteger(`${this.constructor.name}.generate`, 'T', T, 1);
    const out = this.steps(this.k, T);
    this.k += T;
    return out;
  }

  /** Back to t = 0. */
  reset(): void {
    this.k = 0;
  }

  /** Frees the kept amount tensor, if any. */
  dispose(): void {
    this.resolved.tensor?.dispose();
  }
}

/**
 * Stateful Poisson generator: each `step()` draws one step of spikes `[...shape]` with
 * `P(spike) = rate · dt / 1000`.
 * @example
 * ```ts
 * const gen = new PoissonGenerator({ rate: 20, dt: 1, shape: [1, 50], seed: 9 });
 * const s = gen.step();           // [1, 50]
 * const seq = gen.generate(100);  // the next 100 steps: [100, 1, 50]
 * gen.dispose();
 * ```
 */
export class PoissonGenerator extends Generator {
  private readonly source: RandomSource;

  /**
   * @param options - `rate` (Hz), `dt` (ms, default 1), `shape` (default `[1]`), `seed` (its own
   *   stream) or `rng` (a shared source, drawn from at every step).
   * @throws EncodingValueError for a negative or too high rate (`> 1000 / dt`), a bad `dt`, both
   * `seed` and `rng`, or an unknown option name (EncodingOptionError).
   */
  constructor(options: PoissonGeneratorOptions) {
    const fn = 'PoissonGenerator';
    checkOptions(fn, options, POISSON_OPTIONS, true);
    checkRate(fn, options.rate, checkPositive(fn, 'dt', options.dt ?? 1));
    const source = resolveRandom(fn, options);
    super(fn, 'rate', options.rate, options);
    this.source = source;
  }

  protected override steps(_first: number, T: number): Tensor {
    return poissonSteps('PoissonGenerator', this.resolved, T, this.source);
  }
}

/**
 * Stateful constant (step) current: `I(t) = A` for `start <= t < stop`, else 0.
 * @example
 * ```ts
 * const gen = new ConstantCurrentGenerator({ amplitude: 2, shape: [4, 10], stop: 50 });
 * const i = gen.step();   // [4, 10] of 2 until t = 50 ms, then 0
 * ```
 */
export class ConstantCurrentGenerator extends Generator {
  private readonly start: number;
  private readonly stop: number;

  /**
   * @param options - `amplitude`, `dt` (ms, default 1), `shape` (default `[1]`), `start` (default 0), `stop` (default ∞).
   * @throws EncodingValueError for a non-finite amplitude, a bad `dt` or window; EncodingOptionError
   * for an unknown option name.
   */
  constructor(options: ConstantCurrentOptions) {
    const fn = 'ConstantCurrentGenerator';
    checkOptions(fn, options, CONSTANT_OPTIONS, true);
    const window = readWindow(fn, options);
    super(fn, 'amplitude', options.amplitude, options);
    this.start = window.start;
    this.stop = window.stop;
  }

  protected override steps(first: number, T: number): Tensor {
    return constantSteps(this.resolved, first, T, this.start, this.stop);
  }
}

/**
 * Stateful sinusoidal current: `I(t) = c + A · sin(2π · f · t / 1000 + φ)`, `t` in ms.
 * @example
 * ```ts
 * const gen = new SinusoidalCurrentGenerator({ amplitude: 1, frequency: 5, shape: [1, 3] });
 * const i = gen.step();   // [1, 3]: sin(0) = 0 at t = 0
 * ```
 */
export class SinusoidalCurrentGenerator extends Generator {
  private readonly f: number;
  private readonly phase: number;
  private readonly offset: number;

  /**
   * @param options - `amplitude`, `frequency` (Hz), `phase` (rad, default 0), `offset` (default 0), `dt` (ms, default 1), `shape`.
   * @throws EncodingValueError for a negative frequency, a non-finite parameter or a bad `dt`;
   * EncodingOptionError for an unknown option name.
   */
  constructor(options: SinusoidalCurrentOptions) {
    const fn = 'SinusoidalCurrentGenerator';
    checkOptions(fn, options, SINE_OPTIONS, true);
    const sine = readSine(fn, options);
    super(fn, 'amplitude', options.amplitude, options);
    this.f = sine.f;
    this.phase = sine.phase;
    this.offset = sine.offset;
  }

  protected override steps(first: number, T: number): Tensor {
    return sineSteps(this.resolved, first, T, this.f, this.phase, this.offset);
  }
}

/**
 * Stateful ramp current (SPAIC's `Ramp_Generator`): `I(t) = base + slope · t` for
 * `start <= t < stop`, else 0, `t` in ms.
 * @example
 * ```ts
 * const gen = new RampCurrentGenerator({ slope: 0.5, base: 1, shape: [1, 3], stop: 20 });
 * gen.step();   // [1, 3] of 1 at t = 0, then 1.5, 2, ... until t = 20 ms
 * ```
 */
export class RampCurrentGenerator extends Generator {
  private readonly base: number;
  private readonly start: number;
  private readonly stop: number;

  /**
   * @param options - `slope` (per ms), `base` (default 0), `start` (default 0), `stop` (default ∞), `dt` (ms, default 1), `shape` (default `[1]`).
   * @throws EncodingValueError for a non-finite slope or base, a bad `dt` or window; EncodingOptionError
   * for an unknown option name.
   */
  constructor(options: RampCurrentOptions) {
    const fn = 'RampCurrentGenerator';
    checkOptions(fn, options, RAMP_OPTIONS, true);
    const window = readWindow(fn, options);
    const base = checkFinite(fn, 'base', options.base ?? 0);
    if (typeof options.slope !== 'number') checkAllFinite(fn, 'slope', checkTensor(fn, 'slope', options.slope));
    super(fn, 'slope', options.slope, options);
    this.base = base;
    this.start = window.start;
    this.stop = window.stop;
  }

  protected override steps(first: number, T: number): Tensor {
    return rampSteps(this.resolved, first, T, this.base, this.start, this.stop);
  }
}

// Every options-taking entry point of this package refuses a misspelt option name (naming the
// closest valid one) and a non-boolean `spiking`. The cases are generated from the option tables,
// which the compiler holds to the options interfaces, so a new option is tested without editing
// this file.
import { UnknownOptionError, ValueError } from '@snn/core';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { atan } from './atan.js';
import { deterministicPass } from './deterministic-pass.js';
import { erf } from './erf.js';
import { leakyKReLU } from './leaky-k-relu.js';
import { logTailedReLU } from './log-tailed-relu.js';
import { nonzeroSignLogAbs } from './nonzero-sign-log-abs.js';
import type { AnyOptionTable } from './options.js';
import { piecewiseExp } from './piecewise-exp.js';
import { PIECEWISE_LEAKY_RELU_OPTIONS, piecewiseLeakyReLU } from './piecewise-leaky-relu.js';
import { piecewiseQuadratic } from './piecewise-quadratic.js';
import { qPseudoSpike } from './q-pseudo-spike.js';
import { rect } from './rect.js';
import { s2nn } from './s2nn.js';
import { sigmoid } from './sigmoid.js';
import { softSign } from './soft-sign.js';
import { squarewaveFourierSeries } from './squarewave-fourier-series.js';
import { defineSurrogate, SURROGATE_OPTIONS, SURROGATE_SPEC_FIELDS, type SurrogateSpec } from './surrogate.js';

/** Edit distance with adjacent transpositions (optimal string alignment), case-insensitive. */
function distance(a: string, b: string): number {
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  const d = Array.from({ length: x.length + 1 }, (_, i) => Array.from({ length: y.length + 1 }, (_, j) => i + j));
  for (let i = 1; i <= x.length; i++) {
    for (let j = 1; j <= y.length; j++) {
      const row = d[i] as number[];
      const prev = d[i - 1] as number[];
      row[j] = Math.min(
        (prev[j] as number) + 1,
        (row[j - 1] as number) + 1,
        (prev[j - 1] as number) + (x[i - 1] === y[j - 1] ? 0 : 1),
      );
      if (i > 1 && j > 1 && x[i - 1] === y[j - 2] && x[i - 2] === y[j - 1]) {
        row[j] = Math.min(row[j] as number, ((d[i - 2] as number[])[j - 2] as number) + 1);
      }
    }
  }
  return (d[x.length] as number[])[y.length] as number;
}

/** A typo of `key` whose single nearest name among `keys` is `key` ('spiking' → 'spikign'). */
function misspell(key: string, keys: readonly string[]): string {
  const swap = (s: string, i: number) => s.slice(0, i) + s[i + 1] + s[i] + s.slice(i + 2);
  const candidates = [
    ...(key.length >= 3 ? [swap(key, key.length - 2), swap(key, 0), key.slice(0, -1)] : []),
    key + key.slice(-1),
    [...key].map((c) => (c === c.toLowerCase() ? c.toUpperCase() : c.toLowerCase())).join(''),
  ];
  for (const c of candidates) {
    if (keys.includes(c)) continue;
    const d = distance(c, key);
    if (keys.every((k) => k === key || distance(c, k) > d)) return c;
  }
  throw new Error(`no unambiguous typo of '${key}' among ${keys.join(', ')}`);
}

type Make = (options: unknown) => unknown;

/** Every factory that takes options, with the table of those options. */
const FACTORIES: readonly (readonly [string, Make, AnyOptionTable])[] = [
  ['sigmoid', (o) => sigmoid(undefined, o as never), SURROGATE_OPTIONS],
  ['atan', (o) => atan(undefined, o as never), SURROGATE_OPTIONS],
  ['piecewiseQuadratic', (o) => piecewiseQuadratic(undefined, o as never), SURROGATE_OPTIONS],
  ['piecewiseExp', (o) => piecewiseExp(undefined, o as never), SURROGATE_OPTIONS],
  ['softSign', (o) => softSign(undefined, o as never), SURROGATE_OPTIONS],
  ['nonzeroSignLogAbs', (o) => nonzeroSignLogAbs(undefined, o as never), SURROGATE_OPTIONS],
  ['erf', (o) => erf(undefined, o as never), SURROGATE_OPTIONS],
  ['piecewiseLeakyReLU', (o) => piecewiseLeakyReLU(undefined, undefined, o as never), PIECEWISE_LEAKY_RELU_OPTIONS],
  ['squarewaveFourierSeries', (o) => squarewaveFourierSeries(undefined, undefined, o as never), SURROGATE_OPTIONS],
  ['s2nn', (o) => s2nn(undefined, undefined, o as never), SURROGATE_OPTIONS],
  ['qPseudoSpike', (o) => qPseudoSpike(undefined, o as never), SURROGATE_OPTIONS],
  ['leakyKReLU', (o) => leakyKReLU(undefined, undefined, o as never), SURROGATE_OPTIONS],
  ['logTailedReLU', (o) => logTailedReLU(undefined, o as never), SURROGATE_OPTIONS],
  ['rect', (o) => rect(undefined, o as never), SURROGATE_OPTIONS],
  ['deterministicPass', (o) => deterministicPass(o as never), SURROGATE_OPTIONS],
];

/** Runs `f`, which must throw; returns the error after checking that no tensor was left behind. */
function thrown(f: () => unknown): Error {
  const before = tf.memory().numTensors;
  let error: unknown;
  try {
    f();
  } catch (e) {
    error = e;
  }
  expect(tf.memory().numTensors).toBe(before);
  expect(error).toBeInstanceOf(Error);
  return error as Error;
}

const box = (): SurrogateSpec => ({
  name: 'box',
  params: { width: 1 },
  grad: (x) => tf.cast(tf.greaterEqual(0.5, tf.abs(x)), 'float32'),
  primitive: (x) => tf.clipByValue(tf.add(x, 0.5), 0, 1),
});

describe.each(FACTORIES)('%s options', (name, make, table) => {
  const keys = Object.keys(table);
  const booleans = keys.filter((k) => table[k] === 'boolean');

  it.each(keys)('a misspelling of %s is an UnknownOptionError naming it', (key) => {
    const typo = misspell(key, keys);
    const e = thrown(() => make({ [typo]: false }));
    expect(e).toBeInstanceOf(UnknownOptionError);
    expect(e.message).toContain(`${name}: unknown option '${typo}' (did you mean '${key}'?)`);
    expect(e.message).toContain(`known options: ${keys.map((k) => `'${k}'`).join(', ')}`);
  });

  it.each(keys)('%s itself is accepted (undefined: the default)', (key) => {
    expect(make({ [key]: undefined })).toHaveProperty('spiking', true);
  });

  it.each(booleans)('boolean option %s takes only booleans', (key) => {
    for (const bad of ['no', 'false', 0, 1, null]) {
      const e = thrown(() => make({ [key]: bad }));
      expect(e).toBeInstanceOf(ValueError);
      expect(e).not.toBeInstanceOf(UnknownOptionError);
      expect(e.message).toContain(`${name}: '${key}' must be a boolean`);
    }
    expect(make({ [key]: false })).toHaveProperty('spiking', false);
  });

  it('refuses options that are not an object', () => {
    for (const bad of [null, 5, 'spiking', [false]]) {
      const e = thrown(() => make(bad));
      expect(e).toBeInstanceOf(ValueError);
      expect(e.message).toContain(`${name}: 'options' must be an options object`);
    }
  });
});

describe('defineSurrogate', () => {
  const keys = Object.keys(SURROGATE_SPEC_FIELDS);

  it.each(keys)("a misspelling of the spec's %s is an UnknownOptionError naming it", (key) => {
    const typo = misspell(key, keys);
    const spec = { ...box(), [typo]: 1 } as unknown as SurrogateSpec;
    const e = thrown(() => defineSurrogate(spec));
    expect(e).toBeInstanceOf(UnknownOptionError);
    expect(e.message).toContain(`defineSurrogate: unknown option '${typo}' (did you mean '${key}'?)`);
  });

  it('refuses a spec with fields of the wrong type, and a non-boolean spiking', () => {
    const { primitive, ...noPrimitive } = box();
    expect(primitive).toBeDefined();
    // 'primitve' instead of 'primitive' would otherwise leave the surrogate without a primitive.
    expect(() => defineSurrogate({ ...noPrimitive, primitve: primitive } as never)).toThrow(
      "defineSurrogate: unknown option 'primitve' (did you mean 'primitive'?)",
    );
    expect(thrown(() => defineSurrogate({ ...box(), name: 3 } as never)).message).toBe(
      "defineSurrogate: 'name' must be a non-empty string, got 3",
    );
    expect(thrown(() => defineSurrogate({ ...box(), grad: undefined } as never))).toBeInstanceOf(ValueError);
    expect(thrown(() => defineSurrogate({ ...box(), params: null } as never))).toBeInstanceOf(ValueError);
    expect(thrown(() => defineSurrogate({ ...box(), primitive: 1 } as never))).toBeInstanceOf(ValueError);
    expect(thrown(() => defineSurrogate(undefined as never))).toBeInstanceOf(ValueError);
    expect(thrown(() => defineSurrogate(null as never))).toBeInstanceOf(ValueError);
    expect(thrown(() => defineSurrogate(box(), 'no' as never)).message).toBe(
      "box: 'spiking' must be a boolean, got 'no'",
    );
    expect(thrown(() => sigmoid(4).withSpiking('false' as never))).toBeInstanceOf(ValueError);
    expect(defineSurrogate(noPrimitive).primitive).toBeUndefined();
    expect(defineSurrogate(box(), false).spiking).toBe(false);
  });

  it('literal cases', () => {
    expect(() => sigmoid(4, { spikng: false } as never)).toThrow(
      "sigmoid: unknown option 'spikng' (did you mean 'spiking'?); known options: 'spiking'",
    );
    expect(() => sigmoid(4, { spiking: 'no' as never })).toThrow("sigmoid: 'spiking' must be a boolean, got 'no'");
    expect(() => piecewiseLeakyReLU(1, 0.01, { gradeint: '1/(2w)' } as never)).toThrow(
      "piecewiseLeakyReLU: unknown option 'gradeint' (did you mean 'gradient'?)",
    );
    expect(piecewiseLeakyReLU(1, 0.01, { gradient: '1/(2w)', spiking: false }).spiking).toBe(false);
  });
});

// Every options-taking entry point of this package refuses a misspelt option name (naming the
// closest valid one) before it makes anything. The cases are generated from the option tables,
// which the compiler holds to the options interfaces, so a new option is tested without editing
// this file. Also: one output class, one time step and an empty batch, valid inputs that tf.oneHot
// and wasm's empty sums used to break.
import { UnknownOptionError, ValueError } from '@snn/core';
import { describeBackends, expectClose } from '@snn/core/testing';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { type AnyOptionTable, TEMPOTRON_PARAMS_FIELDS } from './checks.js';
import { TEMPOTRON_RULE_OPTIONS, tempotronRuleDelta, tempotronRuleStep } from './classic-rule.js';
import { tempotronMSELoss, tempotronWrongMask } from './mse-loss.js';
import { tempotronPotential, tempotronPotentialReference } from './potential.js';
import { maxTimeSpikes, voltageMax } from './readouts.js';
import { TEMPOTRON_OPTIONS, Tempotron } from './tempotron.js';

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

/** A typo of `key` whose single nearest name among `keys` is `key` ('tauS' → 'taSu'). */
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

const PARAMS = { T: 10, tau: 15, tauS: 3.75, vThreshold: 1 };

/** Each entry point: its name in errors, a call with the given options, valid options, the table. */
type Entry = readonly [string, (options: unknown) => unknown, Record<string, unknown>, AnyOptionTable];

describeBackends('timing options', () => {
  const net = new Tempotron(3, 2, 10, { seed: 1 });
  const x = tf.tensor2d([[0, 2, -1]]);
  const w = tf.ones([2, 3]);
  const ENTRIES: readonly Entry[] = [
    ['Tempotron', (o) => new Tempotron(3, 2, 10, o as never), { seed: 3 }, TEMPOTRON_OPTIONS],
    ['tempotronRuleDelta', (o) => tempotronRuleDelta(net, x, [1, 0], o as never), { lr: 0.1 }, TEMPOTRON_RULE_OPTIONS],
    ['tempotronRuleStep', (o) => tempotronRuleStep(net, x, [1, 0], o as never), { lr: 0.1 }, TEMPOTRON_RULE_OPTIONS],
    ['tempotronPotential', (p) => tempotronPotential(w, x, p as never), PARAMS, TEMPOTRON_PARAMS_FIELDS],
    [
      'tempotronPotentialReference',
      (p) => tempotronPotentialReference(w, x, p as never),
      PARAMS,
      TEMPOTRON_PARAMS_FIELDS,
    ],
  ];

  describe.each(ENTRIES)('%s', (name, call, valid, table) => {
    const keys = Object.keys(table);
    const booleans = keys.filter((k) => table[k] === 'boolean');

    it.each(keys)('a misspelling of %s is an UnknownOptionError naming it', (key) => {
      const weights = Array.from(net.weight.dataSync());
      const typo = misspell(key, keys);
      const e = thrown(() => call({ ...valid, [typo]: 1 }));
      expect(e).toBeInstanceOf(UnknownOptionError);
      expect(e.message).toContain(`${name}: unknown option '${typo}' (did you mean '${key}'?)`);
      expect(e.message).toContain(`known options: ${keys.map((k) => `'${k}'`).join(', ')}`);
      expect(Array.from(net.weight.dataSync())).toEqual(weights);
    });

    it.each(booleans)('boolean option %s takes only booleans', (key) => {
      for (const bad of ['no', 'false', 0, 1, null]) {
        const e = thrown(() => call({ ...valid, [key]: bad }));
        expect(e).toBeInstanceOf(ValueError);
        expect(e).not.toBeInstanceOf(UnknownOptionError);
      }
    });

    it('refuses options that are not an object', () => {
      for (const bad of [null, 5, [1]]) expect(thrown(() => call(bad))).toBeInstanceOf(ValueError);
    });

    it('accepts its valid options', () => {
      const out = call(valid);
      if (out instanceof Tempotron) out.dispose();
      else if (out instanceof tf.Tensor) out.dispose();
      else if (out !== null && typeof out === 'object' && 'delta' in out) (out.delta as tf.Tensor).dispose();
    });
  });

  it('literal cases', () => {
    expect(() => new Tempotron(3, 2, 10, { taus: 3 } as never)).toThrow(
      "Tempotron: unknown option 'taus' (did you mean 'tauS'?); known options: 'tau', 'tauS', 'vThreshold', 'seed', 'rng'",
    );
    expect(() => tempotronRuleStep(net, x, [1, 0], { lr: 0.1, Lr: 1 } as never)).toThrow(
      "tempotronRuleStep: unknown option 'Lr' (did you mean 'lr'?)",
    );
    expect(() => tempotronRuleStep(net, x, [1, 0], undefined as never)).toThrow(
      "tempotronRuleStep: 'lr' must be a finite number > 0, got undefined",
    );
    expect(() => tempotronPotential(w, x, { ...PARAMS, vThresold: 1 } as never)).toThrow("did you mean 'vThreshold'?");
  });

  it('one output class: tempotronMSELoss and tempotronWrongMask with numClasses = 1', () => {
    const vMax = tf.tensor2d([[0.5], [1.5]]);
    const mask = tempotronWrongMask(vMax, 1, [0, 0], 1);
    expect(Array.from(mask.dataSync())).toEqual([1, 0]); // below threshold with label 0: wrong
    const loss = tempotronMSELoss(vMax, 1, [0, 0], 1);
    expect(loss.dataSync()[0]).toBeCloseTo(0.125, 6); // (0.5 − 1)² / 2
    const g = tf.grad((v: tf.Tensor) => tempotronMSELoss(v, 1, [0, 0], 1))(vMax);
    expectClose(g, [[-0.5], [0]], { rtol: 1e-6 }); // 2·(0.5 − 1)/2
    tf.dispose([vMax, mask, loss, g]);
  });

  it('one time step: voltageMax and a Tempotron with T = 1', () => {
    const v = tf.tensor3d([[[0.3], [-2]]]);
    const peak = voltageMax(v);
    expect(peak.shape).toEqual([1, 2]);
    expectClose(peak, [[0.3, -2]], { rtol: 0 });
    const g = tf.grad((t: tf.Tensor) => tf.sum(voltageMax(t)))(v);
    expectClose(g, [[[1], [1]]], { rtol: 0 });
    const spikes = maxTimeSpikes(v, 0);
    expectClose(spikes, [[0, -0]], { rtol: 0 });
    const one = new Tempotron(2, 1, 1, { seed: 2 });
    const vm = one.forward(tf.tensor2d([[0, -1]]), 'vMax');
    expectClose(vm, [[0]], { rtol: 0 }); // K(0) = 0: nothing has risen yet at t = 0
    tf.dispose([v, peak, g, spikes, vm]);
    one.dispose();
  });

  it('an empty batch: loss 0 and empty outputs, the same on every backend', () => {
    const before = tf.memory().numTensors;
    const vMax = tf.zeros([0, 2]);
    for (let k = 0; k < 3; k++) {
      const loss = tempotronMSELoss(vMax, 1, [], 2);
      expect(loss.shape).toEqual([]);
      expect(loss.dataSync()[0]).toBe(0);
      loss.dispose();
    }
    const g = tf.grad((v: tf.Tensor) => tempotronMSELoss(v, 1, [], 2))(vMax);
    expect(g.shape).toEqual([0, 2]);
    const none = tf.zeros([0, 3]);
    const out = net.forward(none, 'vMax');
    expect(out.shape).toEqual([0, 2]);
    tf.dispose([vMax, g, none, out]);
    expect(tf.memory().numTensors).toBe(before);
  });
});

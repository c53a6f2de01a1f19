import { createRng, loadState, resetNet, type SavedState, Sequential, saveState } from '@snn/core';
import { describeBackends } from '@snn/core/testing';
import { Linear } from '@snn/layers';
import { LIFNode } from '@snn/neurons';
import * as tf from '@tensorflow/tfjs-core';
import fc from 'fast-check';
import { expect, it } from 'vitest';
import { argArb, build, check, expectContract, free, reportCalls, shapeArb } from './harness.js';

reportCalls('state');

/** One change to a saved state, as a corrupted or hand-edited file would have it. */
const mutation = fc.oneof(
  fc.record({
    kind: fc.constant('delete-section' as const),
    section: fc.constantFrom('parameters', 'memories', 'format', 'version'),
  }),
  fc.record({ kind: fc.constant('null-section' as const), section: fc.constantFrom('parameters', 'memories') }),
  fc.record({
    kind: fc.constant('entry' as const),
    field: fc.constantFrom('dtype', 'shape', 'data'),
    value: fc.constantFrom<unknown>(
      'string',
      'complex64',
      'int32',
      'bool',
      [3],
      [-1, 2],
      [2, 2, 2],
      '!!not base64!!',
      'AAAA',
      null,
      7,
    ),
  }),
  fc.record({ kind: fc.constant('rename' as const), to: fc.constantFrom('0.weight_', 'x', '') }),
  fc.record({ kind: fc.constant('drop-entry' as const) }),
  fc.record({ kind: fc.constant('extra-key' as const), key: fc.constantFrom('parameter', 'memory', 'extra') }),
  fc.constant({ kind: 'none' as const }),
);

function mutate(state: SavedState, m: fc.Arbitrary<unknown> extends fc.Arbitrary<infer U> ? U : never): unknown {
  const s = JSON.parse(JSON.stringify(state)) as Record<string, Record<string, Record<string, unknown>> | unknown>;
  const params = s.parameters as Record<string, Record<string, unknown>>;
  const first = Object.keys(params)[0] as string;
  const mm = m as { kind: string; section?: string; field?: string; value?: unknown; to?: string; key?: string };
  switch (mm.kind) {
    case 'delete-section':
      delete s[mm.section as string];
      break;
    case 'null-section':
      s[mm.section as string] = null;
      break;
    case 'entry':
      (params[first] as Record<string, unknown>)[mm.field as string] = mm.value;
      break;
    case 'rename':
      params[mm.to as string] = params[first] as Record<string, unknown>;
      delete params[first];
      break;
    case 'drop-entry':
      delete params[first];
      break;
    case 'extra-key':
      s[mm.key as string] = {};
      break;
  }
  return s;
}

describeBackends('property: saved state', () => {
  it('a mutated state loads entirely or is refused by name, changing nothing', () => {
    const source = new Sequential(new Linear(3, 2, { seed: 1 }), new LIFNode());
    tf.tidy(() => {
      source.forward(tf.ones([2, 3]));
    });
    const saved = saveState(source, { memories: true });
    source.dispose();
    const target = new Sequential(new Linear(3, 2, { seed: 2 }), new LIFNode());
    tf.tidy(() => {
      target.forward(tf.ones([2, 3]));
    });
    check(80, mutation, (m) => {
      const state = mutate(saved, m as never);
      expectContract(
        'loadState',
        () => loadState(target, state as SavedState),
        () => {},
        target,
      );
    });
    target.dispose();
  });

  it('saveState, loadState and resetNet refuse what is not a module', () => {
    const anything = fc.constantFrom<unknown>(undefined, null, {}, [], 3, 'net', { forward: 1 });
    check(30, anything, (x) => {
      expectContract(
        'saveState',
        () => saveState(x as never),
        () => expect.unreachable('accepted a non-module'),
      );
      expectContract(
        'resetNet',
        () => resetNet(x as never),
        () => expect.unreachable('accepted a non-module'),
      );
    });
  });
});

describeBackends('property: random streams', () => {
  it('Rng methods return tensors of the asked shape or a named error', () => {
    const rng = createRng(7);
    const shape = fc.oneof(
      { weight: 5, arbitrary: shapeArb(0, 3) },
      fc.constantFrom<unknown>([-1], [1.5], 'x', undefined, [Number.NaN]),
    );
    const num = fc.oneof(
      fc.double({ min: -3, max: 3, noNaN: true }),
      fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY),
    );
    check(60, shape, num, num, argArb(shapeArb(0, 3), ['unit']), (sh, a, b, p) => {
      expectContract(
        'Rng.uniform',
        () => rng.uniform(sh as number[], Math.min(a, b), Math.max(a, b)),
        (t) => {
          expect(t.shape).toEqual(sh);
        },
      );
      expectContract(
        'Rng.normal',
        () => rng.normal(sh as number[], a, Math.abs(b)),
        (t) => expect(t.shape).toEqual(sh),
      );
      const probs = build(p);
      expectContract(
        'Rng.bernoulli',
        () => rng.bernoulli(probs),
        (t) => {
          expect(t.shape).toEqual(probs.shape);
          expect(t.dataSync().every((v) => v === 0 || v === 1)).toBe(true);
        },
      );
      free(p, probs);
    });
  });
});

/**
 * Test helpers for snn packages (`@snn/core/testing`): run a suite once per backend, compare
 * tensors with a relative tolerance, and check that code does not leak tensors. Needs vitest.
 */

import type { Tensor } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect } from 'vitest';
import type { BackendName } from '../backends/provider.js';
import { useBackend } from '../backends/registry.js';

/** The backends numerical tests run on in Node. */
export const NODE_TEST_BACKENDS: readonly BackendName[] = ['cpu', 'wasm'];

/**
 * Declares `suite` once per backend (`describe('<name> [wasm]')`), switching to that backend
 * before its tests. Tests run in declaration order, so the switch holds for the whole block.
 */
export function describeBackends(
  name: string,
  suite: (backend: BackendName) => void,
  backends: readonly BackendName[] = NODE_TEST_BACKENDS,
): void {
  for (const backend of backends) {
    describe(`${name} [${backend}]`, () => {
      beforeAll(async () => {
        await useBackend(backend);
      });
      suite(backend);
    });
  }
}

/** Tolerances of {@link expectClose}: |a − e| ≤ atol + rtol · |e| elementwise. */
export interface Tolerance {
  readonly rtol?: number;
  readonly atol?: number;
}

type Nested = number | boolean | null | Nested[];

/** Flattens nested arrays row-major; `null` (JSON's NaN) becomes NaN. */
function flatten(x: Nested[]): number[] {
  const out: number[] = [];
  const walk = (v: Nested): void => {
    if (Array.isArray(v)) for (const item of v) walk(item);
    else out.push(v === null ? Number.NaN : Number(v));
  };
  walk(x);
  return out;
}

/**
 * Asserts that `actual` matches `expected` (a tensor, typed array or nested arrays) in shape and
 * values within `|a − e| ≤ atol + rtol·|e|` (default rtol 1e-5, atol 1e-6). Reports the worst element.
 */
export function expectClose(
  actual: Tensor | ArrayLike<number>,
  expected: Tensor | Nested | ArrayLike<number>,
  tol: Tolerance = {},
): void {
  const rtol = tol.rtol ?? 1e-5;
  const atol = tol.atol ?? 1e-6;
  const a = 'dataSync' in actual ? Array.from(actual.dataSync() as ArrayLike<number>) : Array.from(actual);
  const e =
    typeof expected === 'object' && expected !== null && 'dataSync' in expected
      ? Array.from((expected as Tensor).dataSync() as ArrayLike<number>)
      : Array.isArray(expected)
        ? flatten(expected as Nested[])
        : Array.from(expected as ArrayLike<number>);
  if ('shape' in actual && typeof expected === 'object' && expected !== null && 'shape' in expected) {
    expect(actual.shape).toEqual((expected as Tensor).shape);
  }
  expect(a.length, 'number of elements').toBe(e.length);
  let worst = -1;
  let worstExcess = 0;
  for (let i = 0; i < a.length; i++) {
    const ai = a[i] as number;
    const ei = e[i] as number;
    if (Number.isNaN(ei) && Number.isNaN(ai)) continue;
    const excess = Math.abs(ai - ei) - (atol + rtol * Math.abs(ei));
    if (!(excess <= 0) && (worst < 0 || excess > worstExcess || Number.isNaN(excess))) {
      worst = i;
      worstExcess = excess;
    }
  }
  if (worst >= 0) {
    expect.fail(`element ${worst}: got ${a[worst]}, expected ${e[worst]} (rtol ${rtol}, atol ${atol})`);
  }
}

/**
 * Runs `step` once to warm up (first calls may allocate state), then `times` more, and asserts
 * that `tf.memory().numTensors` did not grow.
 */
export function expectNoLeak(step: () => void, times = 1000): void {
  step();
  const before = tf.memory().numTensors;
  for (let i = 0; i < times; i++) step();
  expect(tf.memory().numTensors, `tensors after ${times} more steps`).toBe(before);
}

export { expectNoLeakOn, expectSameAsCpu } from './backend-parity.js';
export { expectSameAsLoops, LOOP_CASES, type LoopCase } from './loop-parity.js';
export { describeNeuronKernels, testSurrogate } from './neuron-kernel-suite.js';

// Helpers shared by the node tests (not part of the package: tsconfig.build.json leaves it out).
import { expectNoLeak } from '@snn/core/testing';
import * as tf from '@tensorflow/tfjs-core';
import type { BaseNode, BaseNodeOptions } from './base-node.js';

/** A seeded uniform generator in [0, 1) (an LCG; exact in float64). */
export function lcg(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s * 1664525 + 1013904223) % 4294967296;
    return s / 4294967296;
  };
}

/** `[T][N]` inputs in [lo, hi). */
export function uniform(T: number, N: number, lo: number, hi: number, seed: number): number[][] {
  const r = lcg(seed);
  return Array.from({ length: T }, () => Array.from({ length: N }, () => lo + (hi - lo) * r()));
}

/**
 * A node made by `make` keeps tf.memory() flat over 1,000 single steps of a constant input
 * `[4, 8]` of `value`, and over 100 multi-step calls `[5, 4, 8]` with `storeVSeq`.
 */
export function expectNodeNoLeak(make: (options: BaseNodeOptions) => BaseNode, value: number): void {
  const node = make({});
  const x = tf.fill([4, 8], value);
  expectNoLeak(() => tf.dispose(node.forward(x)), 1000);
  const m = make({ stepMode: 'm', storeVSeq: true });
  const xs = tf.fill([5, 4, 8], value);
  expectNoLeak(() => tf.dispose(m.forward(xs)), 100);
  tf.dispose([x, xs]);
  node.dispose();
  m.dispose();
}

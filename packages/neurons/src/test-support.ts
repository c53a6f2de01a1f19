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

/**
 * A typo of `key` whose single nearest name among `keys` is `key` (so a did-you-mean must name
 * it): the last two letters swapped ('tau' → 'tua'), else the first two, a letter dropped, a
 * letter doubled, the case swapped.
 */
export function misspell(key: string, keys: readonly string[]): string {
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

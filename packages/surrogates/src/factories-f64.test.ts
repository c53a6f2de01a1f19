// What every surrogate factory returns besides its numbers: its parameters as given, Heaviside
// forward by default, a primitive exactly when it has one; and piecewiseQuadratic away from
// α = 1 (where 1/α and α agree), against float64. Written for mutation testing (`pnpm mutation`,
// issue 17).
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import {
  atan,
  deterministicPass,
  erf,
  fakeNumericalGradient,
  fastSigmoid,
  leakyKReLU,
  logTailedReLU,
  nonzeroSignLogAbs,
  piecewiseExp,
  piecewiseLeakyReLU,
  piecewiseQuadratic,
  qPseudoSpike,
  rect,
  type Surrogate,
  s2nn,
  sigmoid,
  softSign,
  squarewaveFourierSeries,
  straightThrough,
  superSpike,
  triangular,
} from './index.js';

/**
 * Each factory called with parameters other than its defaults, and what it must report. Called
 * inside the test, not when the file loads (a mutant is switched on only for the test's run).
 */
const FACTORIES: readonly [() => Surrogate, string, Record<string, number>, boolean][] = [
  [() => atan(3), 'atan', { alpha: 3 }, true],
  [() => deterministicPass(), 'deterministicPass', {}, true],
  [() => erf(1.5), 'erf', { alpha: 1.5 }, true],
  [() => fakeNumericalGradient(0.7), 'fakeNumericalGradient', { alpha: 0.7 }, false],
  [() => fastSigmoid(12), 'fastSigmoid', { slope: 12 }, false],
  [() => leakyKReLU(0.1, 2), 'leakyKReLU', { leak: 0.1, k: 2 }, true],
  [() => logTailedReLU(0.2), 'logTailedReLU', { alpha: 0.2 }, true],
  [() => nonzeroSignLogAbs(3), 'nonzeroSignLogAbs', { alpha: 3 }, true],
  [() => piecewiseExp(2.5), 'piecewiseExp', { alpha: 2.5 }, true],
  [() => piecewiseLeakyReLU(0.5, 0.02), 'piecewiseLeakyReLU', { w: 0.5, c: 0.02 }, true],
  [() => piecewiseQuadratic(2), 'piecewiseQuadratic', { alpha: 2 }, true],
  [() => qPseudoSpike(3), 'qPseudoSpike', { alpha: 3 }, true],
  [() => rect(2), 'rect', { alpha: 2 }, true],
  [() => s2nn(3, 2), 's2nn', { alpha: 3, beta: 2 }, true],
  [() => sigmoid(5), 'sigmoid', { alpha: 5 }, true],
  [() => softSign(3), 'softSign', { alpha: 3 }, true],
  [() => squarewaveFourierSeries(3, 6), 'squarewaveFourierSeries', { n: 3, tPeriod: 6 }, true],
  [() => straightThrough(), 'straightThrough', {}, false],
  [() => superSpike(2), 'superSpike', { alpha: 2 }, false],
  [() => triangular(0.5), 'triangular', { threshold: 0.5 }, false],
];

describe('surrogate factories', () => {
  it.each(FACTORIES.map(([s, name, params, primitive]) => [name, s, params, primitive] as const))(
    '%s: name, parameters, Heaviside forward by default, a primitive exactly when it has one',
    (name, make, params, hasPrimitive) => {
      const s = make();
      expect(s.name).toBe(name);
      expect(s.params).toEqual(params);
      expect(s.spiking).toBe(true);
      tf.tidy(() => {
        // Θ(x) = 1 for x ≥ 0, including 0.
        expect(Array.from(s.apply(tf.tensor([-0.75, -1e-3, 0, 1e-3, 0.75])).dataSync())).toEqual([0, 0, 1, 1, 1]);
      });
      expect(s.primitive === undefined).toBe(!hasPrimitive);
    },
  );

  it('the primitive of sigmoid(α) is sigmoid(α·x), and it is the forward of spiking: false', () => {
    const s = sigmoid(5);
    const xs = [-0.5, -0.1, 0, 0.2, 0.6];
    const want = xs.map((x) => 1 / (1 + Math.exp(-5 * x)));
    tf.tidy(() => {
      const x = tf.tensor(xs);
      const viaPrimitive = Array.from((s.primitive as (x: tf.Tensor) => tf.Tensor)(x).dataSync());
      const viaMode = Array.from(s.withSpiking(false).apply(x).dataSync());
      for (const got of [viaPrimitive, viaMode]) {
        for (const [i, g] of got.entries()) expect(g).toBeCloseTo(want[i] as number, 6);
      }
    });
  });

  it("piecewiseQuadratic(2): g'(x) = α − α²|x| for |x| ≤ 1/α, else 0; g as documented", () => {
    const alpha = 2;
    const xs = [-1, -0.5, -0.3, -0.25, 0, 0.1, 0.25, 0.5, 0.75, 1];
    const grad = (x: number) => (Math.abs(x) <= 1 / alpha ? alpha - alpha * alpha * Math.abs(x) : 0);
    const prim = (x: number) =>
      x < -1 / alpha ? 0 : x > 1 / alpha ? 1 : -((alpha * alpha) / 2) * x * x * Math.sign(x) + alpha * x + 0.5;
    const s = piecewiseQuadratic(alpha);
    tf.tidy(() => {
      const x = tf.tensor(xs);
      const g = Array.from(s.grad(x).dataSync());
      const p = Array.from((s.primitive as (x: tf.Tensor) => tf.Tensor)(x).dataSync());
      const d = Array.from(
        tf
          .grad((t: tf.Tensor) => tf.sum(s.apply(t)))(x)
          .dataSync(),
      );
      for (const [i, xi] of xs.entries()) {
        expect(g[i], `g'(${xi})`).toBeCloseTo(grad(xi), 6);
        expect(d[i], `backward at ${xi}`).toBeCloseTo(grad(xi), 6);
        expect(p[i], `g(${xi})`).toBeCloseTo(prim(xi), 6);
      }
    });
  });
});

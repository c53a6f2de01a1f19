// Behaviour beyond the goldens: defaults, errors, leaks, modes, snnTorch's surrogates, edge cases.
import { ValueError } from '@snn/core';
import { describeBackends, expectClose, expectNoLeak } from '@snn/core/testing';
import {
  atan,
  defineSurrogate,
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
} from '@snn/surrogates';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';

/** Every factory with its defaults (SpikingJelly's, or snnTorch's for the snnTorch ones). */
const DEFAULTS: readonly [Surrogate, Record<string, number>, boolean][] = [
  [sigmoid(), { alpha: 4 }, true],
  [atan(), { alpha: 2 }, true],
  [piecewiseQuadratic(), { alpha: 1 }, true],
  [piecewiseExp(), { alpha: 1 }, true],
  [softSign(), { alpha: 2 }, true],
  [nonzeroSignLogAbs(), { alpha: 1 }, true],
  [erf(), { alpha: 2 }, true],
  [piecewiseLeakyReLU(), { w: 1, c: 0.01 }, true],
  [squarewaveFourierSeries(), { n: 2, tPeriod: 8 }, true],
  [s2nn(), { alpha: 4, beta: 1 }, true],
  [qPseudoSpike(), { alpha: 2 }, true],
  [leakyKReLU(), { leak: 0, k: 1 }, true],
  [fakeNumericalGradient(), { alpha: 0.3 }, false],
  [logTailedReLU(), { alpha: 0 }, true],
  [superSpike(), { alpha: 1 }, false],
  [rect(), { alpha: 1 }, true],
  [deterministicPass(), {}, true],
  [fastSigmoid(), { slope: 25 }, false],
  [triangular(), { threshold: 1 }, false],
  [straightThrough(), {}, false],
];
const ALL = DEFAULTS.map(([s, , hasPrimitive]) => [s.name, s, hasPrimitive] as const);

describe('surrogate factories', () => {
  it.each(DEFAULTS.map(([s, p]) => [s.name, s, p] as const))('%s has the reference defaults', (_n, s, p) => {
    expect(s.params).toEqual(p);
    expect(s.spiking).toBe(true);
  });

  const bad: [() => unknown, string][] = [
    [() => sigmoid(-1), "sigmoid: 'alpha' must be a finite number > 0, got -1"],
    [() => atan(0), "atan: 'alpha' must be a finite number > 0, got 0"],
    [() => piecewiseQuadratic(Number.NaN), "piecewiseQuadratic: 'alpha' must be a finite number > 0, got NaN"],
    [() => piecewiseExp(-2), "piecewiseExp: 'alpha' must be a finite number > 0, got -2"],
    [() => softSign(Number.POSITIVE_INFINITY), "softSign: 'alpha' must be a finite number > 0, got Infinity"],
    [() => nonzeroSignLogAbs(0), "nonzeroSignLogAbs: 'alpha' must be a finite number > 0, got 0"],
    [() => erf(-4), "erf: 'alpha' must be a finite number > 0, got -4"],
    [() => piecewiseLeakyReLU(0), "piecewiseLeakyReLU: 'w' must be a finite number > 0, got 0"],
    [() => piecewiseLeakyReLU(1, Number.NaN), "piecewiseLeakyReLU: 'c' must be a finite number, got NaN"],
    [
      () => piecewiseLeakyReLU(1, 0.01, { gradient: '2/w' as '1/w' }),
      "piecewiseLeakyReLU: 'options.gradient' must be one of '1/w', '1/(2w)', got '2/w'",
    ],
    [() => squarewaveFourierSeries(1), "squarewaveFourierSeries: 'n' must be an integer >= 2, got 1"],
    [() => squarewaveFourierSeries(2.5), "squarewaveFourierSeries: 'n' must be an integer >= 2, got 2.5"],
    [() => squarewaveFourierSeries(2, 0), "squarewaveFourierSeries: 'tPeriod' must be a finite number > 0, got 0"],
    [() => s2nn(0), "s2nn: 'alpha' must be a finite number > 0, got 0"],
    [() => s2nn(4, -1), "s2nn: 'beta' must be a finite number > 0, got -1"],
    [() => qPseudoSpike(1), "qPseudoSpike: 'alpha' must be a finite number > 1, got 1"],
    [() => leakyKReLU(Number.NaN), "leakyKReLU: 'leak' must be a finite number, got NaN"],
    [() => leakyKReLU(0, Number.NEGATIVE_INFINITY), "leakyKReLU: 'k' must be a finite number, got -Infinity"],
    [() => fakeNumericalGradient(0), "fakeNumericalGradient: 'alpha' must be a finite number > 0, got 0"],
    [() => logTailedReLU(Number.NaN), "logTailedReLU: 'alpha' must be a finite number, got NaN"],
    [() => superSpike(-1), "superSpike: 'alpha' must be a finite number > 0, got -1"],
    [() => rect(0), "rect: 'alpha' must be a finite number > 0, got 0"],
    [() => fastSigmoid(0), "fastSigmoid: 'slope' must be a finite number > 0, got 0"],
    [() => triangular(-1), "triangular: 'threshold' must be a finite number > 0, got -1"],
    [() => sigmoid('4' as unknown as number), "sigmoid: 'alpha' must be a finite number > 0, got '4'"],
  ];
  it.each(bad.map(([f, m]) => [m, f] as const))('throws a named ValueError: %s', (message, make) => {
    expect(make).toThrow(ValueError);
    expect(make).toThrow(message);
  });

  it.each(ALL.filter(([, , p]) => !p))('%s has no primitive, so no spiking: false mode', (name, s) => {
    expect(s.primitive).toBeUndefined();
    expect(() => s.withSpiking(false)).toThrow(ValueError);
    expect(() => s.withSpiking(false)).toThrow(`${name}: 'spiking' must be true: this surrogate has no primitive`);
  });
});

describeBackends('surrogates', () => {
  const grid = (): tf.Tensor => tf.tensor1d([-2, -1, -0.5, -0.25, 0, 0.25, 0.5, 1, 2]);
  const gradOf = (s: Surrogate, x: tf.Tensor) => tf.grad((v: tf.Tensor) => tf.sum(s.apply(v)))(x);

  it.each(ALL)('%s: apply + grad 1,000 times keeps tf.memory() flat', (_n, s, hasPrimitive) => {
    const x = tf.randomNormal([4, 8]);
    const ann = hasPrimitive ? s.withSpiking(false) : s;
    expectNoLeak(() => {
      tf.dispose([s.apply(x), gradOf(s, x), ann.apply(x), gradOf(ann, x), s.grad(x)]);
    }, 1000);
    x.dispose();
  });

  it.each(ALL.filter(([, , p]) => p))('%s: withSpiking round trip', (_n, s) => {
    tf.tidy(() => {
      const x = grid();
      const ann = s.withSpiking(false);
      expect(ann.spiking).toBe(false);
      expect(ann.name).toBe(s.name);
      expect(ann.params).toEqual(s.params);
      expectClose(ann.apply(x), (s.primitive as (x: tf.Tensor) => tf.Tensor)(x), { rtol: 0, atol: 0 });
      const back = ann.withSpiking(true);
      expect(back.spiking).toBe(true);
      expect(Array.from(back.apply(x).dataSync())).toEqual([0, 0, 0, 0, 1, 1, 1, 1, 1]);
      expectClose(gradOf(back, x), s.grad(x), { rtol: 0, atol: 0 });
    });
  });

  it.each(ALL)('%s keeps the shape of a [2, 3, 4] input in forward and backward', (_n, s) => {
    tf.tidy(() => {
      const x = tf.randomNormal([2, 3, 4]);
      expect(s.apply(x).shape).toEqual([2, 3, 4]);
      expect(gradOf(s, x).shape).toEqual([2, 3, 4]);
      expect(s.grad(x).shape).toEqual([2, 3, 4]);
    });
  });

  it("scales the upstream gradient: d/dx sum(w · Θ(x)) = w · g'(x)", () => {
    tf.tidy(() => {
      const x = grid();
      const w = tf.linspace(-1, 3, 9);
      const s = atan(2);
      expectClose(tf.grad((v: tf.Tensor) => tf.sum(tf.mul(s.apply(v), w)))(x), tf.mul(w, s.grad(x)));
    });
  });

  it('rejects a non-tensor input with a ValueError that names the surrogate', () => {
    expect(() => sigmoid().apply([1, 2] as unknown as tf.Tensor)).toThrow(
      "sigmoid: 'x' must be a tf.Tensor, got [1, 2]",
    );
  });

  it('fires at exactly 0 (inclusive Heaviside) and not at NaN', () => {
    tf.tidy(() => {
      const x = tf.tensor1d([-1e-7, -0, 0, 1e-7, Number.NaN]);
      expect(Array.from(sigmoid().apply(x).dataSync())).toEqual([0, 1, 1, 1, 0]);
    });
  });

  it("fastSigmoid (snnTorch): g'(x) = 1 / (slope·|x| + 1)²", () => {
    tf.tidy(() => {
      expectClose(fastSigmoid().grad(tf.tensor1d([-0.04, 0, 0.04, 0.12])), [0.25, 1, 0.25, 0.0625]);
      expectClose(fastSigmoid(1).grad(tf.tensor1d([-1, 3])), [0.25, 0.0625]);
    });
  });

  it("triangular (snnTorch): g'(x) = +threshold below 0, −threshold at and above", () => {
    tf.tidy(() => {
      const x = tf.tensor1d([-3, -0.5, 0, 0.5, 3]);
      expectClose(triangular().grad(x), [1, 1, -1, -1, -1]);
      expectClose(gradOf(triangular(0.5), x), [0.5, 0.5, -0.5, -0.5, -0.5]);
    });
  });

  it("straightThrough and deterministicPass: g'(x) = 1; deterministicPass's primitive is x", () => {
    tf.tidy(() => {
      const x = grid();
      expectClose(gradOf(straightThrough(), x), tf.onesLike(x), { rtol: 0, atol: 0 });
      expectClose(gradOf(deterministicPass(), x), tf.onesLike(x), { rtol: 0, atol: 0 });
      expectClose(deterministicPass({ spiking: false }).apply(x), x, { rtol: 0, atol: 0 });
    });
  });

  it('superSpike(α) is α times superSpike(1); fastSigmoid(1) equals superSpike(1)', () => {
    tf.tidy(() => {
      const x = grid();
      expectClose(superSpike(3).grad(x), tf.mul(superSpike(1).grad(x), 3));
      expectClose(fastSigmoid(1).grad(x), superSpike(1).grad(x));
    });
  });

  it("piecewiseLeakyReLU: '1/w' (default) is twice '1/(2w)' inside |x| < w, the same (c) outside", () => {
    tf.tidy(() => {
      const x = tf.tensor1d([-0.6, -0.5, -0.2, 0, 0.49, 0.5, 0.6]);
      expectClose(piecewiseLeakyReLU(0.5, 0.1).grad(x), [0.1, 0.1, 2, 2, 2, 0.1, 0.1]);
      expectClose(piecewiseLeakyReLU(0.5, 0.1, { gradient: '1/(2w)' }).grad(x), [0.1, 0.1, 1, 1, 1, 0.1, 0.1]);
    });
  });

  it('fakeNumericalGradient gives alpha at x = 0 and x = −0, and 1/|x| far away', () => {
    tf.tidy(() => {
      expectClose(fakeNumericalGradient(0.3).grad(tf.tensor1d([-0, 0, -10, 10])), [0.3, 0.3, 0.1, 0.1]);
    });
  });

  it('primitives with a guarded branch stay finite in autograd (no 0·∞ from the unused side)', () => {
    tf.tidy(() => {
      // x = −1 is where S2NN's ln(|x + 1|) and QPseudoSpike's base 1 + 2x/(α−1) (α = 2: at x = −0.5) vanish.
      const x = tf.tensor1d([-5, -1, -0.5, 0, 0.5, 1, 5]);
      for (const s of [s2nn(), qPseudoSpike(), qPseudoSpike(2.5), logTailedReLU(0.1), nonzeroSignLogAbs()]) {
        const ann = s.withSpiking(false);
        const y = Array.from(ann.apply(x).dataSync());
        const dy = Array.from(gradOf(ann, x).dataSync());
        expect([...y, ...dy].every(Number.isFinite), s.name).toBe(true);
      }
    });
  });

  it('the derivative of every smooth primitive is the surrogate gradient', () => {
    tf.tidy(() => {
      const x = tf.tensor1d([-2.3, -1.7, -0.9, -0.3, -0.05, 0.05, 0.3, 0.9, 1.7, 2.3]);
      for (const s of [
        sigmoid(),
        atan(),
        piecewiseQuadratic(),
        piecewiseExp(),
        softSign(),
        nonzeroSignLogAbs(),
        erf(),
        piecewiseLeakyReLU(1, 0.01, { gradient: '1/(2w)' }),
        squarewaveFourierSeries(5, 7),
        s2nn(),
        qPseudoSpike(2.5),
        leakyKReLU(0.1, 2),
        logTailedReLU(0.1),
        rect(),
        deterministicPass(),
      ]) {
        expectClose(gradOf(s.withSpiking(false), x), s.grad(x), { rtol: 1e-5, atol: 1e-6 });
      }
    });
  });

  it('defineSurrogate: a custom box surrogate, spiking and not', () => {
    tf.tidy(() => {
      const box = defineSurrogate({
        name: 'box',
        params: { width: 1 },
        grad: (x) => tf.cast(tf.lessEqual(tf.abs(x), 0.5), 'float32'),
        primitive: (x) => tf.clipByValue(tf.add(x, 0.5), 0, 1),
      });
      const x = grid();
      expect(Array.from(box.apply(x).dataSync())).toEqual([0, 0, 0, 0, 1, 1, 1, 1, 1]);
      expectClose(gradOf(box, x), [0, 0, 1, 1, 1, 1, 1, 0, 0]);
      expectClose(box.withSpiking(false).apply(x), [0, 0, 0, 0.25, 0.5, 0.75, 1, 1, 1]);
    });
  });
});

it('takes only a boolean for spiking (a string is not read as true)', () => {
  expect(() => sigmoid(4, { spiking: 'no' as unknown as boolean })).toThrow(
    "sigmoid: 'spiking' must be a boolean, got 'no'",
  );
  expect(() => atan(2, { spiking: 0 as unknown as boolean })).toThrow("atan: 'spiking' must be a boolean, got 0");
});

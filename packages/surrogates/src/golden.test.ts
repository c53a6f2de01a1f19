// Golden parity with SpikingJelly: every case of test/golden/surrogates.json (0.0.0.0.14) and
// surrogates_master.json (master), on every Node backend. See ../README.md for which file each
// surrogate follows and why.
import { readFileSync } from 'node:fs';
import { describeBackends, expectClose } from '@snn/core/testing';
import {
  atan,
  deterministicPass,
  erf,
  fakeNumericalGradient,
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
  superSpike,
} from '@snn/surrogates';
import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';

type Num = number | null; // JSON null is NaN
interface Case {
  name: string;
  params: Record<string, number | string | boolean> & { class: string };
  inputs: { x: number[] };
  outputs: { forward: number[]; primitive?: Num[] };
  grads: { x?: number[]; primitive_x?: Num[] };
  notes?: Record<string, unknown>;
}

const load = (file: string): Case[] =>
  JSON.parse(readFileSync(new URL(`../test/golden/${file}`, import.meta.url), 'utf8')).cases;

type Factory = (p: Record<string, number>) => Surrogate;

/** SpikingJelly class → this package's factory, for 0.0.0.0.14's numbers. */
const RELEASE: Record<string, Factory> = {
  Sigmoid: (p) => sigmoid(p.alpha),
  ATan: (p) => atan(p.alpha),
  PiecewiseQuadratic: (p) => piecewiseQuadratic(p.alpha),
  PiecewiseExp: (p) => piecewiseExp(p.alpha),
  SoftSign: (p) => softSign(p.alpha),
  NonzeroSignLogAbs: (p) => nonzeroSignLogAbs(p.alpha),
  Erf: (p) => erf(p.alpha),
  PiecewiseLeakyReLU: (p) => piecewiseLeakyReLU(p.w, p.c),
  SquarewaveFourierSeries: (p) => squarewaveFourierSeries(p.n, p.T_period),
  S2NN: (p) => s2nn(p.alpha, p.beta),
  QPseudoSpike: (p) => qPseudoSpike(p.alpha),
  LeakyKReLU: (p) => leakyKReLU(p.leak, p.k),
  FakeNumericalGradient: (p) => fakeNumericalGradient(p.alpha),
  LogTailedReLU: (p) => logTailedReLU(p.alpha),
};

/** Master's numbers: its new classes, and the three that changed (PiecewiseLeakyReLU by option). */
const MASTER: Record<string, Factory> = {
  ...RELEASE,
  PiecewiseLeakyReLU: (p) => piecewiseLeakyReLU(p.w, p.c, { gradient: '1/(2w)' }),
  SuperSpike: (p) => superSpike(p.alpha),
  Rect: (p) => rect(p.alpha),
  DeterministicPass: () => deterministicPass(),
};

const TOL = { rtol: 1e-5, atol: 1e-6 };

const suites = [
  { file: 'surrogates.json', factories: RELEASE },
  { file: 'surrogates_master.json', factories: MASTER },
] as const;

const rows = suites.flatMap(({ file, factories }) =>
  load(file).map((c) => {
    const factory = factories[c.params.class];
    if (factory === undefined) throw new Error(`no factory for ${c.params.class}`);
    const params = Object.fromEntries(Object.entries(c.params).filter(([, v]) => typeof v === 'number')) as Record<
      string,
      number
    >;
    return [`${file}: ${c.name}`, c, factory(params)] as const;
  }),
);

describeBackends('surrogates vs SpikingJelly', () => {
  it('covers every golden case', () => {
    expect(rows.length).toBe(28 + 11);
  });

  it.each(rows)('spiking forward is the Heaviside step, exactly: %s', (_n, c, s) => {
    tf.tidy(() => {
      expect(Array.from(s.apply(tf.tensor1d(c.inputs.x)).dataSync())).toEqual(c.outputs.forward);
    });
  });

  it.each(rows)('surrogate gradient: %s', (_n, c, s) => {
    if (c.grads.x === undefined) {
      // SpikingJelly 0.0.0.0.14's NonzeroSignLogAbs backward raises; master's case checks ours.
      expect(String(c.notes?.grad_error)).toMatch(/RuntimeError/);
      return;
    }
    tf.tidy(() => {
      const x = tf.tensor1d(c.inputs.x);
      expectClose(tf.grad((v: tf.Tensor) => tf.sum(s.apply(v)))(x), c.grads.x as number[], TOL);
      expectClose(s.grad(x), c.grads.x as number[], TOL);
    });
  });

  it.each(rows)('primitive (spiking: false) and its autograd gradient: %s', (_n, c, s) => {
    if (c.outputs.primitive === undefined) {
      // No primitive in SpikingJelly either: no non-spiking mode here.
      expect(s.primitive).toBeUndefined();
      expect(() => s.withSpiking(false)).toThrow(/'spiking' must be true/);
      return;
    }
    const ann = s.withSpiking(false);
    tf.tidy(() => {
      const x = tf.tensor1d(c.inputs.x);
      const y = Array.from(ann.apply(x).dataSync());
      const dy = Array.from(
        tf
          .grad((v: tf.Tensor) => tf.sum(ann.apply(v)))(x)
          .dataSync(),
      );
      // null (NaN) in the golden: only LogTailedReLU of 0.0.0.0.14, whose primitive is broken there.
      // Ours is the intended formula, finite everywhere (checked exactly against master's numbers).
      const known = (g: Num[]) => g.map((v, i) => [v, i] as const).filter(([v]) => v !== null);
      const pick = (a: number[], g: Num[]) => known(g).map(([, i]) => a[i] as number);
      const pr = c.outputs.primitive as Num[];
      const pg = c.grads.primitive_x as Num[];
      expectClose(
        pick(y, pr),
        known(pr).map(([v]) => v as number),
        TOL,
      );
      expectClose(
        pick(dy, pg),
        known(pg).map(([v]) => v as number),
        TOL,
      );
      expect(y.every(Number.isFinite)).toBe(true);
      expect(dy.every(Number.isFinite)).toBe(true);
      if (known(pr).length < pr.length) expect(c.params.class).toBe('LogTailedReLU');
    });
  });
});

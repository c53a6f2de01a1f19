// Every neuron's pure charge, fire and reset functions against float64 re-implementations of the
// equations in their TSDoc, step by step over several steps, with hard and soft reset, and the
// gradient that a reset passes to the spike with and without detachReset. Written for mutation
// testing (`pnpm mutation`, issue 17): one fast file that sees a wrong sign, constant or branch in
// any model, where the model suites run whole nodes for seconds.
import { sigmoid } from '@snn/surrogates';
import type { Tensor } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { adaptiveLIFStep } from './adaptive-lif.js';
import { adexInitialState, adexStep } from './adex.js';
import { alphaStep } from './alpha.js';
import { fire, type NodeParams, resetV } from './base-node.js';
import { clifStep } from './clif.js';
import { diehlCookFire, diehlCookInitialState, diehlCookStep } from './diehl-cook.js';
import { eifStep } from './eif.js';
import { glifInitialState, glifStep } from './glif.js';
import { hodgkinHuxleyInitialState, hodgkinHuxleySteadyState, hodgkinHuxleyStep } from './hodgkin-huxley.js';
import { ifStep } from './if.js';
import { izhikevichStep } from './izhikevich.js';
import { lifStep } from './lif.js';
import { nonSpikingLIFStep } from './non-spiking-lif.js';
import { parametricLIFInitW, parametricLIFStep } from './parametric-lif.js';
import { qifStep } from './qif.js';
import { recurrentIFStep } from './recurrent-if.js';

/** Deterministic values in [low, high) from an LCG, rounded to float32. */
function values(seed: number, n: number, low: number, high: number): number[] {
  let a = seed >>> 0;
  return Array.from({ length: n }, () => {
    a = (Math.imul(a, 1664525) + 1013904223) >>> 0;
    return Math.fround(low + (high - low) * (a / 4294967296));
  });
}

type State64 = Record<string, number>;
type StateTf = Record<string, Tensor>;

/** One model: its float64 step per element and its tfjs step. */
interface Model {
  readonly name: string;
  /** Initial state of element i. */
  readonly init: (i: number) => State64;
  /** Inputs are drawn from [low, high). */
  readonly input: readonly [number, number];
  /** One step of one element: its spike, new state and the margin |z| of its firing decision. */
  readonly step64: (x: number, s: State64) => { spike: number; state: State64; z: number };
  readonly stepTf: (x: Tensor, s: StateTf) => { spike: Tensor; state: StateTf };
  /** Relative tolerance (float32 against float64 over a few steps). */
  readonly rtol?: number;
  /** Absolute tolerance (default 1e-6; more where values near 0 come from values near 50). */
  readonly atol?: number;
}

const N = 6;
const T = 6;
const heaviside = (z: number) => (z >= 0 ? 1 : 0);

/** Runs a model for T steps on N elements in both; the inputs keep every |z| ≥ 1e-3. */
function check(model: Model, seed = 1): void {
  let xs: number[][] = [];
  for (let attempt = 0; ; attempt++) {
    expect(attempt, `${model.name}: inputs that keep away from the threshold`).toBeLessThan(200);
    xs = Array.from({ length: T }, (_, t) => values(seed + 7919 * attempt + 31 * t, N, ...model.input));
    let state = Array.from({ length: N }, (_, i) => model.init(i));
    let margin = Number.POSITIVE_INFINITY;
    for (const row of xs) {
      state = state.map((s, i) => {
        const r = model.step64(row[i] as number, s);
        margin = Math.min(margin, Math.abs(r.z));
        return r.state;
      });
    }
    if (margin >= 1e-3) break;
  }
  let s64 = Array.from({ length: N }, (_, i) => model.init(i));
  const keys = Object.keys(s64[0] as State64);
  let sTf: StateTf = Object.fromEntries(keys.map((k) => [k, tf.tensor(s64.map((s) => s[k] as number))]));
  const rtol = model.rtol ?? 1e-5;
  const atol = model.atol ?? 1e-6;
  for (let t = 0; t < T; t++) {
    const row = xs[t] as number[];
    const steps = s64.map((s, i) => model.step64(row[i] as number, s));
    s64 = steps.map((r) => r.state);
    const x = tf.tensor(row);
    const next = model.stepTf(x, sTf);
    x.dispose();
    for (const old of Object.values(sTf)) old.dispose();
    sTf = next.state;
    expect(Array.from(next.spike.dataSync()), `${model.name}: spikes at step ${t}`).toEqual(steps.map((r) => r.spike));
    next.spike.dispose();
    expect(Object.keys(sTf).sort(), `${model.name}: state keys`).toEqual([...keys].sort());
    for (const k of keys) {
      const got = Array.from((sTf[k] as Tensor).dataSync());
      const want = s64.map((s) => s[k] as number);
      got.forEach((g, i) => {
        const w = want[i] as number;
        if (!(Math.abs(g - w) <= atol + rtol * Math.abs(w))) {
          expect.fail(`${model.name}: ${k}[${i}] at step ${t}: got ${g}, want ${w}`);
        }
      });
    }
  }
  for (const v of Object.values(sTf)) v.dispose();
}

/** Base parameters; `vReset` 0.1 (hard, not 0: a wrong leak target shows) or null (soft). */
const node = (vReset: number | null, vThreshold = 1): NodeParams => ({
  vThreshold,
  vReset,
  surrogate: sigmoid(4), // made in the test, not when the file loads (mutants are switched on per test)
  detachReset: false,
});

/** The reset every membrane model shares: hard `H(1 − S) + S·r`, soft `H − S·vth`. */
const reset64 = (h: number, s: number, p: NodeParams) => (p.vReset === null ? h - s * p.vThreshold : s ? p.vReset : h);

const RESETS = [0.1, null] as const;

/** `got` equals `want` to 6 decimals, element by element (float32 against float64). */
function expectValues(got: Tensor | number[], want: number[], what = ''): void {
  const xs = Array.isArray(got) ? got : Array.from(got.dataSync());
  expect(xs.length, what).toBe(want.length);
  for (const [i, x] of xs.entries()) expect(x, `${what}[${i}]`).toBeCloseTo(want[i] as number, 6);
}

describe('neuron charges against float64', () => {
  it.each(RESETS)('IF (vReset %s): H = V + X', (vReset) => {
    const p = node(vReset);
    check({
      name: 'IF',
      init: (i) => ({ v: 0.1 * i }),
      input: [-0.3, 0.9],
      step64: (x, s) => {
        const h = (s.v as number) + x;
        const spike = heaviside(h - p.vThreshold);
        return { spike, state: { v: reset64(h, spike, p) }, z: h - p.vThreshold };
      },
      stepTf: (x, s) => ifStep(x, { v: s.v as Tensor }, p),
    });
  });

  for (const decayInput of [true, false]) {
    it.each(RESETS)(`LIF decayInput ${decayInput} (vReset %s)`, (vReset) => {
      const p = { ...node(vReset), tau: 3, decayInput };
      const r = vReset ?? 0;
      check({
        name: 'LIF',
        init: (i) => ({ v: 0.1 * i - 0.2 }),
        input: [-0.5, 2.5],
        step64: (x, s) => {
          const v = s.v as number;
          const h = decayInput ? v + (x - (v - r)) / p.tau : v - (v - r) / p.tau + x;
          const spike = heaviside(h - p.vThreshold);
          return { spike, state: { v: reset64(h, spike, p) }, z: h - p.vThreshold };
        },
        stepTf: (x, s) => lifStep(x, { v: s.v as Tensor }, p),
      });
    });

    it.each(RESETS)(`non-spiking LIF decayInput ${decayInput} (vReset %s): the charge only`, (vReset) => {
      const p = { tau: 4, decayInput, vReset };
      const r = vReset ?? 0;
      check({
        name: 'NonSpikingLIF',
        init: (i) => ({ v: 0.2 * i - 0.5 }),
        input: [-1, 1],
        step64: (x, s) => {
          const v = s.v as number;
          const h = decayInput ? v + (x - (v - r)) / p.tau : v - (v - r) / p.tau + x;
          return { spike: 0, state: { v: h }, z: 1 };
        },
        stepTf: (x, s) => ({ spike: tf.zerosLike(x), state: nonSpikingLIFStep(x, { v: s.v as Tensor }, p) }),
      });
    });

    it.each(RESETS)(`parametric LIF decayInput ${decayInput} (vReset %s): k = sigmoid(w)`, (vReset) => {
      const p = { ...node(vReset), decayInput };
      const w = 0.3; // k = sigmoid(0.3)
      const k = 1 / (1 + Math.exp(-w));
      const r = vReset ?? 0;
      const wTensor = tf.scalar(w);
      check({
        name: 'ParametricLIF',
        init: (i) => ({ v: 0.1 * i - 0.2 }),
        input: [-0.5, 2],
        step64: (x, s) => {
          const v = s.v as number;
          const h = decayInput ? v + (x - (v - r)) * k : v - (v - r) * k + x;
          const spike = heaviside(h - p.vThreshold);
          return { spike, state: { v: reset64(h, spike, p) }, z: h - p.vThreshold };
        },
        stepTf: (x, s) => parametricLIFStep(x, { v: s.v as Tensor }, wTensor, p),
      });
      wTensor.dispose();
    });
  }

  it('LIF without decayInput, reset to 0: V·f32(1 − 1/τ) + X, the factor rounded once (a cancellation shows it)', async () => {
    const { lifCharge } = await import('./lif.js');
    // V = 1000, τ = 3, X ≈ −V·(2/3): the float32 rounding of 1 − 1/3 is as large as H itself.
    const x = Math.fround(-666.6666);
    const want = Math.fround(Math.fround(1000 * Math.fround(1 - 1 / 3)) + x);
    for (const vReset of [0, null]) {
      const h = tf.tidy(() => lifCharge(tf.tensor([x]), tf.tensor([1000]), { tau: 3, decayInput: false, vReset }));
      expect(h.dataSync()[0], `vReset ${vReset}`).toBe(want);
      h.dispose();
    }
  });

  it('parametricLIFInitW(τ) = −ln(τ − 1), so that sigmoid(w) = 1/τ', () => {
    for (const tau of [1.5, 2, 5]) expect(parametricLIFInitW(tau)).toBeCloseTo(-Math.log(tau - 1), 12);
  });

  it.each(RESETS)('recurrent IF (vReset %s): H = V + w·(V − r) + X', (vReset) => {
    const p = node(vReset);
    const w = -0.4;
    const r = vReset ?? 0;
    check({
      name: 'RecurrentIF',
      init: (i) => ({ v: 0.1 * i - 0.2 }),
      input: [-0.3, 1.2],
      step64: (x, s) => {
        const v = s.v as number;
        const h = v + w * (v - r) + x;
        const spike = heaviside(h - p.vThreshold);
        return { spike, state: { v: reset64(h, spike, p) }, z: h - p.vThreshold };
      },
      stepTf: (x, s) => recurrentIFStep(x, { v: s.v as Tensor }, w, p),
    });
  });

  it.each(RESETS)('adaptive LIF (vReset %s): S = Θ(H − vth − θ), θ ← θ − θ/τθ + θ₊·S', (vReset) => {
    const p = { ...node(vReset), tau: 2, decayInput: true, thetaPlus: 0.3, tauTheta: 4 };
    const r = vReset ?? 0;
    check({
      name: 'AdaptiveLIF',
      init: (i) => ({ v: 0.1 * i, theta: 0.05 * i }),
      input: [0, 3],
      step64: (x, s) => {
        const v = s.v as number;
        const theta = s.theta as number;
        const h = v + (x - (v - r)) / p.tau;
        const z = h - p.vThreshold - theta;
        const spike = heaviside(z);
        const vNext = vReset === null ? h - spike * (theta + p.vThreshold) : spike ? r : h;
        return { spike, state: { v: vNext, theta: theta - theta / p.tauTheta + p.thetaPlus * spike }, z };
      },
      stepTf: (x, s) => adaptiveLIFStep(x, { v: s.v as Tensor, theta: s.theta as Tensor }, p),
    });
  });

  it.each(RESETS)('EIF (vReset %s): H = V + (X + vRest − V + ΔT·exp((V − θrh)/ΔT))/τ', (vReset) => {
    const p = { ...node(vReset), tau: 2, deltaT: 0.5, thetaRh: 0.6, vRest: -0.1 };
    check({
      name: 'EIF',
      init: (i) => ({ v: 0.1 * i - 0.2 }),
      input: [-0.5, 1.5],
      step64: (x, s) => {
        const v = s.v as number;
        const h = v + (x + p.vRest - v + p.deltaT * Math.exp((v - p.thetaRh) / p.deltaT)) / p.tau;
        const spike = heaviside(h - p.vThreshold);
        return { spike, state: { v: reset64(h, spike, p) }, z: h - p.vThreshold };
      },
      stepTf: (x, s) => eifStep(x, { v: s.v as Tensor }, p),
    });
  });

  it.each(RESETS)('QIF (vReset %s): H = V + (X + a0·(V − vRest)·(V − vC))/τ', (vReset) => {
    const p = { ...node(vReset), tau: 2, vC: 0.7, a0: 1.3, vRest: -0.1 };
    check({
      name: 'QIF',
      init: (i) => ({ v: 0.1 * i - 0.2 }),
      input: [-0.5, 1.5],
      step64: (x, s) => {
        const v = s.v as number;
        const h = v + (x + p.a0 * (v - p.vRest) * (v - p.vC)) / p.tau;
        const spike = heaviside(h - p.vThreshold);
        return { spike, state: { v: reset64(h, spike, p) }, z: h - p.vThreshold };
      },
      stepTf: (x, s) => qifStep(x, { v: s.v as Tensor }, p),
    });
  });

  it.each(RESETS)('Izhikevich (vReset %s): charge, W′ = W + (a·(H − vRest) − W)/τw, W = W′ + b·S', (vReset) => {
    const p = { ...node(vReset), tau: 2, vC: 0.8, a0: 1.1, vRest: -0.1, wRest: 0, tauW: 3, a: 0.4, b: 0.25 };
    check({
      name: 'Izhikevich',
      init: (i) => ({ v: 0.1 * i - 0.2, w: 0.05 * i }),
      input: [-0.5, 2],
      step64: (x, s) => {
        const v = s.v as number;
        const w = s.w as number;
        const h = v + (x + p.a0 * (v - p.vRest) * (v - p.vC) - w) / p.tau;
        const wNext = w + (p.a * (h - p.vRest) - w) / p.tauW;
        const spike = heaviside(h - p.vThreshold);
        return { spike, state: { v: reset64(h, spike, p), w: wNext + p.b * spike }, z: h - p.vThreshold };
      },
      stepTf: (x, s) => izhikevichStep(x, { v: s.v as Tensor, w: s.w as Tensor }, p),
    });
  });

  // Hard resets only: a soft reset by a threshold of −50 mV would put V near 0 mV, where the
  // exponential term explodes.
  it.each([-65, -58])('AdEx (vReset %s), from its initial state', (vReset) => {
    // Units as the node's: mV, ms, nS, pF; the input and w in nA (×1000 to pA = nS·mV).
    const p = {
      ...node(vReset, -50),
      dt: 0.5,
      cm: 200,
      gL: 10,
      eL: -70,
      vT: -55,
      deltaT: 2,
      tauW: 30,
      a: 2,
      b: 0.04,
    };
    const init = adexInitialState(p);
    expect([init.v.dataSync()[0], init.w.dataSync()[0]]).toEqual([p.eL, 0]);
    tf.dispose([init.v, init.w]);
    check(
      {
        name: 'AdEx',
        init: (i) => ({ v: p.eL + 2 * i, w: 0.005 * i }),
        input: [0, 3],
        step64: (x, s) => {
          const v = s.v as number;
          const w = s.w as number;
          const dv = p.gL * (p.eL - v) + p.gL * p.deltaT * Math.exp((v - p.vT) / p.deltaT) + 1000 * (x - w);
          const h = v + (p.dt / p.cm) * dv;
          const wNext = w + (p.dt / p.tauW) * ((p.a * (v - p.eL)) / 1000 - w);
          const spike = heaviside(h - p.vThreshold);
          return { spike, state: { v: reset64(h, spike, p), w: wNext + p.b * spike }, z: h - p.vThreshold };
        },
        stepTf: (x, s) => adexStep(x, { v: s.v as Tensor, w: s.w as Tensor }, p),
        rtol: 2e-5,
        atol: 1e-4,
      },
      3,
    );
  });

  it.each(RESETS)('Alpha (vReset %s): two currents, the reset moves the excitatory one', (vReset) => {
    const p = { ...node(vReset), alpha: 0.6, beta: 0.3 };
    check({
      name: 'Alpha',
      init: (i) => ({ v: 0, iExc: 0.1 * i, iInh: -0.05 * i }),
      input: [-0.2, 1.5],
      step64: (x, s) => {
        const iExc = p.alpha * (s.iExc as number) + x;
        const iInh = p.beta * (s.iInh as number) - x;
        const v = iExc + iInh;
        const spike = heaviside(v - p.vThreshold);
        const vNext = reset64(v, spike, p);
        return { spike, state: { v: vNext, iExc: iExc + (vNext - v), iInh }, z: v - p.vThreshold };
      },
      stepTf: (x, s) => alphaStep(x, { v: s.v as Tensor, iExc: s.iExc as Tensor, iInh: s.iInh as Tensor }, p),
    });
  });

  it.each(RESETS)('CLIF (vReset %s): I = α·I + X, V = β·V + I', (vReset) => {
    const p = { ...node(vReset), alpha: 0.5, beta: 0.7 };
    check({
      name: 'CLIF',
      init: (i) => ({ v: 0.1 * i, i: -0.05 * i }),
      input: [-0.3, 1],
      step64: (x, s) => {
        const cur = p.alpha * (s.i as number) + x;
        const v = p.beta * (s.v as number) + cur;
        const spike = heaviside(v - p.vThreshold);
        return { spike, state: { v: reset64(v, spike, p), i: cur }, z: v - p.vThreshold };
      },
      stepTf: (x, s) => clifStep(x, { v: s.v as Tensor, i: s.i as Tensor }, p),
    });
  });

  it('GLIF, from its initial state: threshold components, after-spike currents, voltage jump', () => {
    const p = {
      ...node(0, 10),
      dt: 0.5,
      cm: 50,
      gL: 5,
      eL: 0,
      ascAmps: [-0.02, 0.015] as const,
      ascTau: [3, 20] as const,
      deltaThetaS: 2,
      bS: 0.1,
      aV: 0.05,
      bV: 0.2,
      fV: 0.3,
      deltaV: 1.5,
    };
    const init = glifInitialState(p);
    expect(Object.values(init).map((t) => t.dataSync()[0])).toEqual([p.eL, 0, 0, 0, 0]);
    tf.dispose(Object.values(init));
    check({
      name: 'GLIF',
      init: (i) => ({ v: i, thetaS: 0.5 * i, thetaV: 0.2 * i, asc1: 0.01 * i, asc2: -0.01 * i }),
      input: [0, 1.2],
      step64: (x, s) => {
        const v0 = s.v as number;
        const v = v0 + (p.dt / p.cm) * (1000 * (x + (s.asc1 as number) + (s.asc2 as number)) - p.gL * (v0 - p.eL));
        const thetaS = (s.thetaS as number) * Math.exp(-p.bS * p.dt);
        const thetaV = (s.thetaV as number) + p.dt * (p.aV * (v0 - p.eL) - p.bV * (s.thetaV as number));
        const asc1 = (s.asc1 as number) * Math.exp(-p.dt / p.ascTau[0]);
        const asc2 = (s.asc2 as number) * Math.exp(-p.dt / p.ascTau[1]);
        const z = v - (thetaS + thetaV + p.vThreshold);
        const spike = heaviside(z);
        return {
          spike,
          state: {
            v: v + spike * ((p.fV - 1) * (v - p.eL) - p.deltaV),
            thetaS: thetaS + p.deltaThetaS * spike,
            thetaV,
            asc1: asc1 + p.ascAmps[0] * spike,
            asc2: asc2 + p.ascAmps[1] * spike,
          },
          z,
        };
      },
      stepTf: (x, s) =>
        glifStep(
          x,
          {
            v: s.v as Tensor,
            thetaS: s.thetaS as Tensor,
            thetaV: s.thetaV as Tensor,
            asc1: s.asc1 as Tensor,
            asc2: s.asc2 as Tensor,
          },
          p,
        ),
      rtol: 2e-5,
    });
  });

  /** The Hodgkin–Huxley rates (1/ms) at V (mV), as in the TSDoc of hodgkin-huxley.ts. */
  const hhRates = (v: number) => {
    const linoid = (u: number) => (u === 0 ? 1 : u / (1 - Math.exp(-u)));
    return {
      am: linoid((v + 40) / 10),
      bm: 4 * Math.exp(-(v + 65) / 18),
      ah: 0.07 * Math.exp(-(v + 65) / 20),
      bh: 1 / (1 + Math.exp(-(v + 35) / 10)),
      an: 0.1 * linoid((v + 55) / 10),
      bn: 0.125 * Math.exp(-(v + 65) / 80),
    };
  };

  it('Hodgkin–Huxley steady state m∞ = αm/(αm + βm), … including V = −40 and −55 (the 0/0 points)', () => {
    for (const v of [-65, -40, -55, -40.0001, -54.9999, -20, 10]) {
      const r = hhRates(v);
      const got = hodgkinHuxleySteadyState(v);
      expect(got.m, `m at ${v}`).toBeCloseTo(r.am / (r.am + r.bm), 7);
      expect(got.h, `h at ${v}`).toBeCloseTo(r.ah / (r.ah + r.bh), 7);
      expect(got.n, `n at ${v}`).toBeCloseTo(r.an / (r.an + r.bn), 7);
    }
  });

  it('Hodgkin–Huxley: exponential-Euler gates, ionic currents; a spike when V crosses vThreshold upward', () => {
    const p = {
      ...node(null, 0),
      dt: 0.05,
      cm: 1.5, // not 1: dt/C and dt·C must differ
      gNa: 120,
      gK: 36,
      gL: 0.3,
      eNa: 50,
      eK: -77,
      eL: -54.387,
      vRest: -65,
    };
    const init = hodgkinHuxleyInitialState(p);
    const ss = hodgkinHuxleySteadyState(p.vRest);
    expect(Object.values(init).map((t) => t.dataSync()[0])).toEqual(
      [p.vRest, ss.m, ss.h, ss.n].map((x) => Math.fround(x)),
    );
    tf.dispose(Object.values(init));
    const gate = (x: number, a: number, b: number) => a / (a + b) + (x - a / (a + b)) * Math.exp(-(a + b) * p.dt);
    // Elements start near −40 and −55 (the rates' removable singularities) and near threshold.
    const v0 = [-65, -40.02, -55.03, -1, 3, -60];
    check({
      name: 'HodgkinHuxley',
      init: (i) => ({ v: v0[i] as number, m: 0.1 + 0.1 * i, h: 0.6 - 0.05 * i, n: 0.3 + 0.02 * i }),
      input: [0, 60],
      step64: (x, s) => {
        const v = s.v as number;
        const [m, h, n] = [s.m as number, s.h as number, s.n as number];
        const ionic = p.gNa * m ** 3 * h * (v - p.eNa) + p.gK * n ** 4 * (v - p.eK) + p.gL * (v - p.eL);
        const vNew = v + (p.dt / p.cm) * (x - ionic);
        const r = hhRates(v);
        const spike = vNew >= p.vThreshold && v < p.vThreshold ? 1 : 0;
        // The decision is a crossing: both sides must stay away from the threshold.
        const z = Math.min(Math.abs(vNew - p.vThreshold), Math.abs(v - p.vThreshold));
        return {
          spike,
          state: { v: vNew, m: gate(m, r.am, r.bm), h: gate(h, r.ah, r.bh), n: gate(n, r.an, r.bn) },
          z,
        };
      },
      stepTf: (x, s) =>
        hodgkinHuxleyStep(x, { v: s.v as Tensor, m: s.m as Tensor, h: s.h as Tensor, n: s.n as Tensor }, p),
      rtol: 1e-4,
    });
  });

  for (const learning of [true, false]) {
    it.each([0.1, null])(`Diehl & Cook (vReset %s, learning ${learning}): refractory steps, θ per spike`, (vReset) => {
      const p = {
        ...node(vReset, -52),
        dt: 0.5,
        vRest: -65,
        tau: 100,
        refrac: 1.2, // ceil(1.2 / 0.5) = 3 steps
        thetaPlus: 0.05,
        tauTheta: 1e4,
        vLowerBound: -70,
        oneSpike: false,
      };
      const init = diehlCookInitialState(p);
      expect(Object.values(init).map((t) => t.dataSync()[0])).toEqual([p.vRest, 0, 0]);
      tf.dispose(Object.values(init));
      // θ is one per neuron (summed over the batch): a batch of 1 here, so that it is per element.
      check({
        name: 'DiehlCook',
        init: (i) => ({ v: -66 + 3 * i, theta: 0.5 * i, refrac: i % 3 }),
        input: [-9, 9],
        step64: (x, s) => {
          const integrating = (s.refrac as number) >= 0.5 ? 0 : 1;
          const v = p.vRest + ((s.v as number) - p.vRest) * Math.exp(-p.dt / p.tau) + x * integrating;
          const theta = learning ? (s.theta as number) * Math.exp(-p.dt / p.tauTheta) : (s.theta as number);
          const z = v - p.vThreshold - theta;
          const spike = heaviside(z);
          const vNext = Math.max(spike ? (vReset ?? 0) : v, p.vLowerBound);
          const refrac = spike ? 3 : Math.max((s.refrac as number) - 1, 0);
          return { spike, state: { v: vNext, theta: learning ? theta + p.thetaPlus * spike : theta, refrac }, z };
        },
        stepTf: (x, s) => {
          const r = diehlCookStep(
            tf.reshape(x, [1, N]),
            {
              v: tf.reshape(s.v as Tensor, [1, N]),
              theta: s.theta as Tensor,
              refrac: tf.reshape(s.refrac as Tensor, [1, N]),
            },
            p,
            learning,
          );
          return {
            spike: tf.reshape(r.spike, [N]),
            state: { v: tf.reshape(r.state.v, [N]), theta: r.state.theta, refrac: tf.reshape(r.state.refrac, [N]) },
          };
        },
      });
    });
  }

  it('Diehl & Cook with oneSpike: only the neuron with the largest V − vth − θ of each sample fires', () => {
    const p = {
      ...node(0, 0),
      dt: 1,
      vRest: 0,
      tau: 100,
      refrac: 5,
      thetaPlus: 0.05,
      tauTheta: 1e4,
      vLowerBound: null,
      oneSpike: true,
    };
    tf.tidy(() => {
      const c = {
        v: tf.tensor([
          [0.5, 2, 1, -1],
          [3, 0.2, 4, 1],
        ]),
        theta: tf.tensor([0, 0, 0.5, 0]),
      };
      expect(diehlCookFire(c, p).arraySync()).toEqual([
        [0, 1, 0, 0],
        [0, 0, 1, 0],
      ]);
      expect(diehlCookFire(c, { ...p, oneSpike: false }).arraySync()).toEqual([
        [1, 1, 1, 0],
        [1, 1, 1, 1],
      ]);
      // Nobody above threshold: nobody fires; a single neuron per sample is its own winner.
      expect(diehlCookFire({ v: tf.tensor([[-1, -2]]), theta: tf.zeros([2]) }, p).arraySync()).toEqual([[0, 0]]);
      expect(diehlCookFire({ v: tf.tensor([[1], [-1]]), theta: tf.zeros([1]) }, p).arraySync()).toEqual([[1], [0]]);
      expect(diehlCookFire({ v: tf.tensor([1, -1, 2]), theta: tf.zeros([3]) }, p).arraySync()).toEqual([1, 0, 1]);
    });
  });
});

describe('resets and the gradient they pass to the spike', () => {
  it.each([false, true])('resetV: hard ∂V/∂S = r − H, soft −vth; 0 with detachReset (%s)', (detachReset) => {
    tf.tidy(() => {
      const h = tf.tensor([0.4, 1.7, -0.3]);
      const spike = tf.tensor([0, 1, 1]);
      const hard = { ...node(0.1), detachReset };
      const soft = { ...node(null), detachReset };
      expectValues(Array.from(resetV(h, spike, hard).dataSync()), [0.4, 0.1, 0.1].map(Math.fround));
      expectValues(Array.from(resetV(h, spike, soft).dataSync()), [0.4, 0.7, -1.3].map(Math.fround));
      const dHard = tf.grad((s: Tensor) => tf.sum(resetV(h, s, hard)))(spike);
      const dSoft = tf.grad((s: Tensor) => tf.sum(resetV(h, s, soft)))(spike);
      const want = (xs: number[]) => (detachReset ? [0, 0, 0] : xs.map(Math.fround));
      expectValues(Array.from(dHard.dataSync()), want([0.1 - 0.4, 0.1 - 1.7, 0.1 + 0.3]));
      expectValues(Array.from(dSoft.dataSync()), want([-1, -1, -1]));
    });
  });

  it('fire: Θ(H − vth) with the surrogate gradient at H − vth', () => {
    tf.tidy(() => {
      const h = tf.tensor([0.5, 1, 1.5]);
      const p = node(0, 1);
      expect(Array.from(fire(h, p).dataSync())).toEqual([0, 1, 1]);
      const g = tf.grad((x: Tensor) => tf.sum(fire(x, p)))(h);
      const sig = (z: number) => 1 / (1 + Math.exp(-4 * z));
      const want = [-0.5, 0, 0.5].map((z) => 4 * sig(z) * (1 - sig(z)));
      expectValues(g, want);
    });
  });

  /** ∂(sum of a state)/∂S for a model's step, with the spike fed in as a constant input. */
  const spikeGrad = (f: (s: Tensor) => Tensor, s: Tensor) => Array.from(tf.grad(f)(s).dataSync());

  it.each([false, true])(
    'adaptive LIF, Izhikevich, GLIF, Diehl & Cook, AdEx, Alpha (detachReset %s)',
    async (detachReset) => {
      const { adaptiveLIFReset } = await import('./adaptive-lif.js');
      const { izhikevichReset } = await import('./izhikevich.js');
      const { glifReset } = await import('./glif.js');
      const { diehlCookReset } = await import('./diehl-cook.js');
      const { adexReset } = await import('./adex.js');
      const { alphaReset } = await import('./alpha.js');
      tf.tidy(() => {
        const h = tf.tensor([0.4, 1.7]);
        const theta = tf.tensor([0.2, 0.3]);
        const s = tf.tensor([0, 1]);
        const hard = { ...node(0.1), detachReset };
        const soft = { ...node(null), detachReset };
        const d = (xs: number[]) => (detachReset ? xs.map(() => 0) : xs.map(Math.fround));
        expectValues(
          spikeGrad((x) => tf.sum(adaptiveLIFReset(h, x, theta, hard)), s),
          d([0.1 - 0.4, 0.1 - 1.7]),
        );
        expectValues(
          spikeGrad((x) => tf.sum(adaptiveLIFReset(h, x, theta, soft)), s),
          d([-1.2, -1.3]),
        );
        expectValues(Array.from(adaptiveLIFReset(h, s, theta, soft).dataSync()), [0.4, 0.4].map(Math.fround));
        // Izhikevich detaches only the (1 − S) factor of the hard reset: S·vReset keeps its gradient.
        const izh = spikeGrad((x) => tf.sum(izhikevichReset(h, x, hard)), s);
        expectValues(izh, detachReset ? [0.1, 0.1].map(Math.fround) : [0.1 - 0.4, 0.1 - 1.7].map(Math.fround));
        expectValues(
          spikeGrad((x) => tf.sum(izhikevichReset(h, x, soft)), s),
          d([-1, -1]),
        );

        const glifP = {
          ...hard,
          dt: 1,
          cm: 1,
          gL: 1,
          eL: -0.2,
          ascAmps: [0.5, -0.25] as const,
          ascTau: [2, 4] as const,
          deltaThetaS: 0.7,
          bS: 0.1,
          aV: 0,
          bV: 0,
          fV: 0.3,
          deltaV: 0.05,
        };
        const pre = { v: h, thetaS: theta, thetaV: theta, asc1: theta, asc2: theta };
        const jump = [0.4, 1.7].map((v) => (0.3 - 1) * (v + 0.2) - 0.05);
        expectValues(
          spikeGrad((x) => tf.sum(glifReset(pre, x, glifP).v), s),
          d(jump),
        );
        // The threshold and the after-spike currents are not part of the reset: never detached.
        expectValues(
          spikeGrad((x) => tf.sum(glifReset(pre, x, glifP).thetaS), s),
          [0.7, 0.7].map(Math.fround),
        );
        expectValues(
          spikeGrad((x) => tf.sum(glifReset(pre, x, glifP).asc1), s),
          [0.5, 0.5],
        );
        expectValues(
          spikeGrad((x) => tf.sum(glifReset(pre, x, glifP).asc2), s),
          [-0.25, -0.25],
        );
        expectValues(Array.from(glifReset(pre, s, glifP).thetaV.dataSync()), Array.from(theta.dataSync()));

        const dcP = {
          ...hard,
          dt: 1,
          vRest: 0,
          tau: 10,
          refrac: 2,
          thetaPlus: 0.05,
          tauTheta: 100,
          vLowerBound: null,
          oneSpike: false,
        };
        const c = { v: tf.tensor([[0.4, 1.7]]), theta: tf.tensor([0.2, 0.3]) };
        const state = { v: c.v, theta: c.theta, refrac: tf.tensor([[0, 0]]) };
        const s2 = tf.tensor([[0, 1]]);
        expectValues(
          spikeGrad((x) => tf.sum(diehlCookReset(c, x, state, dcP, true).v), s2),
          d([0.1 - 0.4, 0.1 - 1.7]),
        );
        expectValues(
          spikeGrad((x) => tf.sum(diehlCookReset(c, x, state, dcP, true).refrac), s2),
          [0, 0],
        );
        expectValues(
          spikeGrad((x) => tf.sum(diehlCookReset(c, x, state, dcP, true).theta), s2),
          [0.05, 0.05].map(Math.fround),
        );

        const adexP = { ...hard, dt: 1, cm: 1, gL: 1, eL: 0, vT: 1, deltaT: 1, tauW: 1, a: 0, b: 0.6 };
        const adexPre = { v: h, w: theta };
        expectValues(
          spikeGrad((x) => tf.sum(adexReset(adexPre, x, adexP).v), s),
          d([0.1 - 0.4, 0.1 - 1.7]),
        );
        expectValues(
          spikeGrad((x) => tf.sum(adexReset(adexPre, x, adexP).w), s),
          [0.6, 0.6].map(Math.fround),
        );

        const alphaPre = { v: h, iExc: theta, iInh: theta };
        expectValues(
          spikeGrad((x) => tf.sum(alphaReset(alphaPre, x, hard).iExc), s),
          d([0.1 - 0.4, 0.1 - 1.7]),
        );
        expectValues(Array.from(alphaReset(alphaPre, s, hard).iInh.dataSync()), Array.from(theta.dataSync()));
      });
    },
  );
});

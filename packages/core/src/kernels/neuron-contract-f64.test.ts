// The fused neuron kernels' plain loops (neuron-loops.ts) and their tfjs reference
// (neuron-reference.ts) against an independent float64 reading of the contract written out in
// neuron-contract.ts, over every combination of its attributes: charge × decayInput × reset
// (hard to 0, hard to r ≠ 0, soft) × adaptive × keepSeq × scalar/per-neuron parameter ×
// surrogate × detachReset × last-step-only gradients, and over more neurons than one block of
// the loops (2048), with a per-neuron parameter whose size does not divide the block. Written for
// mutation testing (`pnpm mutation`, issue 17): the golden suite pins SpikingJelly's cases, this
// pins every branch of the loops.
import type * as Tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import type { ChargeKind, NeuronBackwardAttrs, SurrogateKind } from './neuron-contract.js';
import { neuronBackwardLoop, neuronForwardLoop } from './neuron-loops.js';

/** Deterministic values in [low, high) from an LCG, as float32. */
function values(seed: number, n: number, low: number, high: number): Float32Array {
  let a = seed >>> 0;
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    a = (Math.imul(a, 1664525) + 1013904223) >>> 0;
    out[i] = low + (high - low) * (a / 4294967296);
  }
  return out;
}

type Reset = 'hard0' | 'hardR' | 'soft';

interface Case {
  readonly a: NeuronBackwardAttrs;
  readonly T: number;
  readonly n: number;
  /** Size of the parameter (1: a scalar; else one value per element of the trailing axes). */
  readonly pn: number;
  readonly lastGradOnly: boolean;
  /** Whether the backward is asked for the gradient of k (plif only). */
  readonly withK: boolean;
}

function attrs(
  charge: ChargeKind,
  decayInput: boolean,
  reset: Reset,
  adaptive: boolean,
  keepSeq: boolean,
  surrogate: SurrogateKind,
  detachReset: boolean,
): NeuronBackwardAttrs {
  return {
    charge,
    decayInput,
    vThreshold: 0.9,
    vReset: reset === 'hardR' ? -0.2 : reset === 'soft' ? 0.35 : 0, // soft reset ignores vReset
    softReset: reset === 'soft',
    adaptive,
    thetaPlus: 0.3,
    tauTheta: 5,
    keepSeq,
    saveH: true,
    detachReset,
    surrogate,
    alpha: surrogate === 'sigmoid' ? 4 : surrogate === 'atan' ? 2 : 0,
  };
}

/** Inputs of one case, as float32 arrays. */
interface Inputs {
  readonly xSeq: Float32Array;
  readonly v0: Float32Array;
  readonly param: Float32Array | null;
  readonly theta0: Float32Array | null;
  readonly gradSpikeSeq: Float32Array;
  readonly gradVSeq: Float32Array;
  readonly gradThetaSeq: Float32Array | null;
  readonly surrogateGradSeq: Float32Array | null;
}

function inputsOf(c: Case, seed: number): Inputs {
  const { a, T, n, pn } = c;
  const gradRows = c.lastGradOnly ? 1 : T;
  return {
    xSeq: values(seed, T * n, -0.6, 1.6),
    v0: values(seed + 1, n, -0.4, 0.8),
    param:
      a.charge === 'if' ? null : a.charge === 'lif' ? values(seed + 2, pn, 1.5, 4) : values(seed + 2, pn, 0.2, 0.8),
    theta0: a.adaptive ? values(seed + 3, n, 0, 0.4) : null,
    gradSpikeSeq: values(seed + 4, T * n, -1, 1),
    gradVSeq: values(seed + 5, gradRows * n, -1, 1),
    gradThetaSeq: a.adaptive ? values(seed + 6, gradRows * n, -1, 1) : null,
    surrogateGradSeq: a.surrogate === 'input' ? values(seed + 7, T * n, 0, 1.5) : null,
  };
}

/** The forward of the contract: every step's S, V, θ and H, and the smallest |H − vth − θ|. */
function forward64(c: Case, io: Inputs) {
  const { a, T, n } = c;
  const r = a.softReset ? 0 : a.vReset;
  const spikes = new Float64Array(T * n);
  const vs = new Float64Array(T * n);
  const thetas = new Float64Array(T * n);
  const hs = new Float64Array(T * n);
  let margin = Number.POSITIVE_INFINITY;
  for (let i = 0; i < n; i++) {
    const p = io.param === null ? 0 : (io.param[i % io.param.length] as number);
    let v = io.v0[i] as number;
    let theta = io.theta0 === null ? 0 : (io.theta0[i] as number);
    for (let t = 0; t < T; t++) {
      const x = io.xSeq[t * n + i] as number;
      let charged: number;
      if (a.charge === 'if') charged = v + x;
      else {
        // lif: the leak rate is 1/τ; plif: k.
        const rate = a.charge === 'lif' ? 1 / p : p;
        charged = a.decayInput ? v + (x - (v - r)) * rate : v - (v - r) * rate + x;
      }
      // The state is float32 (H, V and θ are stored as such); the arithmetic of a step is float64.
      const h = Math.fround(charged);
      const z = h - a.vThreshold - theta;
      margin = Math.min(margin, Math.abs(z));
      const s = z >= 0 ? 1 : 0;
      const vNext = Math.fround(a.softReset ? h - (a.vThreshold + theta) * s : s === 1 ? r : h);
      if (a.adaptive) theta = Math.fround(theta - theta / a.tauTheta + a.thetaPlus * s);
      spikes[t * n + i] = s;
      vs[t * n + i] = vNext;
      thetas[t * n + i] = theta;
      hs[t * n + i] = h;
      v = vNext;
    }
  }
  return { spikes, vs, thetas, hs, margin };
}

/** The backward of the contract in float64, from the given forward arrays. */
function backward64(c: Case, io: Inputs, f: { h: Float32Array; s: Float32Array; v: Float32Array; th: Float32Array }) {
  const { a, T, n } = c;
  const r = a.softReset ? 0 : a.vReset;
  const gradX = new Float64Array(T * n);
  const gradV0 = new Float64Array(n);
  const gradTheta0 = new Float64Array(n);
  const pn = io.param === null ? 1 : io.param.length;
  const gradK = new Float64Array(pn);
  for (let i = 0; i < n; i++) {
    const p = io.param === null ? 0 : (io.param[i % pn] as number);
    let carryV = 0;
    let carryTh = 0;
    for (let t = T - 1; t >= 0; t--) {
      const at = t * n + i;
      const gradAt = c.lastGradOnly ? (t === T - 1 ? i : -1) : at;
      const gV = carryV + (gradAt < 0 ? 0 : (io.gradVSeq[gradAt] as number));
      const gTh = a.adaptive ? carryTh + (gradAt < 0 ? 0 : ((io.gradThetaSeq as Float32Array)[gradAt] as number)) : 0;
      const theta = a.adaptive ? (t === 0 ? ((io.theta0 as Float32Array)[i] as number) : (f.th[at - n] as number)) : 0;
      const h = f.h[at] as number;
      const s = f.s[at] as number;
      const z = h - a.vThreshold - theta;
      let g: number;
      if (a.surrogate === 'sigmoid') {
        const e = 1 / (1 + Math.exp(-a.alpha * z));
        g = a.alpha * e * (1 - e);
      } else if (a.surrogate === 'atan') {
        g = a.alpha / 2 / (1 + ((Math.PI / 2) * a.alpha * z) ** 2);
      } else g = (io.surrogateGradSeq as Float32Array)[at] as number;
      const dVdH = a.softReset ? 1 : 1 - s;
      const dVdS = a.detachReset ? 0 : a.softReset ? -(a.vThreshold + theta) : r - h;
      const dVdTh = a.softReset ? -s : 0;
      const gS = (io.gradSpikeSeq[at] as number) + gV * dVdS + gTh * a.thetaPlus;
      const gH = gS * g + gV * dVdH;
      let dHdX = 1;
      let dHdV = 1;
      if (a.charge === 'lif') {
        dHdV = 1 - 1 / p;
        dHdX = a.decayInput ? 1 / p : 1;
      } else if (a.charge === 'plif') {
        dHdV = 1 - p;
        dHdX = a.decayInput ? p : 1;
        const vPrev = t === 0 ? (io.v0[i] as number) : (f.v[at - n] as number);
        const dHdK = a.decayInput ? (io.xSeq[at] as number) - (vPrev - r) : -(vPrev - r);
        gradK[i % pn] = (gradK[i % pn] as number) + gH * dHdK;
      }
      gradX[at] = gH * dHdX;
      carryV = gH * dHdV;
      carryTh = gTh * (1 - 1 / a.tauTheta) + gV * dVdTh - gS * g;
    }
    gradV0[i] = carryV;
    gradTheta0[i] = carryTh;
  }
  return { gradX, gradV0, gradTheta0, gradK };
}

/** |got − want| ≤ atol + rtol·|want| everywhere; the first miss in the message. */
function expectNear(got: ArrayLike<number>, want: ArrayLike<number>, what: string, rtol = 2e-5, atol = 2e-5): void {
  expect(got.length, `${what}: length`).toBe(want.length);
  for (let i = 0; i < want.length; i++) {
    const w = want[i] as number;
    const g = got[i] as number;
    if (!(Math.abs(g - w) <= atol + rtol * Math.abs(w))) {
      expect.fail(`${what}[${i}]: got ${g}, want ${w}`);
    }
  }
}

/**
 * A case's inputs with every |H − vth − θ| ≥ 1e-5, so that rounding differences (a few float32
 * ulps) cannot make the kernel and this reading fire differently.
 */
function settle(c: Case, seed0: number): { io: Inputs; f: ReturnType<typeof forward64> } {
  for (let seed = seed0; seed < seed0 + 400; seed += 17) {
    const io = inputsOf(c, seed);
    const f = forward64(c, io);
    if (f.margin >= 1e-5) return { io, f };
  }
  throw new Error('no seed keeps every charge away from the threshold');
}

/** Checks the loops' forward and backward of one case against the float64 contract. */
function checkLoops(c: Case, seed: number): void {
  const { a, T, n } = c;
  const { io, f } = settle(c, seed);
  const rows = a.keepSeq ? T : 1;
  const spikeSeq = new Float32Array(T * n);
  const vSeq = new Float32Array(rows * n).fill(Number.NaN);
  const thetaSeq = a.adaptive ? new Float32Array(rows * n).fill(Number.NaN) : null;
  const hSeq = new Float32Array(T * n).fill(Number.NaN);
  neuronForwardLoop(a, T, n, {
    xSeq: io.xSeq,
    v0: io.v0,
    param: io.param,
    theta0: io.theta0,
    spikeSeq,
    vSeq,
    thetaSeq,
    hSeq,
  });
  const lastRows = (seq: Float64Array) => (a.keepSeq ? seq : seq.subarray((T - 1) * n));
  expectNear(spikeSeq, f.spikes, 'spikeSeq', 0, 0);
  expectNear(hSeq, f.hs, 'hSeq');
  expectNear(vSeq, lastRows(f.vs), 'vSeq');
  if (thetaSeq !== null) expectNear(thetaSeq, lastRows(f.thetas), 'thetaSeq');

  // The backward from float32 copies of the float64 forward (its inputs, whatever computed them).
  const fwd = {
    h: Float32Array.from(f.hs),
    s: Float32Array.from(f.spikes),
    v: Float32Array.from(f.vs),
    th: Float32Array.from(f.thetas),
  };
  const want = backward64(c, io, fwd);
  const gradXSeq = new Float32Array(T * n).fill(Number.NaN);
  const gradV0 = new Float32Array(n).fill(Number.NaN); // the loop must clear its carries
  const gradTheta0 = a.adaptive ? new Float32Array(n).fill(Number.NaN) : null;
  const gradK = c.withK ? new Float32Array(c.pn).fill(Number.NaN) : null;
  neuronBackwardLoop(a, T, n, {
    gradSpikeSeq: io.gradSpikeSeq,
    gradVSeq: io.gradVSeq,
    gradThetaSeq: io.gradThetaSeq,
    hSeq: fwd.h,
    spikeSeq: fwd.s,
    v0: io.v0,
    param: io.param,
    xSeq: a.charge === 'plif' ? io.xSeq : null,
    vSeq: a.charge === 'plif' ? fwd.v : null,
    theta0: io.theta0,
    thetaSeq: a.adaptive ? fwd.th : null,
    surrogateGradSeq: io.surrogateGradSeq,
    gradXSeq,
    gradV0,
    gradTheta0,
    gradK,
  });
  expectNear(gradXSeq, want.gradX, 'gradXSeq', 1e-4, 1e-5);
  expectNear(gradV0, want.gradV0, 'gradV0', 1e-4, 1e-5);
  if (gradTheta0 !== null) expectNear(gradTheta0, want.gradTheta0, 'gradTheta0', 1e-4, 1e-5);
  if (gradK !== null) expectNear(gradK, want.gradK, 'gradK', 1e-4, 1e-4);
}

const CHARGES: ChargeKind[] = ['if', 'lif', 'plif'];
const RESETS: Reset[] = ['hard0', 'hardR', 'soft'];
const SURROGATES: SurrogateKind[] = ['sigmoid', 'atan', 'input'];

/** Every combination of the attributes on a small step (n = 6, a per-neuron parameter of size 3). */
function smallCases(): Case[] {
  const out: Case[] = [];
  for (const charge of CHARGES) {
    for (const decayInput of charge === 'if' ? [false] : [true, false]) {
      for (const reset of RESETS) {
        for (const adaptive of [false, true]) {
          for (const surrogate of SURROGATES) {
            for (const detach of [false, true]) {
              for (const pn of charge === 'if' ? [1] : [1, 3]) {
                // keepSeq and last-step-only gradients go together (a [1, ...] vSeq has a [1, ...] gradient).
                for (const keepSeq of [true, false]) {
                  const a = attrs(charge, decayInput, reset, adaptive, keepSeq, surrogate, detach);
                  // The kernels always ask plif for the gradient of k (the loops' shortcut for
                  // the common case assumes it).
                  out.push({ a, T: 4, n: 6, pn, lastGradOnly: !keepSeq, withK: charge === 'plif' });
                }
              }
            }
          }
        }
      }
    }
  }
  return out;
}

const name = (c: Case): string =>
  `${c.a.charge}${c.a.decayInput ? ' decayInput' : ''} ${c.a.softReset ? 'soft' : `hard ${c.a.vReset}`}` +
  `${c.a.adaptive ? ' adaptive' : ''} ${c.a.surrogate}${c.a.detachReset ? ' detach' : ''} param ${c.pn}` +
  `${c.a.keepSeq ? '' : ' last-only'}${c.withK ? ' gradK' : ''} n ${c.n}`;

describe('neuron loops against the float64 contract', () => {
  const cases = smallCases();
  it(`every combination of attributes (${cases.length} cases, T = 4, n = 6)`, () => {
    cases.forEach((c, k) => {
      try {
        checkLoops(c, 1000 + 31 * k);
      } catch (error) {
        throw new Error(`${name(c)}: ${(error as Error).message}`);
      }
    });
  });

  // More neurons than one block of the loops (2048): blocks start at 0, 2048, 4096, and a
  // parameter of size 3 (not a divisor of 2048) must resume at the right element in each block.
  const big: Case[] = [];
  for (const [charge, pn, adaptive, surrogate, keepSeq] of [
    ['plif', 3, true, 'sigmoid', false],
    ['plif', 3, false, 'input', true],
    ['lif', 3, false, 'atan', false],
    ['lif', 1, false, 'sigmoid', false],
    ['if', 1, true, 'atan', true],
  ] as const) {
    const a = attrs(charge, charge !== 'if', 'hardR', adaptive, keepSeq, surrogate, false);
    big.push({ a, T: 3, n: 4101, pn, lastGradOnly: !keepSeq, withK: charge === 'plif' });
  }
  it.each(big.map((c) => [name(c), c] as const))('across blocks: %s', (_name, c) => {
    checkLoops(c, 77);
  });
});

// The loops above need no tfjs: it is loaded here only, so that a run of the loop tests alone
// (as mutation testing does, thousands of times) starts in a fraction of a second.
describe('the tfjs reference of the kernels against the float64 contract [cpu]', () => {
  // A selection (the reference runs op by op): each charge, reset, surrogate and option at least once.
  const cases = smallCases().filter((_, k) => k % 7 === 0);
  it(`${cases.length} combinations of attributes`, async () => {
    const tf = await import('@tensorflow/tfjs-core');
    await import('../backends/cpu.js');
    const { useBackend } = await import('../backends/registry.js');
    const reference = await import('./neuron-reference.js');
    await useBackend('cpu');
    cases.forEach((c, k) => {
      try {
        checkReference(tf, reference, c, 5000 + 13 * k);
      } catch (error) {
        throw new Error(`${name(c)}: ${(error as Error).message}`);
      }
    });
  });
});

function checkReference(
  tf: typeof Tf,
  { neuronForwardReference, neuronBackwardReference }: typeof import('./neuron-reference.js'),
  c: Case,
  seed: number,
): void {
  const { a, T, n, pn } = c;
  const { io, f } = settle(c, seed);
  // Step shape [n / pn, pn]: a per-neuron parameter is a suffix of it.
  const step = [n / pn, pn];
  const seqShape = [T, ...step];
  const gradRows = c.lastGradOnly ? 1 : T;
  tf.tidy(() => {
    const param = io.param === null ? null : pn === 1 ? tf.scalar(io.param[0] as number) : tf.tensor(io.param, [pn]);
    const theta0 = io.theta0 === null ? null : tf.tensor(io.theta0, step);
    const out = neuronForwardReference(
      { xSeq: tf.tensor(io.xSeq, seqShape), v0: tf.tensor(io.v0, step), param, theta0 },
      { ...a, saveH: true },
    );
    const rowsOf = (seq: Float64Array) => (a.keepSeq ? seq : seq.subarray((T - 1) * n));
    expectNear((out[0] as Tf.Tensor).dataSync(), f.spikes, 'spikeSeq', 0, 0);
    expectNear((out[1] as Tf.Tensor).dataSync(), rowsOf(f.vs), 'vSeq');
    if (a.adaptive) expectNear((out[2] as Tf.Tensor).dataSync(), rowsOf(f.thetas), 'thetaSeq');
    expectNear((out[out.length - 1] as Tf.Tensor).dataSync(), f.hs, 'hSeq');

    const fwd = {
      h: Float32Array.from(f.hs),
      s: Float32Array.from(f.spikes),
      v: Float32Array.from(f.vs),
      th: Float32Array.from(f.thetas),
    };
    const want = backward64(c, io, fwd);
    const grads = neuronBackwardReference(
      {
        gradSpikeSeq: tf.tensor(io.gradSpikeSeq, seqShape),
        gradVSeq: tf.tensor(io.gradVSeq, [gradRows, ...step]),
        gradThetaSeq: io.gradThetaSeq === null ? null : tf.tensor(io.gradThetaSeq, [gradRows, ...step]),
        hSeq: tf.tensor(fwd.h, seqShape),
        spikeSeq: tf.tensor(fwd.s, seqShape),
        v0: tf.tensor(io.v0, step),
        param,
        xSeq: tf.tensor(io.xSeq, seqShape),
        vSeq: tf.tensor(fwd.v, seqShape),
        theta0,
        thetaSeq: a.adaptive ? tf.tensor(fwd.th, seqShape) : null,
        surrogateGradSeq: io.surrogateGradSeq === null ? null : tf.tensor(io.surrogateGradSeq, seqShape),
      },
      a,
    );
    expectNear((grads[0] as Tf.Tensor).dataSync(), want.gradX, 'gradXSeq', 1e-4, 1e-5);
    expectNear((grads[1] as Tf.Tensor).dataSync(), want.gradV0, 'gradV0', 1e-4, 1e-5);
    let next = 2;
    if (a.adaptive) expectNear((grads[next++] as Tf.Tensor).dataSync(), want.gradTheta0, 'gradTheta0', 1e-4, 1e-5);
    if (a.charge === 'plif') {
      const k = grads[next] as Tf.Tensor;
      expect(k.shape).toEqual(pn === 1 ? [] : [pn]);
      expectNear(k.dataSync(), want.gradK, 'gradK', 1e-4, 1e-4);
    }
  });
}

describe('neuron loops: edge cases of the contract', () => {
  const T = 3;
  const n = 4;
  const run = (a: NeuronBackwardAttrs, theta0: Float32Array | null, withThetaSeq: boolean) => {
    const xSeq = values(11, T * n, -0.6, 1.6);
    const v0 = values(12, n, -0.4, 0.8);
    const param = a.charge === 'lif' ? Float32Array.of(2.5) : null;
    const spikeSeq = new Float32Array(T * n);
    const vSeq = new Float32Array(T * n);
    const thetaSeq = withThetaSeq ? new Float32Array(T * n).fill(7) : null;
    const hSeq = new Float32Array(T * n);
    neuronForwardLoop(a, T, n, { xSeq, v0, param, theta0, spikeSeq, vSeq, thetaSeq, hSeq });
    const gradXSeq = new Float32Array(T * n);
    const gradV0 = new Float32Array(n);
    const gradTheta0 = withThetaSeq && theta0 !== null ? new Float32Array(n).fill(7) : null;
    neuronBackwardLoop(a, T, n, {
      gradSpikeSeq: values(13, T * n, -1, 1),
      gradVSeq: values(14, T * n, -1, 1),
      gradThetaSeq: withThetaSeq ? values(15, T * n, -1, 1) : null,
      hSeq,
      spikeSeq,
      v0,
      param,
      xSeq: null,
      vSeq: null,
      theta0,
      thetaSeq,
      surrogateGradSeq: null,
      gradXSeq,
      gradV0,
      gradTheta0,
      gradK: null,
    });
    return { spikeSeq, vSeq, hSeq, thetaSeq, gradXSeq, gradV0, gradTheta0 };
  };

  it('an adaptive threshold needs both θ arrays; without them, or without the attribute, θ plays no part', () => {
    const plain = run(attrs('lif', true, 'hardR', false, true, 'atan', false), null, false);
    const theta0 = Float32Array.of(0.3, 0.3, 0.3, 0.3);
    const cases = [
      ['adaptive, no θ arrays', run(attrs('lif', true, 'hardR', true, true, 'atan', false), null, false)],
      ['adaptive, θ0 without θ output', run(attrs('lif', true, 'hardR', true, true, 'atan', false), theta0, false)],
      ['adaptive, θ output without θ0', run(attrs('lif', true, 'hardR', true, true, 'atan', false), null, true)],
      ['not adaptive, θ arrays given', run(attrs('lif', true, 'hardR', false, true, 'atan', false), theta0, true)],
    ] as const;
    for (const [what, got] of cases) {
      for (const key of ['spikeSeq', 'vSeq', 'hSeq', 'gradXSeq', 'gradV0'] as const) {
        expect(Array.from(got[key]), `${what}: ${key}`).toEqual(Array.from(plain[key]));
      }
      // θ's forward output is left as it was; its gradient is 0 (θ0 had no effect).
      if (got.thetaSeq !== null)
        expect(Array.from(got.thetaSeq), `${what}: thetaSeq`).toEqual(new Array(T * n).fill(7));
      if (got.gradTheta0 !== null) expect(Array.from(got.gradTheta0), `${what}: gradTheta0`).toEqual([0, 0, 0, 0]);
    }
  });

  it('fires at exactly vThreshold + θ (Θ(0) = 1) with an adaptive threshold', () => {
    // IF from V = 0: H = X. θ0 = 0.25 and vThreshold = 1 are exact in float32, so H − vth − θ is 0.
    const a = { ...attrs('if', false, 'soft', true, true, 'atan', false), vThreshold: 1 };
    const spikeSeq = new Float32Array(3);
    neuronForwardLoop(a, 1, 3, {
      xSeq: Float32Array.of(1.25, 1.2499999, 1.2500001),
      v0: new Float32Array(3),
      param: null,
      theta0: Float32Array.of(0.25, 0.25, 0.25),
      spikeSeq,
      vSeq: new Float32Array(3),
      thetaSeq: new Float32Array(3),
      hSeq: null,
    });
    expect(Array.from(spikeSeq)).toEqual([1, 0, 1]);
  });

  it('LIF without decayInput leaks by f32(1 − 1/τ), rounded once, as the contract says (a cancellation shows it)', () => {
    // H = V·f32(1 − 1/3) + X with V = 1000 and X ≈ −V·(2/3): the rounding of 1 − 1/3 to float32
    // (≈ 2e-8 relative) is 2e-5 here, the same size as H itself.
    const leak = Math.fround(1 - 1 / 3);
    const x = Math.fround(-666.6666);
    const expected = Math.fround(1000 * leak + x);
    for (const [reset, vReset] of [
      ['hard0', 0],
      ['soft', 0],
    ] as const) {
      const a = { ...attrs('lif', false, reset, false, true, 'atan', false), vReset, vThreshold: 1e4 };
      for (const param of [Float32Array.of(3), Float32Array.of(3, 3)]) {
        const hSeq = new Float32Array(2);
        neuronForwardLoop(a, 1, 2, {
          xSeq: Float32Array.of(x, x),
          v0: Float32Array.of(1000, 1000),
          param,
          theta0: null,
          spikeSeq: new Float32Array(2),
          vSeq: new Float32Array(2),
          thetaSeq: null,
          hSeq,
        });
        expect(Array.from(hSeq), `${reset}, τ of size ${param.length}`).toEqual([expected, expected]);
      }
    }
    // The same without rounding 1 − 1/3 would be 1000 − 1000/3 − 666.6666 (not what the kernel gives).
    expect(Math.fround(1000 - 1000 / 3 + x)).not.toBe(expected);
  });
});

describe('the tfjs reference: edge cases of the contract [cpu]', () => {
  it('IF ignores a parameter; θ plays no part unless adaptive with θ0; H only when saveH', async () => {
    const tf = await import('@tensorflow/tfjs-core');
    await import('../backends/cpu.js');
    const { useBackend } = await import('../backends/registry.js');
    const { neuronForwardReference, neuronBackwardReference } = await import('./neuron-reference.js');
    await useBackend('cpu');
    tf.tidy(() => {
      const xSeq = tf.tensor(values(21, 3 * 4, -0.6, 1.6), [3, 4]);
      const v0 = tf.tensor(values(22, 4, -0.4, 0.8));
      const theta0 = tf.fill([4], 0.3);
      const read = (ts: Tf.Tensor[]) => ts.map((t) => Array.from(t.dataSync()));
      const ifAttrs = attrs('if', false, 'hardR', false, true, 'atan', false);
      const plain = neuronForwardReference({ xSeq, v0, param: null, theta0: null }, ifAttrs);
      expect(plain).toHaveLength(3); // spikes, V, H
      const withParam = neuronForwardReference({ xSeq, v0, param: tf.scalar(0.5), theta0: null }, ifAttrs);
      expect(read(withParam)).toEqual(read(plain));
      const notAdaptive = neuronForwardReference({ xSeq, v0, param: null, theta0 }, ifAttrs);
      expect(read(notAdaptive)).toEqual(read(plain));
      const adaptiveWithoutTheta = neuronForwardReference(
        { xSeq, v0, param: null, theta0: null },
        { ...ifAttrs, adaptive: true },
      );
      expect(read(adaptiveWithoutTheta)).toEqual(read(plain));
      const noH = neuronForwardReference({ xSeq, v0, param: null, theta0: null }, { ...ifAttrs, saveH: false });
      expect(read(noH)).toEqual(read(plain).slice(0, 2));

      const [spikeSeq, vSeq, hSeq] = plain as [Tf.Tensor, Tf.Tensor, Tf.Tensor];
      const grads = {
        gradSpikeSeq: tf.tensor(values(23, 12, -1, 1), [3, 4]),
        gradVSeq: tf.tensor(values(24, 12, -1, 1), [3, 4]),
        hSeq,
        spikeSeq,
        v0,
        xSeq,
        vSeq,
        surrogateGradSeq: null,
      };
      const backPlain = neuronBackwardReference(
        { ...grads, gradThetaSeq: null, param: null, theta0: null, thetaSeq: null },
        ifAttrs,
      );
      expect(backPlain).toHaveLength(2);
      const backParam = neuronBackwardReference(
        { ...grads, gradThetaSeq: null, param: tf.scalar(0.5), theta0: null, thetaSeq: null },
        ifAttrs,
      );
      expect(read(backParam)).toEqual(read(backPlain));
      const thetaArrays = { gradThetaSeq: tf.zeros([3, 4]), theta0, thetaSeq: tf.fill([3, 4], 0.3) };
      const backNotAdaptive = neuronBackwardReference({ ...grads, ...thetaArrays, param: null }, ifAttrs);
      expect(read(backNotAdaptive)).toEqual(read(backPlain));
      for (const missing of ['theta0', 'thetaSeq'] as const) {
        const back = neuronBackwardReference(
          { ...grads, ...thetaArrays, [missing]: null, param: null },
          { ...ifAttrs, adaptive: true },
        );
        expect(read(back), `adaptive without ${missing}`).toEqual(read(backPlain));
      }
    });
  });
});

describe('the tfjs reference of the Adam update against float64 [cpu]', () => {
  it("m' = m·β1 + g·(1 − β1), v' = v·β2 + g²·(1 − β2), value' = value − lr·(m'/c1)/(sqrt(v'/c2) + ε)", async () => {
    const tf = await import('@tensorflow/tfjs-core');
    await import('../backends/cpu.js');
    const { useBackend } = await import('../backends/registry.js');
    const { adamUpdateReference } = await import('./adam-reference.js');
    await useBackend('cpu');
    const [value, m, v, g] = [
      values(31, 6, -1, 1),
      values(32, 6, -0.1, 0.1),
      values(33, 6, 0, 0.01),
      values(34, 6, -2, 2),
    ];
    const a = { learningRate: 0.05, beta1: 0.8, beta2: 0.95, epsilon: 1e-3 };
    const [c1, c2] = [1 - 0.8 ** 3, 1 - 0.95 ** 3];
    const got = tf.tidy(() =>
      adamUpdateReference(
        {
          value: tf.tensor(value),
          m: tf.tensor(m),
          v: tf.tensor(v),
          gradient: tf.tensor(g),
          c1: tf.scalar(c1),
          c2: tf.scalar(c2),
        },
        a,
      ).map((t) => Array.from(t.dataSync())),
    );
    const m1 = Array.from(m, (mi, i) => mi * a.beta1 + (g[i] as number) * (1 - a.beta1));
    const v1 = Array.from(v, (vi, i) => vi * a.beta2 + (g[i] as number) ** 2 * (1 - a.beta2));
    const value1 = Array.from(
      value,
      (x, i) => x - (a.learningRate * ((m1[i] as number) / c1)) / (Math.sqrt((v1[i] as number) / c2) + a.epsilon),
    );
    expect(got).toHaveLength(3);
    expectNear(got[0] as number[], value1, "value'", 1e-5, 1e-6);
    expectNear(got[1] as number[], m1, "m'", 1e-5, 1e-7);
    expectNear(got[2] as number[], v1, "v'", 1e-5, 1e-8);
  });
});

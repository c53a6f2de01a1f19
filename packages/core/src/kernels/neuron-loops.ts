/**
 * The {@link NeuronForward} / {@link NeuronBackward} contract as plain loops over float32 arrays,
 * shared by every backend whose tensors a JavaScript array can view: cpu (its typed arrays) and
 * wasm (views of the wasm heap). One pass over time, neurons innermost, state kept in the output
 * rows; branch-free where it matters (a spike is a 0/1 number, not a branch).
 */
import type { NeuronBackwardAttrs, NeuronForwardAttrs } from './neuron-contract.js';

/** Arrays of one forward call; `vSeq`/`thetaSeq` hold T rows when `keepSeq`, else one. */
export interface NeuronForwardArrays {
  readonly xSeq: Float32Array;
  readonly v0: Float32Array;
  readonly param: Float32Array | null;
  readonly theta0: Float32Array | null;
  readonly spikeSeq: Float32Array;
  readonly vSeq: Float32Array;
  readonly thetaSeq: Float32Array | null;
  readonly hSeq: Float32Array | null;
}

/** Arrays of one backward call (inputs, then outputs); see {@link NeuronBackward}. */
export interface NeuronBackwardArrays {
  readonly gradSpikeSeq: Float32Array;
  readonly gradVSeq: Float32Array;
  readonly gradThetaSeq: Float32Array | null;
  readonly hSeq: Float32Array;
  readonly spikeSeq: Float32Array;
  readonly v0: Float32Array;
  readonly param: Float32Array | null;
  readonly xSeq: Float32Array | null;
  readonly vSeq: Float32Array | null;
  readonly theta0: Float32Array | null;
  readonly thetaSeq: Float32Array | null;
  readonly surrogateGradSeq: Float32Array | null;
  readonly gradXSeq: Float32Array;
  readonly gradV0: Float32Array;
  readonly gradTheta0: Float32Array | null;
  readonly gradK: Float32Array | null;
}

/**
 * Neurons are taken in blocks of this many, all T steps of a block before the next: a block's
 * state stays in cache, so the loops move little more than their inputs and outputs.
 */
const CHUNK = 2048;

/** 2^k for k = −150 … 150, for {@link expFast}. */
const POW2 = Float64Array.from({ length: 301 }, (_, i) => 2 ** (i - 150));

/**
 * `e^x` to about 1e-8 relative for |x| ≤ 100 (clamped beyond: the sigmoid surrogate is flat
 * there), 3–4× faster than `Math.exp` in V8, whose call dominated the sigmoid backward:
 * `e^x = 2^k·e^r` with `k = round(x / ln 2)`, `|r| ≤ ln 2 / 2`, and `e^r` by its Taylor
 * polynomial of degree 7 (remainder below 6e-9).
 */
export function expFast(x: number): number {
  const y = Math.max(-100, Math.min(100, x));
  const k = Math.floor(y * Math.LOG2E + 0.5);
  const r = y - k * Math.LN2;
  const p = 1 + r * (1 + r * (0.5 + r * (1 / 6 + r * (1 / 24 + r * (1 / 120 + r * (1 / 720 + r / 5040))))));
  return p * (POW2[k + 150] as number);
}

// Charge equations, numbered so that the inner loop switches on a small integer.
const IF = 0;
const LIF_DECAY_INPUT = 1;
const LIF_DECAY_INPUT_R = 2;
const LIF = 3;
const LIF_R = 4;
const PLIF_DECAY_INPUT = 5;
const PLIF_DECAY_INPUT_R = 6;
const PLIF = 7;

function chargeMode(a: NeuronForwardAttrs, r: number): number {
  if (a.charge === 'if') return IF;
  const base = a.charge === 'lif' ? LIF_DECAY_INPUT : PLIF_DECAY_INPUT;
  return base + (a.decayInput ? 0 : 2) + (r === 0 ? 0 : 1);
}

/** Runs {@link NeuronForward} on `T` steps of `n` neurons. */
export function neuronForwardLoop(a: NeuronForwardAttrs, T: number, n: number, io: NeuronForwardArrays): void {
  const { xSeq, v0, param, theta0, spikeSeq, vSeq, thetaSeq, hSeq } = io;
  const r = a.softReset ? 0 : a.vReset;
  const soft = a.softReset;
  const vth = a.vThreshold;
  const mode = chargeMode(a, r);
  const pn = param === null ? 1 : param.length;
  const p0 = param === null ? 0 : (param[0] as number);
  const adaptive = a.adaptive && theta0 !== null && thetaSeq !== null;
  const thetaPlus = a.thetaPlus;
  const tauTheta = a.tauTheta;
  const keep = vSeq.length === T * n;
  const lifLeak = mode === LIF && pn === 1 ? Math.fround(1 - 1 / p0) : 0;
  for (let c0 = 0; c0 < n; c0 += CHUNK) {
    const c1 = Math.min(n, c0 + CHUNK);
    for (let t = 0; t < T; t++) {
      const row = t * n;
      const vIn = t === 0 ? v0 : vSeq;
      const vInAt = t === 0 || !keep ? 0 : row - n;
      const vOutAt = keep ? row : 0;
      const thIn = t === 0 ? theta0 : thetaSeq;
      let j = c0 % pn;
      for (let i = c0; i < c1; i++) {
        const x = xSeq[row + i] as number;
        const v = vIn[vInAt + i] as number;
        const p = pn === 1 ? p0 : ((param as Float32Array)[j] as number);
        if (++j === pn) j = 0;
        let h: number;
        switch (mode) {
          case IF:
            h = v + x;
            break;
          case LIF_DECAY_INPUT:
            h = v + (x - v) / p;
            break;
          case LIF_DECAY_INPUT_R:
            h = v + (x - (v - r)) / p;
            break;
          case LIF:
            h = v * (pn === 1 ? lifLeak : Math.fround(1 - 1 / p)) + x;
            break;
          case LIF_R:
            h = v - (v - r) / p + x;
            break;
          case PLIF_DECAY_INPUT:
            h = v + (x - v) * p;
            break;
          case PLIF_DECAY_INPUT_R:
            h = v + (x - (v - r)) * p;
            break;
          case PLIF:
            h = v * (1 - p) + x;
            break;
          default: // PLIF with r ≠ 0
            h = v - (v - r) * p + x;
        }
        // Computed in double, rounded to float32 once (within an ulp of float32 step by step, and
        // much faster than rounding every operation); fire decides on the rounded value.
        h = Math.fround(h);
        let s: number;
        let vNext: number;
        if (adaptive) {
          const th = (thIn as Float32Array)[vInAt + i] as number;
          s = +(Math.fround(h - vth) - th >= 0);
          vNext = soft ? h - Math.fround(vth + th) * s : h * (1 - s) + r * s;
          (thetaSeq as Float32Array)[vOutAt + i] = Math.fround(th - Math.fround(th / tauTheta)) + thetaPlus * s;
        } else {
          s = +(h >= vth);
          vNext = soft ? h - vth * s : h * (1 - s) + r * s;
        }
        spikeSeq[row + i] = s;
        vSeq[vOutAt + i] = vNext;
        if (hSeq !== null) hSeq[row + i] = h;
      }
    }
  }
}

/** Runs {@link NeuronBackward} on `T` steps of `n` neurons; writes the gradient outputs. */
export function neuronBackwardLoop(a: NeuronBackwardAttrs, T: number, n: number, io: NeuronBackwardArrays): void {
  const { gradSpikeSeq, gradVSeq, gradThetaSeq, hSeq, spikeSeq, v0, param, xSeq, vSeq } = io;
  const { theta0, thetaSeq, surrogateGradSeq, gradXSeq, gradV0, gradTheta0, gradK } = io;
  const r = a.softReset ? 0 : a.vReset;
  const soft = a.softReset;
  const vth = a.vThreshold;
  const detach = a.detachReset;
  const alpha = a.alpha;
  const surrogate = a.surrogate === 'sigmoid' ? 0 : a.surrogate === 'atan' ? 1 : 2;
  const atanScale = (Math.PI / 2) * alpha;
  const charge = a.charge;
  const decayInput = a.decayInput;
  const pn = param === null ? 1 : param.length;
  const p0 = param === null ? 0 : (param[0] as number);
  const adaptive = a.adaptive && thetaSeq !== null && theta0 !== null;
  const thetaPlus = a.thetaPlus;
  const thetaKeep = 1 - 1 / a.tauTheta;
  const gradVAll = gradVSeq.length === T * n;
  const kSum = gradK === null ? null : new Float64Array(pn);
  // gradV0 and gradTheta0 hold the carries from one step to the one before it.
  gradV0.fill(0);
  gradTheta0?.fill(0);
  if (!adaptive && kSum === null && pn === 1 && surrogate !== 2) {
    const dHdV = charge === 'if' ? 1 : 1 - 1 / p0;
    const dHdX = charge === 'lif' && decayInput ? 1 / p0 : charge === 'plif' && decayInput ? p0 : 1;
    backwardCommon(T, n, io, { sigmoid: surrogate === 0, alpha, soft, detach, vth, r, dHdV, dHdX });
    return;
  }
  for (let c0 = 0; c0 < n; c0 += CHUNK) {
    const c1 = Math.min(n, c0 + CHUNK);
    for (let t = T - 1; t >= 0; t--) {
      const row = t * n;
      const gvAt = gradVAll ? row : t === T - 1 ? 0 : -1;
      const prevAt = row - n;
      let j = c0 % pn;
      for (let i = c0; i < c1; i++) {
        const p = pn === 1 ? p0 : ((param as Float32Array)[j] as number);
        const pj = j;
        if (++j === pn) j = 0;
        const h = hSeq[row + i] as number;
        const s = spikeSeq[row + i] as number;
        const gV = (gradV0[i] as number) + (gvAt < 0 ? 0 : (gradVSeq[gvAt + i] as number));
        let gTh = 0;
        let th = 0;
        if (adaptive) {
          gTh =
            ((gradTheta0 as Float32Array)[i] as number) +
            (gvAt < 0 ? 0 : ((gradThetaSeq as Float32Array)[gvAt + i] as number));
          th = t === 0 ? ((theta0 as Float32Array)[i] as number) : ((thetaSeq as Float32Array)[prevAt + i] as number);
        }
        const z = Math.fround(h - vth) - th;
        let g: number;
        if (surrogate === 0) {
          const e = 1 / (1 + expFast(-alpha * z));
          g = alpha * e * (1 - e);
        } else if (surrogate === 1) {
          const c = atanScale * z;
          g = alpha / 2 / (1 + c * c);
        } else {
          g = (surrogateGradSeq as Float32Array)[row + i] as number;
        }
        const dVdH = soft ? 1 : 1 - s;
        const dVdS = detach ? 0 : soft ? -(vth + th) : r - h;
        const gS = (gradSpikeSeq[row + i] as number) + gV * dVdS + gTh * thetaPlus;
        const gH = gS * g + gV * dVdH;
        if (adaptive) (gradTheta0 as Float32Array)[i] = gTh * thetaKeep - (soft ? gV * s : 0) - gS * g;
        let dHdX = 1;
        let dHdV = 1;
        if (charge === 'lif') {
          dHdV = 1 - 1 / p;
          if (decayInput) dHdX = 1 / p;
        } else if (charge === 'plif') {
          dHdV = 1 - p;
          if (decayInput) dHdX = p;
          if (kSum !== null) {
            const vPrev = t === 0 ? (v0[i] as number) : ((vSeq as Float32Array)[prevAt + i] as number);
            const leak = vPrev - r;
            const dHdK = decayInput ? ((xSeq as Float32Array)[row + i] as number) - leak : -leak;
            kSum[pj] = (kSum[pj] as number) + gH * dHdK;
          }
        }
        gradXSeq[row + i] = charge === 'lif' && decayInput ? gH / p : gH * dHdX;
        gradV0[i] = gH * dHdV;
      }
    }
  }
  if (gradK !== null && kSum !== null) for (let q = 0; q < pn; q++) gradK[q] = kSum[q] as number;
}

/** Constants of {@link backwardCommon}. */
interface CommonBackward {
  readonly sigmoid: boolean;
  readonly alpha: number;
  readonly soft: boolean;
  readonly detach: boolean;
  readonly vth: number;
  readonly r: number;
  readonly dHdV: number;
  readonly dHdX: number;
}

/**
 * The backward of the common case — one scalar parameter, no adaptive threshold, no gradient of
 * k, a named surrogate — with the charge's derivatives as constants: the same arithmetic as the
 * general loop without its per-element branches.
 */
function backwardCommon(T: number, n: number, io: NeuronBackwardArrays, c: CommonBackward): void {
  const { gradSpikeSeq, gradVSeq, hSeq, spikeSeq, gradXSeq, gradV0 } = io;
  const { sigmoid, alpha, soft, detach, vth, r, dHdV, dHdX } = c;
  const atanScale = (Math.PI / 2) * alpha;
  const gradVAll = gradVSeq.length === T * n;
  for (let c0 = 0; c0 < n; c0 += CHUNK) {
    const c1 = Math.min(n, c0 + CHUNK);
    for (let t = T - 1; t >= 0; t--) {
      const row = t * n;
      const gvAt = gradVAll ? row : t === T - 1 ? 0 : -1;
      for (let i = c0; i < c1; i++) {
        const h = hSeq[row + i] as number;
        const s = spikeSeq[row + i] as number;
        const gV = (gradV0[i] as number) + (gvAt < 0 ? 0 : (gradVSeq[gvAt + i] as number));
        const z = Math.fround(h - vth);
        let g: number;
        if (sigmoid) {
          const e = 1 / (1 + expFast(-alpha * z));
          g = alpha * e * (1 - e);
        } else {
          const q = atanScale * z;
          g = alpha / 2 / (1 + q * q);
        }
        const dVdS = detach ? 0 : soft ? -vth : r - h;
        const gH = ((gradSpikeSeq[row + i] as number) + gV * dVdS) * g + gV * (soft ? 1 : 1 - s);
        gradXSeq[row + i] = gH * dHdX;
        gradV0[i] = gH * dHdV;
      }
    }
  }
}

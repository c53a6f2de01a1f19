/**
 * A GPU backend's fused neuron kernels against core's plain loops (`neuron-loops.ts`) on cases
 * larger than the golden suite's (rank-3 shapes, per-neuron parameters, thousands of neurons,
 * long sequences, last-step-only gradients): what the webgl and webgpu packages run in Chromium.
 * Reads with `await data()` (a synchronous read loses the WebGPU device on SwiftShader).
 */
import * as tf from '@tensorflow/tfjs-core';
import { expect } from 'vitest';
import {
  NeuronBackward,
  type NeuronBackwardAttrs,
  NeuronForward,
  neuronKernelLayout,
} from '../kernels/neuron-contract.js';
import { neuronBackwardLoop, neuronForwardLoop } from '../kernels/neuron-loops.js';
import { expectClose } from './index.js';

/** Deterministic values in [low, high) (an LCG), so the inputs never move with other code. */
function values(seed: number, n: number, low: number, high: number): Float32Array {
  let a = seed >>> 0;
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    a = (Math.imul(a, 1664525) + 1013904223) >>> 0;
    out[i] = low + (high - low) * (a / 4294967296);
  }
  return out;
}

export interface LoopCase {
  name: string;
  attrs: NeuronBackwardAttrs;
  stepShape: number[];
  T: number;
  paramShape: number[] | null;
  /** gradVSeq (and gradThetaSeq) of the last step only. */
  lastGradOnly: boolean;
}

const base = { vThreshold: 1, thetaPlus: 0.3, tauTheta: 5, saveH: true, detachReset: false };
export const LOOP_CASES: LoopCase[] = [
  {
    name: 'plif decayInput hard -0.1 adaptive, k of shape [40, 3], steps [4, 40, 3] (k sums in 1 round)',
    attrs: {
      ...base,
      charge: 'plif',
      decayInput: true,
      vReset: -0.1,
      softReset: false,
      adaptive: true,
      keepSeq: true,
      surrogate: 'sigmoid',
      alpha: 4,
    },
    stepShape: [4, 40, 3],
    T: 5,
    paramShape: [40, 3],
    lastGradOnly: false,
  },
  {
    name: 'plif soft, scalar k over 4800 neurons (k sums in 3 rounds), elementwise surrogate',
    attrs: {
      ...base,
      charge: 'plif',
      decayInput: false,
      vReset: 0,
      softReset: true,
      adaptive: false,
      keepSeq: true,
      surrogate: 'input',
      alpha: 0,
      detachReset: true,
    },
    stepShape: [40, 120],
    T: 4,
    paramShape: [],
    lastGradOnly: false,
  },
  {
    name: 'lif hard 0, tau of shape [3], last V only (gradients of the last step), atan',
    attrs: {
      ...base,
      charge: 'lif',
      decayInput: false,
      vReset: 0,
      softReset: false,
      adaptive: false,
      keepSeq: false,
      surrogate: 'atan',
      alpha: 2,
    },
    stepShape: [2, 5, 3],
    T: 9,
    paramShape: [3],
    lastGradOnly: true,
  },
  {
    name: 'plif decayInput soft adaptive over 30 steps (webgl: 5 chunks of 6), k of shape [7], atan',
    attrs: {
      ...base,
      charge: 'plif',
      decayInput: true,
      vReset: 0,
      softReset: true,
      adaptive: true,
      keepSeq: true,
      surrogate: 'atan',
      alpha: 2,
    },
    stepShape: [3, 7],
    T: 30,
    paramShape: [7],
    lastGradOnly: false,
  },
  {
    name: 'lif decayInput hard -0.1 adaptive over 17 steps (webgl: a shorter last chunk), last V only',
    attrs: {
      ...base,
      charge: 'lif',
      decayInput: true,
      vReset: -0.1,
      softReset: false,
      adaptive: true,
      keepSeq: false,
      surrogate: 'input',
      alpha: 0,
    },
    stepShape: [2, 9],
    T: 17,
    paramShape: [],
    lastGradOnly: true,
  },
  {
    name: 'if soft adaptive, one step, last state only',
    attrs: {
      ...base,
      charge: 'if',
      decayInput: false,
      vReset: 0,
      softReset: true,
      adaptive: true,
      keepSeq: false,
      surrogate: 'sigmoid',
      alpha: 4,
    },
    stepShape: [33],
    T: 1,
    paramShape: null,
    lastGradOnly: true,
  },
];

/** The fused kernels of `backend` against core's plain loops (the cpu/wasm kernels), read asynchronously. */
export async function expectSameAsLoops(c: LoopCase): Promise<void> {
  const a = c.attrs;
  const { T } = c;
  const n = c.stepShape.reduce((x, y) => x * y, 1);
  const seqShape = [T, ...c.stepShape];
  const vRows = a.keepSeq ? T : 1;
  const layout = neuronKernelLayout(a.charge);
  const pn = c.paramShape === null ? 0 : c.paramShape.reduce((x, y) => x * y, 1);
  const arrays = {
    xSeq: values(1, T * n, -0.5, 2.5),
    v0: values(2, n, -0.2, 0.6),
    param: c.paramShape === null ? null : a.charge === 'lif' ? values(3, pn, 1.5, 6) : values(3, pn, 0.1, 0.8),
    theta0: a.adaptive ? values(4, n, 0, 0.2) : null,
  };
  const fwdOut = {
    spikeSeq: new Float32Array(T * n),
    vSeq: new Float32Array(vRows * n),
    thetaSeq: a.adaptive ? new Float32Array(vRows * n) : null,
    hSeq: new Float32Array(T * n),
  };
  neuronForwardLoop(a, T, n, { ...arrays, ...fwdOut });
  const gradRows = c.lastGradOnly ? 1 : vRows;
  const grads = {
    gradSpikeSeq: values(5, T * n, -1, 1),
    gradVSeq: values(6, gradRows * n, -1, 1),
    gradThetaSeq: a.adaptive ? values(7, gradRows * n, -1, 1) : null,
    surrogateGradSeq: a.surrogate === 'input' ? values(8, T * n, 0, 1) : null,
  };
  const bwdOut = {
    gradXSeq: new Float32Array(T * n),
    gradV0: new Float32Array(n),
    gradTheta0: a.adaptive ? new Float32Array(n) : null,
    gradK: a.charge === 'plif' ? new Float32Array(pn) : null,
  };
  neuronBackwardLoop(a, T, n, {
    ...grads,
    hSeq: fwdOut.hSeq,
    spikeSeq: fwdOut.spikeSeq,
    v0: arrays.v0,
    param: arrays.param,
    xSeq: layout.needsXAndV ? arrays.xSeq : null,
    vSeq: layout.needsXAndV ? fwdOut.vSeq : null,
    theta0: arrays.theta0,
    thetaSeq: fwdOut.thetaSeq,
    ...bwdOut,
  });

  tf.engine().startScope();
  try {
    const t = (x: Float32Array, shape: number[]) => tf.tensor(x, shape);
    const fwdInputs: Record<string, tf.Tensor> = { xSeq: t(arrays.xSeq, seqShape), v0: t(arrays.v0, c.stepShape) };
    if (layout.param !== null) fwdInputs[layout.param] = t(arrays.param as Float32Array, c.paramShape as number[]);
    if (a.adaptive) fwdInputs.theta0 = t(arrays.theta0 as Float32Array, c.stepShape);
    const fused = tf.engine().runKernel(NeuronForward, fwdInputs, { ...a }) as tf.Tensor[];
    const expected = [
      fwdOut.spikeSeq,
      fwdOut.vSeq,
      ...(a.adaptive ? [fwdOut.thetaSeq as Float32Array] : []),
      fwdOut.hSeq,
    ];
    const shapes = [seqShape, [vRows, ...c.stepShape], ...(a.adaptive ? [[vRows, ...c.stepShape]] : []), seqShape];
    expect(fused.length).toBe(expected.length);
    for (const [i, f] of fused.entries()) {
      expect(f.shape).toEqual(shapes[i]);
      expectClose(Array.from(await f.data()), expected[i] as Float32Array, { rtol: 1e-5, atol: 1e-6 });
    }
    const spikes = fwdOut.spikeSeq.reduce((x, y) => x + y, 0);
    expect(spikes).toBeGreaterThan(0);
    expect(spikes).toBeLessThan(T * n);

    const bwdInputs: Record<string, tf.Tensor> = {
      gradSpikeSeq: t(grads.gradSpikeSeq, seqShape),
      gradVSeq: t(grads.gradVSeq, [gradRows, ...c.stepShape]),
      hSeq: t(fwdOut.hSeq, seqShape),
      spikeSeq: t(fwdOut.spikeSeq, seqShape),
      v0: fwdInputs.v0 as tf.Tensor,
    };
    if (layout.param !== null) bwdInputs[layout.param] = fwdInputs[layout.param] as tf.Tensor;
    if (layout.needsXAndV) {
      bwdInputs.xSeq = fwdInputs.xSeq as tf.Tensor;
      bwdInputs.vSeq = t(fwdOut.vSeq, [vRows, ...c.stepShape]);
    }
    if (a.adaptive) {
      bwdInputs.gradThetaSeq = t(grads.gradThetaSeq as Float32Array, [gradRows, ...c.stepShape]);
      bwdInputs.theta0 = fwdInputs.theta0 as tf.Tensor;
      bwdInputs.thetaSeq = t(fwdOut.thetaSeq as Float32Array, [vRows, ...c.stepShape]);
    }
    if (a.surrogate === 'input') bwdInputs.surrogateGradSeq = t(grads.surrogateGradSeq as Float32Array, seqShape);
    const fusedGrads = tf.engine().runKernel(NeuronBackward, bwdInputs, { ...a }) as tf.Tensor[];
    const expectedGrads: Float32Array[] = [bwdOut.gradXSeq, bwdOut.gradV0];
    const gradShapes = [seqShape, c.stepShape];
    if (a.adaptive) {
      expectedGrads.push(bwdOut.gradTheta0 as Float32Array);
      gradShapes.push(c.stepShape);
    }
    if (a.charge === 'plif') {
      expectedGrads.push(bwdOut.gradK as Float32Array);
      gradShapes.push(c.paramShape as number[]);
    }
    expect(fusedGrads.length).toBe(expectedGrads.length);
    for (const [i, g] of fusedGrads.entries()) {
      expect(g.shape).toEqual(gradShapes[i]);
      // gradK sums T·n/k.size terms: float32 on the GPU against float64 in the loops.
      const isK = a.charge === 'plif' && i === fusedGrads.length - 1;
      const tol = isK ? { rtol: 1e-4, atol: 1e-4 } : { rtol: 1e-4, atol: 1e-5 };
      expectClose(Array.from(await g.data()), expectedGrads[i] as Float32Array, tol);
    }
  } finally {
    tf.engine().endScope();
  }
}

import { readFileSync } from 'node:fs';
import {
  defineKernel,
  hasFusedKernel,
  LIFMultiStep,
  type LIFMultiStepAttrs,
  lifMultiStep,
  registerKernels,
  ShapeError,
  ValueError,
} from '@snn/core';
import { describeBackends, expectClose, expectNoLeak } from '@snn/core/testing';
import type { Tensor } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';
import { afterEach, expect, it } from 'vitest';

interface GoldenCase {
  name: string;
  params: Record<string, unknown> & { surrogate_function: { class: string; alpha: number } };
  inputs: Record<string, number[][] | number>;
  outputs: Record<string, number[][] | number[] | number>;
  grads?: Record<string, number[][] | number>;
}
const load = (file: string): GoldenCase[] =>
  JSON.parse(readFileSync(new URL(`../../test/golden/${file}`, import.meta.url), 'utf8')).cases;

/** SpikingJelly's IF and LIF cases map onto the LIFMultiStep contract; the others are not LIF. */
function attrsOf(c: GoldenCase): LIFMultiStepAttrs & { detachReset: boolean } {
  const p = c.params as unknown as {
    tau?: number;
    decay_input?: boolean;
    v_threshold: number;
    v_reset: number | null;
    detach_reset: boolean;
  };
  const isIF = c.name.startsWith('IFNode');
  return {
    tau: isIF ? Number.POSITIVE_INFINITY : (p.tau as number),
    decayInput: isIF ? false : (p.decay_input as boolean),
    vThreshold: p.v_threshold,
    vReset: p.v_reset ?? 0,
    softReset: p.v_reset === null,
    detachReset: p.detach_reset,
  };
}

/** The two surrogate derivatives the gradient goldens use (golden/README.md). */
function surrogateGradOf(c: GoldenCase): (z: Tensor) => Tensor {
  const { class: name, alpha } = c.params.surrogate_function;
  if (name === 'Sigmoid') {
    return (z) =>
      tf.tidy(() => {
        const s = tf.sigmoid(tf.mul(z, alpha));
        return tf.mul(tf.mul(s, tf.sub(1, s)), alpha);
      });
  }
  if (name === 'ATan') {
    return (z) => tf.div(alpha / 2, tf.add(1, tf.square(tf.mul(z, (Math.PI / 2) * alpha))));
  }
  throw new Error(`no surrogate ${name} in this test`);
}

/** LIF tau 2, decay input, hard reset to 0, threshold 1, with the given surrogate derivative. */
const lifOptions = (surrogateGrad: (z: Tensor) => Tensor) => ({
  tau: 2,
  decayInput: true,
  vThreshold: 1,
  vReset: 0,
  softReset: false,
  detachReset: false,
  surrogateGrad,
});

const isLIF = (c: GoldenCase) => /^(IFNode|LIFNode)/.test(c.name);
const forwardCases = load('neurons.json').filter(isLIF);
const gradCases = load('neuron_grads.json').filter(isLIF);

afterEach(() => {
  if (hasFusedKernel(LIFMultiStep, 'cpu')) tf.unregisterKernel(LIFMultiStep, 'cpu');
});

describeBackends('lifMultiStep reference', () => {
  it.each(forwardCases.map((c) => [c.name, c] as const))('matches SpikingJelly: %s', (_name, c) => {
    tf.tidy(() => {
      const { spikeSeq, vSeq } = lifMultiStep(
        tf.tensor(c.inputs.x_seq as number[][]),
        tf.scalar(c.inputs.v_init as number),
        {
          ...attrsOf(c),
          surrogateGrad: surrogateGradOf(c),
        },
      );
      expect(Array.from(spikeSeq.dataSync())).toEqual((c.outputs.spike_seq as number[][]).flat());
      expectClose(vSeq, c.outputs.v_seq as number[][], { rtol: 1e-5, atol: 1e-6 });
    });
  });

  it.each(gradCases.map((c) => [c.name, c] as const))('BPTT matches SpikingJelly: %s', (_name, c) => {
    tf.tidy(() => {
      const x = tf.tensor(c.inputs.x_seq as number[][]);
      const wSpike = tf.tensor(c.inputs.w_spike as number[][]);
      const wV = tf.tensor(c.inputs.w_v as number[][]);
      const options = { ...attrsOf(c), surrogateGrad: surrogateGradOf(c) };
      const lossOf = (xs: Tensor) => {
        const { spikeSeq, vSeq } = lifMultiStep(xs, tf.scalar(c.inputs.v_init as number), options);
        return tf.add(tf.sum(tf.mul(spikeSeq, wSpike)), tf.sum(tf.mul(vSeq, wV)));
      };
      const { value, grad } = tf.valueAndGrad(lossOf)(x);
      expectClose(value, [c.outputs.loss as number], { rtol: 1e-5, atol: 1e-5 });
      expectClose(grad, c.grads?.x_seq as number[][], { rtol: 1e-4, atol: 1e-6 });
    });
  });

  it('gives v0 its gradient (the carry of step 0)', () => {
    tf.tidy(() => {
      const x = tf.tensor2d([
        [0.3, 0.9],
        [0.4, 0.2],
      ]);
      // V after step 1 depends on v0 through two leaks: d(sum vSeq[1])/dv0 = (1 - 1/2)^2 without spikes.
      const g = tf.grad((v0: Tensor) =>
        tf.sum(
          tf.slice(
            lifMultiStep(
              x,
              v0,
              lifOptions((z) => tf.zerosLike(z)),
            ).vSeq,
            [1, 0],
            [1, 2],
          ),
        ),
      )(tf.tensor1d([0, 0]));
      expectClose(g, [0.25, 0.25]);
    });
  });

  it('gives a scalar v0 the sum of the per-neuron gradients', () => {
    tf.tidy(() => {
      const x = tf.tensor2d([
        [0.3, 0.9],
        [0.4, 0.2],
      ]);
      const opts = lifOptions((z: Tensor) => tf.zerosLike(z));
      const lossOf = (v0: Tensor) => tf.sum(lifMultiStep(x, v0, opts).vSeq);
      const full = tf.grad(lossOf)(tf.tensor1d([0.1, 0.1]));
      const scalar = tf.grad(lossOf)(tf.scalar(0.1));
      expect(scalar.shape).toEqual([]);
      expectClose(scalar, [tf.sum(full).dataSync()[0] as number]);
    });
  });

  it('keeps tf.memory() flat over many calls, with and without a gradient', () => {
    const x = tf.randomUniform([8, 4, 16], 0, 2, 'float32', 1);
    const v0 = tf.scalar(0);
    const opts = lifOptions((z: Tensor) => tf.sigmoid(z));
    expectNoLeak(() => {
      const { spikeSeq, vSeq } = lifMultiStep(x, v0, opts);
      tf.dispose([spikeSeq, vSeq]);
    }, 100);
    expectNoLeak(() => {
      tf.dispose(tf.grad((xs: Tensor) => tf.sum(lifMultiStep(xs, v0, opts).spikeSeq))(x));
    }, 50);
    tf.dispose([x, v0]);
  });

  it('rejects bad input with named errors', () => {
    const opts = lifOptions((z: Tensor) => z);
    const x = tf.zeros([3, 2, 4]);
    expect(() => lifMultiStep(tf.zeros([4]), tf.scalar(0), opts)).toThrow(ShapeError);
    expect(() => lifMultiStep(tf.zeros([0, 2]), tf.scalar(0), opts)).toThrow(
      "lifMultiStep: 'xSeq.shape[0] (T)' must be at least 1 time step, got 0",
    );
    expect(() => lifMultiStep(x, tf.zeros([2, 5]), opts)).toThrow(
      "lifMultiStep: 'v0' must have shape [] or [2, 4], got shape [2, 5]",
    );
    expect(() => lifMultiStep(x, tf.scalar(0), { ...opts, tau: -2 })).toThrow(ValueError);
    expect(() => lifMultiStep(x, tf.scalar(0), { ...opts, tau: -2 })).toThrow(/'tau' must be a finite number > 0/);
    expect(() => lifMultiStep(x, tf.scalar(0), { ...opts, vThreshold: Number.NaN })).toThrow(
      /'vThreshold' must be a finite number, got NaN/,
    );
    x.dispose();
  });
});

describeBackends('fused-kernel registry', () => {
  it('runs a registered kernel instead of the reference, with the same numbers', () => {
    const c = forwardCases.find((k) => k.name === 'LIFNode_tau2_decayT_hardneg') as GoldenCase;
    let calls = 0;
    // A plain-JS fused kernel for cpu: proves the dispatch, not speed.
    const jsKernel = defineKernel<{ xSeq: tf.TensorInfo; v0: tf.TensorInfo }, LIFMultiStepAttrs>(
      LIFMultiStep,
      'cpu',
      ({ inputs, backend, attrs }) => {
        calls++;
        const cpu = backend as unknown as {
          data: { get(id: unknown): { values: Float32Array } };
          makeTensorInfo(shape: number[], dtype: string, values: Float32Array): tf.TensorInfo;
        };
        const x = cpu.data.get(inputs.xSeq.dataId).values;
        const v = Float32Array.from(cpu.data.get(inputs.v0.dataId).values);
        const n = v.length;
        const T = inputs.xSeq.shape[0] as number;
        const spikes = new Float32Array(T * n);
        const vs = new Float32Array(T * n);
        const hs = new Float32Array(T * n);
        for (let t = 0; t < T; t++) {
          for (let i = 0; i < n; i++) {
            const vi = v[i] as number;
            const h = Math.fround(
              vi + Math.fround(Math.fround((x[t * n + i] as number) - Math.fround(vi - attrs.vReset)) / attrs.tau),
            );
            const s = +(h >= attrs.vThreshold);
            v[i] = s ? attrs.vReset : h;
            spikes[t * n + i] = s;
            vs[t * n + i] = v[i] as number;
            hs[t * n + i] = h;
          }
        }
        const shape = [...inputs.xSeq.shape];
        return [
          cpu.makeTensorInfo(shape, 'float32', spikes),
          cpu.makeTensorInfo(shape, 'float32', vs),
          cpu.makeTensorInfo(shape, 'float32', hs),
        ];
      },
    );
    registerKernels([jsKernel]);
    expect(hasFusedKernel(LIFMultiStep, 'cpu')).toBe(true);
    tf.tidy(() => {
      const { spikeSeq, vSeq } = lifMultiStep(
        tf.tensor(c.inputs.x_seq as number[][]),
        tf.scalar(c.inputs.v_init as number),
        {
          ...attrsOf(c),
          surrogateGrad: surrogateGradOf(c),
        },
      );
      expect(Array.from(spikeSeq.dataSync())).toEqual((c.outputs.spike_seq as number[][]).flat());
      expectClose(vSeq, c.outputs.v_seq as number[][]);
    });
    expect(calls).toBe(1);
  });
}, ['cpu']);

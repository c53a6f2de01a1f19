import {
  lifMultiStep,
  NeuronForward,
  neuronMultiStep,
  RateCrossEntropy,
  RateCrossEntropyBackward,
  ShapeError,
  ValueError,
} from '@snn/core';
import {
  checkTfjsInternals,
  expFast,
  globalNorm,
  isRecordingGradient,
  rateCrossEntropy,
  rateCrossEntropyBackwardReference,
  rateCrossEntropyReference,
  wasmHeapMemory,
} from '@snn/core/internal';
import { describeBackends, describeNeuronKernels, expectClose, testSurrogate } from '@snn/core/testing';
import type { Tensor } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';

// SpikingJelly's golden cases and fused-vs-reference on cpu and wasm (core registers the cpu
// kernels; @snn/backend-wasm, imported by the test setup through useBackend, registers wasm's).
describeNeuronKernels();

describeBackends('neuronMultiStep', (backend) => {
  it(`has fused kernels registered on ${backend}`, () => {
    expect(tf.getKernel(NeuronForward, backend)).toBeDefined();
  });

  it('rejects bad input with named errors and leaves the tensor count as it was', () => {
    const x = tf.zeros([3, 2, 4]);
    const v = tf.scalar(0);
    const surrogate = testSurrogate('sigmoid', 4);
    const ok = { charge: 'lif' as const, tau: 2, surrogate };
    const [rank1, empty, wrongV, wrongTau, ints, gone] = [
      tf.zeros([4]),
      tf.zeros([0, 2]),
      tf.zeros([2, 5]),
      tf.ones([3]),
      tf.zeros([3, 2], 'int32'),
      tf.zeros([3, 2]),
    ];
    gone.dispose();
    const before = tf.memory().numTensors;
    expect(() => neuronMultiStep(rank1, { v }, ok)).toThrow(ShapeError);
    expect(() => neuronMultiStep(empty, { v }, ok)).toThrow(
      "neuronMultiStep: 'xSeq.shape[0] (T)' must be at least 1 time step, got 0",
    );
    expect(() => neuronMultiStep(x, { v: wrongV }, ok)).toThrow(
      "neuronMultiStep: 'state.v' must have shape [] or [2, 4], got shape [2, 5]",
    );
    expect(() => neuronMultiStep(x, { v }, { ...ok, tau: 0.5 })).toThrow(/'tau' must be a finite number > 1, got 0.5/);
    expect(() => neuronMultiStep(x, { v }, { ...ok, tau: wrongTau })).toThrow(
      /'tau' must have shape \[\] or a suffix of the step shape \[2, 4\], got shape \[3\]/,
    );
    expect(() => neuronMultiStep(x, { v }, { charge: 'plif', k: 1.5, surrogate })).toThrow(
      /'k' must be a number in \(0, 1\)/,
    );
    expect(() => neuronMultiStep(x, { v }, { ...ok, vThreshold: Number.NaN })).toThrow(
      /'vThreshold' must be a finite number, got NaN/,
    );
    expect(() => neuronMultiStep(x, { v }, { ...ok, detachReset: 'no' as unknown as boolean })).toThrow(
      /'detachReset' must be a boolean/,
    );
    expect(() => neuronMultiStep(x, { v }, { ...ok, charge: 'izh' as 'lif' })).toThrow(/'charge' must be one of/);
    expect(() => neuronMultiStep(x, { v }, { ...ok, adaptive: { thetaPlus: 0.1, tauTheta: 1 } })).toThrow(
      /'adaptive.tauTheta' must be a finite number > 1/,
    );
    expect(() => neuronMultiStep(x, { v }, { ...ok, surrogate: null as unknown as typeof surrogate })).toThrow(
      ValueError,
    );
    expect(() => neuronMultiStep(ints, { v }, ok)).toThrow(/'xSeq' must be a float32 tensor, got 'dtype int32'/);
    expect(() => neuronMultiStep(gone, { v }, ok)).toThrow(/'xSeq' must be a tensor that is not disposed/);
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([x, v, rank1, empty, wrongV, wrongTau, ints]);
  });

  it('lifMultiStep takes only booleans for its flags', () => {
    const x = tf.zeros([2, 3]);
    const base = { tau: 2, decayInput: true, vThreshold: 1, vReset: 0, softReset: false, detachReset: false };
    const surrogateGrad = (z: Tensor) => tf.zerosLike(z);
    expect(() =>
      lifMultiStep(x, tf.scalar(0), { ...base, softReset: 'yes' as unknown as boolean, surrogateGrad }),
    ).toThrow("lifMultiStep: 'softReset' must be a boolean, got 'yes'");
    x.dispose();
  });

  it('lifMultiStep is the LIF (or IF) case of the contract', () => {
    tf.tidy(() => {
      const x = tf.tensor2d([
        [0.3, 0.9],
        [1.4, 0.2],
        [0.8, 1.9],
      ]);
      const grad = (z: Tensor) => testSurrogate('sigmoid', 4).grad(z);
      const a = lifMultiStep(x, tf.scalar(0), {
        tau: 2,
        decayInput: true,
        vThreshold: 1,
        vReset: 0,
        softReset: false,
        detachReset: false,
        surrogateGrad: grad,
      });
      const b = neuronMultiStep(
        x,
        { v: tf.scalar(0) },
        { charge: 'lif', tau: 2, surrogate: testSurrogate('sigmoid', 4), storeVSeq: true },
      );
      expectClose(a.spikeSeq, b.spikeSeq);
      expectClose(a.vSeq, b.vSeq as Tensor);
      const ifRun = lifMultiStep(x, tf.scalar(0), {
        tau: Number.POSITIVE_INFINITY,
        decayInput: false,
        vThreshold: 1,
        vReset: 0,
        softReset: true,
        detachReset: false,
        surrogateGrad: grad,
      });
      expectClose(ifRun.vSeq, [
        [0.3, 0.9],
        [0.7, 0.1],
        [0.5, 1.0],
      ]);
    });
  });
});

describeBackends('tfjs internals', (backend) => {
  it(`are where snn reads them on ${backend} (fails loudly when a tfjs release moves them)`, () => {
    expect(() => checkTfjsInternals()).not.toThrow();
    expect(wasmHeapMemory(tf.backend()) !== null).toBe(backend === 'wasm');
  });
});

it('knows when a gradient is being recorded', async () => {
  expect(isRecordingGradient()).toBe(false);
  let inside = false;
  tf.grad((x: Tensor) => {
    inside = isRecordingGradient();
    return tf.sum(x);
  })(tf.scalar(1));
  expect(inside).toBe(true);
});

it('expFast (the sigmoid surrogate of the loop kernels) is within 1e-8 of Math.exp on [−100, 100]', () => {
  let worst = 0;
  for (let i = 0; i <= 200_000; i++) {
    const x = -100 + i / 1000;
    worst = Math.max(worst, Math.abs(expFast(x) - Math.exp(x)) / Math.exp(x));
  }
  expect(worst).toBeLessThan(1e-8);
  expect(expFast(0)).toBe(1);
  expect(expFast(-1e9)).toBe(expFast(-100));
  expect(expFast(1e9)).toBe(expFast(100));
});

describeBackends('small fused kernels', (backend) => {
  it('rate cross-entropy (value, probabilities, gradient) and the global norm equal their references', () => {
    tf.tidy(() => {
      const [T, B, C] = [3, 4, 5];
      const s = tf.randomUniform([T, B, C], 0, 1, 'float32', 3);
      const y = tf.cast(tf.oneHot(tf.tensor1d([4, 0, 2, 1], 'int32'), C), 'float32');
      const attrs = { scale: 2.5, T };
      const ref = rateCrossEntropyReference(s, y, attrs);
      const dy = tf.scalar(0.7);
      if (tf.getKernel(RateCrossEntropy, backend) !== undefined) {
        const fused = tf.engine().runKernel(RateCrossEntropy, { spikeSeq: s, targets: y }, { ...attrs }) as Tensor[];
        expectClose(fused[0] as Tensor, ref[0] as Tensor, { rtol: 1e-6 });
        expectClose(fused[1] as Tensor, ref[1] as Tensor, { rtol: 1e-6, atol: 1e-7 });
        const [g] = tf
          .engine()
          .runKernel(RateCrossEntropyBackward, { probs: ref[1] as Tensor, targets: y, dy }, { ...attrs }) as Tensor[];
        expectClose(g as Tensor, rateCrossEntropyBackwardReference(ref[1] as Tensor, y, dy, attrs), {
          rtol: 1e-6,
          atol: 1e-8,
        });
      }
      const { value, grad } = tf.valueAndGrad((x: Tensor) => rateCrossEntropy(x, y, 2.5))(s);
      expectClose(value, ref[0] as Tensor, { rtol: 1e-6 });
      expectClose(grad, rateCrossEntropyBackwardReference(ref[1] as Tensor, y, tf.scalar(1), attrs), {
        rtol: 1e-6,
        atol: 1e-8,
      });
      const parts = [
        tf.tensor1d([3, 4]),
        tf.tensor2d([
          [1, 2],
          [2, 4],
        ]),
        tf.scalar(-10),
      ];
      expectClose(globalNorm(parts), [Math.sqrt(9 + 16 + 1 + 4 + 4 + 16 + 100)], { rtol: 1e-6 });
      expectClose(globalNorm([]), [0]);
    });
  });
});

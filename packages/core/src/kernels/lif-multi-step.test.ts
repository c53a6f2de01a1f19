import { lifMultiStep, UnknownOptionError, ValueError } from '@snn/core';
import type { Tensor } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';

const surrogateGrad = (z: Tensor) => tf.zerosLike(z);
const OPTIONS = {
  tau: 2,
  decayInput: true,
  vThreshold: 1,
  vReset: 0,
  softReset: false,
  detachReset: false,
  surrogateGrad,
};

describe('lifMultiStep arguments', () => {
  it('refuses a non-tensor xSeq or v0, missing or malformed options, unknown option names, by name', () => {
    const x = tf.zeros([2, 3]);
    const v0 = tf.scalar(0);
    const before = tf.memory().numTensors;
    const call =
      (...args: unknown[]) =>
      () =>
        (lifMultiStep as (...a: unknown[]) => unknown)(...args);
    expect(call(x)).toThrow("lifMultiStep: 'v0' must be a tf.Tensor, got undefined");
    expect(call(x, v0)).toThrow("lifMultiStep: 'options' must be { tau, decayInput, vThreshold, vReset, softReset");
    expect(call(x, v0, null)).toThrow(ValueError);
    expect(call('x', v0, OPTIONS)).toThrow("lifMultiStep: 'xSeq' must be a tf.Tensor, got 'x'");
    expect(call([[1, 2]], v0, OPTIONS)).toThrow("lifMultiStep: 'xSeq' must be a tf.Tensor");
    expect(call(x, 0, OPTIONS)).toThrow("lifMultiStep: 'v0' must be a tf.Tensor, got 0");
    expect(call(x, v0, { ...OPTIONS, tua: 2 })).toThrow(
      "lifMultiStep: unknown option 'tua' (did you mean 'tau'?); known options: 'tau', 'decayInput'",
    );
    expect(call(x, v0, { ...OPTIONS, detachRest: true })).toThrow(UnknownOptionError);
    expect(call(x, v0, { ...OPTIONS, surrogateGrad: undefined })).toThrow(
      "lifMultiStep: 'surrogateGrad' must be a function of a tensor",
    );
    expect(call(x, v0, { ...OPTIONS, tau: undefined })).toThrow(
      "lifMultiStep: 'tau' must be a finite number > 1, or Infinity for IF, got undefined",
    );
    expect(call(x, v0, { ...OPTIONS, tau: 0.5 })).toThrow("lifMultiStep: 'tau' must be a finite number > 1");
    expect(call(x, v0, { ...OPTIONS, vThreshold: undefined })).toThrow(
      "lifMultiStep: 'vThreshold' must be a finite number, got undefined",
    );
    expect(call(x, v0, { ...OPTIONS, vReset: Number.NaN })).toThrow("lifMultiStep: 'vReset' must be a finite number");
    expect(call(x, v0, { ...OPTIONS, decayInput: 1 })).toThrow("lifMultiStep: 'decayInput' must be a boolean, got 1");
    expect(tf.memory().numTensors).toBe(before);
    // The same options, complete and spelt right, run (so each refusal above is for its one fault).
    const ok = lifMultiStep(x, v0, OPTIONS);
    expect(ok.spikeSeq.shape).toEqual([2, 3]);
    tf.dispose([x, v0, ok.spikeSeq, ok.vSeq]);
  });
});

import type { KernelConfig, TensorInfo } from '@tensorflow/tfjs-core';
import { defineKernel } from './define-kernel.js';
import type { ArrayKernelRunner } from './neuron-array-kernels.js';
import { RateCrossEntropy, type RateCrossEntropyAttrs, RateCrossEntropyBackward } from './rate-cross-entropy.js';
import { SumOfSquares } from './sum-of-squares.js';

/**
 * {@link RateCrossEntropy}, its backward and {@link SumOfSquares} as loops, for backends whose
 * tensors JavaScript can view (cpu, wasm): each replaces a dozen tiny tfjs kernels.
 */
export function arraySmallKernels(backendName: string, runner: ArrayKernelRunner): KernelConfig[] {
  const loss = defineKernel<Record<string, TensorInfo>, RateCrossEntropyAttrs>(
    RateCrossEntropy,
    backendName,
    ({ inputs, backend, attrs }) => {
      const spikeSeq = inputs.spikeSeq as TensorInfo;
      const [T, B, C] = spikeSeq.shape as [number, number, number];
      return runner(backend, [spikeSeq, inputs.targets as TensorInfo], [[], [B, C]], ([s, y], [loss, probs]) => {
        const spikes = s as Float32Array;
        const targets = y as Float32Array;
        const p = probs as Float32Array;
        let total = 0;
        for (let b = 0; b < B; b++) {
          let max = Number.NEGATIVE_INFINITY;
          for (let c = 0; c < C; c++) {
            let sum = 0;
            for (let t = 0; t < T; t++) sum += spikes[(t * B + b) * C + c] as number;
            const z = (sum / T) * attrs.scale;
            p[b * C + c] = z;
            if (z > max) max = z;
          }
          let norm = 0;
          for (let c = 0; c < C; c++) norm += Math.exp((p[b * C + c] as number) - max);
          const logNorm = Math.log(norm) + max;
          for (let c = 0; c < C; c++) {
            const logP = (p[b * C + c] as number) - logNorm;
            total -= (targets[b * C + c] as number) * logP;
            p[b * C + c] = Math.exp(logP);
          }
        }
        (loss as Float32Array)[0] = total / B;
      });
    },
  );
  const lossBackward = defineKernel<Record<string, TensorInfo>, RateCrossEntropyAttrs>(
    RateCrossEntropyBackward,
    backendName,
    ({ inputs, backend, attrs }) => {
      const probs = inputs.probs as TensorInfo;
      const [B, C] = probs.shape as [number, number];
      const T = attrs.T;
      const ins = [probs, inputs.targets as TensorInfo, inputs.dy as TensorInfo];
      return runner(backend, ins, [[T, B, C]], ([p, y, dy], [grad]) => {
        const factor = ((dy as Float32Array)[0] as number) * (attrs.scale / (T * B));
        const g = grad as Float32Array;
        for (let i = 0; i < B * C; i++) {
          const v = (((p as Float32Array)[i] as number) - ((y as Float32Array)[i] as number)) * factor;
          for (let t = 0; t < T; t++) g[t * B * C + i] = v;
        }
      });
    },
  );
  const sumOfSquares = defineKernel<Record<string, TensorInfo>, Record<string, never>>(
    SumOfSquares,
    backendName,
    ({ inputs, backend }) => {
      const tensors = Object.keys(inputs)
        .sort((a, b) => Number(a.slice(1)) - Number(b.slice(1)))
        .map((k) => inputs[k] as TensorInfo);
      return runner(backend, tensors, [[]], (arrays, [out]) => {
        let total = 0;
        for (const a of arrays) {
          const x = a as Float32Array;
          for (let i = 0; i < x.length; i++) total += (x[i] as number) * (x[i] as number);
        }
        (out as Float32Array)[0] = total;
      });
    },
  );
  return [loss, lossBackward, sumOfSquares];
}

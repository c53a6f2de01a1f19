import type { KernelConfig, TensorInfo } from '@tensorflow/tfjs-core';
import { AdamUpdate, type AdamUpdateAttrs } from './adam-contract.js';
import { defineKernel } from './define-kernel.js';
import type { ArrayKernelRunner } from './neuron-array-kernels.js';

/** The fused {@link AdamUpdate} kernel for `backendName`: one pass over the variable's elements. */
export function arrayAdamKernel(backendName: string, runner: ArrayKernelRunner): KernelConfig {
  return defineKernel<Record<string, TensorInfo>, AdamUpdateAttrs>(
    AdamUpdate,
    backendName,
    ({ inputs, backend, attrs }) => {
      const { value, m, v, gradient, c1, c2 } = inputs as Record<
        'value' | 'm' | 'v' | 'gradient' | 'c1' | 'c2',
        TensorInfo
      >;
      const shape = [...value.shape];
      return runner(backend, [value, m, v, gradient, c1, c2], [shape, shape, shape], (ins, outs) => {
        const [x, mIn, vIn, g, c1a, c2a] = ins as Float32Array[];
        const [xOut, mOut, vOut] = outs as [Float32Array, Float32Array, Float32Array];
        const { beta1, beta2, epsilon } = attrs;
        const lr = Math.fround(-attrs.learningRate);
        const keep1 = Math.fround(1 - beta1);
        const keep2 = Math.fround(1 - beta2);
        const b1 = Math.fround(beta1);
        const b2 = Math.fround(beta2);
        const eps = Math.fround(epsilon);
        const bias1 = (c1a as Float32Array)[0] as number;
        const bias2 = (c2a as Float32Array)[0] as number;
        const n = xOut.length;
        for (let i = 0; i < n; i++) {
          const gi = (g as Float32Array)[i] as number;
          const mi = Math.fround(Math.fround(((mIn as Float32Array)[i] as number) * b1) + Math.fround(gi * keep1));
          const vi = Math.fround(
            Math.fround(((vIn as Float32Array)[i] as number) * b2) + Math.fround(Math.fround(gi * gi) * keep2),
          );
          const step = Math.fround(
            Math.fround(mi / bias1) / Math.fround(Math.fround(Math.sqrt(Math.fround(vi / bias2))) + eps),
          );
          mOut[i] = mi;
          vOut[i] = vi;
          xOut[i] = Math.fround(step * lr) + ((x as Float32Array)[i] as number);
        }
      });
    },
  );
}

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
        // Double precision, rounded to float32 by the stores: within an ulp of tfjs's float32 ops.
        const lr = -attrs.learningRate;
        const keep1 = 1 - beta1;
        const keep2 = 1 - beta2;
        const inv1 = 1 / ((c1a as Float32Array)[0] as number);
        const inv2 = 1 / ((c2a as Float32Array)[0] as number);
        const n = xOut.length;
        for (let i = 0; i < n; i++) {
          const gi = (g as Float32Array)[i] as number;
          const mi = ((mIn as Float32Array)[i] as number) * beta1 + gi * keep1;
          const vi = ((vIn as Float32Array)[i] as number) * beta2 + gi * gi * keep2;
          mOut[i] = mi;
          vOut[i] = vi;
          xOut[i] = ((mi * inv1) / (Math.sqrt(vi * inv2) + epsilon)) * lr + ((x as Float32Array)[i] as number);
        }
      });
    },
  );
}

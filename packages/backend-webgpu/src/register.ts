// Side effect: registers tfjs's webgpu backend, snn's provider for it and snn's webgpu kernels. Listed in sideEffects.
import '@tensorflow/tfjs-backend-webgpu';
import { detectEnvironment, registerBackendProvider, registerKernels } from '@snn/core';
import { webgpuNeuronKernels } from './kernels/neuron.js';

// Kernels snn brings to the webgpu backend: the fused neuron forward and backward (WGSL).
registerKernels(webgpuNeuronKernels);

interface GpuLike {
  requestAdapter(): Promise<unknown | null>;
}

registerBackendProvider({
  name: 'webgpu',
  tfjsName: 'webgpu',
  packageName: '@snn/backend-webgpu',
  async unavailableReason() {
    if (detectEnvironment() === 'node') return "WebGPU is used here only in a browser; in Node use 'wasm' or 'cpu'";
    const gpu = (globalThis as { navigator?: { gpu?: GpuLike } }).navigator?.gpu;
    if (gpu === undefined) return 'navigator.gpu is undefined: this browser has no WebGPU (or it is disabled)';
    try {
      const adapter = await gpu.requestAdapter();
      if (adapter === null) {
        return 'navigator.gpu.requestAdapter() returned null: no usable GPU adapter (Chromium without a GPU needs --enable-unsafe-webgpu)';
      }
    } catch (e) {
      return `navigator.gpu.requestAdapter() failed: ${e instanceof Error ? e.message : String(e)}`;
    }
    return null;
  },
});

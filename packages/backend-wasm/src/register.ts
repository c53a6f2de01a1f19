// Side effect: registers tfjs's wasm backend and snn's provider for it. Listed in sideEffects.
import '@tensorflow/tfjs-backend-wasm';
import { registerBackendProvider, registerKernels } from '@snn/core';
import { wasmKernels } from './kernels/neuron.js';
import { registerWasmSlice } from './kernels/Slice.js';

// Kernels snn brings to the wasm backend (registration is a list of calls, one per kernel).
registerWasmSlice();
registerKernels(wasmKernels);

registerBackendProvider({
  name: 'wasm',
  tfjsName: 'wasm',
  packageName: '@snn/backend-wasm',
  async unavailableReason() {
    if (typeof WebAssembly === 'undefined') return 'this JavaScript engine has no WebAssembly';
    return null;
  },
});

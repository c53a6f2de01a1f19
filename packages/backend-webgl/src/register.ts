// Side effect: registers tfjs's webgl backend, snn's provider for it and snn's webgl kernels. Listed in sideEffects.
import '@tensorflow/tfjs-backend-webgl';
import { detectEnvironment, registerBackendProvider, registerKernels } from '@snn/core';
import { webglNeuronKernels } from './kernels/neuron.js';

// Kernels snn brings to the webgl backend: the fused neuron forward and backward (GLSL).
registerKernels(webglNeuronKernels);

/** Whether a WebGL context can be created here; the reason when not. */
function webglReason(): string | null {
  const g = globalThis as { document?: Document; OffscreenCanvas?: typeof OffscreenCanvas };
  if (detectEnvironment() === 'node') {
    return "WebGL exists only in a browser; in Node use 'wasm' or 'cpu'";
  }
  const canvas =
    g.OffscreenCanvas !== undefined
      ? new g.OffscreenCanvas(1, 1)
      : g.document !== undefined
        ? g.document.createElement('canvas')
        : undefined;
  if (canvas === undefined) return 'no canvas to create a WebGL context on';
  const gl = canvas.getContext('webgl2') ?? canvas.getContext('webgl');
  if (gl === null) return 'the browser refused a WebGL context (GPU blocked, or hardware acceleration off)';
  return null;
}

registerBackendProvider({
  name: 'webgl',
  tfjsName: 'webgl',
  packageName: '@snn/backend-webgl',
  async unavailableReason() {
    try {
      return webglReason();
    } catch (e) {
      return `creating a WebGL context failed: ${e instanceof Error ? e.message : String(e)}`;
    }
  },
});

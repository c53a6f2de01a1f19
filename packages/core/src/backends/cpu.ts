// Side effect: registers tfjs's cpu backend and snn's provider for it. Listed in sideEffects.
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import '../kernels/cpu-kernels.js';
import { registerBackendProvider } from './registry.js';

registerBackendProvider({
  name: 'cpu',
  tfjsName: 'cpu',
  packageName: '@snn/core',
  unavailableReason: async () => null,
  started() {
    // tfjs's cpu backend greets Node users with advice to install tfjs-node on first use; snn
    // picks backends through listBackends()/'auto' instead, so silence the banner.
    (tf.backend() as unknown as { firstUse?: boolean }).firstUse = false;
  },
});

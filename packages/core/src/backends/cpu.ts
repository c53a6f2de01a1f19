// Side effect: registers tfjs's cpu backend and snn's provider for it. Listed in sideEffects.
import '@tensorflow/tfjs-backend-cpu';
import { registerBackendProvider } from './registry.js';

registerBackendProvider({
  name: 'cpu',
  tfjsName: 'cpu',
  packageName: '@snn/core',
  unavailableReason: async () => null,
});

/**
 * @snn/backend-cuda: the CUDA backend for snn in Node, through the optional peer dependency
 * `@tensorflow/tfjs-node-gpu`. Importing it registers the backend; `await useBackend('cuda')`
 * loads tfjs-node-gpu then, and fails with a BackendUnavailableError saying what to install
 * when it is missing.
 */
import './register.js';

/** The optional peer dependency that provides the CUDA kernels. */
export const peerPackage = '@tensorflow/tfjs-node-gpu';

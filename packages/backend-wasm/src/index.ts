/**
 * @snn/backend-wasm: the WebAssembly backend (tfjs-backend-wasm) for snn, in Node and the browser.
 * Importing it registers the backend; `await useBackend('wasm')` selects it.
 */
import './register.js';

/**
 * Tells tfjs where the `.wasm` files are served from, for bundled browser apps (in Node they
 * are found by themselves). Call before `useBackend('wasm')`.
 * @example
 * ```ts
 * setWasmPaths('/assets/tfjs-wasm/'); // a folder holding tfjs-backend-wasm*.wasm
 * ```
 */
export { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';

/**
 * @snn/backend-webgpu: the WebGPU backend (tfjs-backend-webgpu) for snn, in the browser.
 * Importing it registers the backend; `await useBackend('webgpu')` selects it.
 */
import './register.js';

/** The provider's package name, for apps that list what they bundled. */
export const packageName = '@snn/backend-webgpu';

/**
 * @snn/backend-webgl: the WebGL backend (tfjs-backend-webgl) for snn, in the browser.
 * Importing it registers the backend; `await useBackend('webgl')` selects it.
 */
import './register.js';

/** The provider's package name, for apps that list what they bundled. */
export const packageName = '@snn/backend-webgl';

// Side effect: registers snn's provider for the cuda backend. Listed in sideEffects.
// @tensorflow/tfjs-node-gpu is an optional peer dependency: it is imported only when asked for.
import { detectEnvironment, registerBackendProvider } from '@snn/core';

const PEER = '@tensorflow/tfjs-node-gpu';
const NEEDS =
  'it needs Linux x64 with an NVIDIA GPU, CUDA 11.2 and cuDNN 8.1, and its install script downloads libtensorflow (so it cannot be installed offline)';

let loading: Promise<string | null> | undefined;

function isNotFound(e: unknown, specifier: string): boolean {
  const err = e as { code?: string; message?: string };
  const message = err.message ?? '';
  const notFound =
    err.code === 'ERR_MODULE_NOT_FOUND' ||
    err.code === 'MODULE_NOT_FOUND' ||
    /Cannot find|Could not resolve/.test(message);
  // Only the peer itself missing counts: a missing file inside it means a broken install.
  return notFound && message.includes(specifier) && !message.includes('tfjs_binding');
}

/** Imports tfjs-node-gpu once, from here or from the app's folder; the reason in words if it fails. */
async function loadPeer(): Promise<string | null> {
  try {
    await import(/* @vite-ignore */ PEER);
    return null;
  } catch (e) {
    if (!isNotFound(e, PEER)) return `${PEER} is installed but failed to load (${(e as Error).message}); ${NEEDS}`;
  }
  try {
    // Builtins named through variables, as in @snn/core, so that bundlers leave them alone.
    const moduleBuiltin: string = 'node:module';
    const urlBuiltin: string = 'node:url';
    const { createRequire } = (await import(/* @vite-ignore */ moduleBuiltin)) as typeof import('node:module');
    const { pathToFileURL } = (await import(/* @vite-ignore */ urlBuiltin)) as typeof import('node:url');
    const resolved = createRequire(`${process.cwd()}/`).resolve(PEER);
    await import(/* @vite-ignore */ pathToFileURL(resolved).href);
    return null;
  } catch (e) {
    if (isNotFound(e, PEER)) return `${PEER} is not installed: npm i ${PEER}; ${NEEDS}`;
    return `${PEER} is installed but failed to load (${(e as Error).message}); ${NEEDS}`;
  }
}

registerBackendProvider({
  name: 'cuda',
  tfjsName: 'tensorflow',
  packageName: '@snn/backend-cuda',
  async unavailableReason() {
    if (detectEnvironment() !== 'node') return `CUDA runs only in Node, through ${PEER}`;
    loading ??= loadPeer();
    return loading;
  },
});

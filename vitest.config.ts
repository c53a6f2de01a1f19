import { fileURLToPath } from 'node:url';
import { playwright } from '@vitest/browser-playwright';
import { defineConfig } from 'vitest/config';

const root = fileURLToPath(new URL('.', import.meta.url));

// Tests import workspace packages from their sources, so `pnpm test` needs no build first.
const alias = [
  { find: /^@snn\/core\/testing$/, replacement: `${root}packages/core/src/testing/index.ts` },
  { find: /^@snn\/([a-z0-9-]+)\/internal$/, replacement: `${root}packages/$1/src/internal.ts` },
  { find: /^@snn\/plot\/node$/, replacement: `${root}packages/plot/src/node.ts` },
  { find: /^@snn\/([a-z0-9-]+)$/, replacement: `${root}packages/$1/src/index.ts` },
];

/** Debian's Chromium; the flags give WebGL2 and WebGPU on SwiftShader and keep it off the network. */
const chromiumFlags = [
  '--no-sandbox',
  '--use-gl=angle',
  '--use-angle=swiftshader',
  '--enable-unsafe-swiftshader',
  '--enable-unsafe-webgpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

export default defineConfig({
  root,
  resolve: { alias },
  test: {
    projects: [
      {
        resolve: { alias },
        test: {
          name: 'node',
          root,
          include: [
            'packages/*/src/**/*.test.ts',
            'apps/*/src/**/*.test.ts',
            'packages/*/test/**/*.test.ts',
            'tests/*/src/**/*.test.ts',
          ],
          exclude: ['**/*.browser.test.ts', '**/node_modules/**'],
          testTimeout: 60_000,
          hookTimeout: 60_000,
          pool: 'forks',
        },
      },
      {
        resolve: { alias },
        // Pre-bundled up front so that vite does not discover them mid-run and reload the page.
        // pnpm does not hoist: 'a > b' resolves b from package a (linked at the root).
        optimizeDeps: {
          include: [
            '@tensorflow/tfjs-core',
            '@tensorflow/tfjs-core/dist/register_all_gradients.js',
            '@snn/core > @tensorflow/tfjs-backend-cpu',
            '@snn/core > pure-rand/generator/xoroshiro128plus',
            '@snn/backend-webgl > @tensorflow/tfjs-backend-webgl',
            '@snn/backend-webgpu > @tensorflow/tfjs-backend-webgpu',
            '@snn/backend-wasm > @tensorflow/tfjs-backend-wasm',
            '@snn/plot > vega',
            '@snn/plot > vega-lite',
            '@snn/plot > fast-png',
          ],
        },
        test: {
          name: 'browser',
          root,
          include: ['packages/*/src/**/*.browser.test.ts'],
          testTimeout: 120_000,
          hookTimeout: 120_000,
          browser: {
            enabled: true,
            headless: true,
            screenshotFailures: false,
            provider: playwright({
              launchOptions: { executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: chromiumFlags },
            }),
            instances: [{ browser: 'chromium' }],
          },
        },
      },
    ],
  },
});

// Vitest config of the Chromium neuron-kernel bench (chromium.bench.ts), run by chromium.mjs. It
// reuses the root config's `browser` project (Debian's Chromium with the SwiftShader WebGL2/WebGPU
// flags, the @snn/* source aliases, the pre-bundled tfjs deps) with its own include, so `pnpm test`
// never picks the bench up, and adds one browser command that hands the results to Node.
import { mkdirSync, realpathSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig, type TestProjectInlineConfiguration } from 'vitest/config';
import rootConfig from '../../../vitest.config.ts';

const here = dirname(fileURLToPath(import.meta.url));
/** Where the browser's results land; chromium.mjs reads this file after vitest exits. */
export const RESULTS_FILE = process.env.SNN_CHROMIUM_BENCH_OUT ?? join(here, 'results', 'chromium.json');

const projects = (rootConfig.test?.projects ?? []) as TestProjectInlineConfiguration[];
const browser = projects.find((p) => typeof p === 'object' && p.test?.name === 'browser');
if (browser?.test?.browser === undefined) throw new Error("vitest.config.ts at the repo root has no 'browser' project");

// pnpm does not hoist: the bench's `?url` imports of the .wasm files resolve in @snn/backend-wasm's dependency.
const wasmDist = realpathSync(join(here, '../../backend-wasm/node_modules/@tensorflow/tfjs-backend-wasm/dist'));
const alias = [
  { find: /^@tensorflow\/tfjs-backend-wasm\/dist\//, replacement: `${wasmDist}/` },
  ...((browser.resolve?.alias ?? []) as { find: RegExp; replacement: string }[]),
];

export default defineConfig({
  ...browser,
  resolve: { ...browser.resolve, alias },
  test: {
    ...browser.test,
    name: 'chromium-bench',
    include: ['packages/core/bench/chromium.bench.ts'],
    testTimeout: 300_000,
    hookTimeout: 120_000,
    fileParallelism: false,
    browser: {
      ...browser.test.browser,
      commands: {
        /** Writes the bench's results (a JSON-able object) where chromium.mjs reads them. */
        writeBenchResults(_context, results: unknown) {
          mkdirSync(dirname(RESULTS_FILE), { recursive: true });
          writeFileSync(RESULTS_FILE, `${JSON.stringify(results, null, 2)}\n`);
          return RESULTS_FILE;
        },
      },
    },
  },
});

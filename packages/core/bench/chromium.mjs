// Neuron-kernel bench of @snn/core in Chromium: runs chromium.bench.ts in Debian's Chromium
// (vitest browser mode, vitest.chromium.config.ts), then prints the table it measured, one row per
// backend, N, T and mode: the tfjs-ops reference vs the fused kernels, M neuron-steps/s, and
// whether they agree. WebGL2 and WebGPU run on SwiftShader (the GPU emulated on the CPU): every row
// is marked "SwiftShader (CPU-emulated GPU): parity, not speed".
//
// Run from packages/core (`pnpm bench` at the repo root builds, then runs run.mjs, anchors.mjs and this):
//   node bench/chromium.mjs        # about 2 min on 2 cores
// The page reads the @snn/* sources (the root vitest config's aliases), so no build is needed for it.
// Writes bench/results/chromium.json (git-ignored). Without Chromium (CHROMIUM_PATH, default
// /usr/bin/chromium) it says so and exits 0; a backend that cannot start is listed with its reason.

import { spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const repo = resolve(here, '../../..');
const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const resultsFile = join(here, 'results', 'chromium.json');
/** vitest is killed past this (the page itself stops starting new cells after ~140 s). */
const LIMIT_S = 360;

if (!existsSync(chromium)) {
  console.log(
    `\nChromium bench skipped: no Chromium at ${chromium} (Debian: apt-get install -y chromium, or set CHROMIUM_PATH).`,
  );
  process.exit(0);
}

const vitest = join(dirname(createRequire(import.meta.url).resolve('vitest/package.json')), 'vitest.mjs');
rmSync(resultsFile, { force: true });
const started = performance.now();
console.log('\nChromium bench: starting vitest browser mode (Debian Chromium, SwiftShader WebGL2/WebGPU) ...');
const child = spawn(
  process.execPath,
  [vitest, 'run', '--config', join(here, 'vitest.chromium.config.ts'), '--reporter=default'],
  {
    cwd: repo,
    env: { ...process.env, SNN_CHROMIUM_BENCH_OUT: resultsFile, FORCE_COLOR: '0', NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  },
);
const log = [];
let pending = '';
const onData = (chunk) => {
  pending += chunk.toString();
  const lines = pending.split('\n');
  pending = lines.pop() ?? '';
  for (const raw of lines) {
    // biome-ignore lint/suspicious/noControlCharactersInRegex: strips ANSI colours
    const line = raw.replace(/\x1b\[[0-9;]*m/g, '');
    log.push(line);
    // Progress: the page's own lines (a row's JSON is printed as the table at the end).
    if (/chromium bench: /.test(line)) console.log(`  ${line.trim()}`);
  }
};
child.stdout.on('data', onData);
child.stderr.on('data', onData);
const timer = setTimeout(() => {
  console.log(`Chromium bench: vitest still running after ${LIMIT_S} s, stopping it`);
  child.kill('SIGTERM');
}, LIMIT_S * 1000);
const code = await new Promise((done) => child.on('close', (c) => done(c ?? 1)));
clearTimeout(timer);

if (!existsSync(resultsFile)) {
  console.log(`Chromium bench failed (vitest exit ${code}, no ${resultsFile}); the end of vitest's output:`);
  console.log(log.slice(-60).join('\n'));
  process.exit(1);
}
const results = JSON.parse(readFileSync(resultsFile, 'utf8'));
const env = results.environment;
const fmt = (v) => (v === null ? '—' : v.toFixed(1));
console.log(
  '\nLIF neuron kernels in Chromium: tfjs-ops reference vs fused (M neuron-steps/s), tau 2, hard reset, sigmoid surrogate',
);
console.log(`${results.mark}. ${env.userAgent}, ${env.hardwareConcurrency} threads, tfjs ${env.tfjs}`);
for (const name of ['webgpu', 'webgl', 'wasm', 'cpu']) if (env[name]) console.log(`  ${name}: ${env[name]}`);
for (const s of results.skipped) console.log(`  ${s.backend}: SKIPPED, ${s.reason}`);
console.log(
  `measured ${results.date}, ${results.seconds.toFixed(0)} s in the page (vitest and Chromium: ${((performance.now() - started) / 1000).toFixed(0)} s)\n`,
);
console.log(
  'backend  N      T   mode               reference      fused  fused/ref  calls r/f  fused vs reference      note',
);
for (const r of results.rows) {
  console.log(
    `${r.backend.padEnd(7)}  ${r.N.toExponential(0).padEnd(5)}  ${String(r.T).padStart(2)}  ${r.mode.padEnd(17)}  ${fmt(r.referenceM).padStart(9)}  ${fmt(r.fusedM).padStart(9)}  ${(r.ratio === null ? '—' : `${r.ratio.toFixed(1)}x`).padStart(9)}  ${`${r.referenceCalls}/${r.fusedCalls}`.padStart(9)}  ${(r.fused ? r.parity : 'no fused kernel').padEnd(21)}  ${r.note}`,
  );
}
console.log(`\nJSON: ${resultsFile}`);
if (code !== 0) {
  console.log(`vitest exited with ${code}; the end of its output:\n${log.slice(-40).join('\n')}`);
  process.exit(1);
}

// Diehl & Cook (2015) training speed: digits/s of unsupervised STDP training (100 excitatory
// neurons, 250 ms per digit, batch 1) on cpu and wasm, beside BindsNET's 6.2 digits/s on this
// machine kind. Run after building, from apps/mnist-stdp: node bench/run.mjs
// (SNN_BENCH_QUICK=1: 100 digits).
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { createRng, useBackend } from '@snn/core';
import { loadEmbeddedMNIST } from '@snn/datasets';
import { buildDiehlCook, DEFAULTS, present } from '../dist/diehl-cook.js';

const here = dirname(fileURLToPath(import.meta.url));
const N = process.env.SNN_BENCH_QUICK === '1' ? 100 : 400;
const { train } = await loadEmbeddedMNIST({ seed: 0 });
const rows = [];
for (const backend of ['cpu', 'wasm']) {
  await useBackend(backend, { log: null });
  const d = buildDiehlCook(DEFAULTS);
  const rng = createRng(1);
  for (let i = 0; i < 10; i++) present(d, train.images.subarray(i * 784, (i + 1) * 784), DEFAULTS, rng); // warm-up
  const t0 = performance.now();
  for (let i = 0; i < N; i++) present(d, train.images.subarray(i * 784, (i + 1) * 784), DEFAULTS, rng);
  const perSecond = N / ((performance.now() - t0) / 1000);
  rows.push({ backend, digits: N, digitsPerSecond: perSecond, bindsnet: 6.2, ratio: perSecond / 6.2 });
  d.net.dispose();
}
console.log('Diehl & Cook training (100 neurons, 250 ms per digit, batch 1)');
for (const r of rows)
  console.log(
    `${r.backend.padEnd(5)} ${r.digitsPerSecond.toFixed(1)} digits/s (${r.ratio.toFixed(1)}× BindsNET's 6.2)`,
  );
mkdirSync(join(here, 'results'), { recursive: true });
writeFileSync(
  join(here, 'results', 'latest.json'),
  `${JSON.stringify({ date: new Date().toISOString(), rows }, null, 2)}\n`,
);

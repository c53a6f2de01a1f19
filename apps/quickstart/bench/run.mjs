// Training throughput (samples/s) of the quickstart's spiking MLP (784-256-10 LIF, T = 8, batch
// 64, direct encoding) on cpu and wasm: a fixed number of BPTT steps after a warm-up, with the
// cpu row as the baseline of the same run, and the number of tfjs kernels one step runs
// (tf.profile). Run after building (`pnpm bench` at the root).
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { useBackend } from '@snn/core';
import { batches, loadEmbeddedMNIST } from '@snn/datasets';
import { rateCrossEntropyLoss, trainStep } from '@snn/learning';
import * as tf from '@tensorflow/tfjs-core';
import { SpikingMLP } from '../dist/model.js';

const here = dirname(fileURLToPath(import.meta.url));
const STEPS = process.env.SNN_BENCH_QUICK === '1' ? 5 : 20;
const BATCH = 64;
const { train } = await loadEmbeddedMNIST();
const rows = [];
for (const backend of ['cpu', 'wasm']) {
  await useBackend(backend, { log: null });
  const net = new SpikingMLP({ hidden: 256, T: 8, seed: 0 });
  const optimizer = tf.train.adam(2e-3);
  const loss = (o, y) => rateCrossEntropyLoss(o, y, { scale: 8 });
  const it = batches(train, BATCH, { shuffle: true, seed: 0, dropLast: true });
  const step = () => {
    const b = it.next().value;
    trainStep({ net, optimizer, inputs: b.images, labels: b.labels, loss });
    tf.dispose(b);
  };
  step(); // warm-up: kernels, optimizer slots
  const kernelsPerStep = (await tf.profile(step)).kernels.length;
  const t0 = performance.now();
  for (let i = 0; i < STEPS; i++) step();
  const seconds = (performance.now() - t0) / 1000;
  rows.push({ backend, samplesPerSecond: (STEPS * BATCH) / seconds, steps: STEPS, batch: BATCH, kernelsPerStep });
  optimizer.dispose();
  net.dispose();
}
const base = rows[0].samplesPerSecond;
console.log('\nquickstart spiking MLP training (784-256-10 LIF, T = 8, batch 64, BPTT + Adam)');
console.log(`node ${process.version}, ${os.cpus()[0]?.model}, ${os.cpus().length} cores\n`);
console.log('backend  samples/s  vs cpu  tfjs kernels per step');
for (const r of rows)
  console.log(
    `${r.backend.padEnd(7)}  ${r.samplesPerSecond.toFixed(0).padStart(9)}  ${(r.samplesPerSecond / base).toFixed(2).padStart(5)}x  ${String(r.kernelsPerStep).padStart(21)}`,
  );
mkdirSync(join(here, 'results'), { recursive: true });
writeFileSync(
  join(here, 'results', 'latest.json'),
  `${JSON.stringify({ date: new Date().toISOString(), rows }, null, 2)}\n`,
);

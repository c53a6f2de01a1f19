// Benchmark of the Fashion-MNIST CSNN: training throughput (samples/s of full BPTT steps: forward
// over T = 4, rate-MSE loss, backward, Adam update) with small channels, per backend (cpu, wasm)
// and feature-map layout, on a fixed number of batches after a warm-up. Prints a table and writes
// bench/results/<date>.json and bench/results/latest.json (git-ignored).
//
// Run after building (`pnpm bench` at the repo root builds first), from apps/fashion-mnist-csnn:
//   node bench/run.mjs
//   SNN_BENCH_QUICK=1 node bench/run.mjs      # fewer timed batches (cpu 1, wasm 3 instead of 3, 10)
//   SNN_BENCH_CHANNELS=16 node bench/run.mjs  # another width (default 8)
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { createRng, useBackend } from '@snn/core';
import { DEBIAN_FASHION_MNIST_DIR, loadFashionMNIST, take } from '@snn/datasets';
import { rateMSELoss, trainStep } from '@snn/learning';
import * as tf from '@tensorflow/tfjs-core';
import { CSNN } from '../dist/model.js';

const here = dirname(fileURLToPath(import.meta.url));
const QUICK = process.env.SNN_BENCH_QUICK === '1';
const CHANNELS = Number(process.env.SNN_BENCH_CHANNELS ?? 8);
const BATCH = 64;
const T = 4;
// tfjs-cpu is ~20x slower than wasm here, so it gets fewer batches (the bench stays under ~1 min).
const WARMUP = { cpu: 1, wasm: 2 };
const TIMED = QUICK ? { cpu: 1, wasm: 3 } : { cpu: 3, wasm: 10 };
const CASES = [
  { backend: 'cpu', layout: 'nchw', encoding: 'conv-once' },
  { backend: 'cpu', layout: 'nhwc', encoding: 'conv-once' },
  { backend: 'wasm', layout: 'nchw', encoding: 'conv-once' },
  { backend: 'wasm', layout: 'nhwc', encoding: 'conv-once' },
  { backend: 'wasm', layout: 'nchw', encoding: 'repeat' },
];
const started = performance.now();

/** Enough batches of 28×28 images: Fashion-MNIST's first ones when installed, else seeded noise. */
async function data() {
  const n = Math.max(...Object.keys(TIMED).map((b) => WARMUP[b] + TIMED[b])) * BATCH;
  if (existsSync(DEBIAN_FASHION_MNIST_DIR)) {
    const { train } = await loadFashionMNIST();
    const ds = take(train, n);
    return { images: ds.images, labels: ds.labels, source: `Fashion-MNIST (${DEBIAN_FASHION_MNIST_DIR})` };
  }
  const rng = createRng(7);
  const images = rng.fillUniform(new Float32Array(n * 784));
  const labels = Int32Array.from({ length: n }, () => rng.nextInt(10));
  return { images, labels, source: 'uniform noise (Fashion-MNIST not installed)' };
}

const { images, labels, source } = await data();
const rows = [];
// The machine is shared: cases of one backend take turns, a few batches each per round, so that
// a burst of load elsewhere hits all of them alike rather than one.
for (const backend of ['cpu', 'wasm']) {
  await useBackend(backend, { log: null });
  const runs = CASES.filter((c) => c.backend === backend).map((c) => {
    const net = new CSNN({ channels: CHANNELS, timeSteps: T, layout: c.layout, encoding: c.encoding, seed: 1 });
    return { c, net, optimizer: tf.train.adam(1e-3), shape: [BATCH, ...net.imageShape], times: [], leaked: 0 };
  });
  const step = (run, i) => {
    const x = tf.tensor(images.subarray(i * BATCH * 784, (i + 1) * BATCH * 784), run.shape, 'float32');
    const y = tf.tensor1d(labels.subarray(i * BATCH, (i + 1) * BATCH), 'int32');
    trainStep({ net: run.net, optimizer: run.optimizer, inputs: x, labels: y, loss: rateMSELoss });
    tf.dispose([x, y]);
  };
  const warmup = WARMUP[backend];
  const timed = TIMED[backend];
  for (const run of runs) for (let i = 0; i < warmup; i++) step(run, i);
  const perRound = backend === 'wasm' && timed % 2 === 0 ? 2 : 1;
  for (let i = warmup; i < warmup + timed; i += perRound) {
    for (const run of runs) {
      for (let j = i; j < Math.min(i + perRound, warmup + timed); j++) {
        const before = tf.memory().numTensors;
        const t0 = performance.now();
        step(run, j);
        run.times.push((performance.now() - t0) / 1000);
        run.leaked += tf.memory().numTensors - before;
      }
    }
  }
  for (const run of runs) {
    const total = run.times.reduce((a, b) => a + b, 0);
    const sorted = [...run.times].sort((a, b) => a - b);
    rows.push({
      ...run.c,
      channels: CHANNELS,
      batchSize: BATCH,
      timeSteps: T,
      warmupBatches: warmup,
      batches: run.times.length,
      seconds: total,
      samplesPerSecond: (run.times.length * BATCH) / total,
      medianStepMs: sorted[sorted.length >> 1] * 1000,
      bestSamplesPerSecond: BATCH / sorted[0],
      leakedTensors: run.leaked,
    });
    run.optimizer.dispose();
    run.net.dispose();
  }
}

const pad = (s, n) => String(s).padEnd(n);
const padL = (s, n) => String(s).padStart(n);
console.log(
  `CSNN training throughput: C=${CHANNELS}, T=${T}, batch ${BATCH}; timed batches after warm-up: cpu ${TIMED.cpu} after ${WARMUP.cpu}, wasm ${TIMED.wasm} after ${WARMUP.wasm}; data: ${source}`,
);
console.log(
  `${pad('backend', 8)}${pad('layout', 8)}${pad('encoding', 11)}${padL('samples/s', 10)}${padL('best', 8)}${padL('ms/batch', 10)}${padL('batches', 9)}${padL('leak', 6)}`,
);
for (const r of rows) {
  console.log(
    `${pad(r.backend, 8)}${pad(r.layout, 8)}${pad(r.encoding, 11)}${padL(r.samplesPerSecond.toFixed(1), 10)}${padL(r.bestSamplesPerSecond.toFixed(0), 8)}${padL(r.medianStepMs.toFixed(0), 10)}${padL(r.batches, 9)}${padL(r.leakedTensors, 6)}`,
  );
}

const result = {
  benchmark: 'fashion-mnist-csnn training throughput',
  date: new Date().toISOString(),
  node: process.version,
  cpus: os.cpus().length,
  cpuModel: os.cpus()[0]?.model ?? 'unknown',
  loadAverage: os.loadavg(),
  data: source,
  seconds: (performance.now() - started) / 1000,
  rows,
};
const dir = join(here, 'results');
mkdirSync(dir, { recursive: true });
const stamp = result.date.replace(/[:.]/g, '-');
writeFileSync(join(dir, `${stamp}.json`), `${JSON.stringify(result, null, 2)}\n`);
writeFileSync(join(dir, 'latest.json'), `${JSON.stringify(result, null, 2)}\n`);
console.log(`wrote bench/results/${stamp}.json (${result.seconds.toFixed(1)} s)`);

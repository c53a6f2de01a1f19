// Benchmark of @snn/neurons: multi-step LIFNode forward, and forward + backward (BPTT through
// the surrogate), at N = 1e4, 1e5, 1e6 neurons and T = 8, 32, on cpu and wasm. Prints
// neuron-steps/s beside the memory-bandwidth limit measured by @snn/core's benchmark.
//
// Run after building (`pnpm bench` at the repo root builds first), from packages/neurons:
//   node bench/run.mjs
//   SNN_BENCH_QUICK=1 node bench/run.mjs   # N = 1e4 and 1e5 only
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { createRng, hasFusedKernel, NeuronForward, useBackend } from '@snn/core';
import { LIFNode } from '@snn/neurons';
import { atan } from '@snn/surrogates';
import * as tf from '@tensorflow/tfjs-core';

const here = dirname(fileURLToPath(import.meta.url));
const QUICK = process.env.SNN_BENCH_QUICK === '1';
const NS = QUICK ? [1e4, 1e5] : [1e4, 1e5, 1e6];
const TS = [8, 32];
const BYTES_FORWARD = 8; // read x, write spike (float32); a block's V stays in cache (see core's neuron-loops.ts)
const started = performance.now();

/** Copy bandwidth: from core's latest bench result when there is one, else measured here. */
function bandwidth() {
  const latest = join(here, '../../core/bench/results/neuron-kernels.json');
  if (existsSync(latest)) {
    const bytesPerSecond = JSON.parse(readFileSync(latest, 'utf8')).bandwidthBytesPerSecond;
    if (typeof bytesPerSecond === 'number') {
      return { gbps: bytesPerSecond / 1e9, source: 'packages/core/bench/results/neuron-kernels.json' };
    }
  }
  const n = (64 * 2 ** 20) / 4;
  const src = new Float32Array(n).fill(1);
  const dst = new Float32Array(n);
  dst.set(src);
  let best = Infinity;
  for (let i = 0; i < 5; i++) {
    const t0 = performance.now();
    dst.set(src);
    best = Math.min(best, performance.now() - t0);
  }
  return { gbps: (2 * n * 4) / (best / 1000) / 1e9, source: 'measured here (64 MiB copy)' };
}

function timeIt(fn, reps) {
  const times = [];
  fn(); // warm-up
  for (let r = 0; r < reps; r++) {
    const t0 = performance.now();
    fn();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return times[times.length >> 1] / 1000;
}

const rows = [];
const bw = bandwidth();
const limit = (bw.gbps * 1e9) / BYTES_FORWARD;
for (const backend of ['cpu', 'wasm']) {
  await useBackend(backend, { log: null });
  for (const T of TS) {
    for (const N of NS) {
      const x = createRng(1).uniform([T, 1, N], 0, 2);
      const node = new LIFNode({ tau: 2, surrogate: atan(2), stepMode: 'm' });
      const before = tf.memory().numTensors;
      const heavy = N * T >= 3.2e7;
      const reps = heavy ? 1 : N * T >= 3.2e6 ? 3 : 10;
      const forward = () => {
        node.reset();
        const s = node.forward(x);
        s.dataSync();
        s.dispose();
      };
      const backward = () => {
        node.reset();
        const g = tf.grad((xs) => tf.sum(node.forward(xs)))(x);
        g.dataSync();
        g.dispose();
      };
      const skipBackward = backend === 'cpu' && heavy;
      const fwd = timeIt(forward, reps);
      const bwd = skipBackward ? null : timeIt(backward, reps);
      node.reset();
      if (tf.memory().numTensors !== before) throw new Error(`leak: ${tf.memory().numTensors - before} tensors`);
      node.dispose();
      x.dispose();
      const kernel = hasFusedKernel(NeuronForward) ? 'fused' : 'reference';
      rows.push({
        backend,
        kernel,
        N,
        T,
        forwardMps: (N * T) / fwd / 1e6,
        forwardBackwardMps: bwd === null ? null : (N * T) / bwd / 1e6,
      });
      const last = rows[rows.length - 1];
      console.error(
        `  ${backend} T=${T} N=${N}: forward ${last.forwardMps.toFixed(1)} M/s, fwd+bwd ${bwd === null ? 'skipped' : last.forwardBackwardMps.toFixed(1)} M/s`,
      );
    }
  }
}

const pad = (s, n) => String(s).padStart(n);
console.log(`\nLIFNode multi-step (tau 2, decay_input, hard reset, atan surrogate), float32, B = 1`);
console.log(`node ${process.version}, ${os.cpus()[0]?.model}, ${os.cpus().length} cores\n`);
console.log('backend  kernel      T      N  forward M/s  fwd+bwd M/s  forward % of BW limit');
console.log('-------  ---------  --  -----  -----------  -----------  ---------------------');
for (const r of rows) {
  console.log(
    `${r.backend.padEnd(7)}  ${r.kernel.padEnd(9)}  ${pad(r.T, 2)}  ${pad(r.N.toExponential(0).replace('+', ''), 5)}  ${pad(r.forwardMps.toFixed(1), 11)}  ${pad(r.forwardBackwardMps === null ? 'skipped' : r.forwardBackwardMps.toFixed(1), 11)}  ${pad(`${((r.forwardMps * 1e6 * 100) / limit).toFixed(1)}%`, 21)}`,
  );
}
console.log(
  `\nbandwidth limit: ${bw.gbps.toFixed(1)} GB/s (${bw.source}) / ${BYTES_FORWARD} B per neuron-step = ${(limit / 1e6).toFixed(0)} M neuron-steps/s`,
);
console.log(
  `cpu fwd+bwd skipped where N·T >= 3.2e7 (minutes per repetition); total ${((performance.now() - started) / 1000).toFixed(1)} s`,
);
mkdirSync(join(here, 'results'), { recursive: true });
const out = {
  date: new Date().toISOString(),
  node: process.version,
  cpu: os.cpus()[0]?.model,
  bandwidth: bw,
  limitNeuronStepsPerS: limit,
  rows,
};
writeFileSync(join(here, 'results', 'latest.json'), `${JSON.stringify(out, null, 2)}\n`);

// Neuron-kernel benchmark of @snn/core: the tfjs-ops reference against the fused kernel of each
// backend, LIF (tau 2, hard reset, sigmoid surrogate) over N neurons and T steps, forward and
// forward+backward, with this machine's copy bandwidth measured in the same run.
//
// Run after building (`pnpm bench` at the repo root builds first), from packages/core:
//   node bench/run.mjs
//   SNN_BENCH_QUICK=1 node bench/run.mjs   # N = 1e4 and 1e5 only, shorter timing
//
// Prints one table and writes bench/results/neuron-kernels.json. Throughput is neuron-steps/s
// (N·T per second); the fused/reference ratio is measured in the same run on the same inputs.

import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { NeuronBackward, NeuronForward, neuronMultiStep, useBackend } from '@snn/core';
import * as tf from '@tensorflow/tfjs-core';

const here = dirname(fileURLToPath(import.meta.url));
const QUICK = process.env.SNN_BENCH_QUICK === '1';
const BACKENDS = ['cpu', 'wasm'];
const NS = QUICK ? [1e4, 1e5] : [1e4, 1e5, 1e6];
const TS = [8, 32];
/** Seconds of timed work per cell (at least one call). */
const TARGET_S = QUICK ? 0.3 : 1;
/** The reference is slow (a few kernels per step): its cells time one call past this size. */
const REFERENCE_ONE_CALL = 4e6;
/**
 * Bytes per neuron-step a fused forward must move: read x, write the spike (4 + 4). The state of a
 * block of neurons stays in cache across the steps (see neuron-loops.ts), so V adds nothing per step.
 */
const BYTES_PER_NEURON_STEP = 8;

const surrogate = {
  name: 'sigmoid',
  params: { alpha: 4 },
  grad: (z) =>
    tf.tidy(() => {
      const s = tf.sigmoid(tf.mul(z, 4));
      return tf.mul(tf.mul(s, tf.sub(1, s)), 4);
    }),
};
const OPTIONS = { charge: 'lif', tau: 2, vThreshold: 1, vReset: 0, surrogate };

/**
 * Copy bandwidth (read + write bytes per second) of a 256 MiB Float32Array, best of 5: larger than
 * the processor's caches (this EPYC's L3 holds a 64 MiB copy and reports ~45 GB/s), as the
 * N = 1e6, T = 32 sequences are (128 MB each).
 */
function copyBandwidth() {
  const n = (256 * 1024 * 1024) / 4;
  const src = new Float32Array(n).fill(1.5);
  const dst = new Float32Array(n);
  dst.set(src);
  let best = Number.POSITIVE_INFINITY;
  for (let i = 0; i < 5; i++) {
    const t0 = performance.now();
    dst.set(src);
    best = Math.min(best, (performance.now() - t0) / 1000);
  }
  return (2 * n * 4) / best;
}

/** Runs `fn` with the backend's fused neuron kernels unregistered (the dispatcher takes the reference). */
function withReference(fn) {
  const backend = tf.getBackend();
  const saved = [NeuronForward, NeuronBackward].map((k) => tf.getKernel(k, backend)).filter(Boolean);
  for (const k of saved) tf.unregisterKernel(k.kernelName, backend);
  try {
    return fn();
  } finally {
    for (const k of saved) tf.registerKernel(k);
  }
}

/** Seconds per call of `run` (a warm-up call, then calls until TARGET_S). */
function timeIt(run, once) {
  run();
  let calls = 0;
  const t0 = performance.now();
  do {
    run();
    calls++;
  } while (!once && performance.now() - t0 < TARGET_S * 1000);
  return (performance.now() - t0) / 1000 / calls;
}

const forward = (x) => () => {
  const r = tf.tidy(() => neuronMultiStep(x, { v: tf.scalar(0) }, OPTIONS));
  r.v.dataSync();
  tf.dispose([r.spikeSeq, r.v]);
};
const forwardBackward = (x) => () => {
  const g = tf.tidy(() => tf.grad((xs) => tf.sum(neuronMultiStep(xs, { v: tf.scalar(0) }, OPTIONS).spikeSeq))(x));
  tf.tidy(() => tf.slice(g, [0, 0], [1, 1]).dataSync()); // waits for the work without copying it all out
  g.dispose();
};

const bandwidth = copyBandwidth();
const limit = bandwidth / BYTES_PER_NEURON_STEP;
const rows = [];
for (const backend of BACKENDS) {
  await useBackend(backend, { log: null });
  for (const N of NS) {
    for (const T of TS) {
      const x = tf.tidy(() => tf.add(tf.mul(tf.randomNormal([T, N], 0, 1, 'float32', 7), 0.6), 0.8));
      for (const [mode, make] of [
        ['forward', forward],
        ['forward+backward', forwardBackward],
      ]) {
        const before = tf.memory().numTensors;
        const fused = timeIt(make(x), false);
        const reference = withReference(() => timeIt(make(x), N * T > REFERENCE_ONE_CALL));
        if (tf.memory().numTensors !== before) throw new Error(`leak in ${backend} ${mode} N=${N} T=${T}`);
        const rate = (s) => (N * T) / s / 1e6;
        rows.push({
          backend,
          N,
          T,
          mode,
          referenceM: rate(reference),
          fusedM: rate(fused),
          ratio: reference / fused,
          fractionOfLimit: mode === 'forward' ? (N * T) / fused / limit : null,
        });
      }
      x.dispose();
    }
  }
}

console.log(
  '\nLIF neuron kernels: tfjs-ops reference vs fused (M neuron-steps/s), tau 2, hard reset, sigmoid surrogate',
);
console.log(
  `node ${process.version}, ${os.cpus()[0]?.model}, ${os.cpus().length} cores, load ${os.loadavg()[0].toFixed(1)}`,
);
console.log(
  `copy bandwidth ${(bandwidth / 1e9).toFixed(1)} GB/s (read + write) -> forward limit ${(limit / 1e6).toFixed(0)} M neuron-steps/s at ${BYTES_PER_NEURON_STEP} B/neuron-step\n`,
);
console.log('backend  N        T   mode               reference      fused    fused/ref  of limit');
for (const r of rows) {
  console.log(
    `${r.backend.padEnd(7)}  ${r.N.toExponential(0).padEnd(7)}  ${String(r.T).padStart(2)}  ${r.mode.padEnd(17)}  ${r.referenceM.toFixed(1).padStart(9)}  ${r.fusedM.toFixed(1).padStart(9)}  ${r.ratio.toFixed(1).padStart(8)}x  ${r.fractionOfLimit === null ? '' : `${(100 * r.fractionOfLimit).toFixed(1)} %`.padStart(8)}`,
  );
}
mkdirSync(join(here, 'results'), { recursive: true });
writeFileSync(
  join(here, 'results', 'neuron-kernels.json'),
  `${JSON.stringify({ date: new Date().toISOString(), node: process.version, cpu: os.cpus()[0]?.model, loadavg: os.loadavg(), bandwidthBytesPerSecond: bandwidth, bytesPerNeuronStep: BYTES_PER_NEURON_STEP, rows }, null, 2)}\n`,
);

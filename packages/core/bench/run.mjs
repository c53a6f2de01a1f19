// LIF multi-step benchmark of @snn/core: naive op-by-op tfjs vs lifMultiStep, on cpu and wasm,
// against this machine's memory-copy bandwidth measured in the same run.
//
// Run after building (`pnpm bench` at the repo root builds first), from packages/core:
//   node bench/run.mjs
//   SNN_BENCH_QUICK=1 node bench/run.mjs   # N = 1e4 and 1e5, one timed repetition
//
// It imports the BUILT package (packages/core/dist) through the workspace link.

import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import {
  createRng,
  currentBackend,
  hasFusedKernel,
  LIFMultiStep,
  lifMultiStep,
  listBackends,
  useBackend,
} from '@snn/core';
import * as tf from '@tensorflow/tfjs-core';

const startedAt = performance.now();
const here = dirname(fileURLToPath(import.meta.url));

const QUICK = process.env.SNN_BENCH_QUICK === '1';
const BACKENDS = ['cpu', 'wasm'];
const NS = QUICK ? [1e4, 1e5] : [1e4, 1e5, 1e6];
const T = 32;
const SEED = 42;
const TAU = 2;
const V_TH = 1;
const V_RESET = 0;
/** Target timed seconds per configuration; reps = ceil(target / warm-up time), clamped. */
const TARGET_S = 1.5;
/** Bytes per neuron-step of LIF in float32: read x, read v, write v, write spike. */
const BYTES_PER_NEURON_STEP = 16;
const BW_MIB = 256;
const BW_REPS = 7;

function repsFor(n, warmS) {
  if (QUICK) return 1;
  const [lo, hi] = n >= 1e6 ? [2, 5] : [3, 25];
  return Math.max(lo, Math.min(hi, Math.ceil(TARGET_S / Math.max(warmS, 1e-6))));
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m] : (s[m - 1] + s[m]) / 2;
}

// ---------------------------------------------------------------- the two implementations

/**
 * Naive op-by-op LIF (SpikingJelly, decay_input, hard reset to 0): per step
 *   h = v + (x_t - v) / tau;  s = cast(h >= 1, float32);  v = h * (1 - s)
 * xs: the T per-step input tensors [N], made outside the timed region.
 * Returns { seconds, v } where v (final state, [N]) is owned by the caller.
 */
function naiveRun(xs, n) {
  const v0 = tf.zeros([n]);
  const t0 = performance.now();
  let v = v0;
  for (let t = 0; t < xs.length; t++) {
    const vPrev = v;
    v = tf.tidy(() => {
      const h = tf.add(vPrev, tf.div(tf.sub(xs[t], vPrev), TAU));
      const s = tf.cast(tf.greaterEqual(h, V_TH), 'float32');
      return tf.mul(h, tf.sub(1, s));
    });
    vPrev.dispose();
  }
  v.dataSync(); // force completion inside the timed region
  const seconds = (performance.now() - t0) / 1000;
  return { seconds, v };
}

const LIF_OPTIONS = {
  tau: TAU,
  decayInput: true,
  vThreshold: V_TH,
  vReset: V_RESET,
  softReset: false,
  detachReset: false,
  surrogateGrad: (z) => z, // no gradient is taken
};

/**
 * lifMultiStep from @snn/core (fused kernel when one is registered, else the reference).
 * Returns { seconds, v } where v is the final state [N] (the last step of vSeq), caller-owned.
 */
function kernelRun(xSeq, v0, n) {
  const t0 = performance.now();
  const { spikeSeq, vSeq } = lifMultiStep(xSeq, v0, LIF_OPTIONS);
  const v = tf.tidy(() => tf.reshape(tf.slice(vSeq, [T - 1, 0], [1, n]), [n]));
  v.dataSync(); // force completion inside the timed region
  const seconds = (performance.now() - t0) / 1000;
  spikeSeq.dispose();
  vSeq.dispose();
  return { seconds, v };
}

/**
 * Runs `once` (which returns {seconds, v}) for a warm-up and then `reps` timed repetitions,
 * checking after each that no tensor leaked. Returns the median and the final state `v` of
 * the last repetition (caller-owned, for the cross-check).
 */
function timeIt(label, n, once) {
  const run = (keep) => {
    const before = tf.memory().numTensors;
    const { seconds, v } = once();
    if (!keep) v.dispose();
    const after = tf.memory().numTensors;
    if (after !== before + (keep ? 1 : 0))
      throw new Error(`${label} N=${n}: tensor leak, numTensors ${before} -> ${after}`);
    return { seconds, v };
  };
  const warm = run(false).seconds;
  const reps = repsFor(n, warm);
  const times = [];
  let last;
  for (let r = 0; r < reps; r++) {
    const res = run(r === reps - 1);
    times.push(res.seconds);
    last = res.v;
  }
  return { warmS: warm, reps, times, seconds: median(times), v: last };
}

// ---------------------------------------------------------------- inputs

/** x [T, N] uniform in [0, 2), seeded, as one Float32Array (shared by both backends). */
const inputs = new Map();
function inputFor(n) {
  let data = inputs.get(n);
  if (data === undefined) {
    data = createRng(SEED).fillUniform(new Float32Array(T * n), 0, 2);
    inputs.set(n, data);
  }
  return data;
}

// ---------------------------------------------------------------- benchmark

const rows = [];
const checks = [];
const backendStatus = await listBackends();

for (const backend of BACKENDS) {
  await useBackend(backend);
  if (currentBackend() !== backend) throw new Error(`useBackend('${backend}') left backend ${currentBackend()}`);
  const kernelImpl = hasFusedKernel(LIFMultiStep) ? 'lifMultiStep (fused)' : 'lifMultiStep (reference)';
  for (const n of NS) {
    const data = inputFor(n);
    const tensorsAtStart = tf.memory().numTensors;

    // Pre-split per step outside the timed region (no tf.unstack: it is slow on wasm).
    const xs = [];
    for (let t = 0; t < T; t++) xs.push(tf.tensor1d(data.subarray(t * n, (t + 1) * n), 'float32'));
    const naive = timeIt(`naive ${backend}`, n, () => naiveRun(xs, n));

    const xSeq = tf.tensor2d(data, [T, n], 'float32');
    const v0 = tf.zeros([n]);
    const kernel = timeIt(`${kernelImpl} ${backend}`, n, () => kernelRun(xSeq, v0, n));

    // Both must reach the same final state (checked outside the timed regions).
    const maxAbsDiff = tf.tidy(() => tf.max(tf.abs(tf.sub(naive.v, kernel.v))).dataSync()[0]);
    naive.v.dispose();
    kernel.v.dispose();
    checks.push({ backend, n, maxAbsDiffFinalV: maxAbsDiff });
    if (!(maxAbsDiff <= 1e-6))
      throw new Error(`${backend} N=${n}: naive and lifMultiStep disagree, max |dv| = ${maxAbsDiff}`);

    for (const x of xs) x.dispose();
    xSeq.dispose();
    v0.dispose();
    if (tf.memory().numTensors !== tensorsAtStart) throw new Error(`${backend} N=${n}: tensors leaked`);

    for (const [impl, r] of [
      ['naive op-by-op', naive],
      [kernelImpl, kernel],
    ]) {
      rows.push({
        backend,
        impl,
        n,
        T,
        reps: r.reps,
        warmupS: r.warmS,
        timesS: r.times,
        medianS: r.seconds,
        neuronStepsPerS: (n * T) / r.seconds,
      });
    }
    const last = rows.at(-1);
    process.stderr.write(
      `  ${backend} N=${n}: naive ${(rows.at(-2).neuronStepsPerS / 1e6).toFixed(1)} M/s, ${kernelImpl} ${(last.neuronStepsPerS / 1e6).toFixed(1)} M/s\n`,
    );
  }
}

// ---------------------------------------------------------------- memory bandwidth

/** Copies a BW_MIB MiB Float32Array with dst.set(src); counts read + write bytes. */
function memcpyBandwidth() {
  const len = (BW_MIB * 1024 * 1024) / 4;
  const src = new Float32Array(len).fill(1); // touch every page before timing
  const dst = new Float32Array(len).fill(0);
  dst.set(src); // warm-up
  const gbps = [];
  for (let r = 0; r < BW_REPS; r++) {
    const t0 = performance.now();
    dst.set(src);
    const s = (performance.now() - t0) / 1000;
    gbps.push((2 * len * 4) / s / 1e9);
  }
  if (dst[len - 1] !== 1) throw new Error('copy check failed');
  return { bestGBps: Math.max(...gbps), medianGBps: median(gbps), samplesGBps: gbps };
}

const bw = memcpyBandwidth();
const limitNeuronStepsPerS = (bw.bestGBps * 1e9) / BYTES_PER_NEURON_STEP;

for (const row of rows) {
  const base = rows.find((r) => r.backend === 'cpu' && r.impl === 'naive op-by-op' && r.n === row.n);
  row.fractionOfBandwidthLimit = row.neuronStepsPerS / limitNeuronStepsPerS;
  row.speedupVsNaiveCpu = row.neuronStepsPerS / base.neuronStepsPerS;
}

// ---------------------------------------------------------------- report

const totalS = (performance.now() - startedAt) / 1000;
const header = ['backend', 'impl', 'N', 'T', 'reps', 'median ms', 'M neuron-steps/s', '% of BW limit', 'vs naive cpu'];
const table = rows.map((r) => [
  r.backend,
  r.impl,
  r.n.toExponential(0).replace('e+', 'e'),
  String(r.T),
  String(r.reps),
  (r.medianS * 1000).toFixed(1),
  (r.neuronStepsPerS / 1e6).toFixed(1),
  `${(r.fractionOfBandwidthLimit * 100).toFixed(1)}%`,
  `${r.speedupVsNaiveCpu.toFixed(2)}x`,
]);
const widths = header.map((h, i) => Math.max(h.length, ...table.map((row) => row[i].length)));
const fmt = (cells) => cells.map((c, i) => (i < 2 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');

const cpuModel = os.cpus()[0]?.model ?? 'unknown';
console.log(
  `\nLIF multi-step, float32, tau=${TAU}, decay_input, hard reset to ${V_RESET}, threshold ${V_TH}, T=${T}${QUICK ? ' (SNN_BENCH_QUICK=1)' : ''}`,
);
console.log(`node ${process.version}, ${cpuModel} x${os.cpus().length}, tfjs-core ${tf.version_core}\n`);
console.log(fmt(header));
console.log(widths.map((w) => '-'.repeat(w)).join('  '));
for (const row of table) console.log(fmt(row));
console.log(
  `\nmemory-copy bandwidth (dst.set(src), ${BW_MIB} MiB Float32Array, counting read + write bytes): ` +
    `best ${bw.bestGBps.toFixed(2)} GB/s, median ${bw.medianGBps.toFixed(2)} GB/s`,
);
console.log(
  `bandwidth limit for LIF at ${BYTES_PER_NEURON_STEP} B/neuron-step (read x, read v, write v, write spike; float32): ` +
    `${(limitNeuronStepsPerS / 1e6).toFixed(0)} M neuron-steps/s (from the best copy)`,
);
console.log(`total runtime ${totalS.toFixed(1)} s`);

const stamp = new Date().toISOString();
const result = {
  benchmark: 'lif-naive',
  timestamp: stamp,
  quick: QUICK,
  node: process.version,
  cpuModel,
  cpuCount: os.cpus().length,
  platform: `${os.platform()} ${os.release()} ${os.arch()}`,
  tfjsCore: tf.version_core,
  backendsBenchmarked: BACKENDS,
  backends: backendStatus,
  lif: {
    T,
    tau: TAU,
    decayInput: true,
    vThreshold: V_TH,
    vReset: V_RESET,
    softReset: false,
    dtype: 'float32',
    input: `uniform [0, 2), createRng(${SEED})`,
  },
  bandwidth: {
    method: `dst.set(src) on a ${BW_MIB} MiB Float32Array, ${BW_REPS} timed copies after one warm-up`,
    bytesCounted: 'read + write (2 x buffer size per copy)',
    ...bw,
    bytesPerNeuronStep: BYTES_PER_NEURON_STEP,
    bytesPerNeuronStepAssumes: 'float32: read x, read v, write v, write spike',
    limitNeuronStepsPerS,
    limitFrom: 'bestGBps',
  },
  rows,
  checks,
  totalRuntimeS: totalS,
};
const outDir = join(here, 'results');
mkdirSync(outDir, { recursive: true });
const json = `${JSON.stringify(result, null, 2)}\n`;
const file = join(outDir, `lif-naive-${stamp.replace(/:/g, '-')}.json`);
writeFileSync(file, json);
writeFileSync(join(outDir, 'latest.json'), json);
console.log(`wrote ${file} and results/latest.json`);

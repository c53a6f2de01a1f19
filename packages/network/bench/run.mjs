// Benchmark of @snn/network: BindsNET's seed network (Input(100) → LIF(1000) with a recurrent
// inhibitory 1000×1000 connection, Bernoulli(0.1) input) in steps/s on cpu and wasm — batch 1
// with spike and voltage monitors, and batch 32 without — through Network.run's typed-array
// fast path and its tensor path, beside a plain dense typed-array loop of the same network.
// BindsNET on this machine kind: 3,510 steps/s (batch 1, monitors), 944 steps/s (batch 32).
//
// Run after building (`pnpm bench` at the root builds first), from packages/network:
//   node bench/run.mjs
//   SNN_BENCH_QUICK=1 node bench/run.mjs   # fewer steps
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { createRng, useBackend } from '@snn/core';
import { Connection, Input, lifNodes, Network, populationMonitor } from '@snn/network';
import * as tf from '@tensorflow/tfjs-core';

const here = dirname(fileURLToPath(import.meta.url));
const QUICK = process.env.SNN_BENCH_QUICK === '1';
const STEPS = QUICK ? 200 : 500;
const BINDSNET = { 1: 3510, 32: 944 };

function seedNetwork(batch, monitors, fastPath) {
  const rng = createRng(0);
  const net = new Network({ fastPath });
  const X = new Input(100, { traces: false });
  const Y = lifNodes(1000, { traces: false });
  net.addLayer(X, 'X');
  net.addLayer(Y, 'Y');
  const w = tf.tidy(() => tf.add(0.05, tf.mul(0.1, rng.normal([1000, 100]))));
  const r = tf.tidy(() => tf.mul(0.025, tf.sub(tf.eye(1000), 1)));
  net.addConnection(new Connection(X, Y, { w }), 'X', 'Y');
  net.addConnection(new Connection(Y, Y, { w: r }), 'Y', 'Y');
  tf.dispose([w, r]);
  const mons = monitors ? [populationMonitor(Y, ['s']), populationMonitor(Y, ['v'])] : [];
  const x = createRng(1).bernoulli(0.1, [STEPS, batch, 100]);
  return { net, x, mons };
}

/** Steps/s of `steps`-step runs after a warm-up run: the best of `reps` (state reset between). */
function timeRun(batch, monitors, fastPath, steps, reps) {
  const { net, x, mons } = seedNetwork(batch, monitors, fastPath);
  const input = tf.tidy(() => tf.slice(x, [0, 0, 0], [steps, batch, 100]));
  const once = () => {
    net.reset();
    for (const m of mons) m.clear();
    const t0 = performance.now();
    net.run({ inputs: { X: input }, time: steps });
    return (performance.now() - t0) / 1000;
  };
  once(); // warm-up: JIT, monitor buffers
  const before = tf.memory().numTensors;
  let best = Number.POSITIVE_INFINITY;
  for (let r = 0; r < reps; r++) best = Math.min(best, once());
  const leak = tf.memory().numTensors - before;
  let spikes = 0;
  if (mons[0] !== undefined) for (const v of mons[0].toArray('s').data) spikes += v;
  tf.dispose([x, input]);
  for (const m of mons) m.remove();
  net.dispose();
  return { stepsPerSecond: steps / best, leak, spikes };
}

/** The same network as a plain dense typed-array loop (every synapse every step): the floor. */
function plainLoop(batch, steps) {
  const rng = createRng(0);
  const W = Float32Array.from(tf.tidy(() => tf.add(0.05, tf.mul(0.1, rng.normal([1000, 100])))).dataSync());
  const R = new Float32Array(1000 * 1000);
  for (let j = 0; j < 1000; j++) for (let i = 0; i < 1000; i++) R[j * 1000 + i] = i === j ? 0 : -0.025;
  const x = createRng(1).bernoulli(0.1, [steps, batch, 100]);
  const input = Float32Array.from(x.dataSync());
  x.dispose();
  const v = new Float32Array(batch * 1000).fill(-65);
  const refrac = new Float32Array(batch * 1000);
  let s = new Float32Array(batch * 1000);
  let sIn = new Float32Array(batch * 100);
  const decay = Math.exp(-1 / 100);
  const t0 = performance.now();
  for (let t = 0; t < steps; t++) {
    const next = new Float32Array(batch * 1000);
    for (let b = 0; b < batch; b++) {
      for (let j = 0; j < 1000; j++) {
        let cur = 0;
        const wo = j * 100;
        for (let i = 0; i < 100; i++) cur += W[wo + i] * sIn[b * 100 + i];
        const ro = j * 1000;
        for (let i = 0; i < 1000; i++) cur += R[ro + i] * s[b * 1000 + i];
        const k = b * 1000 + j;
        let vk = -65 + (v[k] + 65) * decay;
        if (refrac[k] <= 0) vk += cur;
        refrac[k] = Math.max(refrac[k] - 1, 0);
        if (vk >= -52) {
          next[k] = 1;
          vk = -65;
          refrac[k] = 5;
        }
        v[k] = vk;
      }
    }
    s = next;
    sIn = input.subarray(t * batch * 100, (t + 1) * batch * 100);
  }
  return steps / ((performance.now() - t0) / 1000);
}

const rows = [];
for (const backend of ['cpu', 'wasm']) {
  await useBackend(backend, { log: null });
  for (const [batch, monitors] of [
    [1, true],
    [32, false],
  ]) {
    const fast = timeRun(batch, monitors, true, STEPS, 3);
    const slow = timeRun(batch, monitors, false, batch === 1 ? Math.min(STEPS, 200) : 20, 1);
    rows.push({ backend, batch, monitors, path: 'fast', ...fast, bindsnet: BINDSNET[batch] });
    rows.push({ backend, batch, monitors, path: 'tensor', ...slow, bindsnet: BINDSNET[batch] });
  }
}
const floor = { 1: plainLoop(1, Math.min(STEPS, 200)), 32: plainLoop(32, 20) };

console.log(
  `@snn/network seed network (Input(100) → LIF(1000) + recurrent 1000×1000), runs of ${STEPS} steps (best of 3)`,
);
console.log('backend | batch | monitors | path   | steps/s | × BindsNET | leaked tensors');
for (const r of rows) {
  console.log(
    `${r.backend.padEnd(7)} | ${String(r.batch).padStart(5)} | ${String(r.monitors).padEnd(8)} | ${r.path.padEnd(6)} | ${r.stepsPerSecond.toFixed(0).padStart(7)} | ${(r.stepsPerSecond / r.bindsnet).toFixed(2).padStart(10)} | ${r.leak}`,
  );
}
console.log(
  `plain dense typed-array loop (floor): batch 1 ${floor[1].toFixed(0)} steps/s, batch 32 ${floor[32].toFixed(0)} steps/s`,
);
console.log('BindsNET (this machine kind): batch 1 with monitors 3,510 steps/s, batch 32 944 steps/s');

mkdirSync(join(here, 'results'), { recursive: true });
writeFileSync(
  join(here, 'results', 'latest.json'),
  `${JSON.stringify({ date: new Date().toISOString(), node: process.version, cpus: os.cpus().length, steps: STEPS, rows, floor, bindsnet: BINDSNET }, null, 2)}\n`,
);

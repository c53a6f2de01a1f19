#!/usr/bin/env node
// SpikingJelly's convolutional SNN tutorial on Fashion-MNIST, rebuilt with snn: trains the CSNN
// with progress bars, evaluates it on the held-out set after every epoch and writes
// metrics.json, the weights (checkpoint) and a training-curve plot to --out.
import { mkdir, writeFile } from 'node:fs/promises';
import { loadavg } from 'node:os';
import { resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { BACKEND_NAMES, type BackendChoice, backendFromEnvironment, checkOneOf, SnnError, useBackend } from '@snn/core';
import { take } from '@snn/datasets';
import { saveCheckpoint } from '@snn/learning';
import { trainingCurves } from '@snn/plot';
import { savePlot } from '@snn/plot/node';
import { MultiBar, Presets } from 'cli-progress';
import { loadFashionMNISTForCli } from './data.js';
import { ENCODINGS, LAYOUTS, NEURON_KINDS } from './model.js';
import { LOSS_KINDS, trainCSNN } from './train.js';
import { USAGE } from './usage.js';

function integer(name: string, value: string, min: number): number {
  const n = Number(value);
  if (!(Number.isInteger(n) && n >= min)) throw new SnnError(`--${name} must be an integer >= ${min}, got '${value}'`);
  return n;
}

async function main(): Promise<void> {
  const started = performance.now();
  const loadBefore = loadavg();
  const args = process.argv.slice(2);
  if (args[0] === '--') args.shift(); // `pnpm start -- --epochs 1` passes the separator on
  const { values } = parseArgs({
    args,
    options: {
      backend: { type: 'string', default: 'auto' },
      channels: { type: 'string', default: '128' },
      limit: { type: 'string' },
      epochs: { type: 'string', default: '2' },
      'batch-size': { type: 'string', default: '64' },
      lr: { type: 'string', default: '0.005' },
      loss: { type: 'string', default: 'mse' },
      neuron: { type: 'string', default: 'lif' },
      encoding: { type: 'string', default: 'conv-once' },
      layout: { type: 'string', default: 'nchw' },
      'time-steps': { type: 'string', default: '4' },
      seed: { type: 'string', default: '42' },
      'data-dir': { type: 'string' },
      out: { type: 'string', default: 'out/fashion-mnist-csnn' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const fn = 'fashion-mnist-csnn';
  const flag = checkOneOf(fn, '--backend', values.backend, [...BACKEND_NAMES, 'auto'] as const);
  const channels = integer('channels', values.channels, 1);
  const limit = values.limit === undefined ? undefined : integer('limit', values.limit, 5);
  const epochs = integer('epochs', values.epochs, 1);
  const batchSize = integer('batch-size', values['batch-size'], 1);
  const timeSteps = integer('time-steps', values['time-steps'], 1);
  const seed = integer('seed', values.seed, 0);
  const lr = Number(values.lr);
  if (!(Number.isFinite(lr) && lr > 0)) throw new SnnError(`--lr must be a number > 0, got '${values.lr}'`);
  const loss = checkOneOf(fn, '--loss', values.loss, LOSS_KINDS);
  const neuron = checkOneOf(fn, '--neuron', values.neuron, NEURON_KINDS);
  const encoding = checkOneOf(fn, '--encoding', values.encoding, ENCODINGS);
  const layout = checkOneOf(fn, '--layout', values.layout, LAYOUTS);

  const choice: BackendChoice = backendFromEnvironment(flag);
  if (choice !== flag) console.log(`SNN_BACKEND=${choice} overrides --backend ${flag}`);
  const backend = await useBackend(choice, { log: (m) => console.log(m) });

  const dataDir = values['data-dir'];
  const full = await loadFashionMNISTForCli(dataDir, layout);
  const train = limit === undefined ? full.train : take(full.train, limit);
  const test = limit === undefined ? full.test : take(full.test, Math.floor(limit / 5));
  console.log(
    `Fashion-MNIST: ${train.size} training / ${test.size} test images; backend ${backend}; ` +
      `CSNN C=${channels}, T=${timeSteps}, ${neuron.toUpperCase()}, ${encoding}, ${layout}; ` +
      `batch ${batchSize}, Adam lr ${lr} (cosine), loss ${loss}, ${epochs} epoch(s)`,
  );
  if (channels > 32 && (backend === 'cpu' || backend === 'wasm')) {
    console.log(`note: C=${channels} is the tutorial's GPU size; on a CPU try --channels 8 --limit 6000 first`);
  }

  const bars = new MultiBar(
    { clearOnComplete: false, hideCursor: true, noTTYOutput: true, notTTYSchedule: 60_000, etaBuffer: 50 },
    Presets.shades_classic,
  );
  const epochBar = bars.create(epochs, 0, {}, { format: 'epoch {value}/{total} |{bar}| {status}' });
  epochBar.update(0, { status: '' });
  let batchBar = bars.create(1, 0, { loss: '-', acc: '-', rate: '-' });
  let epochStart = performance.now();
  let evalBar: ReturnType<MultiBar['create']> | null = null;
  // MultiBar draws from a timer, which never fires while training blocks the event loop: redraw
  // by hand, at most every 0.2 s on a terminal and every 10 s into a log file.
  const interval = process.stdout.isTTY ? 200 : 10_000;
  let drawn = 0;
  const redraw = (force = false): void => {
    const now = performance.now();
    if (!force && now - drawn < interval) return;
    drawn = now;
    bars.update();
  };
  let result: ReturnType<typeof trainCSNN>;
  try {
    result = trainCSNN({
      train,
      test,
      model: { channels, timeSteps, neuron, encoding, layout },
      epochs,
      batchSize,
      learningRate: lr,
      loss,
      seed,
      onBatch: (b) => {
        if (b.batch === 1) {
          bars.remove(batchBar);
          batchBar = bars.create(
            b.batches,
            0,
            {},
            {
              format:
                'batch {value}/{total} |{bar}| loss {loss} | acc {acc} | lr {lr} | {rate} samples/s | {eta_formatted} left',
            },
          );
          epochStart = performance.now();
        }
        const seconds = (performance.now() - epochStart) / 1000;
        batchBar.update(b.batch, {
          loss: b.epochLoss.toFixed(4),
          acc: `${(b.epochAccuracy * 100).toFixed(1)}%`,
          lr: b.learningRate.toExponential(2),
          rate: ((b.batch * batchSize) / seconds).toFixed(0),
        });
        redraw();
      },
      onEvalBatch: (done, total) => {
        if (evalBar === null) evalBar = bars.create(total, 0, {}, { format: 'test  {value}/{total} |{bar}| samples' });
        evalBar.update(done);
        redraw();
      },
      onEpoch: (r) => {
        if (evalBar !== null) bars.remove(evalBar);
        evalBar = null;
        epochBar.update(r.epoch, {
          status: `last: test acc ${(r.testAccuracy * 100).toFixed(2)}%, loss ${r.testLoss.toFixed(4)}`,
        });
        const line =
          `epoch ${r.epoch}: train loss ${r.trainLoss.toFixed(4)}, acc ${(r.trainAccuracy * 100).toFixed(2)}% | ` +
          `test loss ${r.testLoss.toFixed(4)}, acc ${(r.testAccuracy * 100).toFixed(2)}% | ` +
          `${r.samplesPerSecond.toFixed(1)} samples/s (${r.trainSeconds.toFixed(1)} s train, ${r.evalSeconds.toFixed(1)} s test)`;
        bars.log(`${line}\n`);
        redraw(true);
      },
    });
  } finally {
    bars.stop(); // also when training throws: gives the cursor back
  }

  const { net, metrics, steps } = result;
  const out = resolve(values.out);
  await mkdir(out, { recursive: true });
  const checkpoint = `${out}/csnn.json`;
  const plot = `${out}/training.png`;
  const stepPlot = `${out}/training-steps.png`;
  await saveCheckpoint(checkpoint, net, { meta: { app: fn, settings: metrics.settings, accuracy: metrics.accuracy } });
  net.dispose();
  const ep = metrics.epochs;
  await savePlot(
    plot,
    trainingCurves(
      {
        loss: { train: ep.map((r) => r.trainLoss), test: ep.map((r) => r.testLoss) },
        accuracy: { train: ep.map((r) => r.trainAccuracy), test: ep.map((r) => r.testAccuracy) },
      },
      { title: `CSNN C=${channels} on Fashion-MNIST (${metrics.backend})` },
    ),
  );
  const window = Math.max(1, Math.round(steps.loss.length / 100));
  await savePlot(
    stepPlot,
    trainingCurves(
      { 'train loss': movingMean(steps.loss, window), 'train accuracy': movingMean(steps.accuracy, window) },
      {
        xTitle: window === 1 ? 'batch' : `batch ÷ ${window} (mean of every ${window} batches)`,
        title: 'training batches',
      },
    ),
  );
  const totalSeconds = (performance.now() - started) / 1000;
  const record = {
    app: fn,
    accuracy: metrics.accuracy,
    bestAccuracy: metrics.bestAccuracy,
    testLoss: metrics.testLoss,
    trainSeconds: metrics.trainSeconds,
    evalSeconds: metrics.evalSeconds,
    totalSeconds,
    samplesPerSecond: metrics.samplesPerSecond,
    backend: metrics.backend,
    trainSamples: metrics.trainSamples,
    testSamples: metrics.testSamples,
    settings: { ...metrics.settings, limit: limit ?? null, dataDir: dataDir ?? 'default (Debian)' },
    epochs: metrics.epochs,
    files: { checkpoint, plot, stepPlot },
    node: process.version,
    // The 1-minute load average before and after the run: on a shared machine it explains slow runs.
    loadAverage: { before: loadBefore[0], after: loadavg()[0] },
    date: new Date().toISOString(),
  };
  await writeFile(`${out}/metrics.json`, `${JSON.stringify(record, null, 2)}\n`);
  console.log(
    `test accuracy ${(metrics.accuracy * 100).toFixed(2)}% (best ${(metrics.bestAccuracy * 100).toFixed(2)}%) on ` +
      `${metrics.testSamples} held-out images; ${metrics.samplesPerSecond.toFixed(1)} training samples/s on ` +
      `${metrics.backend}; ${metrics.trainSeconds.toFixed(1)} s training, ${totalSeconds.toFixed(1)} s in all`,
  );
  console.log(`wrote ${out}/metrics.json, ${checkpoint}, ${plot}, ${stepPlot}`);
}

/** Means of consecutive windows of `w` values (the last one may be shorter). */
function movingMean(values: readonly number[], w: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < values.length; i += w) {
    const part = values.slice(i, i + w);
    out.push(part.reduce((a, b) => a + b, 0) / part.length);
  }
  return out;
}

main().catch((e: unknown) => {
  console.error(e instanceof SnnError ? `error: ${e.message}` : e);
  if (e instanceof SnnError) console.error(USAGE);
  process.exit(1);
});

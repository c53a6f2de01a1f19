#!/usr/bin/env node
// The main job (`pnpm start`): train a spiking MLP on the embedded MNIST subset behind progress
// bars, report held-out accuracy, save the weights, and write plots and metrics.json.
import { mkdirSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { BACKEND_NAMES, type BackendChoice, backendFromEnvironment, checkOneOf, SnnError, useBackend } from '@snn/core';
import { saveCheckpoint } from '@snn/learning';
import { raster, trainingCurves, voltageTraces, weightHeatmap } from '@snn/plot';
import { savePlot } from '@snn/plot/node';
import { MultiBar, Presets } from 'cli-progress';
import { hiddenRatesByClass, recordDigit } from './inspect.js';
import { type Encoding, trainQuickstart } from './train.js';

const USAGE = `Usage: pnpm start [--backend auto|cpu|wasm|webgl|webgpu|cuda] [--epochs 10] [--seed 42]
                  [--out out/quickstart] [--encoding direct|poisson] [--hidden 256] [--limit N]
  SNN_BACKEND in the environment overrides --backend.`;

function positiveInt(name: string, text: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1)
    throw new SnnError(`quickstart: '--${name}' must be an integer >= 1, got '${text}'`);
  return n;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  if (args[0] === '--') args.shift(); // `pnpm start -- --epochs 2` passes the separator on
  const { values } = parseArgs({
    args,
    options: {
      backend: { type: 'string', default: 'auto' },
      epochs: { type: 'string', default: '10' },
      seed: { type: 'string', default: '42' },
      out: { type: 'string', default: 'out/quickstart' },
      encoding: { type: 'string', default: 'direct' },
      hidden: { type: 'string', default: '256' },
      limit: { type: 'string' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const flag = checkOneOf('quickstart', '--backend', values.backend, [...BACKEND_NAMES, 'auto'] as const);
  const encoding = checkOneOf('quickstart', '--encoding', values.encoding, ['direct', 'poisson'] as const) as Encoding;
  const epochs = positiveInt('epochs', values.epochs);
  const seed = Number(values.seed);
  if (!Number.isSafeInteger(seed)) throw new SnnError(`quickstart: '--seed' must be an integer, got '${values.seed}'`);
  const hidden = positiveInt('hidden', values.hidden);
  const limit = values.limit === undefined ? undefined : positiveInt('limit', values.limit);
  const choice: BackendChoice = backendFromEnvironment(flag);
  if (choice !== flag) console.log(`SNN_BACKEND=${choice} overrides --backend ${flag}`);
  const backend = await useBackend(choice, { log: (m) => console.log(m) });
  const out = resolve(values.out);
  mkdirSync(out, { recursive: true });

  console.log(
    `training a spiking MLP (784-${hidden}-10 LIF, T = 8, ${encoding} encoding) on the embedded MNIST subset`,
  );
  const bars = new MultiBar(
    { format: '{name} |{bar}| {value}/{total} {info}', hideCursor: true, noTTYOutput: true, notTTYSchedule: 5000 },
    Presets.shades_classic,
  );
  const epochBar = bars.create(epochs, 0, { name: 'epoch', info: '' });
  const batchBar = bars.create(1, 0, { name: 'batch', info: '' });
  const result = await trainQuickstart({
    epochs,
    seed,
    hidden,
    encoding,
    ...(limit === undefined ? {} : { limit }),
    onBatch: (p) => {
      batchBar.setTotal(p.batches);
      batchBar.update(p.batch, { info: `loss ${p.loss.toFixed(3)} acc ${(100 * p.accuracy).toFixed(1)}%` });
    },
    onEpoch: (e) => epochBar.update(e.epoch, { info: `held-out accuracy ${(100 * e.testAccuracy).toFixed(2)}%` }),
  });
  bars.stop();

  const { net, history, test } = result;
  console.log(`backend: ${backend}`);
  console.log(`held-out accuracy: ${(100 * result.accuracy).toFixed(2)}% on ${result.testSamples} digits`);
  console.log(
    `trained ${epochs} epochs of ${result.trainSamples} digits in ${result.trainSeconds.toFixed(1)} s (${result.samplesPerSecond.toFixed(0)} samples/s)`,
  );

  await saveCheckpoint(`${out}/weights.json`, net, { meta: { app: 'quickstart', epochs, seed, hidden, encoding } });
  const digit = recordDigit(net, test, 0);
  const rates = hiddenRatesByClass(net, test);
  await savePlot(
    `${out}/training.png`,
    trainingCurves(
      {
        loss: { train: history.map((h) => h.trainLoss) },
        accuracy: { train: history.map((h) => h.trainAccuracy), 'held-out': history.map((h) => h.testAccuracy) },
      },
      { title: 'training' },
    ),
  );
  await savePlot(
    `${out}/raster.png`,
    raster(digit.hiddenSpikes, {
      title: `hidden-layer spikes for a test digit (label ${digit.label}, predicted ${digit.predicted})`,
    }),
  );
  await savePlot(
    `${out}/voltage.png`,
    voltageTraces(digit.outputV, {
      neurons: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
      threshold: 1,
      reset: 0,
      spikes: digit.outputSpikes,
      title: `output neurons' membrane potential (label ${digit.label})`,
    }),
  );
  await savePlot(
    `${out}/hidden-rates.png`,
    weightHeatmap(rates, {
      title: 'hidden-layer firing rate per class (held-out digits)',
      rowTitle: 'class',
      colTitle: 'hidden neuron',
      legendTitle: 'spikes/step',
    }),
  );
  const metrics = {
    app: 'quickstart',
    accuracy: result.accuracy,
    trainSeconds: result.trainSeconds,
    samplesPerSecond: result.samplesPerSecond,
    backend,
    epochs,
    seed,
    hidden,
    encoding,
    T: net.T,
    trainSamples: result.trainSamples,
    testSamples: result.testSamples,
    history,
  };
  writeFileSync(`${out}/metrics.json`, `${JSON.stringify(metrics, null, 2)}\n`);
  net.dispose();
  console.log(`wrote ${out}/: metrics.json, weights.json, training.png, raster.png, voltage.png, hidden-rates.png`);
}

main().catch((e: unknown) => {
  console.error(e instanceof SnnError ? `error: ${e.message}` : e);
  console.error(USAGE);
  process.exit(1);
});

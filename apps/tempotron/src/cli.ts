#!/usr/bin/env node
// Tempotron MNIST: Gaussian-tuning spike-time encoding of the embedded MNIST digits and one
// Tempotron layer of 10 neurons trained on the Tempotron MSE loss with Adam, behind progress bars;
// prints the test accuracy and writes metrics.json and a plot of the ten output neurons' voltage.
import { mkdirSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import {
  BACKEND_NAMES,
  type BackendChoice,
  backendFromEnvironment,
  checkInteger,
  checkOneOf,
  checkPositive,
  SnnError,
  useBackend,
  ValueError,
} from '@snn/core';
import { loadEmbeddedMNIST, take } from '@snn/datasets';
import { voltageTraces } from '@snn/plot';
import { savePlot } from '@snn/plot/node';
import { SingleBar } from 'cli-progress';
import { trainTempotron, voltageOf } from './train.js';

const USAGE = `Usage: pnpm start [--backend auto|cpu|wasm|webgl|webgpu|cuda] [--epochs 6] [--seed 0] [--out out/tempotron]
                 [--m 16] [--T 100] [--batch-size 64] [--lr 0.001] [--train-size 8000] [--sample 0]
  SNN_BACKEND in the environment overrides --backend.`;

function intArg(name: string, value: string, min: number): number {
  const n = Number(value);
  return checkInteger('tempotron', `--${name}`, n, min);
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  if (args[0] === '--') args.shift(); // `pnpm start -- --epochs 1` passes the separator on
  const { values } = parseArgs({
    args,
    options: {
      backend: { type: 'string', default: 'auto' },
      epochs: { type: 'string', default: '6' },
      seed: { type: 'string', default: '0' },
      out: { type: 'string', default: 'out/tempotron' },
      m: { type: 'string', default: '16' },
      T: { type: 'string', default: '100' },
      'batch-size': { type: 'string', default: '64' },
      lr: { type: 'string', default: '0.001' },
      'train-size': { type: 'string', default: '8000' },
      sample: { type: 'string', default: '0' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const config = {
    epochs: intArg('epochs', values.epochs, 1),
    seed: intArg('seed', values.seed, 0),
    m: intArg('m', values.m, 3),
    T: intArg('T', values.T, 1),
    batchSize: intArg('batch-size', values['batch-size'], 1),
    lr: checkPositive('tempotron', '--lr', Number(values.lr)),
  };
  const trainSize = intArg('train-size', values['train-size'], 1);
  const sample = intArg('sample', values.sample, 0);
  const flag = checkOneOf('tempotron', '--backend', values.backend, [...BACKEND_NAMES, 'auto'] as const);
  const choice: BackendChoice = backendFromEnvironment(flag);
  if (choice !== flag) console.log(`SNN_BACKEND=${choice} overrides --backend ${flag}`);
  const backend = await useBackend(choice, { log: (msg) => console.log(msg) });

  const data = await loadEmbeddedMNIST();
  if (trainSize > data.train.size) {
    throw new ValueError('tempotron', '--train-size', `at most ${data.train.size}`, trainSize);
  }
  if (sample >= data.test.size) throw new ValueError('tempotron', '--sample', `below ${data.test.size}`, sample);
  const train = take(data.train, trainSize);
  const { test } = data;
  console.log(`backend: ${backend}`);
  console.log(
    `${train.size} training and ${test.size} test digits; Gaussian tuning m = ${config.m} per pixel ` +
      `(${784 * config.m} afferents), T = ${config.T}; Tempotron 10 neurons, Adam lr ${config.lr}, batch ${config.batchSize}`,
  );

  let bar: SingleBar | undefined;
  const newBar = (format: string, total: number, payload: object) => {
    bar?.stop();
    bar = new SingleBar({ format, noTTYOutput: true, notTTYSchedule: 5000, etaBuffer: 50 });
    bar.start(total, 0, payload);
  };
  const result = trainTempotron(train, test, config, {
    onBatch: (epoch, done, total, loss) => {
      if (done === 1) {
        newBar(
          `epoch {epoch}/${config.epochs} |{bar}| {value}/{total} batches | loss {loss} | {eta_formatted} left`,
          total,
          { epoch, loss: loss.toFixed(4) },
        );
      }
      bar?.update(done, { loss: loss.toFixed(4) });
    },
    onTest: (done, total) => {
      if (bar === undefined || done <= config.batchSize) newBar('testing |{bar}| {value}/{total} digits', total, {});
      bar?.update(done);
    },
  });
  bar?.stop();

  for (const e of result.epochs) {
    console.log(
      `epoch ${e.epoch}: loss ${e.loss.toFixed(5)}, training accuracy ${(100 * e.trainAccuracy).toFixed(2)}% (${e.seconds.toFixed(1)} s)`,
    );
  }
  console.log(
    `test accuracy: ${(100 * result.accuracy).toFixed(2)}% (class = neuron with the highest peak); ` +
      `${(100 * result.thresholdAccuracy).toFixed(2)}% with only the right neuron reaching the threshold`,
  );
  console.log(
    `training: ${result.trainSeconds.toFixed(1)} s, ${result.samplesPerSecond.toFixed(1)} samples/s; test: ${result.testSeconds.toFixed(1)} s`,
  );

  const out = resolve(values.out);
  mkdirSync(out, { recursive: true });
  const metrics = {
    accuracy: result.accuracy,
    thresholdAccuracy: result.thresholdAccuracy,
    trainSeconds: result.trainSeconds,
    testSeconds: result.testSeconds,
    samplesPerSecond: result.samplesPerSecond,
    backend,
    trainSize: result.trainSize,
    testSize: result.testSize,
    ...result.config,
    epochStats: result.epochs,
  };
  writeFileSync(`${out}/metrics.json`, `${JSON.stringify(metrics, null, 2)}\n`);

  const trace = voltageOf(result.net, result.encoder, test, sample);
  const peaks = Array.from({ length: 10 }, (_, o) =>
    Math.max(...Array.from({ length: trace.shape[0] }, (_, t) => trace.data[t * 10 + o] as number)),
  );
  const predicted = peaks.indexOf(Math.max(...peaks));
  await savePlot(
    `${out}/voltage.png`,
    voltageTraces(
      { data: trace.data, shape: trace.shape },
      {
        neurons: Array.from({ length: 10 }, (_, o) => o),
        threshold: result.net.vThreshold,
        timeUnit: 'step',
        title: `Tempotron output neurons, test digit #${sample} (label ${trace.label}, predicted ${predicted})`,
      },
    ),
  );
  console.log(`wrote ${out}/metrics.json and ${out}/voltage.png`);
  result.net.dispose();
  result.encoder.dispose();
}

main().catch((e: unknown) => {
  console.error(e instanceof SnnError ? `error: ${e.message}` : e);
  console.error(USAGE);
  process.exit(1);
});

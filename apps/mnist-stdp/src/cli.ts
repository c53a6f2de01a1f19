#!/usr/bin/env node
// Diehl & Cook (2015) on the embedded MNIST subset with @snn/network: unsupervised STDP training
// behind a progress bar, labels assigned to neurons by their responses, held-out accuracy by
// their votes; writes metrics.json and a receptive-field plot of the learned weights.
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
import { receptiveFields } from '@snn/plot';
import { savePlot } from '@snn/plot/node';
import { SingleBar } from 'cli-progress';
import { buildDiehlCook, DEFAULTS, trainAndTest } from './diehl-cook.js';

const USAGE = `Usage: pnpm start [--backend auto|cpu|wasm|webgl|webgpu|cuda] [--neurons 100] [--train 8000] [--test 2000]
                 [--time 250] [--epochs 1] [--seed 0] [--intensity 128] [--label-samples 2000]
                 [--out out/mnist-stdp]
  SNN_BACKEND in the environment overrides --backend.`;

const int = (name: string, value: string, min: number) => checkInteger('mnist-stdp', `--${name}`, Number(value), min);

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  if (args[0] === '--') args.shift();
  const { values } = parseArgs({
    args,
    options: {
      backend: { type: 'string', default: 'auto' },
      neurons: { type: 'string', default: '100' },
      train: { type: 'string', default: '8000' },
      test: { type: 'string', default: '2000' },
      time: { type: 'string', default: '250' },
      epochs: { type: 'string', default: '1' },
      seed: { type: 'string', default: '0' },
      intensity: { type: 'string', default: '128' },
      'label-samples': { type: 'string', default: '2000' },
      out: { type: 'string', default: 'out/mnist-stdp' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const config = {
    ...DEFAULTS,
    neurons: int('neurons', values.neurons, 1),
    time: int('time', values.time, 1),
    seed: int('seed', values.seed, 0),
    intensity: checkPositive('mnist-stdp', '--intensity', Number(values.intensity)),
  };
  const epochs = int('epochs', values.epochs, 1);
  const labelSamples = int('label-samples', values['label-samples'], 1);
  const nTrain = int('train', values.train, 1);
  const nTest = int('test', values.test, 1);
  const flag = checkOneOf('mnist-stdp', '--backend', values.backend, [...BACKEND_NAMES, 'auto'] as const);
  const choice: BackendChoice = backendFromEnvironment(flag);
  if (choice !== flag) console.log(`SNN_BACKEND=${choice} overrides --backend ${flag}`);
  const backend = await useBackend(choice, { log: (msg) => console.log(msg) });
  const t0 = performance.now();
  const data = await loadEmbeddedMNIST({ seed: config.seed });
  if (nTrain > data.train.size) throw new ValueError('mnist-stdp', '--train', `at most ${data.train.size}`, nTrain);
  if (nTest > data.test.size) throw new ValueError('mnist-stdp', '--test', `at most ${data.test.size}`, nTest);
  const train = take(data.train, nTrain);
  const test = take(data.test, nTest);
  console.log(`backend: ${backend}`);
  console.log(
    `Diehl & Cook (2015): ${config.neurons} excitatory neurons, ${config.time} ms per digit, ${nTrain} training digits x ${epochs} epoch(s), ${nTest} test digits`,
  );

  const d = buildDiehlCook(config);
  const bar = new SingleBar({
    format: '{phase} [{bar}] {value}/{total} | {rate} digits/s | ETA {eta}s',
    hideCursor: true,
  });
  const started = { t: performance.now() };
  const tick = (phase: string) => (done: number, total: number) => {
    if (done === 1) {
      started.t = performance.now();
      bar.start(total, 0, { phase, rate: '-' });
    }
    if (done % 20 === 0 || done === total) {
      bar.update(done, { phase, rate: (done / ((performance.now() - started.t) / 1000)).toFixed(1) });
    }
    if (done === total) bar.stop();
  };
  let result = trainAndTest(d, train, test, config, {
    labelSamples,
    onTrain: tick('train'),
    onLabel: tick('label'),
    onTest: tick('test '),
  });
  let trainSeconds = result.trainSeconds;
  for (let e = 1; e < epochs; e++) {
    result = trainAndTest(d, train, test, config, {
      labelSamples,
      onTrain: tick(`train ${e + 1}`),
      onLabel: tick('label'),
      onTest: tick('test '),
    });
    trainSeconds += result.trainSeconds;
  }
  const totalSeconds = (performance.now() - t0) / 1000;
  console.log(
    `test accuracy: ${(100 * result.accuracy).toFixed(2)} % (all-activity vote), ${(100 * result.accuracyProportion).toFixed(2)} % (proportion weighting)`,
  );
  console.log(
    `train ${trainSeconds.toFixed(1)} s (${((nTrain * epochs) / trainSeconds).toFixed(1)} digits/s), labelling ${result.labelSeconds.toFixed(1)} s, test ${result.testSeconds.toFixed(1)} s, end to end ${totalSeconds.toFixed(1)} s`,
  );

  const out = resolve(values.out);
  mkdirSync(out, { recursive: true });
  const metrics = {
    accuracy: result.accuracy,
    accuracyProportion: result.accuracyProportion,
    trainSeconds,
    labelSeconds: result.labelSeconds,
    testSeconds: result.testSeconds,
    totalSeconds,
    backend,
    neurons: config.neurons,
    trainSamples: nTrain,
    epochs,
    testSamples: nTest,
    timePerSample: config.time,
    seed: config.seed,
    trainSamplesPerSecond: (nTrain * epochs) / trainSeconds,
  };
  writeFileSync(`${out}/metrics.json`, `${JSON.stringify(metrics, null, 2)}\n`);
  const w = d.input.w;
  await savePlot(
    `${out}/receptive-fields.png`,
    receptiveFields(
      { data: w.dataSync() as Float32Array, shape: w.shape as [number, number] },
      { imageShape: [28, 28], neuronAxis: 0, title: 'Learned input weights' },
    ),
  );
  console.log(`wrote ${out}/metrics.json and ${out}/receptive-fields.png`);
  d.net.dispose();
}

main().catch((e: unknown) => {
  console.error(e instanceof SnnError ? e.message : e);
  process.exitCode = 1;
});

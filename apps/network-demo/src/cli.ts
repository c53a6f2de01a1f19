#!/usr/bin/env node
// BindsNET's seed example on @snn/network: Input(100) → LIF(1000) with recurrent inhibition,
// Bernoulli(0.1) input for 500 steps; prints the firing rate and steps/s and writes a raster
// and a voltage plot (PNG) and metrics.json.
import { mkdirSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import {
  BACKEND_NAMES,
  type BackendChoice,
  backendFromEnvironment,
  checkInteger,
  checkOneOf,
  SnnError,
  useBackend,
} from '@snn/core';
import { raster, voltageTraces } from '@snn/plot';
import { savePlot } from '@snn/plot/node';
import * as tf from '@tensorflow/tfjs-core';
import { bernoulliInput, buildSeedNetwork } from './seed.js';

const USAGE = `Usage: pnpm start [--backend auto|cpu|wasm|...] [--time 500] [--batch 1] [--seed 0] [--out out/network-demo]
  SNN_BACKEND in the environment overrides --backend.`;

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  if (args[0] === '--') args.shift();
  const { values } = parseArgs({
    args,
    options: {
      backend: { type: 'string', default: 'auto' },
      time: { type: 'string', default: '500' },
      batch: { type: 'string', default: '1' },
      seed: { type: 'string', default: '0' },
      out: { type: 'string', default: 'out/network-demo' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const time = checkInteger('network-demo', '--time', Number(values.time), 1);
  const batch = checkInteger('network-demo', '--batch', Number(values.batch), 1);
  const seed = checkInteger('network-demo', '--seed', Number(values.seed), 0);
  const flag = checkOneOf('network-demo', '--backend', values.backend, [...BACKEND_NAMES, 'auto'] as const);
  const choice: BackendChoice = backendFromEnvironment(flag);
  const backend = await useBackend(choice, { log: (msg) => console.log(msg) });
  console.log(`backend: ${backend}`);

  const { net, spikes, voltages } = buildSeedNetwork({ seed });
  const x = bernoulliInput(time, batch, 100, 0.1, seed + 1);
  const t0 = performance.now();
  net.run({ inputs: { X: x }, time });
  const seconds = (performance.now() - t0) / 1000;
  const s = spikes?.toArray('s');
  const v = voltages?.toArray('v');
  if (s === undefined || v === undefined) throw new SnnError('network-demo: monitors missing');
  let total = 0;
  for (const k of s.data) total += k;
  const rateHz = (total / (time * batch * 1000)) * 1000; // spikes per neuron per ms → Hz
  console.log(
    `LIF(1000) fired ${total} spikes in ${time} ms: ${rateHz.toFixed(2)} Hz per neuron; ${(time / seconds).toFixed(0)} steps/s`,
  );
  const out = resolve(values.out);
  mkdirSync(out, { recursive: true });
  await savePlot(`${out}/raster.png`, raster(s, { dt: 1, timeUnit: 'ms', title: 'LIF(1000) spikes' }));
  await savePlot(
    `${out}/voltage.png`,
    voltageTraces(v, {
      neurons: [0, 1, 2, 3, 4],
      threshold: -52,
      reset: -65,
      dt: 1,
      timeUnit: 'ms',
      title: 'LIF voltages (mV)',
    }),
  );
  const metrics = { backend, time, batch, seed, spikes: total, rateHz, seconds, stepsPerSecond: time / seconds };
  writeFileSync(`${out}/metrics.json`, `${JSON.stringify(metrics, null, 2)}\n`);
  console.log(`wrote ${out}/raster.png, ${out}/voltage.png, ${out}/metrics.json`);
  tf.dispose(x);
  net.dispose();
}

main().catch((e: unknown) => {
  console.error(e instanceof SnnError ? e.message : e);
  process.exitCode = 1;
});

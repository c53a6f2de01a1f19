#!/usr/bin/env node
// The main job (`pnpm start`): a LIF population driven by Poisson input on the backend chosen at
// run time, behind a progress bar; prints the firing rates and the backend it used.
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { BACKEND_NAMES, type BackendChoice, backendFromEnvironment, checkOneOf, SnnError, useBackend } from '@snn/core';
import { raster, voltageTraces } from '@snn/plot';
import { savePlot } from '@snn/plot/node';
import { SingleBar } from 'cli-progress';
import { simulate } from './simulation.js';

const USAGE = `Usage: pnpm start [--backend auto|cpu|wasm|webgl|webgpu|cuda] [--steps 500] [--seed 42] [--out out/quickstart]
  SNN_BACKEND in the environment overrides --backend.`;

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  if (args[0] === '--') args.shift(); // `pnpm start -- --steps 100` passes the separator on
  const { values } = parseArgs({
    args,
    options: {
      backend: { type: 'string', default: 'auto' },
      steps: { type: 'string', default: '500' },
      seed: { type: 'string', default: '42' },
      out: { type: 'string', default: 'out/quickstart' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const flag = checkOneOf('quickstart', '--backend', values.backend, [...BACKEND_NAMES, 'auto'] as const);
  const choice: BackendChoice = backendFromEnvironment(flag);
  if (choice !== flag) console.log(`SNN_BACKEND=${choice} overrides --backend ${flag}`);
  const backend = await useBackend(choice, { log: (m) => console.log(m) });

  const steps = Number(values.steps);
  const seed = Number(values.seed);
  const bar = new SingleBar({
    format: 'simulating |{bar}| {value}/{total} steps | {eta_formatted} left',
    noTTYOutput: true,
    notTTYSchedule: 2000,
  });
  bar.start(steps, 0);
  const result = simulate(backend, { steps, seed, record: true, onStep: (t) => bar.update(t) });
  bar.stop();

  const rates = Array.from(result.ratesHz);
  const mean = rates.reduce((a, b) => a + b, 0) / rates.length;
  const sorted = [...rates].sort((a, b) => a - b);
  const silent = rates.filter((r) => r === 0).length;
  const neuronSteps = rates.length * result.steps;
  console.log(`backend: ${result.backend}`);
  console.log(`${rates.length} LIF neurons, ${result.steps} steps of 1 ms, seed ${seed}`);
  console.log(`Poisson input: mean ${result.inputRateHz.toFixed(1)} Hz`);
  console.log(
    `firing rates (Hz): mean ${mean.toFixed(1)}, min ${sorted[0]?.toFixed(1)}, median ${sorted[Math.floor(sorted.length / 2)]?.toFixed(1)}, max ${sorted[sorted.length - 1]?.toFixed(1)}; silent neurons: ${silent}`,
  );
  console.log(
    `first 10 neurons (Hz): ${rates
      .slice(0, 10)
      .map((r) => r.toFixed(0))
      .join(' ')}`,
  );
  console.log(`${(neuronSteps / result.seconds / 1e6).toFixed(2)} M neuron-steps/s (${result.seconds.toFixed(2)} s)`);

  const { spike, v } = result.recording ?? {};
  if (spike === undefined || v === undefined) return;
  const out = resolve(values.out);
  await savePlot(
    `${out}/raster.png`,
    raster(spike, { timeUnit: 'ms', title: `${rates.length} LIF neurons, Poisson input` }),
  );
  await savePlot(
    `${out}/voltage.png`,
    voltageTraces(v, {
      neurons: [0, 1, 2],
      threshold: 1,
      reset: 0,
      spikes: spike,
      timeUnit: 'ms',
      title: 'membrane potential',
    }),
  );
  console.log(`plots: ${out}/raster.png, ${out}/voltage.png`);
}

main().catch((e: unknown) => {
  console.error(e instanceof SnnError ? `error: ${e.message}` : e);
  console.error(USAGE);
  process.exit(1);
});

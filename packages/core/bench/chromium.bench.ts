// Neuron-kernel bench of @snn/core in Chromium (vitest browser mode; run by chromium.mjs, which
// prints the table). The same work as run.mjs: LIF (tau 2, hard reset, sigmoid surrogate) through
// neuronMultiStep, the tfjs-ops reference (the backend's SnnNeuronForward/SnnNeuronBackward kernels
// unregistered) against the fused kernels, forward and forward+backward, M neuron-steps/s, on every
// backend that starts in this page: webgpu, webgl, wasm and cpu. N = 1e4, 1e5 and T = 8, 32 only:
// this Chromium has no GPU, WebGL2 and WebGPU run on SwiftShader (the GPU emulated on the CPU), so
// every number is about parity (do the fused kernels run and agree), not GPU speed.
//
// Results are read with `await tensor.data()`, never dataSync(): on webgpu in this SwiftShader
// Chromium a synchronous read loses the device. Not a test: vitest.chromium.config.ts includes this
// file alone, and `pnpm test` does not match *.bench.ts.
import { setWasmPaths } from '@snn/backend-wasm';
import { NeuronBackward, NeuronForward, type NeuronMultiStepOptions, neuronMultiStep, useBackend } from '@snn/core';
// @ts-expect-error no `?url` module types here (vite/client is not in this package's tsconfig)
import wasmUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
// @ts-expect-error as above
import wasmSimdUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
// @ts-expect-error as above
import wasmThreadedSimdUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, describe, it } from 'vitest';
import { commands } from 'vitest/browser';
import '@snn/backend-webgl';
import '@snn/backend-webgpu';

declare module 'vitest/browser' {
  interface BrowserCommands {
    writeBenchResults(results: unknown): Promise<string>;
  }
}

const MARK = 'SwiftShader (CPU-emulated GPU): parity, not speed';
const BACKENDS = ['webgpu', 'webgl', 'wasm', 'cpu'] as const;
const NS = [1e4, 1e5];
const TS = [8, 32];
/** Seconds of timed work per cell after the warm-up (at least one call, at most MAX_CALLS). */
const TARGET_S = 0.25;
const MAX_CALLS = 20;
/** A warm-up call slower than this is the only measurement of its cell (marked warm-up only). */
const ONE_CALL_S = 1.5;
/** Past this many seconds in the page, the cells left are skipped (the whole run stays < ~3 min). */
const BUDGET_S = 140;

const surrogate = {
  name: 'sigmoid',
  params: { alpha: 4 },
  grad: (z: tf.Tensor) =>
    tf.tidy(() => {
      const s = tf.sigmoid(tf.mul(z, 4));
      return tf.mul(tf.mul(s, tf.sub(1, s)), 4);
    }),
};
const OPTIONS: NeuronMultiStepOptions = { charge: 'lif', tau: 2, vThreshold: 1, vReset: 0, surrogate };

type Mode = 'forward' | 'forward+backward';
interface Row {
  backend: string;
  N: number;
  T: number;
  mode: Mode;
  referenceM: number | null;
  fusedM: number | null;
  ratio: number | null;
  referenceCalls: number;
  fusedCalls: number;
  /** Fused kernels registered for this backend (else the "fused" column is the reference too). */
  fused: boolean;
  /** Fused vs reference on the same input: spikes that differ (forward) or max |Δ grad x| (backward). */
  parity: string;
  note: string;
}
interface Skipped {
  backend: string;
  reason: string;
}

const started = performance.now();
const elapsedS = () => (performance.now() - started) / 1000;
const rows: Row[] = [];
const skipped: Skipped[] = [];
const environment: Record<string, unknown> = {
  userAgent: navigator.userAgent,
  hardwareConcurrency: navigator.hardwareConcurrency,
  crossOriginIsolated: globalThis.crossOriginIsolated,
  tfjs: tf.version_core,
};

/** Runs `fn` with the backend's fused neuron kernels unregistered (the dispatcher takes the reference). */
async function withReference<R>(fn: () => Promise<R>): Promise<R> {
  const backend = tf.getBackend();
  const saved = [NeuronForward, NeuronBackward]
    .map((k) => tf.getKernel(k, backend))
    .filter((k): k is tf.KernelConfig => k !== undefined);
  for (const k of saved) tf.unregisterKernel(k.kernelName, backend);
  try {
    return await fn();
  } finally {
    for (const k of saved) tf.registerKernel(k);
  }
}

/** Seconds per call of `run`: a warm-up call, then calls until TARGET_S (none if the warm-up was slow). */
async function timeIt(run: () => Promise<void>): Promise<{ seconds: number; calls: number }> {
  const w0 = performance.now();
  await run();
  const warm = (performance.now() - w0) / 1000;
  if (warm > ONE_CALL_S) return { seconds: warm, calls: 0 };
  let calls = 0;
  const t0 = performance.now();
  do {
    await run();
    calls++;
  } while (calls < MAX_CALLS && performance.now() - t0 < TARGET_S * 1000);
  return { seconds: (performance.now() - t0) / 1000 / calls, calls };
}

const forward = (x: tf.Tensor) => async () => {
  const r = tf.tidy(() => {
    const { spikeSeq, v } = neuronMultiStep(x, { v: tf.scalar(0) }, OPTIONS);
    return { spikeSeq, v };
  });
  await r.v.data();
  tf.dispose([r.spikeSeq, r.v]);
};
const forwardBackward = (x: tf.Tensor) => async () => {
  const g = tf.tidy(() =>
    tf.grad((xs: tf.Tensor) => tf.sum(neuronMultiStep(xs, { v: tf.scalar(0) }, OPTIONS).spikeSeq))(x),
  );
  const first = tf.slice(g, [0, 0], [1, 1]); // waits for the work without copying it all out
  await first.data();
  tf.dispose([first, g]);
};

/** The spikes and the input gradient of one call, read back (for the fused-vs-reference check). */
async function outputs(x: tf.Tensor): Promise<{ spikes: Float32Array; grad: Float32Array }> {
  const r = tf.tidy(() => {
    const { spikeSeq, v } = neuronMultiStep(x, { v: tf.scalar(0) }, OPTIONS);
    return { spikeSeq, v };
  });
  const g = tf.tidy(() =>
    tf.grad((xs: tf.Tensor) => tf.sum(neuronMultiStep(xs, { v: tf.scalar(0) }, OPTIONS).spikeSeq))(x),
  );
  const spikes = (await r.spikeSeq.data()) as Float32Array;
  const grad = (await g.data()) as Float32Array;
  tf.dispose([r.spikeSeq, r.v, g]);
  return { spikes, grad };
}

async function describeBackend(name: string): Promise<string> {
  if (name === 'webgpu') {
    type Info = { vendor?: string; architecture?: string; description?: string; isFallbackAdapter?: boolean };
    const gpu = (navigator as { gpu?: { requestAdapter(): Promise<{ info?: Info } | null> } }).gpu;
    const info = (await gpu?.requestAdapter())?.info ?? {};
    return `adapter ${info.vendor ?? '?'} ${info.architecture ?? ''} ${info.description ?? ''} (fallback ${info.isFallbackAdapter})`;
  }
  if (name === 'webgl') {
    const gl = document.createElement('canvas').getContext('webgl2');
    const ext = gl?.getExtension('WEBGL_debug_renderer_info');
    const renderer = gl && ext ? gl.getParameter(ext.UNMASKED_RENDERER_WEBGL) : gl?.getParameter(gl.RENDERER);
    return `WebGL2 renderer ${renderer ?? '?'}`;
  }
  if (name === 'wasm') {
    return `SIMD ${tf.env().getBool('WASM_HAS_SIMD_SUPPORT')}, threads ${tf.env().getBool('WASM_HAS_MULTITHREAD_SUPPORT')}`;
  }
  return 'plain JavaScript';
}

async function benchBackend(name: (typeof BACKENDS)[number]): Promise<void> {
  if (name === 'wasm') {
    setWasmPaths({
      'tfjs-backend-wasm.wasm': wasmUrl,
      'tfjs-backend-wasm-simd.wasm': wasmSimdUrl,
      'tfjs-backend-wasm-threaded-simd.wasm': wasmThreadedSimdUrl,
    });
  }
  try {
    await useBackend(name, { log: null });
  } catch (e) {
    const reason = `cannot start: ${e instanceof Error ? e.message : String(e)}`;
    skipped.push({ backend: name, reason });
    console.info(`chromium bench: ${name} skipped (${reason})`);
    return;
  }
  const about = await describeBackend(name);
  environment[name] = about;
  console.info(`chromium bench: ${name} started (${about}) at ${elapsedS().toFixed(1)} s`);
  const fused = tf.getKernel(NeuronForward, name) !== undefined && tf.getKernel(NeuronBackward, name) !== undefined;
  for (const N of NS) {
    for (const T of TS) {
      const x = tf.tidy(() => tf.add(tf.mul(tf.randomNormal([T, N], 0, 1, 'float32', 7), 0.6), 0.8));
      let parity = { forward: '', backward: '' };
      try {
        const f = await outputs(x);
        const r = await withReference(() => outputs(x));
        let flips = 0;
        let maxGrad = 0;
        for (let i = 0; i < f.spikes.length; i++) if (f.spikes[i] !== r.spikes[i]) flips++;
        for (let i = 0; i < f.grad.length; i++) maxGrad = Math.max(maxGrad, Math.abs(f.grad[i]! - r.grad[i]!));
        parity = { forward: `${flips} spikes differ`, backward: `max |Δgrad| ${maxGrad.toExponential(1)}` };
      } catch (e) {
        parity = { forward: `error: ${String(e)}`, backward: `error: ${String(e)}` };
      }
      for (const [mode, make] of [
        ['forward', forward],
        ['forward+backward', forwardBackward],
      ] as const) {
        const row: Row = {
          backend: name,
          N,
          T,
          mode,
          referenceM: null,
          fusedM: null,
          ratio: null,
          referenceCalls: 0,
          fusedCalls: 0,
          fused,
          parity: mode === 'forward' ? parity.forward : parity.backward,
          note: MARK,
        };
        if (elapsedS() > BUDGET_S) {
          row.note = `skipped: past the ${BUDGET_S} s budget; ${MARK}`;
        } else {
          try {
            const before = tf.memory().numTensors;
            const f = await timeIt(make(x));
            const r = await withReference(() => timeIt(make(x)));
            const rate = (s: number) => (N * T) / s / 1e6;
            Object.assign(row, {
              fusedM: rate(f.seconds),
              referenceM: rate(r.seconds),
              ratio: r.seconds / f.seconds,
              fusedCalls: f.calls,
              referenceCalls: r.calls,
            });
            const leaked = tf.memory().numTensors - before;
            if (leaked !== 0) row.note = `${leaked} tensors leaked; ${MARK}`;
            if (f.calls === 0 || r.calls === 0) row.note = `warm-up only (slow call); ${row.note}`;
          } catch (e) {
            row.note = `error: ${e instanceof Error ? e.message : String(e)}; ${MARK}`;
          }
        }
        rows.push(row);
        console.info(`chromium bench row ${JSON.stringify(row)}`);
      }
      x.dispose();
    }
  }
}

describe('neuron kernels in Chromium (SwiftShader): reference vs fused', () => {
  afterAll(async () => {
    await useBackend('cpu', { log: null });
    const file = await commands.writeBenchResults({
      date: new Date().toISOString(),
      mark: MARK,
      seconds: elapsedS(),
      targetSecondsPerCell: TARGET_S,
      environment,
      skipped,
      rows,
    });
    console.info(`chromium bench: wrote ${file}`);
  });

  for (const name of BACKENDS) {
    it(name, async () => {
      await benchBackend(name);
    });
  }
});

// Runs in Chromium (vitest browser mode): tfjs-backend-wasm loads its .wasm from URLs that vite
// serves (`?url` imports, handed to setWasmPaths), and a small spiking network computes the same
// numbers on wasm as on cpu.
import { currentBackend, listBackends, lifMultiStep, useBackend } from '@snn/core';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, describe, expect, it } from 'vitest';
import { setWasmPaths } from '@snn/backend-wasm';
// TypeScript knows no `?url` modules here (vite/client types are not in this package's tsconfig).
// @ts-expect-error vite resolves `?url` to the URL it serves the file at
import wasmUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
// @ts-expect-error as above
import wasmSimdUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
// @ts-expect-error as above
import wasmThreadedSimdUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';

const T = 16;
const B = 4;
const N_IN = 32;
const N_OUT = 16;
const TAU = 2.5;
const V_TH = 1;
/** No charged potential on cpu lies this close to the threshold, so float32 rounding cannot flip a spike. */
const MARGIN = 1e-4;

interface Run {
  readonly spikes1: Float32Array;
  readonly v1: Float32Array;
  readonly current2: Float32Array;
  readonly spikes2: Float32Array;
  readonly v2: Float32Array;
  readonly closest: number;
  readonly kernelSpikes: Float32Array;
  readonly kernelV: Float32Array;
}

/** mulberry32: a tiny fixed generator, so the inputs (and MARGIN) do not move with @snn/core's Rng. */
function uniforms(seed: number, n: number, low: number, high: number): Float32Array {
  let a = seed >>> 0;
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    out[i] = low + (high - low) * (((t ^ (t >>> 14)) >>> 0) / 4294967296);
  }
  return out;
}

/** Seeded inputs in plain arrays, so every backend gets the same bits. */
function inputs(seed: number): { x: Float32Array; w: Float32Array } {
  return { x: uniforms(seed, T * B * N_IN, 0, 2.5), w: uniforms(seed + 1, N_IN * N_OUT, -0.35, 0.65) };
}

/** LIF, hard reset to 0: H = V + (X − V)/τ;  S = H ≥ V_th;  V' = H·(1 − S). */
function lifStepOps(x: tf.Tensor, v: tf.Tensor): { h: tf.Tensor; s: tf.Tensor; v: tf.Tensor } {
  const h = tf.add(v, tf.div(tf.sub(x, v), TAU));
  const s = tf.cast(tf.greaterEqual(h, V_TH), 'float32');
  return { h, s, v: tf.mul(h, tf.sub(1, s)) };
}

/** Two LIF layers joined by a matMul, T steps, op by op; plus core's lifMultiStep on the same input. */
async function run(xData: Float32Array, wData: Float32Array): Promise<Run> {
  const out = tf.tidy(() => {
    const xSeq = tf.tensor3d(xData, [T, B, N_IN]);
    const w = tf.tensor2d(wData, [N_IN, N_OUT]);
    let v1: tf.Tensor = tf.zeros([B, N_IN]);
    let v2: tf.Tensor = tf.zeros([B, N_OUT]);
    const s1: tf.Tensor[] = [];
    const vs1: tf.Tensor[] = [];
    const i2: tf.Tensor[] = [];
    const s2: tf.Tensor[] = [];
    const vs2: tf.Tensor[] = [];
    let closest: tf.Tensor = tf.scalar(Number.POSITIVE_INFINITY);
    for (let t = 0; t < T; t++) {
      const x = tf.reshape(tf.slice(xSeq, [t, 0, 0], [1, B, N_IN]), [B, N_IN]);
      const a = lifStepOps(x, v1);
      const current = tf.matMul(a.s, w);
      const b = lifStepOps(current, v2);
      v1 = a.v;
      v2 = b.v;
      s1.push(a.s);
      vs1.push(a.v);
      i2.push(current);
      s2.push(b.s);
      vs2.push(b.v);
      closest = tf.minimum(closest, tf.minimum(tf.min(tf.abs(tf.sub(a.h, V_TH))), tf.min(tf.abs(tf.sub(b.h, V_TH)))));
    }
    const kernel = lifMultiStep(xSeq, tf.scalar(0), {
      tau: TAU,
      decayInput: true,
      vThreshold: V_TH,
      vReset: 0,
      softReset: false,
      detachReset: false,
      surrogateGrad: (z) => tf.zerosLike(z),
    });
    return [tf.stack(s1), tf.stack(vs1), tf.stack(i2), tf.stack(s2), tf.stack(vs2), closest, kernel.spikeSeq, kernel.vSeq];
  });
  const data = await Promise.all(out.map((t) => t.data() as Promise<Float32Array>));
  tf.dispose(out);
  const [spikes1, v1, current2, spikes2, v2, closest, kernelSpikes, kernelV] = data as [
    Float32Array,
    Float32Array,
    Float32Array,
    Float32Array,
    Float32Array,
    Float32Array,
    Float32Array,
    Float32Array,
  ];
  return { spikes1, v1, current2, spikes2, v2, closest: closest[0] as number, kernelSpikes, kernelV };
}

/** |a − e| ≤ atol + rtol·|e| everywhere; returns the largest |a − e| for the log. */
function expectClose(actual: Float32Array, expected: Float32Array, what: string, rtol = 1e-5, atol = 1e-5): number {
  expect(actual.length, `${what}: length`).toBe(expected.length);
  let worst = 0;
  let worstIndex = -1;
  for (let i = 0; i < actual.length; i++) {
    const d = Math.abs((actual[i] as number) - (expected[i] as number));
    if (!(d <= atol + rtol * Math.abs(expected[i] as number))) worstIndex = i;
    if (d > worst || Number.isNaN(d)) worst = d;
  }
  expect(worstIndex, `${what}: element ${worstIndex} is ${actual[worstIndex]}, expected ${expected[worstIndex]}`).toBe(-1);
  return worst;
}

function count(spikes: Float32Array): number {
  return spikes.reduce((a, b) => a + b, 0);
}

describe('@snn/backend-wasm in Chromium', () => {
  const { x, w } = inputs(38); // closest |H − V_th| on cpu: 8.1e-4

  afterAll(async () => {
    await useBackend('cpu');
  });

  it('lists wasm as installed and able to start', async () => {
    const row = (await listBackends()).find((r) => r.name === 'wasm');
    expect(row).toMatchObject({ installed: true, canStart: true, reason: null, packageName: '@snn/backend-wasm' });
  });

  it('starts wasm from the .wasm files vite serves', async () => {
    const urls = { wasmUrl, wasmSimdUrl, wasmThreadedSimdUrl } as Record<string, string>;
    for (const [name, url] of Object.entries(urls)) {
      const response = await fetch(url);
      expect(response.ok, `${name} ${url}: HTTP ${response.status}`).toBe(true);
      expect(new Uint8Array(await response.arrayBuffer()).subarray(0, 4), `${name} ${url}: not a wasm module`).toEqual(
        new Uint8Array([0x00, 0x61, 0x73, 0x6d]),
      );
    }
    setWasmPaths({
      'tfjs-backend-wasm.wasm': urls.wasmUrl as string,
      'tfjs-backend-wasm-simd.wasm': urls.wasmSimdUrl as string,
      'tfjs-backend-wasm-threaded-simd.wasm': urls.wasmThreadedSimdUrl as string,
    });

    await expect(useBackend('wasm')).resolves.toBe('wasm');
    expect(currentBackend()).toBe('wasm');
    expect(tf.getBackend()).toBe('wasm');
    console.info(
      `wasm: SIMD ${tf.env().getBool('WASM_HAS_SIMD_SUPPORT')}, threads ${tf.env().getBool('WASM_HAS_MULTITHREAD_SUPPORT')} (crossOriginIsolated ${globalThis.crossOriginIsolated}); served from ${urls.wasmSimdUrl}`,
    );
  });

  it('runs two LIF layers and a matMul on wasm with the same results as cpu', async () => {
    await useBackend('wasm');
    expect(tf.getBackend()).toBe('wasm');
    const onWebgl = await run(x, w);
    await useBackend('cpu');
    const onCpu = await run(x, w);

    expect(onCpu.closest, 'test inputs: a charged potential lies too close to the threshold').toBeGreaterThan(MARGIN);
    expect(count(onCpu.spikes1)).toBeGreaterThan(0);
    expect(count(onCpu.spikes1)).toBeLessThan(onCpu.spikes1.length);
    expect(count(onCpu.spikes2)).toBeGreaterThan(0);
    expect(count(onCpu.spikes2)).toBeLessThan(onCpu.spikes2.length);

    expect(onWebgl.spikes1).toEqual(onCpu.spikes1);
    expect(onWebgl.spikes2).toEqual(onCpu.spikes2);
    expect(onWebgl.kernelSpikes).toEqual(onCpu.spikes1);
    const errors = [
      expectClose(onWebgl.v1, onCpu.v1, 'layer 1 V'),
      expectClose(onWebgl.current2, onCpu.current2, 'matMul'),
      expectClose(onWebgl.v2, onCpu.v2, 'layer 2 V'),
      expectClose(onWebgl.kernelV, onCpu.v1, 'lifMultiStep V'),
    ];
    console.info(
      `wasm vs cpu: ${count(onCpu.spikes1)} + ${count(onCpu.spikes2)} spikes equal; max |Δ| of V1, I2, V2, lifMultiStep V: ${errors.map((e) => e.toExponential(1)).join(', ')}; closest |H − V_th| ${onCpu.closest.toExponential(1)}`,
    );
  });

  it('does not leak tensors over repeated runs on wasm', async () => {
    await useBackend('wasm');
    await run(x, w);
    const before = tf.memory().numTensors;
    for (let i = 0; i < 3; i++) await run(x, w);
    expect(tf.memory().numTensors).toBe(before);
  });
});

/**
 * Backend parity for the browser tests of the backend packages: a small spiking network (two LIF
 * layers joined by a matMul, op by op, and core's `lifMultiStep`) on a backend and on cpu, with
 * spikes equal and potentials within float32 tolerance.
 */
import * as tf from '@tensorflow/tfjs-core';
import { expect } from 'vitest';
import type { BackendName } from '../backends/provider.js';
import { useBackend } from '../backends/registry.js';
import { lifMultiStep } from '../kernels/lif-multi-step.js';

const T = 16;
const B = 4;
const N_IN = 32;
const N_OUT = 16;
const TAU = 2.5;
const V_TH = 1;
/** Seed of the inputs; on cpu no charged potential comes closer than 8.1e-4 to the threshold. */
const SEED = 38;
/** Float32 rounding (errors ~1e-6) cannot move a potential across the threshold when none lies this close. */
const MARGIN = 1e-4;

/** mulberry32: a tiny fixed generator, so the inputs (and their margin) do not move with @snn/core's Rng. */
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

/** LIF with hard reset to 0: H = V + (X − V)/τ;  S = H ≥ V_th;  V' = H·(1 − S). */
function lifStep(x: tf.Tensor, v: tf.Tensor): { h: tf.Tensor; s: tf.Tensor; v: tf.Tensor } {
  const h = tf.add(v, tf.div(tf.sub(x, v), TAU));
  const s = tf.cast(tf.greaterEqual(h, V_TH), 'float32');
  return { h, s, v: tf.mul(h, tf.sub(1, s)) };
}

const OUTPUTS = ['spikes1', 'v1', 'current2', 'spikes2', 'v2', 'kernelSpikes', 'kernelV', 'closest'] as const;
type Run = Record<(typeof OUTPUTS)[number], Float32Array>;

/**
 * On the current backend: two LIF layers joined by a matMul, T steps op by op, and core's
 * lifMultiStep (the SnnLIFMultiStep contract) on layer 1's input. `closest` is min |H − V_th|.
 */
async function run(xData: Float32Array, wData: Float32Array): Promise<Run> {
  const tensors = tf.tidy(() => {
    const xSeq = tf.tensor3d(xData, [T, B, N_IN]);
    const w = tf.tensor2d(wData, [N_IN, N_OUT]);
    let v1: tf.Tensor = tf.zeros([B, N_IN]);
    let v2: tf.Tensor = tf.zeros([B, N_OUT]);
    let closest: tf.Tensor = tf.scalar(Number.POSITIVE_INFINITY);
    const seq: Record<'s1' | 'v1' | 'i2' | 's2' | 'v2', tf.Tensor[]> = { s1: [], v1: [], i2: [], s2: [], v2: [] };
    for (let t = 0; t < T; t++) {
      const layer1 = lifStep(tf.reshape(tf.slice(xSeq, [t, 0, 0], [1, B, N_IN]), [B, N_IN]), v1);
      const current = tf.matMul(layer1.s, w);
      const layer2 = lifStep(current, v2);
      v1 = layer1.v;
      v2 = layer2.v;
      seq.s1.push(layer1.s);
      seq.v1.push(v1);
      seq.i2.push(current);
      seq.s2.push(layer2.s);
      seq.v2.push(v2);
      for (const h of [layer1.h, layer2.h]) closest = tf.minimum(closest, tf.min(tf.abs(tf.sub(h, V_TH))));
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
    return {
      spikes1: tf.stack(seq.s1),
      v1: tf.stack(seq.v1),
      current2: tf.stack(seq.i2),
      spikes2: tf.stack(seq.s2),
      v2: tf.stack(seq.v2),
      kernelSpikes: kernel.spikeSeq,
      kernelV: kernel.vSeq,
      closest,
    };
  });
  const out = {} as Run;
  for (const name of OUTPUTS) out[name] = (await tensors[name].data()) as Float32Array;
  tf.dispose(tensors);
  return out;
}

/** Asserts |a − e| ≤ atol + rtol·|e| everywhere; returns max |a − e| for the log. */
function expectClose(actual: Float32Array, expected: Float32Array, what: string, rtol = 1e-5, atol = 1e-5): number {
  expect(actual.length, `${what}: length`).toBe(expected.length);
  let worst = 0;
  for (let i = 0; i < actual.length; i++) {
    const a = actual[i] as number;
    const e = expected[i] as number;
    expect(Math.abs(a - e) <= atol + rtol * Math.abs(e), `${what}[${i}]: ${a}, expected ${e}`).toBe(true);
    worst = Math.max(worst, Math.abs(a - e));
  }
  return worst;
}

const count = (spikes: Float32Array): number => spikes.reduce((a, b) => a + b, 0);

/** Runs on `backend` and on cpu; spikes must be equal, potentials and currents close. */
export async function expectSameAsCpu(backend: BackendName): Promise<void> {
  const x = uniforms(SEED, T * B * N_IN, 0, 2.5);
  const w = uniforms(SEED + 1, N_IN * N_OUT, -0.35, 0.65);
  await useBackend(backend);
  expect(tf.getBackend()).toBe(backend);
  const there = await run(x, w);
  await useBackend('cpu');
  const cpu = await run(x, w);

  const closest = cpu.closest[0] as number;
  expect(closest, 'test inputs: a potential lies too close to the threshold for an exact spike check').toBeGreaterThan(
    MARGIN,
  );
  for (const s of [cpu.spikes1, cpu.spikes2]) {
    expect(count(s)).toBeGreaterThan(0);
    expect(count(s)).toBeLessThan(s.length);
  }
  expect(there.spikes1).toEqual(cpu.spikes1);
  expect(there.spikes2).toEqual(cpu.spikes2);
  expect(there.kernelSpikes).toEqual(cpu.spikes1);
  const errors = [
    expectClose(there.v1, cpu.v1, 'layer 1 V'),
    expectClose(there.current2, cpu.current2, 'matMul'),
    expectClose(there.v2, cpu.v2, 'layer 2 V'),
    expectClose(there.kernelV, cpu.v1, 'lifMultiStep V'),
  ];
  console.info(
    `${backend} vs cpu: ${count(cpu.spikes1)} + ${count(cpu.spikes2)} spikes equal; max |Δ| of V1, I2, V2, lifMultiStep V: ${errors.map((e) => e.toExponential(1)).join(', ')}`,
  );
}

/** tf.memory() is flat over repeated runs on `backend`. */
export async function expectNoLeakOn(backend: BackendName): Promise<void> {
  const x = uniforms(SEED, T * B * N_IN, 0, 2.5);
  const w = uniforms(SEED + 1, N_IN * N_OUT, -0.35, 0.65);
  await useBackend(backend);
  await run(x, w);
  const before = tf.memory().numTensors;
  for (let i = 0; i < 3; i++) await run(x, w);
  expect(tf.memory().numTensors).toBe(before);
}

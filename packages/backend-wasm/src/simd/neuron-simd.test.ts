import { readFileSync } from 'node:fs';
import type { NeuronBackwardAttrs, NeuronForwardAttrs } from '@snn/core';
import { AdamUpdate, NeuronBackward, NeuronForward, useBackend } from '@snn/core';
import { adamUpdateReference, neuronBackwardLoop, neuronForwardLoop } from '@snn/core/internal';
import { describeBackends, expectNoLeak } from '@snn/core/testing';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import wabtInit from 'wabt';
import '@snn/backend-wasm';
import { neuronSimdCalls } from '../kernels/neuron.js';
import { ceilF32, type NeuronSimdExports, neuronSimd, simdBackward, simdForward } from './neuron-simd.js';
import { NEURON_SIMD_WASM_BASE64 } from './neuron-wasm.js';

/** Deterministic uniforms in [low, high) (mulberry32). */
function uniforms(seed: number, n: number, low: number, high: number): Float32Array {
  const out = new Float32Array(n);
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t ^= t + Math.imul(t ^ (t >>> 7), 61 | t);
    out[i] = low + (((t ^ (t >>> 14)) >>> 0) / 4294967296) * (high - low);
  }
  return out;
}

const GUARD = 5; // floats of sentinel around every array in the module's memory
const SENTINEL = 0x7fc0dead; // a NaN no kernel writes

/** Arrays in one memory, at offsets not a multiple of 16 bytes, with sentinels around each. */
class Heap {
  readonly memory = new WebAssembly.Memory({ initial: 16, maximum: 65536 });
  readonly k: NeuronSimdExports;
  private at = 3;
  private readonly arrays: Float32Array[] = [];
  constructor() {
    this.k = neuronSimd(this.memory) as NeuronSimdExports;
  }
  alloc(len: number, from?: Float32Array): Float32Array {
    const need = (this.at + len + 2 * GUARD + 8) * 4;
    if (need > this.memory.buffer.byteLength) throw new Error('test heap too small');
    new Uint32Array(this.memory.buffer, this.at * 4, GUARD).fill(SENTINEL);
    const a = new Float32Array(this.memory.buffer, (this.at + GUARD) * 4, len);
    new Uint32Array(this.memory.buffer, (this.at + GUARD + len) * 4, GUARD).fill(SENTINEL);
    if (from !== undefined) a.set(from);
    else new Uint32Array(a.buffer, a.byteOffset, len).fill(SENTINEL);
    this.at += len + 2 * GUARD + 1;
    this.arrays.push(a);
    return a;
  }
  /** Every sentinel around the arrays is intact. */
  guardsIntact(): boolean {
    return this.arrays.every((a) => {
      const at = a.byteOffset / 4;
      const before = new Uint32Array(this.memory.buffer, (at - GUARD) * 4, GUARD);
      const after = new Uint32Array(this.memory.buffer, (at + a.length) * 4, GUARD);
      return before.every((u) => u === SENTINEL) && after.every((u) => u === SENTINEL);
    });
  }
}

/** The first index where the float32 bits differ, or -1. */
function firstBitDifference(a: Float32Array, b: Float32Array): number {
  const ua = new Uint32Array(a.buffer, a.byteOffset, a.length);
  const ub = new Uint32Array(b.buffer, b.byteOffset, b.length);
  if (ua.length !== ub.length) return 0;
  for (let i = 0; i < ua.length; i++) if (ua[i] !== ub[i]) return i;
  return -1;
}

function forwardAttrs(o: Partial<NeuronForwardAttrs>): NeuronForwardAttrs {
  return {
    charge: 'lif',
    decayInput: true,
    vThreshold: 1,
    vReset: 0,
    softReset: false,
    adaptive: false,
    thetaPlus: 0,
    tauTheta: 2,
    keepSeq: false,
    saveH: true,
    ...o,
  };
}

/** Every configuration the SIMD forward takes. */
function forwardConfigs(): NeuronForwardAttrs[] {
  const out: NeuronForwardAttrs[] = [];
  for (const charge of ['if', 'lif'] as const)
    for (const decayInput of charge === 'if' ? [true] : [true, false])
      for (const reset of [0, -0.1, 0.25, 'soft'] as const)
        for (const vThreshold of [1, 0.3])
          for (const keepSeq of [false, true])
            for (const saveH of [false, true])
              out.push(
                forwardAttrs({
                  charge,
                  decayInput,
                  vReset: reset === 'soft' ? 0 : reset,
                  softReset: reset === 'soft',
                  vThreshold,
                  keepSeq,
                  saveH,
                }),
              );
  return out;
}

const label = (a: NeuronForwardAttrs, T: number, n: number): string =>
  `${a.charge}${a.decayInput ? ' decayInput' : ''} ${a.softReset ? 'soft' : `hard ${a.vReset}`} vth ${a.vThreshold}${a.keepSeq ? ' keepSeq' : ''}${a.saveH ? ' saveH' : ''} T=${T} n=${n}`;

const SIZES = [1, 2, 3, 4, 5, 7, 8, 13, 2051, 4103];
const STEPS = [1, 2, 5];

/** Forward with the JS loops on plain arrays and with SIMD on `heap`; returns both. */
function runForward(heap: Heap, a: NeuronForwardAttrs, T: number, n: number, tau: number, seed: number) {
  const x = uniforms(seed, T * n, -0.6, 1.6);
  const v0 = uniforms(seed + 1, n, -0.5, 1.1);
  const rows = a.keepSeq ? T : 1;
  const js = {
    xSeq: x,
    v0,
    param: a.charge === 'lif' ? new Float32Array([tau]) : null,
    theta0: null,
    spikeSeq: new Float32Array(T * n),
    vSeq: new Float32Array(rows * n),
    thetaSeq: null,
    hSeq: a.saveH ? new Float32Array(T * n) : null,
  };
  neuronForwardLoop(a, T, n, js);
  const simd = {
    xSeq: heap.alloc(T * n, x),
    v0: heap.alloc(n, v0),
    tau,
    spikeSeq: heap.alloc(T * n),
    vSeq: heap.alloc(rows * n),
    hSeq: a.saveH ? heap.alloc(T * n) : null,
  };
  simdForward(heap.k, a, T, n, simd);
  return { js, simd };
}

describe('WebAssembly SIMD neuron kernels', () => {
  it('are the committed assembly of neuron.wat (node scripts/build-simd.mjs regenerates it)', async () => {
    const wabt = await wabtInit();
    const wat = readFileSync(new URL('./neuron.wat', import.meta.url), 'utf8');
    const mod = wabt.parseWat('neuron.wat', wat, { simd: true });
    mod.validate();
    const { buffer } = mod.toBinary({ log: false, write_debug_names: false });
    mod.destroy();
    expect(Buffer.from(buffer).toString('base64')).toBe(NEURON_SIMD_WASM_BASE64);
  });

  it('are not used with a shared memory (threaded tfjs-wasm): the loops run instead', () => {
    const shared = new WebAssembly.Memory({ initial: 1, maximum: 4, shared: true });
    expect(neuronSimd(shared)).toBeNull();
    expect(neuronSimd(new WebAssembly.Memory({ initial: 1 }))).not.toBeNull();
  });

  it('take the smallest float32 at or above the threshold', () => {
    for (const x of [1, 0.3, -0.3, 0.1, -0.1, 1e-46, -1e-46, 0, 2 ** -149, 3.4e38]) {
      const c = ceilF32(x);
      expect(Math.fround(c)).toBe(c);
      expect(c >= x).toBe(true);
      // the float32 just below c is below x
      const f = new Float32Array([c]);
      const u = new Int32Array(f.buffer);
      if (c > 0) u[0] = (u[0] as number) - 1;
      else if (c < 0) u[0] = (u[0] as number) + 1;
      else f[0] = -(2 ** -149);
      expect((f[0] as number) < x).toBe(true);
    }
  });

  it('forward: the same float32 bits as the JS loops on every configuration, size and T', () => {
    let runs = 0;
    let spikes = 0;
    let seed = 10;
    for (const a of forwardConfigs())
      for (const T of STEPS)
        for (const n of SIZES) {
          const heap = new Heap();
          const { js, simd } = runForward(heap, a, T, n, 1.7, seed++);
          const name = label(a, T, n);
          expect(firstBitDifference(simd.spikeSeq, js.spikeSeq), `${name}: spikeSeq`).toBe(-1);
          expect(firstBitDifference(simd.vSeq, js.vSeq), `${name}: vSeq`).toBe(-1);
          if (js.hSeq !== null)
            expect(firstBitDifference(simd.hSeq as Float32Array, js.hSeq), `${name}: hSeq`).toBe(-1);
          expect(heap.guardsIntact(), `${name}: writes outside its arrays`).toBe(true);
          spikes += js.spikeSeq.reduce((s, v) => s + v, 0);
          runs++;
        }
    expect(runs).toBe(forwardConfigs().length * STEPS.length * SIZES.length);
    expect(spikes).toBeGreaterThan(1000); // the comparison covers both branches of fire and reset
  });

  it("forward, float32 charge: the contract's float32 operations bit for bit, every configuration", () => {
    const f = Math.fround;
    let seed = 500;
    for (const a of forwardConfigs())
      for (const T of STEPS)
        for (const n of [3, 4, 9, 2053]) {
          const heap = new Heap();
          const tau = f(1.7);
          const x = uniforms(seed, T * n, -0.6, 1.6);
          const v0 = uniforms(seed++ + 1, n, -0.5, 1.1);
          const simd = {
            xSeq: heap.alloc(T * n, x),
            v0: heap.alloc(n, v0),
            tau,
            spikeSeq: heap.alloc(T * n),
            vSeq: heap.alloc((a.keepSeq ? T : 1) * n),
            hSeq: a.saveH ? heap.alloc(T * n) : null,
          };
          simdForward(heap.k, a, T, n, simd, 'float32');
          // SpikingJelly's order in float32, one rounding per operation (r and vth are float64).
          const r = a.softReset ? 0 : a.vReset;
          const leak = f(1 - 1 / tau);
          const v = Float32Array.from(v0);
          for (let t = 0; t < T; t++)
            for (let i = 0; i < n; i++) {
              const xi = x[t * n + i] as number;
              const vi = v[i] as number;
              let h: number;
              if (a.charge === 'if') h = f(vi + xi);
              else if (a.decayInput) h = f(vi + f(f(xi - f(vi - r)) / tau));
              else h = r === 0 ? f(f(vi * leak) + xi) : f(f(vi - f(f(vi - r) / tau)) + xi);
              const s = +(h >= a.vThreshold);
              v[i] = a.softReset ? (s ? h - a.vThreshold : h) : s ? r : h;
              const at = t * n + i;
              const vAt = a.keepSeq ? at : i;
              const name = `${label(a, T, n)} t=${t} i=${i}`;
              const vWrong = (a.keepSeq || t === T - 1) && simd.vSeq[vAt] !== v[i];
              if (simd.spikeSeq[at] !== s || vWrong || (simd.hSeq !== null && simd.hSeq[at] !== h))
                expect.fail(
                  `${name}: simd s ${simd.spikeSeq[at]} v ${simd.vSeq[vAt]} h ${simd.hSeq?.[at]}, want ${s} ${v[i]} ${h}`,
                );
            }
          expect(heap.guardsIntact()).toBe(true);
        }
  });

  it('forward: a wrong lane would be seen (the comparison is not vacuous)', () => {
    const heap = new Heap();
    const a = forwardAttrs({});
    const { js, simd } = runForward(heap, a, 3, 7, 2, 99);
    const bad = simd.vSeq.slice();
    bad[5] = (bad[5] as number) + 1e-6;
    expect(firstBitDifference(simd.vSeq, js.vSeq)).toBe(-1);
    expect(firstBitDifference(bad, js.vSeq)).toBe(5);
  });

  it('backward: the JS loops to float32 rounding on every configuration, size and T', () => {
    let runs = 0;
    let seed = 1000;
    let worst = 0;
    for (const f of forwardConfigs()) {
      if (f.keepSeq || !f.saveH || f.vThreshold !== 1) continue;
      for (const surrogate of ['sigmoid', 'atan'] as const)
        for (const detachReset of [false, true])
          for (const gradVAll of [false, true])
            for (const T of STEPS)
              for (const n of SIZES) {
                const a: NeuronBackwardAttrs = {
                  ...f,
                  keepSeq: gradVAll,
                  surrogate,
                  alpha: surrogate === 'sigmoid' ? 4 : 2,
                  detachReset,
                };
                const heap = new Heap();
                // Inputs far above and below the threshold too (the sigmoid's exp saturates there).
                const fwd = runForward(heap, { ...f, saveH: true }, T, n, 1.7, seed++);
                const h = fwd.js.hSeq as Float32Array;
                for (let i = 0; i < h.length; i += 17) h[i] = (h[i] as number) * 40;
                const gS = uniforms(seed++, T * n, -1, 1);
                const gV = uniforms(seed++, (gradVAll ? T : 1) * n, -1, 1);
                const js = {
                  gradSpikeSeq: gS,
                  gradVSeq: gV,
                  gradThetaSeq: null,
                  hSeq: h,
                  spikeSeq: fwd.js.spikeSeq,
                  v0: fwd.js.v0,
                  param: f.charge === 'lif' ? new Float32Array([1.7]) : null,
                  xSeq: null,
                  vSeq: null,
                  theta0: null,
                  thetaSeq: null,
                  surrogateGradSeq: null,
                  gradXSeq: new Float32Array(T * n),
                  gradV0: new Float32Array(n),
                  gradTheta0: null,
                  gradK: null,
                };
                neuronBackwardLoop(a, T, n, js);
                const simd = {
                  gradSpikeSeq: heap.alloc(T * n, gS),
                  gradVSeq: heap.alloc(gV.length, gV),
                  hSeq: heap.alloc(T * n, h),
                  spikeSeq: heap.alloc(T * n, fwd.js.spikeSeq),
                  tau: 1.7,
                  gradXSeq: heap.alloc(T * n),
                  gradV0: heap.alloc(n),
                };
                simdBackward(heap.k, a, T, n, simd);
                const name = `${label(f, T, n)} ${surrogate}${detachReset ? ' detach' : ''}${gradVAll ? ' gradV all steps' : ''}`;
                for (const [got, want, what] of [
                  [simd.gradXSeq, js.gradXSeq, 'gradXSeq'],
                  [simd.gradV0, js.gradV0, 'gradV0'],
                ] as const) {
                  let scale = 0;
                  for (const w of want) scale = Math.max(scale, Math.abs(w));
                  for (let i = 0; i < want.length; i++) {
                    const err = Math.abs((got[i] as number) - (want[i] as number));
                    const tol = 1e-5 * scale + 1e-5 * Math.abs(want[i] as number);
                    worst = Math.max(worst, err / (tol || 1));
                    if (!(err <= tol)) expect.fail(`${name}: ${what}[${i}] = ${got[i]}, loops ${want[i]}`);
                  }
                }
                expect(heap.guardsIntact(), `${name}: writes outside its arrays`).toBe(true);
                runs++;
              }
    }
    expect(runs).toBe(
      2 * 4 * 2 * 2 * 2 * 2 * STEPS.length * SIZES.length - 2 * 4 * 2 * 2 * STEPS.length * SIZES.length,
    );
    expect(worst).toBeLessThanOrEqual(1);
  });
});

describeBackends('wasm neuron kernels through tfjs (SIMD path)', () => {
  const x = (T: number, n: number) => tf.tensor(uniforms(5, T * n, -0.6, 1.6), [T, n]);
  const fwd = (a: NeuronForwardAttrs, xs: tf.Tensor, v0: tf.Tensor, tau: tf.Tensor) =>
    tf.engine().runKernel(NeuronForward, { xSeq: xs, v0, tau }, a as never) as unknown as tf.Tensor[];

  it('runs the SIMD forward and backward for lif, the same numbers as the loops, heap growth between calls', () => {
    const T = 6;
    const n = 1003;
    const a = forwardAttrs({ keepSeq: false, saveH: true });
    const xs = x(T, n);
    const v0 = tf.zeros([n]);
    const tau = tf.scalar(2);
    const before = { ...neuronSimdCalls };
    const big = tf.zeros([4, 4_000_000]); // grows the wasm heap
    const [s, v, h] = fwd(a, xs, v0, tau) as [tf.Tensor, tf.Tensor, tf.Tensor];
    expect(neuronSimdCalls.forward).toBe(before.forward + 1);
    const js = {
      xSeq: xs.dataSync() as Float32Array,
      v0: new Float32Array(n),
      param: new Float32Array([2]),
      theta0: null,
      spikeSeq: new Float32Array(T * n),
      vSeq: new Float32Array(n),
      thetaSeq: null,
      hSeq: new Float32Array(T * n),
    };
    neuronForwardLoop(a, T, n, js);
    expect(firstBitDifference(s.dataSync() as Float32Array, js.spikeSeq)).toBe(-1);
    expect(firstBitDifference(v.dataSync() as Float32Array, js.vSeq)).toBe(-1);
    expect(firstBitDifference(h.dataSync() as Float32Array, js.hSeq)).toBe(-1);
    const b: NeuronBackwardAttrs = { ...a, surrogate: 'sigmoid', alpha: 4, detachReset: false };
    const gS = tf.tensor(uniforms(7, T * n, -1, 1), [T, n]);
    const gV = tf.tensor(uniforms(8, n, -1, 1), [1, n]);
    const [gX, gV0] = tf
      .engine()
      .runKernel(
        NeuronBackward,
        { gradSpikeSeq: gS, gradVSeq: gV, hSeq: h, spikeSeq: s, v0, tau },
        b as never,
      ) as unknown as tf.Tensor[];
    expect(neuronSimdCalls.backward).toBe(before.backward + 1);
    const jsB = {
      gradSpikeSeq: gS.dataSync() as Float32Array,
      gradVSeq: gV.dataSync() as Float32Array,
      gradThetaSeq: null,
      hSeq: js.hSeq,
      spikeSeq: js.spikeSeq,
      v0: js.v0,
      param: js.param,
      xSeq: null,
      vSeq: null,
      theta0: null,
      thetaSeq: null,
      surrogateGradSeq: null,
      gradXSeq: new Float32Array(T * n),
      gradV0: new Float32Array(n),
      gradTheta0: null,
      gradK: null,
    };
    neuronBackwardLoop(b, T, n, jsB);
    const got = gX?.dataSync() as Float32Array;
    for (let i = 0; i < got.length; i++)
      expect(Math.abs((got[i] as number) - (jsB.gradXSeq[i] as number))).toBeLessThan(1e-5);
    const got0 = gV0?.dataSync() as Float32Array;
    for (let i = 0; i < n; i++) expect(Math.abs((got0[i] as number) - (jsB.gradV0[i] as number))).toBeLessThan(1e-5);
    tf.dispose([xs, v0, tau, big, s, v, h, gS, gV, gX as tf.Tensor, gV0 as tf.Tensor]);
  });

  it('leaves other configurations to the loops (adaptive, per-neuron tau, plif)', () => {
    const xs = x(3, 10);
    const v0 = tf.zeros([10]);
    const before = neuronSimdCalls.forward;
    const perNeuron = tf.fill([10], 2);
    tf.dispose(fwd(forwardAttrs({}), xs, v0, perNeuron));
    const theta0 = tf.zeros([10]);
    tf.dispose(
      tf
        .engine()
        .runKernel(
          NeuronForward,
          { xSeq: xs, v0, tau: tf.scalar(2), theta0 },
          forwardAttrs({ adaptive: true, thetaPlus: 0.1 }) as never,
        ) as unknown as tf.Tensor[],
    );
    expect(neuronSimdCalls.forward).toBe(before);
    tf.dispose([xs, v0, perNeuron, theta0]);
  });

  it('does not leak', () => {
    const xs = x(4, 100);
    const v0 = tf.zeros([100]);
    const tau = tf.scalar(2);
    expectNoLeak(() => tf.dispose(fwd(forwardAttrs({}), xs, v0, tau)), 20);
    tf.dispose([xs, v0, tau]);
  });
}, ['wasm']);

describe('SIMD Adam update (SnnAdamUpdate on wasm)', () => {
  it("gives tfjs's float32 Adam (its reference ops on cpu) to an ulp, vectors and the last 1-3 values", async () => {
    const n = 1027; // 256 vectors and a tail of 3
    const rand = (seed: number, scale: number) =>
      Array.from({ length: n }, (_, i) => scale * Math.sin(seed * 12.9898 + i * 78.233) * (1 + (i % 7)));
    const data = { value: rand(1, 1), m: rand(2, 0.1), v: rand(3, 0.01).map(Math.abs), gradient: rand(4, 0.5) };
    const attrs = { learningRate: 0.003, beta1: 0.85, beta2: 0.97, epsilon: 1e-7 };
    const run = async (backend: 'cpu' | 'wasm', fused: boolean) => {
      await useBackend(backend);
      const io = {
        value: tf.tensor1d(data.value),
        m: tf.tensor1d(data.m),
        v: tf.tensor1d(data.v),
        gradient: tf.tensor1d(data.gradient),
        c1: tf.scalar(1 - 0.85 ** 3),
        c2: tf.scalar(1 - 0.97 ** 3),
      };
      const out = (
        fused ? tf.engine().runKernel(AdamUpdate, { ...io }, { ...attrs }) : adamUpdateReference(io, attrs)
      ) as tf.Tensor[];
      const values = await Promise.all(out.map((t) => t.data() as Promise<Float32Array>));
      tf.dispose([...out, ...Object.values(io)]);
      return values;
    };
    const before = neuronSimdCalls.adam;
    const simd = await run('wasm', true);
    expect(neuronSimdCalls.adam).toBe(before + 1);
    const reference = await run('cpu', false);
    for (const [k, got] of simd.entries()) {
      const want = reference[k] as Float32Array;
      for (let i = 0; i < n; i++) {
        const w = want[i] as number;
        expect(Math.abs((got[i] as number) - w), `output ${k}[${i}]`).toBeLessThanOrEqual(2e-7 * Math.abs(w) + 1e-9);
      }
    }
  });
});

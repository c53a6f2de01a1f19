/**
 * WebAssembly SIMD versions of the common cases of core's neuron loops (`neuron-loops.ts`):
 * charge `if` or `lif` with one scalar tau, no adaptive threshold, hard or soft reset, named
 * surrogate (sigmoid, atan). The module (`neuron.wat`, assembled to `neuron-wasm.ts`) imports a
 * `WebAssembly.Memory`: the wasm backend passes tfjs-wasm's own, so tensors are read and written
 * in place. Every other configuration stays with the JavaScript loops.
 */
import type { NeuronBackwardAttrs, NeuronForwardAttrs } from '@snn/core';
import { NEURON_SIMD_WASM_BASE64 } from './neuron-wasm.js';

/** The exports of `neuron.wat`; pointers are byte offsets into the imported memory. */
export interface NeuronSimdExports {
  forward(
    mode: number,
    soft: number,
    keep: number,
    saveH: number,
    f32: number,
    T: number,
    n: number,
    x: number,
    v0: number,
    s: number,
    v: number,
    h: number,
    tau: number,
    leak: number,
    thr: number,
    vth: number,
    r: number,
  ): void;
  backward(
    sigmoid: number,
    soft: number,
    detach: number,
    gvAll: number,
    T: number,
    n: number,
    gs: number,
    gv: number,
    h: number,
    s: number,
    gx: number,
    gv0: number,
    alpha: number,
    atanScale: number,
    vth: number,
    r: number,
    dHdV: number,
    dHdX: number,
  ): void;
  /** The Adam update (SnnAdamUpdate) of `n` parameters; see neuron.wat. */
  adam(
    n: number,
    x: number,
    m: number,
    v: number,
    g: number,
    xo: number,
    mo: number,
    vo: number,
    b1: number,
    b2: number,
    k1: number,
    k2: number,
    c1: number,
    c2: number,
    eps: number,
    nlr: number,
  ): void;
}

let compiled: WebAssembly.Module | null | undefined;

/** The compiled module, or null where this engine has no WebAssembly SIMD. */
export function neuronSimdModule(): WebAssembly.Module | null {
  if (compiled !== undefined) return compiled;
  compiled = null;
  try {
    const bin = atob(NEURON_SIMD_WASM_BASE64);
    const bytes = new Uint8Array(bin.length);
    for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
    if (typeof WebAssembly !== 'undefined' && WebAssembly.validate(bytes)) compiled = new WebAssembly.Module(bytes);
  } catch {
    compiled = null;
  }
  return compiled;
}

const instances = new WeakMap<WebAssembly.Memory, NeuronSimdExports | null>();

/**
 * The kernels working on `memory` (one instance per memory), or null without SIMD or where the
 * memory cannot be imported (a shared memory: tfjs's threaded build in a browser).
 */
export function neuronSimd(memory: WebAssembly.Memory): NeuronSimdExports | null {
  const known = instances.get(memory);
  if (known !== undefined) return known;
  const mod = neuronSimdModule();
  let exports: NeuronSimdExports | null = null;
  if (mod !== null) {
    try {
      exports = new WebAssembly.Instance(mod, { env: { memory } }).exports as unknown as NeuronSimdExports;
    } catch {
      exports = null;
    }
  }
  instances.set(memory, exports);
  return exports;
}

/** Whether the SIMD forward covers these attributes (with a scalar tau for `lif`). */
export function simdForwardSupports(a: NeuronForwardAttrs): boolean {
  return (a.charge === 'if' || a.charge === 'lif') && !a.adaptive;
}

/** Whether the SIMD backward covers these attributes (with a scalar tau for `lif`). */
export function simdBackwardSupports(a: NeuronBackwardAttrs): boolean {
  return simdForwardSupports(a) && (a.surrogate === 'sigmoid' || a.surrogate === 'atan');
}

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/** The smallest float32 ≥ `x`: for a float32 `h`, `h ≥ x` exactly when `h ≥ ceilF32(x)`. */
export function ceilF32(x: number): number {
  f32[0] = x;
  const y = f32[0] as number;
  if (!(y < x)) return y;
  if (y === 0) return 2 ** -149; // y is +0 (x > 0 tiny)
  u32[0] = (u32[0] as number) + (y > 0 ? 1 : -1);
  return f32[0] as number;
}

/** Arrays of one forward call, all views of the memory the kernels were instantiated on. */
export interface SimdForwardArrays {
  readonly xSeq: Float32Array;
  readonly v0: Float32Array;
  /** tau (lif), one value. */
  readonly tau: number;
  readonly spikeSeq: Float32Array;
  readonly vSeq: Float32Array;
  readonly hSeq: Float32Array | null;
}

/**
 * How the SIMD forward computes the charge: `'loops'` as `neuron-loops.ts` does (float64, rounded to
 * float32 once: the same bits as the JavaScript loops), `'float32'` operation by operation in
 * float32 (SpikingJelly's order, as core's tfjs-ops reference; within an ulp of the loops, about
 * twice as fast).
 */
export type SimdChargeArithmetic = 'loops' | 'float32';

/**
 * Runs {@link NeuronForward} for attributes {@link simdForwardSupports} takes, as
 * `neuronForwardLoop` does (bit for bit with `arithmetic` `'loops'`).
 */
export function simdForward(
  k: NeuronSimdExports,
  a: NeuronForwardAttrs,
  T: number,
  n: number,
  io: SimdForwardArrays,
  arithmetic: SimdChargeArithmetic = 'loops',
): void {
  const r = a.softReset ? 0 : a.vReset;
  const p = io.tau;
  const mode = a.charge === 'if' ? 0 : 1 + (a.decayInput ? 0 : 2) + (r === 0 ? 0 : 1);
  const keep = io.vSeq.length === T * n;
  k.forward(
    mode,
    a.softReset ? 1 : 0,
    keep ? 1 : 0,
    io.hSeq === null ? 0 : 1,
    arithmetic === 'float32' ? 1 : 0,
    T,
    n,
    io.xSeq.byteOffset,
    io.v0.byteOffset,
    io.spikeSeq.byteOffset,
    io.vSeq.byteOffset,
    io.hSeq === null ? 0 : io.hSeq.byteOffset,
    p,
    Math.fround(1 - 1 / p),
    ceilF32(a.vThreshold),
    a.vThreshold,
    r,
  );
}

/** Arrays of one backward call, all views of the memory the kernels were instantiated on. */
export interface SimdBackwardArrays {
  readonly gradSpikeSeq: Float32Array;
  readonly gradVSeq: Float32Array;
  readonly hSeq: Float32Array;
  readonly spikeSeq: Float32Array;
  readonly tau: number;
  readonly gradXSeq: Float32Array;
  readonly gradV0: Float32Array;
}

/**
 * Runs {@link NeuronBackward} for attributes {@link simdBackwardSupports} takes. The arithmetic is
 * `neuron-loops.ts`'s in float32 lanes (the loops keep float64 intermediates), so gradients agree
 * to float32 rounding, not bit for bit.
 */
export function simdBackward(
  k: NeuronSimdExports,
  a: NeuronBackwardAttrs,
  T: number,
  n: number,
  io: SimdBackwardArrays,
): void {
  const r = a.softReset ? 0 : a.vReset;
  const p = io.tau;
  io.gradV0.fill(0);
  k.backward(
    a.surrogate === 'sigmoid' ? 1 : 0,
    a.softReset ? 1 : 0,
    a.detachReset ? 1 : 0,
    io.gradVSeq.length === T * n ? 1 : 0,
    T,
    n,
    io.gradSpikeSeq.byteOffset,
    io.gradVSeq.byteOffset,
    io.hSeq.byteOffset,
    io.spikeSeq.byteOffset,
    io.gradXSeq.byteOffset,
    io.gradV0.byteOffset,
    a.alpha,
    (Math.PI / 2) * a.alpha,
    a.vThreshold,
    r,
    a.charge === 'if' ? 1 : 1 - 1 / p,
    a.charge === 'lif' && a.decayInput ? 1 / p : 1,
  );
}

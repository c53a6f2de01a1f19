// Micro-benchmark: the SIMD neuron kernels (src/simd/neuron.wat) against core's JavaScript loops
// on the same arrays, forward and backward, interleaved, best of `REPS` runs each.
//   pnpm --filter @snn/core build && pnpm --filter @snn/backend-wasm build && node packages/backend-wasm/bench/simd.mjs
// "simd" runs in place on arrays in the module's memory (as with tfjs-wasm's heap); "simd+copy"
// copies the inputs from ordinary arrays into the module's memory and the outputs back;
// "simd f32" is the forward with the charge in float32 operation by operation (not registered).
import { neuronBackwardLoop, neuronForwardLoop } from '@snn/core/internal';
import { neuronSimd, simdBackward, simdForward } from '../dist/simd/neuron-simd.js';

const REPS = Number(process.env.REPS ?? 5);
const sizes = [
  [1e5, 8],
  [1e5, 32],
  [1e6, 8],
  [1e6, 32],
];
const base = {
  charge: 'lif',
  decayInput: true,
  vThreshold: 1,
  vReset: 0,
  softReset: false,
  adaptive: false,
  thetaPlus: 0,
  tauTheta: 2,
  keepSeq: false,
  saveH: false,
};
const cases = [
  { name: 'forward lif (x -> s, last v)', dir: 'fwd', a: base },
  { name: 'forward lif, saveH (x -> s, h)', dir: 'fwd', a: { ...base, saveH: true } },
  {
    name: 'backward lif sigmoid',
    dir: 'bwd',
    a: { ...base, saveH: true, detachReset: false, surrogate: 'sigmoid', alpha: 4 },
  },
  {
    name: 'backward lif atan',
    dir: 'bwd',
    a: { ...base, saveH: true, detachReset: false, surrogate: 'atan', alpha: 2 },
  },
];

function rand(a, seed) {
  let s = seed >>> 0;
  for (let i = 0; i < a.length; i++) {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t ^= t + Math.imul(t ^ (t >>> 7), 61 | t);
    a[i] = ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  return a;
}

const tau = 2;
const rows = [];
for (const [n, T] of sizes) {
  const tn = T * n;
  // Arrays in one memory: x, v0, s, v, h, gS, gV(1 row), gX, gV0.
  const floats = 5 * tn + 4 * n + 64;
  const memory = new WebAssembly.Memory({ initial: Math.ceil((floats * 4) / 65536) + 1 });
  const k = neuronSimd(memory);
  let at = 0;
  const alloc = (len) => {
    const a = new Float32Array(memory.buffer, at * 4, len);
    at += len + ((4 - (len % 4)) % 4);
    return a;
  };
  const x = rand(alloc(tn), 1).map((u) => u * 1.5);
  const v0 = alloc(n);
  const s = alloc(tn);
  const v = alloc(n);
  const h = alloc(tn);
  const gS = rand(alloc(tn), 2);
  const gV = rand(alloc(n), 3);
  const gX = alloc(tn);
  const gV0 = alloc(n);
  // Ordinary arrays for the copying variant.
  const cx = x.slice();
  const cs = new Float32Array(tn);
  const cv = new Float32Array(n);
  const ch = new Float32Array(tn);
  const param = new Float32Array([tau]);
  for (const c of cases) {
    const a = c.a;
    const fwdIo = { xSeq: x, v0, param, theta0: null, spikeSeq: s, vSeq: v, thetaSeq: null, hSeq: a.saveH ? h : null };
    // The backward reads h and s of a forward with saveH.
    if (c.dir === 'bwd') neuronForwardLoop({ ...base, saveH: true }, T, n, { ...fwdIo, hSeq: h });
    const bwdIo = {
      gradSpikeSeq: gS,
      gradVSeq: gV,
      gradThetaSeq: null,
      hSeq: h,
      spikeSeq: s,
      v0,
      param,
      xSeq: null,
      vSeq: null,
      theta0: null,
      thetaSeq: null,
      surrogateGradSeq: null,
      gradXSeq: gX,
      gradV0: gV0,
      gradTheta0: null,
      gradK: null,
    };
    const runs = {
      js: () => (c.dir === 'fwd' ? neuronForwardLoop(a, T, n, fwdIo) : neuronBackwardLoop(a, T, n, bwdIo)),
      simd: () =>
        c.dir === 'fwd'
          ? simdForward(k, a, T, n, { xSeq: x, v0, tau, spikeSeq: s, vSeq: v, hSeq: a.saveH ? h : null })
          : simdBackward(k, a, T, n, {
              gradSpikeSeq: gS,
              gradVSeq: gV,
              hSeq: h,
              spikeSeq: s,
              tau,
              gradXSeq: gX,
              gradV0: gV0,
            }),
    };
    if (c.dir === 'fwd')
      runs['simd f32'] = () =>
        simdForward(k, a, T, n, { xSeq: x, v0, tau, spikeSeq: s, vSeq: v, hSeq: a.saveH ? h : null }, 'float32');
    if (c.dir === 'fwd')
      runs['simd+copy'] = () => {
        x.set(cx);
        simdForward(k, a, T, n, { xSeq: x, v0, tau, spikeSeq: s, vSeq: v, hSeq: a.saveH ? h : null });
        cs.set(s);
        cv.set(v);
        if (a.saveH) ch.set(h);
      };
    const best = {};
    for (const name of Object.keys(runs)) {
      runs[name]();
      best[name] = Infinity;
    }
    for (let rep = 0; rep < REPS; rep++)
      for (const name of Object.keys(runs)) {
        const t0 = performance.now();
        runs[name]();
        best[name] = Math.min(best[name], performance.now() - t0);
      }
    const rate = (ms) => Math.round((tn / ms) * 1e-3); // M neuron-steps/s
    const row = { case: c.name, N: n, T, 'js M/s': rate(best.js), 'simd M/s': rate(best.simd) };
    if (best['simd+copy'] !== undefined) row['simd+copy M/s'] = rate(best['simd+copy']);
    if (best['simd f32'] !== undefined) row['simd f32 M/s'] = rate(best['simd f32']);
    row.speedup = +(best.js / best.simd).toFixed(2);
    rows.push(row);
    console.log(JSON.stringify(row));
  }
}
console.table(rows);

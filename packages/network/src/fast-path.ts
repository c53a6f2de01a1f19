import { Hebbian, PostPre, WeightDependentPostPre } from '@snn/learning';
import { DiehlCookNode } from '@snn/neurons';
import type { Tensor } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';
import { type AbstractConnection, Connection } from './connection.js';
import { Input, NodePopulation, type Population } from './population.js';

/**
 * The typed-array simulator behind `Network.run` on the cpu and wasm backends (whose tensors live
 * in host memory). It covers the common BindsNET networks — `Input`, `lifNodes` and
 * `diehlCookNodes` populations (any `DiehlCookNode`), dense connections (with bias and fixed
 * connectivity), `PostPre` and `Hebbian` learning, clamp, unclamp and masks — and steps them as
 * one loop per step: event-driven (only the neurons that spiked propagate and learn), in float32
 * storage. State is read from the modules once at the start of a run and written back once at
 * the end; a population with forward hooks (a monitor) gets its state written and its hooks
 * called at every step. Everything else runs on the tensor path; the tests check that both give
 * the same spikes and weights.
 */

/** Transposed weights by connection, valid while `w.dataId` is the one recorded. */
const transposed = new WeakMap<AbstractConnection, { dataId: object; wT: Float32Array }>();

interface FastPopulation {
  readonly pop: Population;
  readonly name: string;
  readonly n: number;
  readonly node: DiehlCookNode | null;
  s: Float32Array;
  x: Float32Array;
  v: Float32Array;
  refrac: Float32Array;
  theta: Float32Array;
  current: Float32Array;
  count: Float32Array;
  readonly hooked: boolean;
}

interface FastConnection {
  readonly conn: AbstractConnection;
  readonly name: string;
  readonly src: FastPopulation;
  readonly tgt: FastPopulation;
  /** Transposed weight, `[source, target]`: a spiking source neuron reads one contiguous row. */
  wT: Float32Array;
  readonly bias: Float32Array | null;
  /** `[source, target]`, 1 where a synapse exists; null for all-to-all. */
  readonly connectivity: Uint8Array | null;
  readonly rule: { readonly nuPre: number; readonly nuPost: number; readonly sign: number } | null;
}

/** Per-run inputs of the fast path, already host arrays. */
export interface FastRunArgs {
  readonly steps: number;
  readonly batch: number;
  readonly inputs: ReadonlyMap<string, Float32Array>;
  /** Per layer: values and whether they are given per step. */
  readonly clamp: ReadonlyMap<string, { values: Float32Array; perStep: boolean }>;
  readonly unclamp: ReadonlyMap<string, { values: Float32Array; perStep: boolean }>;
  /** Per connection name: indices into `[target, source]` pinned to zero. */
  readonly masks: ReadonlyMap<string, Int32Array>;
  readonly learning: boolean;
}

/** Whether the fast path can run this network (else `run` uses the tensor path). */
export function fastPathSupports(
  layers: ReadonlyMap<string, Population>,
  connections: ReadonlyMap<string, AbstractConnection>,
): boolean {
  const backend = tf.getBackend();
  if (backend !== 'cpu' && backend !== 'wasm') return false;
  for (const p of layers.values()) {
    if (p instanceof Input) continue;
    if (!(p instanceof NodePopulation) || !(p.node instanceof DiehlCookNode)) return false;
    if (p.node.forwardHookCount > 0) return false; // a hook on the node itself needs the tensor path
  }
  for (const c of connections.values()) {
    if (!(c instanceof Connection)) return false;
    const r = c.rule;
    if (r !== null && !((r instanceof PostPre || r instanceof Hebbian) && !(r instanceof WeightDependentPostPre))) {
      return false;
    }
  }
  return true;
}

/** Reads a state tensor broadcast to `size` float32 values (scalar states fill the array). */
function readState(t: Tensor, size: number): Float32Array {
  const values = t.dataSync() as ArrayLike<number>;
  if (values.length === size) return Float32Array.from(values);
  if (values.length === 1) return new Float32Array(size).fill(values[0] as number);
  // A per-neuron state ([n]) under a batch ([B, n]).
  const out = new Float32Array(size);
  for (let i = 0; i < size; i++) out[i] = values[i % values.length] as number;
  return out;
}

/**
 * Runs `args.steps` steps of the network on typed arrays and writes the state back.
 * @param layers - In stepping order.
 */
export function runFastPath(
  layers: ReadonlyMap<string, Population>,
  connections: ReadonlyMap<string, AbstractConnection>,
  args: FastRunArgs,
): void {
  const B = args.batch;
  const pops: FastPopulation[] = [];
  const byPop = new Map<Population, FastPopulation>();
  for (const [name, pop] of layers) {
    const n = pop.size;
    const node = pop instanceof NodePopulation ? (pop.node as DiehlCookNode) : null;
    const size = B * n;
    const f: FastPopulation = {
      pop,
      name,
      n,
      node,
      s: readState(pop.s, size),
      x: readState(pop.x, size),
      v: node === null ? new Float32Array(0) : readState(node.getMemory('v'), size),
      refrac: node === null ? new Float32Array(0) : readState(node.getMemory('refrac'), size),
      theta: node === null ? new Float32Array(0) : readState(node.getMemory('theta'), n),
      current: new Float32Array(size),
      count: pop.countSpikes ? readState(pop.count, size) : new Float32Array(0),
      hooked: pop.forwardHookCount > 0,
    };
    pops.push(f);
    byPop.set(pop, f);
  }
  const conns: FastConnection[] = [];
  for (const [name, c] of connections) {
    const dense = c as Connection;
    const src = byPop.get(c.source) as FastPopulation;
    const tgt = byPop.get(c.target) as FastPopulation;
    const ns = src.n;
    const nt = tgt.n;
    // The transposed weight is kept between runs while the variable still holds what we wrote.
    const cached = transposed.get(c);
    let wT: Float32Array;
    if (cached !== undefined && cached.dataId === c.w.dataId) {
      wT = cached.wT;
    } else {
      const w = c.w.dataSync() as Float32Array;
      wT = new Float32Array(ns * nt);
      for (let j = 0; j < nt; j++) for (let i = 0; i < ns; i++) wT[i * nt + j] = w[j * ns + i] as number;
    }
    let connectivity: Uint8Array | null = null;
    if (dense.connectivity !== null) {
      const m = dense.connectivity.dataSync();
      connectivity = new Uint8Array(ns * nt);
      for (let j = 0; j < nt; j++) for (let i = 0; i < ns; i++) connectivity[i * nt + j] = m[j * ns + i] === 0 ? 0 : 1;
    }
    const r = c.rule as PostPre | null;
    conns.push({
      conn: c,
      name,
      src,
      tgt,
      wT,
      bias: dense.bias === null ? null : Float32Array.from(dense.bias.dataSync()),
      connectivity,
      rule: r === null ? null : { nuPre: r.nu[0], nuPost: r.nu[1], sign: r instanceof Hebbian ? 1 : -1 },
    });
  }
  const masks = new Map<FastConnection, Int32Array>();
  for (const fc of conns) {
    const m = args.masks.get(fc.name);
    if (m === undefined) continue;
    // [target, source] flat indices → [source, target].
    const nt = fc.tgt.n;
    const ns = fc.src.n;
    masks.set(
      fc,
      Int32Array.from(m, (k) => (k % ns) * nt + Math.floor(k / ns)),
    );
  }

  let clippedOnce = false;
  for (let t = 0; t < args.steps; t++) {
    // 1. Inputs from the previous step's spikes (synchronous update).
    for (const p of pops) p.current.fill(0);
    for (const c of conns) propagate(c, B);
    for (const p of pops) {
      const given = args.inputs.get(p.name);
      if (given !== undefined) {
        const off = t * B * p.n;
        const cur = p.current;
        for (let k = 0; k < cur.length; k++) cur[k] = (cur[k] as number) + (given[off + k] as number);
      }
    }
    // 2. Every population steps, in order.
    for (const p of pops) {
      stepPopulation(p, B);
      force(p, B, t, args.clamp.get(p.name), 1);
      force(p, B, t, args.unclamp.get(p.name), 0);
      traces(p);
      if (p.pop.countSpikes)
        for (let k = 0; k < p.s.length; k++) p.count[k] = (p.count[k] as number) + (p.s[k] as number);
      if (p.hooked) notify(p, B);
    }
    // 3. Learning and masks.
    for (const c of conns) {
      if (args.learning && c.rule !== null) {
        if (!clippedOnce) clipAll(c);
        learn(c, B);
      }
      const m = masks.get(c);
      if (m !== undefined) for (const k of m) c.wT[k] = 0;
    }
    if (args.learning) clippedOnce = true;
  }
  writeBack(pops, conns, B, masks);
}

/** Scratch list of spiking source rows (offsets into `wT`). */
let rowScratch = new Int32Array(1024);

function propagate(c: FastConnection, B: number): void {
  const ns = c.src.n;
  const nt = c.tgt.n;
  const s = c.src.s;
  const cur = c.tgt.current;
  const wT = c.wT;
  if (rowScratch.length < ns) rowScratch = new Int32Array(ns);
  const rows = rowScratch;
  for (let b = 0; b < B; b++) {
    const sOff = b * ns;
    const cOff = b * nt;
    // Binary spikes: gather the spiking rows and add them eight or four at a time (one float32
    // store per group, as tfjs's matMul sums in float64 before it stores); other values one by one.
    let m = 0;
    for (let i = 0; i < ns; i++) {
      const si = s[sOff + i] as number;
      if (si === 0) continue;
      if (si === 1) {
        rows[m++] = i * nt;
        continue;
      }
      const row = i * nt;
      for (let j = 0; j < nt; j++) cur[cOff + j] = (cur[cOff + j] as number) + si * (wT[row + j] as number);
    }
    let k = 0;
    for (; k + 8 <= m; k += 8) {
      const r0 = rows[k] as number;
      const r1 = rows[k + 1] as number;
      const r2 = rows[k + 2] as number;
      const r3 = rows[k + 3] as number;
      const r4 = rows[k + 4] as number;
      const r5 = rows[k + 5] as number;
      const r6 = rows[k + 6] as number;
      const r7 = rows[k + 7] as number;
      for (let j = 0; j < nt; j++) {
        const a = (wT[r0 + j] as number) + (wT[r1 + j] as number) + ((wT[r2 + j] as number) + (wT[r3 + j] as number));
        const b2 = (wT[r4 + j] as number) + (wT[r5 + j] as number) + ((wT[r6 + j] as number) + (wT[r7 + j] as number));
        cur[cOff + j] = (cur[cOff + j] as number) + (a + b2);
      }
    }
    for (; k + 4 <= m; k += 4) {
      const r0 = rows[k] as number;
      const r1 = rows[k + 1] as number;
      const r2 = rows[k + 2] as number;
      const r3 = rows[k + 3] as number;
      for (let j = 0; j < nt; j++) {
        const sum = (wT[r0 + j] as number) + (wT[r1 + j] as number) + ((wT[r2 + j] as number) + (wT[r3 + j] as number));
        cur[cOff + j] = (cur[cOff + j] as number) + sum;
      }
    }
    for (; k < m; k++) {
      const r = rows[k] as number;
      for (let j = 0; j < nt; j++) cur[cOff + j] = (cur[cOff + j] as number) + (wT[r + j] as number);
    }
    if (c.bias !== null) for (let j = 0; j < nt; j++) cur[cOff + j] = (cur[cOff + j] as number) + (c.bias[j] as number);
  }
}

/** One Diehl–Cook / LIF step (the equations of `diehlCookStep`), or an Input's copy of its current. */
function stepPopulation(p: FastPopulation, B: number): void {
  const n = p.n;
  const s = p.s;
  const cur = p.current;
  const node = p.node;
  if (node === null) {
    s.set(cur);
    return;
  }
  const learning = node.training;
  const decay = Math.fround(Math.exp(-node.dt / node.tau));
  const thetaDecay = Math.fround(Math.exp(-node.dt / node.tauTheta));
  const rest = node.vRest;
  const vth = node.params.vThreshold;
  const vReset = node.params.vReset ?? 0;
  const lb = node.vLowerBound;
  const refracSteps = Math.ceil(node.refrac / node.dt - 1e-9);
  const theta = p.theta;
  if (learning) for (let k = 0; k < n; k++) theta[k] = (theta[k] as number) * thetaDecay;
  const v = p.v;
  const refrac = p.refrac;
  const oneSpike = node.oneSpike;
  for (let b = 0; b < B; b++) {
    const off = b * n;
    let best = -1;
    let bestZ = Number.NEGATIVE_INFINITY;
    for (let k = 0; k < n; k++) {
      const i = off + k;
      const r = refrac[i] as number;
      const integrating = r >= 0.5 ? 0 : 1;
      const h = Math.fround(
        Math.fround(rest + Math.fround(((v[i] as number) - rest) * decay)) + (cur[i] as number) * integrating,
      );
      const z = Math.fround(Math.fround(h - vth) - (theta[k] as number));
      if (oneSpike) {
        // Fire and reset after the winner is known (second loop).
        v[i] = h;
        s[i] = z >= 0 ? 1 : 0;
        if (z > bestZ) {
          bestZ = z;
          best = k;
        }
        continue;
      }
      // Fire and reset at once: S = Θ(z); V ← vReset where S, then the lower bound; refractory count.
      const spiked = z >= 0;
      s[i] = spiked ? 1 : 0;
      const vi = spiked ? vReset : h;
      v[i] = lb !== null && vi < lb ? lb : vi;
      refrac[i] = spiked ? refracSteps : r > 1 ? r - 1 : 0;
    }
    if (!oneSpike) continue;
    for (let k = 0; k < n; k++) if (k !== best) s[off + k] = 0;
    for (let k = 0; k < n; k++) {
      const i = off + k;
      const sp = s[i] as number;
      let vi = sp === 1 ? vReset : (v[i] as number);
      if (lb !== null && vi < lb) vi = lb;
      v[i] = vi;
      refrac[i] = sp === 1 ? refracSteps : Math.max((refrac[i] as number) - 1, 0);
    }
  }
  if (learning && node.thetaPlus !== 0) {
    for (let b = 0; b < B; b++) {
      const off = b * n;
      for (let k = 0; k < n; k++) if (s[off + k] === 1) theta[k] = (theta[k] as number) + node.thetaPlus;
    }
  }
}

function force(
  p: FastPopulation,
  B: number,
  t: number,
  f: { values: Float32Array; perStep: boolean } | undefined,
  to: 0 | 1,
): void {
  if (f === undefined) return;
  const n = p.n;
  const off = f.perStep ? t * n : 0;
  for (let k = 0; k < n; k++) {
    if (f.values[off + k] === 0) continue;
    for (let b = 0; b < B; b++) p.s[b * n + k] = to;
  }
}

function traces(p: FastPopulation): void {
  const pop = p.pop;
  if (!pop.traces) return;
  const decay = Math.fround(Math.exp(-pop.dt / pop.tcTrace));
  const scale = pop.traceScale;
  const x = p.x;
  const s = p.s;
  if (pop.tracesAdditive) {
    for (let i = 0; i < x.length; i++) x[i] = Math.fround((x[i] as number) * decay) + (s[i] as number) * scale;
  } else {
    for (let i = 0; i < x.length; i++) {
      const si = s[i] as number;
      x[i] = (x[i] as number) * decay * (1 - si) + si * scale;
    }
  }
}

function clipAll(c: FastConnection): void {
  const { wmin, wmax } = c.conn;
  if (!Number.isFinite(wmin) && !Number.isFinite(wmax)) return;
  const w = c.wT;
  for (let k = 0; k < w.length; k++) w[k] = Math.min(Math.max(w[k] as number, wmin), wmax);
}

/**
 * PostPre (sign −1) or Hebbian (sign +1), event-driven: rows of spiking sources, columns of
 * spiking targets, summed over the batch; then the touched weights are clipped (as the tensor
 * path clips `w + ΔW` once) and absent synapses zeroed.
 */
function learn(c: FastConnection, B: number): void {
  const rule = c.rule as NonNullable<FastConnection['rule']>;
  const ns = c.src.n;
  const nt = c.tgt.n;
  const w = c.wT;
  const preS = c.src.s;
  const preX = c.src.x;
  const postS = c.tgt.s;
  const postX = c.tgt.x;
  const rows = new Uint8Array(ns);
  const cols = new Uint8Array(nt);
  let any = false;
  for (let b = 0; b < B; b++) {
    const so = b * ns;
    const to = b * nt;
    if (rule.nuPre !== 0) {
      const a = rule.sign * rule.nuPre;
      for (let i = 0; i < ns; i++) {
        const si = preS[so + i] as number;
        if (si === 0) continue;
        rows[i] = 1;
        any = true;
        const row = i * nt;
        const f = a * si;
        for (let j = 0; j < nt; j++) w[row + j] = (w[row + j] as number) + Math.fround(f * (postX[to + j] as number));
      }
    }
    if (rule.nuPost !== 0) {
      for (let j = 0; j < nt; j++) {
        const sj = postS[to + j] as number;
        if (sj === 0) continue;
        cols[j] = 1;
        any = true;
        const f = rule.nuPost * sj;
        for (let i = 0; i < ns; i++) {
          const k = i * nt + j;
          w[k] = (w[k] as number) + Math.fround(f * (preX[so + i] as number));
        }
      }
    }
  }
  if (!any) return;
  const { wmin, wmax } = c.conn;
  const conn = c.connectivity;
  const fix = (k: number) => {
    const v = w[k] as number;
    w[k] = conn !== null && conn[k] === 0 ? 0 : Math.min(Math.max(v, wmin), wmax);
  };
  for (let i = 0; i < ns; i++) if (rows[i] === 1) for (let j = 0; j < nt; j++) fix(i * nt + j);
  for (let j = 0; j < nt; j++) if (cols[j] === 1) for (let i = 0; i < ns; i++) fix(i * nt + j);
}

/** Writes one population's state as tensors and calls its forward hooks (monitors). */
function notify(p: FastPopulation, B: number): void {
  const shape = [B, ...p.pop.shape];
  tf.tidy(() => {
    writePopulation(p, shape, p.pop.watched);
    const input = tf.tensor(p.current.slice(), shape);
    p.pop.notifyForward(input, p.pop.s);
  });
}

/**
 * Writes a population's state as tensors (copies: tfjs-cpu keeps the array it is given). With
 * `nodeMemories`, only those memories of the node (what the monitors read); all by default.
 */
function writePopulation(p: FastPopulation, shape: number[], nodeMemories?: ReadonlySet<string>): void {
  p.pop.setMemory('s', tf.tensor(p.s.slice(), shape));
  if (p.pop.traces) p.pop.setMemory('x', tf.tensor(p.x.slice(), shape));
  if (p.pop.countSpikes) p.pop.setMemory('count', tf.tensor(p.count.slice(), shape));
  const node = p.node;
  if (node === null) return;
  const want = (name: string) => nodeMemories === undefined || nodeMemories.has(name);
  if (want('v')) node.setMemory('v', tf.tensor(p.v.slice(), shape));
  if (want('refrac')) node.setMemory('refrac', tf.tensor(p.refrac.slice(), shape));
  if (want('theta') && (node.training || node.getMemory('theta').rank > 0)) {
    node.setMemory('theta', tf.tensor(p.theta.slice(), shape.slice(1)));
  }
}

/** `norm` per target neuron (BindsNET's `normalize`: the absolute weights into each target sum to `norm`). */
function normalize(c: FastConnection): void {
  const norm = c.conn.norm;
  if (norm === null) return;
  const ns = c.src.n;
  const nt = c.tgt.n;
  const w = c.wT;
  const sums = new Float64Array(nt);
  for (let i = 0; i < ns; i++) {
    const row = i * nt;
    for (let j = 0; j < nt; j++) sums[j] = (sums[j] as number) + Math.abs(w[row + j] as number);
  }
  const scale = Float32Array.from(sums, (x) => norm / (Math.fround(x) === 0 ? 1 : Math.fround(x)));
  for (let i = 0; i < ns; i++) {
    const row = i * nt;
    for (let j = 0; j < nt; j++) w[row + j] = (w[row + j] as number) * (scale[j] as number);
  }
}

function writeBack(
  pops: FastPopulation[],
  conns: FastConnection[],
  B: number,
  masked: ReadonlyMap<FastConnection, unknown>,
): void {
  tf.tidy(() => {
    for (const p of pops) writePopulation(p, [B, ...p.pop.shape]);
    for (const c of conns) {
      if (c.rule !== null || masked.has(c) || c.conn.norm !== null) {
        normalize(c);
        const ns = c.src.n;
        const nt = c.tgt.n;
        const w = new Float32Array(ns * nt);
        for (let i = 0; i < ns; i++) for (let j = 0; j < nt; j++) w[j * ns + i] = c.wT[i * nt + j] as number;
        c.conn.w.assign(tf.tensor2d(w, [nt, ns]));
      }
      transposed.set(c.conn, { dataId: c.conn.w.dataId, wT: c.wT });
    }
  });
}

import {
  checkFinite,
  checkInteger,
  checkOptions,
  checkTensor,
  createRng,
  Module,
  ShapeError,
  ValueError,
} from '@snn/core';
import { conv2dChannelsLast } from '@snn/layers/internal';
import { type Correlate, conv2dCorrelate, denseCorrelate, type LocalRule } from '@snn/learning';
import type { Tensor, Variable } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';
import { keysOf } from './options.js';
import type { Population } from './population.js';

/** Options shared by every connection. */
export interface ConnectionOptions {
  /** Lower weight bound, applied after every learning update. Default −Infinity. */
  readonly wmin?: number;
  /** Upper weight bound. Default +Infinity. */
  readonly wmax?: number;
  /**
   * Normalise after each `run`: scale the weights into each target neuron (each output filter of
   * a convolution) so that their absolute values sum to `norm`. Default null (never).
   */
  readonly norm?: number | null;
  /** A local learning rule (`PostPre`, `MSTDP`, ... of `@snn/learning`). Default none. */
  readonly rule?: LocalRule | null;
  /** Seed of the default random weights. Default 0. */
  readonly seed?: number;
}

/** The keys of {@link ConnectionOptions}. */
export const CONNECTION_OPTION_KEYS = keysOf<ConnectionOptions>()(['wmin', 'wmax', 'norm', 'rule', 'seed']);

/** The shared options, checked and with their defaults. */
interface CheckedConnection {
  readonly wmin: number;
  readonly wmax: number;
  readonly norm: number | null;
  readonly rule: LocalRule | null;
  readonly seed: number;
}

/**
 * Checks the options every connection shares (bounds, norm, rule and whether it fits the bounds,
 * seed) before anything is made; other keys are the caller's to check.
 */
function checkConnectionOptions(fn: string, options: ConnectionOptions): CheckedConnection {
  const [wmin, wmax] = checkBounds(fn, options);
  const norm = options.norm ?? null;
  if (norm !== null) checkFinite(fn, 'norm', norm);
  const rule = options.rule ?? null;
  if (rule !== null && (typeof rule !== 'object' || typeof (rule as LocalRule).deltaW !== 'function')) {
    throw new ValueError(fn, 'rule', 'a LocalRule (PostPre, MSTDP, ...)', rule);
  }
  rule?.checkConnection(fn, wmin, wmax);
  const seed = options.seed ?? 0;
  if (!Number.isSafeInteger(seed)) throw new ValueError(fn, 'seed', 'a safe integer', seed);
  return { wmin, wmax, norm, rule, seed };
}

/** Throws unless `x` is a tensor of exactly `shape`. */
function checkShapeOf(fn: string, arg: string, x: unknown, shape: readonly number[]): Tensor {
  const t = checkTensor(fn, arg, x);
  if (t.shape.length !== shape.length || t.shape.some((d, i) => d !== shape[i])) {
    throw new ShapeError(fn, arg, `shape [${shape.join(', ')}]`, t.shape);
  }
  return t;
}

/** What a connection's `learn` gets from the network at each step. */
export interface LearnContext {
  /** This step's reward: a number, a scalar or `[B]`. */
  readonly reward?: Tensor | number;
  /** 1 where `run({ masks })` pins a weight to zero (the weight's shape), or null. */
  readonly mask: Tensor | null;
}

/**
 * Base of the connections of a {@link Network}: a weight from a `source` population to a
 * `target` population, what it sends (`propagate`), how a local rule updates it (`learn`), and the
 * normalisation. The weight is a frozen parameter (`trainable: false`): optimizers leave it to
 * the rule, `saveState` stores it.
 */
export abstract class AbstractConnection extends Module {
  readonly wmin: number;
  readonly wmax: number;
  readonly norm: number | null;
  readonly rule: LocalRule | null;
  /** The weight (layout per subclass). */
  readonly w: Variable;

  constructor(
    protected readonly fn: string,
    readonly source: Population,
    readonly target: Population,
    w: Tensor,
    options: ConnectionOptions,
  ) {
    super('s');
    // The concrete classes check these before making `w`; a custom subclass is checked here.
    const { wmin, wmax, norm, rule } = checkConnectionOptions(fn, options);
    this.wmin = wmin;
    this.wmax = wmax;
    this.norm = norm;
    this.rule = rule;
    this.w = this.registerParameter('w', w, { trainable: false });
    if (rule !== null) this.registerModule('rule', rule);
  }

  /** What the target receives at the next step from the source's spikes `s` `[B, ...source.shape]`: `[B, ...target.shape]`. */
  abstract propagate(s: Tensor): Tensor;

  /** The weight layout's correlation of `[B, ...target]` and `[B, ...source]` activity. */
  protected abstract correlate: Correlate;

  /** Reshapes `[B, ...shape]` activity for {@link AbstractConnection.correlate}. */
  protected abstract flat(x: Tensor, pop: Population): Tensor;

  /** Axes of `w` summed per target neuron by the normalisation. */
  protected abstract normAxes(): number[];

  /** Fixed connectivity (1 = exists) in the weight's shape, or null: absent weights stay 0. */
  get connectivity(): Tensor | null {
    return null;
  }

  /**
   * One learning update from the populations' spikes and traces of this step: `w ← clip(w + ΔW,
   * wmin, wmax)`, then absent (connectivity) and masked weights set to 0. Without a rule, only
   * the mask is applied.
   */
  learn(ctx: LearnContext): void {
    if (this.rule === null && ctx.mask === null) return;
    tf.tidy(() => {
      let w: Tensor = this.w;
      if (this.rule !== null) {
        const b = this.source.s.rank === 0 ? 1 : (this.source.s.shape[0] as number);
        const like = (x: Tensor, pop: Population) =>
          this.flat(x.rank === 0 ? tf.broadcastTo(x, [b, ...pop.shape]) : x, pop);
        const dw = this.rule.deltaW({
          w: this.w,
          preSpike: like(this.source.s, this.source),
          postSpike: like(this.target.s, this.target),
          preTrace: like(this.source.x, this.source),
          postTrace: like(this.target.x, this.target),
          correlate: this.correlate,
          reward: ctx.reward,
          dt: this.source.dt,
          wmin: this.wmin,
          wmax: this.wmax,
        });
        w = tf.add(w, dw);
        if (Number.isFinite(this.wmin) || Number.isFinite(this.wmax)) w = tf.clipByValue(w, this.wmin, this.wmax);
        if (this.connectivity !== null) w = tf.mul(w, this.connectivity);
      }
      if (ctx.mask !== null) w = tf.mul(w, tf.sub(1, ctx.mask));
      this.w.assign(w);
    });
  }

  /** Scales the weights into each target neuron so that their absolute values sum to `norm` (no-op without `norm`). */
  normalize(): void {
    if (this.norm === null) return;
    const norm = this.norm;
    tf.tidy(() => {
      const sum = tf.sum(tf.abs(this.w), this.normAxes(), true);
      const safe = tf.where(tf.equal(sum, 0), tf.onesLike(sum), sum);
      this.w.assign(tf.mul(this.w, tf.div(norm, safe)));
    });
  }
}

/** Checks `wmin <= wmax` (numbers, ±Infinity allowed) and returns them. */
function checkBounds(fn: string, options: ConnectionOptions): [number, number] {
  const wmin = options.wmin ?? Number.NEGATIVE_INFINITY;
  const wmax = options.wmax ?? Number.POSITIVE_INFINITY;
  if (typeof wmin !== 'number' || Number.isNaN(wmin)) throw new ValueError(fn, 'wmin', 'a number', wmin);
  if (typeof wmax !== 'number' || Number.isNaN(wmax) || !(wmax >= wmin)) {
    throw new ValueError(fn, 'wmax', `a number >= wmin (${wmin})`, wmax);
  }
  return [wmin, wmax];
}

/** The initial weight (a checked `w`, copied, or BindsNET's random default); the caller owns it. */
function initialWeight(shape: number[], w: Tensor | undefined, wmin: number, wmax: number, seed: number): Tensor {
  if (w !== undefined) return tf.cast(w, 'float32');
  // BindsNET: uniform in [wmin, wmax] when both are finite, else U[0, 1) clipped to the bounds.
  const rng = createRng(seed);
  if (Number.isFinite(wmin) && Number.isFinite(wmax))
    return wmin === wmax ? tf.fill(shape, wmin) : rng.uniform(shape, wmin, wmax);
  return tf.tidy(() => tf.clipByValue(rng.uniform(shape), wmin, wmax));
}

/** Options of {@link Connection}. */
export interface DenseConnectionOptions extends ConnectionOptions {
  /** The weight `[target.size, source.size]` (Linear's layout). Copied. Default random, see `wmin`/`wmax`. */
  readonly w?: Tensor;
  /** A bias per target neuron: `true` (zeros) or a `[target.size]` tensor. Default none. */
  readonly bias?: boolean | Tensor;
  /**
   * Fixed connectivity, 0/1 in the weight's shape: a sparse (masked) connection; absent weights
   * are 0 and stay 0 under learning. Default: all-to-all.
   */
  readonly connectivity?: Tensor;
}

/** The keys of {@link DenseConnectionOptions} (those of {@link Connection}). */
export const DENSE_CONNECTION_OPTION_KEYS = keysOf<DenseConnectionOptions>()([
  ...CONNECTION_OPTION_KEYS,
  'w',
  'bias',
  'connectivity',
]);

/** Checks everything a dense connection is built from, before any tensor is made. */
function checkDense(
  fn: string,
  source: Population,
  target: Population,
  options: DenseConnectionOptions,
): CheckedConnection {
  checkPopulations(fn, source, target);
  const c = checkConnectionOptions(fn, options);
  const shape = [target.size, source.size];
  if (options.w !== undefined) checkShapeOf(fn, 'w', options.w, shape);
  if (options.connectivity !== undefined) checkShapeOf(fn, 'connectivity', options.connectivity, shape);
  const bias = options.bias as unknown;
  if (bias !== undefined && typeof bias !== 'boolean') {
    const t = bias as Partial<Tensor> | null;
    if (t === null || typeof t !== 'object' || !Array.isArray(t.shape)) {
      throw new ValueError(fn, 'bias', `a boolean or a [${target.size}] tensor`, bias);
    }
    checkShapeOf(fn, 'bias', bias, [target.size]);
  }
  return c;
}

/**
 * Dense (all-to-all, or masked by `connectivity`) connection (BindsNET's `Connection`): the
 * target receives `I = W · s_source (+ b)` at the step after the source spiked. The weight's
 * layout is `[target, source]` — that of `Linear` and SpikingJelly, the transpose of BindsNET's
 * `[source, target]`. A recurrent connection has the same population as source and target.
 *
 * @throws UnknownOptionError for an option name it does not know; ValueError/ShapeError for bad
 *   options or a `w`, `bias` or `connectivity` of the wrong shape. Nothing is made before the
 *   checks pass.
 * @example
 * ```ts
 * const c = new Connection(X, Y, { w: tf.fill([1000, 100], 0.05), wmin: 0, wmax: 1, norm: 78.4, rule: new PostPre() });
 * net.addConnection(c, 'X', 'Y');
 * ```
 */
export class Connection extends AbstractConnection {
  readonly bias: Variable | null;
  private readonly fixed: Tensor | null;
  protected override correlate: Correlate = denseCorrelate;

  /** @param fn - The name in errors (that of the subclass). */
  constructor(source: Population, target: Population, options: DenseConnectionOptions = {}, fn = 'Connection') {
    checkOptions(fn, options, DENSE_CONNECTION_OPTION_KEYS);
    const { wmin, wmax, seed } = checkDense(fn, source, target, options);
    // Checked: from here on tensors are made.
    const shape = [target.size, source.size];
    const c = options.connectivity;
    const fixed = c === undefined ? null : tf.keep(tf.tidy(() => tf.cast(tf.notEqual(c, 0), 'float32')));
    const b = options.bias;
    const bias = b === undefined || b === false ? null : b === true ? tf.zeros([target.size]) : tf.clone(b);
    let w = initialWeight(shape, options.w, wmin, wmax, seed);
    if (fixed !== null) {
      const masked = tf.mul(w, fixed);
      w.dispose();
      w = masked;
    }
    super(fn, source, target, w, options);
    this.fixed = fixed;
    this.bias = bias === null ? null : this.registerParameter('b', bias, { trainable: false });
  }

  override get connectivity(): Tensor | null {
    return this.fixed;
  }

  propagate(s: Tensor): Tensor {
    return tf.tidy(() => {
      const b = s.shape[0] as number;
      let y = tf.matMul(tf.reshape(s, [b, this.source.size]), this.w, false, true);
      if (this.bias !== null) y = tf.add(y, this.bias);
      return tf.reshape(y, [b, ...this.target.shape]);
    });
  }

  protected override flat(x: Tensor, pop: Population): Tensor {
    return tf.reshape(x, [x.shape[0] as number, pop.size]);
  }

  protected override normAxes(): number[] {
    return [1];
  }

  override dispose(): void {
    this.fixed?.dispose();
    super.dispose();
  }
}

/** Options of {@link SparseConnection}. */
export interface SparseConnectionOptions extends DenseConnectionOptions {
  /** Fraction of the possible synapses that exist, drawn with `seed` (ignored when `connectivity` is given). Default 0.1. */
  readonly density?: number;
}

/** The keys of {@link SparseConnectionOptions}. */
export const SPARSE_CONNECTION_OPTION_KEYS = keysOf<SparseConnectionOptions>()([
  ...DENSE_CONNECTION_OPTION_KEYS,
  'density',
]);

/**
 * A sparse connection: a dense weight masked by a fixed random connectivity of the given
 * `density` (or an explicit `connectivity`). Absent synapses are 0 and stay 0 under learning.
 * Stored densely: fast for the sizes of a clock-driven simulation on a tensor backend.
 *
 * @throws ValueError when `density` is not in (0, 1], and as {@link Connection}.
 */
export class SparseConnection extends Connection {
  constructor(source: Population, target: Population, options: SparseConnectionOptions = {}) {
    const fn = 'SparseConnection';
    const { density: d, ...dense } = checkOptions(fn, options, SPARSE_CONNECTION_OPTION_KEYS);
    const density = d ?? 0.1;
    if (!(typeof density === 'number' && density > 0 && density <= 1)) {
      throw new ValueError(fn, 'density', 'a number in (0, 1]', density);
    }
    const { seed } = checkDense(fn, source, target, dense);
    const connectivity = dense.connectivity ?? createRng(seed + 7919).bernoulli(density, [target.size, source.size]);
    try {
      super(source, target, { ...dense, connectivity }, fn);
    } finally {
      if (dense.connectivity === undefined) connectivity.dispose();
    }
  }
}

function checkPopulations(fn: string, source: unknown, target: unknown): void {
  for (const [arg, p] of [
    ['source', source],
    ['target', target],
  ] as const) {
    const pop = p as Population | null;
    if (pop === null || typeof pop !== 'object' || !Array.isArray(pop.shape) || typeof pop.size !== 'number') {
      throw new ValueError(fn, arg, 'a Population (Input, NodePopulation, lifNodes(...))', p);
    }
  }
}

function pair(fn: string, arg: string, v: number | readonly [number, number], min: number): [number, number] {
  const p = typeof v === 'number' ? [v, v] : v;
  if (!Array.isArray(p) || p.length !== 2) throw new ValueError(fn, arg, 'a number or a pair', v);
  return [checkInteger(fn, arg, p[0] as number, min), checkInteger(fn, arg, p[1] as number, min)];
}

/** Options of {@link Conv2dConnection}. */
export interface Conv2dConnectionOptions extends ConnectionOptions {
  /** Kernel size. */
  readonly kernelSize: number | readonly [number, number];
  /** Stride. Default 1. */
  readonly stride?: number | readonly [number, number];
  /** Zeros on each side. Default 0. */
  readonly padding?: number | readonly [number, number];
  /** The weight `[O, C, kH, kW]`. Copied. Default random. */
  readonly w?: Tensor;
}

/** The keys of {@link Conv2dConnectionOptions}. */
export const CONV2D_CONNECTION_OPTION_KEYS = keysOf<Conv2dConnectionOptions>()([
  ...CONNECTION_OPTION_KEYS,
  'kernelSize',
  'stride',
  'padding',
  'w',
]);

/** Output size of a convolution along one axis. */
const outSize = (n: number, k: number, s: number, p: number) => Math.floor((n + 2 * p - k) / s) + 1;

/**
 * Convolutional connection (BindsNET's `Conv2dConnection`): source `[C, H, W]`, target
 * `[O, Ho, Wo]`, weight `[O, C, kH, kW]` (NCHW, PyTorch's layout); computed with `@snn/layers`'
 * convolution. A local rule's `ΔW` sums over every position a kernel is applied at
 * (`conv2dCorrelate`). `norm` normalises each output filter.
 *
 * @throws UnknownOptionError for an option name it does not know; ShapeError when the
 *   populations' shapes do not fit the geometry; ValueError for bad options. Nothing is made
 *   before the checks pass.
 * @example
 * ```ts
 * const X = new Input([1, 28, 28]), Y = lifNodes([8, 24, 24]);
 * net.addConnection(new Conv2dConnection(X, Y, { kernelSize: 5, wmin: 0, wmax: 1 }), 'X', 'Y');
 * ```
 */
export class Conv2dConnection extends AbstractConnection {
  readonly kernelSize: [number, number];
  readonly stride: [number, number];
  readonly padding: [number, number];
  protected override correlate: Correlate;

  constructor(source: Population, target: Population, options: Conv2dConnectionOptions) {
    const fn = 'Conv2dConnection';
    checkOptions(fn, options, CONV2D_CONNECTION_OPTION_KEYS);
    checkPopulations(fn, source, target);
    const k = pair(fn, 'kernelSize', options?.kernelSize as number, 1);
    const st = pair(fn, 'stride', options.stride ?? 1, 1);
    const pd = pair(fn, 'padding', options.padding ?? 0, 0);
    if (source.shape.length !== 3) throw new ShapeError(fn, 'source.shape', 'rank 3 ([C, H, W])', source.shape);
    const [c, h, wd] = source.shape as [number, number, number];
    const ho = outSize(h, k[0], st[0], pd[0]);
    const wo = outSize(wd, k[1], st[1], pd[1]);
    const t = target.shape;
    if (t.length !== 3 || t[1] !== ho || t[2] !== wo) {
      throw new ShapeError(fn, 'target.shape', `[O, ${ho}, ${wo}] for this kernel, stride and padding`, t);
    }
    const shape = [t[0] as number, c, k[0], k[1]];
    const { wmin, wmax, seed } = checkConnectionOptions(fn, options);
    if (options.w !== undefined) checkShapeOf(fn, 'w', options.w, shape);
    super(fn, source, target, initialWeight(shape, options.w, wmin, wmax, seed), options);
    this.kernelSize = k;
    this.stride = st;
    this.padding = pd;
    const geometry = {
      kernelSize: k,
      stride: st,
      padding: [
        [pd[0], pd[0]],
        [pd[1], pd[1]],
      ] as const,
    };
    this.correlate = (post, pre) => conv2dCorrelate(post, pre, geometry);
  }

  propagate(s: Tensor): Tensor {
    return tf.tidy(() => {
      const x = tf.transpose(s, [0, 2, 3, 1]);
      const f = tf.transpose(this.w, [2, 3, 1, 0]);
      const pads = [
        [this.padding[0], this.padding[0]],
        [this.padding[1], this.padding[1]],
      ] as const;
      const y = conv2dChannelsLast(x, f, this.stride, pads as unknown as Parameters<typeof conv2dChannelsLast>[3]);
      return tf.transpose(y, [0, 3, 1, 2]);
    });
  }

  protected override flat(x: Tensor): Tensor {
    return x;
  }

  protected override normAxes(): number[] {
    return [1, 2, 3];
  }
}

/** Options of {@link LocalConnection}. */
export interface LocalConnectionOptions extends ConnectionOptions {
  readonly kernelSize: number | readonly [number, number];
  /** Default 1. */
  readonly stride?: number | readonly [number, number];
  /** The weight `[target.size, source.size]` (only the local entries are used). Default random. */
  readonly w?: Tensor;
}

/** The keys of {@link LocalConnectionOptions}. */
export const LOCAL_CONNECTION_OPTION_KEYS = keysOf<LocalConnectionOptions>()([
  ...CONNECTION_OPTION_KEYS,
  'kernelSize',
  'stride',
  'w',
]);

/**
 * Locally connected layer (BindsNET's `LocalConnection`): like a convolution, each output
 * position sees a `kernelSize` patch of every input channel, but every position has its own
 * weights (no sharing). Source `[C, H, W]`, target `[F, Ho, Wo]` (F filters, no padding).
 * Stored as a dense `[target.size, source.size]` weight with a fixed locality connectivity, so
 * learning rules, clipping and masks work as for {@link Connection}.
 *
 * @throws UnknownOptionError for an option name it does not know; ShapeError when the shapes do
 *   not fit; ValueError for bad options. Nothing is made before the checks pass.
 */
export class LocalConnection extends Connection {
  readonly kernelSize: [number, number];
  readonly stride: [number, number];

  constructor(source: Population, target: Population, options: LocalConnectionOptions) {
    const fn = 'LocalConnection';
    const { kernelSize, stride, ...dense } = checkOptions(fn, options, LOCAL_CONNECTION_OPTION_KEYS);
    checkPopulations(fn, source, target);
    const k = pair(fn, 'kernelSize', kernelSize as number, 1);
    const st = pair(fn, 'stride', stride ?? 1, 1);
    if (source.shape.length !== 3) throw new ShapeError(fn, 'source.shape', 'rank 3 ([C, H, W])', source.shape);
    const [c, h, wd] = source.shape as [number, number, number];
    const ho = outSize(h, k[0], st[0], 0);
    const wo = outSize(wd, k[1], st[1], 0);
    const t = target.shape;
    if (t.length !== 3 || t[1] !== ho || t[2] !== wo) {
      throw new ShapeError(fn, 'target.shape', `[F, ${ho}, ${wo}] for this kernel and stride`, t);
    }
    checkDense(fn, source, target, dense);
    const f = t[0] as number;
    const mask = new Float32Array(f * ho * wo * c * h * wd);
    const cols = c * h * wd;
    for (let fi = 0; fi < f; fi++)
      for (let y = 0; y < ho; y++)
        for (let x = 0; x < wo; x++) {
          const row = (fi * ho + y) * wo + x;
          for (let ci = 0; ci < c; ci++)
            for (let i = 0; i < k[0]; i++)
              for (let j = 0; j < k[1]; j++) mask[row * cols + (ci * h + y * st[0] + i) * wd + x * st[1] + j] = 1;
        }
    const connectivity = tf.tensor2d(mask, [f * ho * wo, cols]);
    try {
      super(source, target, { ...dense, connectivity }, fn);
    } finally {
      connectivity.dispose();
    }
    this.kernelSize = k;
    this.stride = st;
  }
}

import { checkOptions, checkPositive, type Module, ShapeError, ValueError } from '@snn/core';
import type { Optimizer, Tensor, Variable } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';
import { type Conv2dGeometry, conv2dCorrelate, denseCorrelate } from './correlate.js';
import { keysOf } from './options.js';

/** A weight-dependence function: applied elementwise to the current weight, returns a new tensor. */
export type WeightFn = (w: Tensor) => Tensor;

/** The identity weight dependence (SpikingJelly's default `lambda x: x`): updates ∝ w. */
export const identityWeight: WeightFn = (w) => tf.clone(w);

/** Parameters of trace STDP (SpikingJelly's `STDPLearner`). */
export interface TraceSTDPParams {
  /** Time constant of the presynaptic trace, in steps, > 0. */
  readonly tauPre: number;
  /** Time constant of the postsynaptic trace, in steps, > 0. */
  readonly tauPost: number;
  /** Weight dependence of depression. Default identity. */
  readonly fPre?: WeightFn;
  /** Weight dependence of potentiation. Default identity. */
  readonly fPost?: WeightFn;
}

/** The keys of {@link TraceSTDPParams}. */
export const TRACE_STDP_PARAM_KEYS = keysOf<TraceSTDPParams>()(['tauPre', 'tauPost', 'fPre', 'fPost']);

/**
 * Checks trace-STDP parameters: a plain object with only the `known` names, τs finite and > 0,
 * `fPre`/`fPost` functions when given. Returns them.
 * @throws ValueError, UnknownOptionError.
 */
export function checkTraceParams<P extends TraceSTDPParams>(
  fn: string,
  arg: string,
  p: P,
  known: readonly string[] = TRACE_STDP_PARAM_KEYS,
): P {
  if (p === null || typeof p !== 'object' || Array.isArray(p)) {
    throw new ValueError(fn, arg, '{ tauPre, tauPost, fPre?, fPost? }', p);
  }
  checkOptions(fn, p, known);
  checkPositive(fn, 'tauPre', p.tauPre);
  checkPositive(fn, 'tauPost', p.tauPost);
  for (const f of ['fPre', 'fPost'] as const) {
    if (p[f] !== undefined && typeof p[f] !== 'function') throw new ValueError(fn, f, 'a function (w) => tensor', p[f]);
  }
  return p;
}

/** Traces of trace STDP: `[B, pre]` and `[B, post]` (or scalars 0 before the first step). */
export type TraceSTDPState = {
  readonly trPre: Tensor;
  readonly trPost: Tensor;
};

/**
 * How a synapse's activity is correlated into its weight's layout: `[B, post] × [B, pre] → [post,
 * pre]` for a dense weight, or a convolution's geometry (see {@link conv2dCorrelate}).
 */
export type Correlate = (post: Tensor, pre: Tensor) => Tensor;

/** SpikingJelly's trace: `tr' = tr − tr/τ + s` (the trace includes this step's spike). Pure. */
export function stdpTrace(tr: Tensor, s: Tensor, tau: number): Tensor {
  return tf.tidy(() => tf.add(tf.sub(tr, tf.div(tr, tau)), s));
}

/**
 * One step of trace STDP (SpikingJelly's `stdp_linear_single_step`):
 *
 * `tr_pre ← tr_pre − tr_pre/τ_pre + s_pre`, `tr_post ← tr_post − tr_post/τ_post + s_post`,
 * `ΔW = f_post(W) ⊙ Σ_b s_post ⊗ tr_pre − f_pre(W) ⊙ Σ_b tr_post ⊗ s_pre`.
 *
 * Simultaneous pre- and postsynaptic spikes give both terms. Pure: reads `s`, never disposes it.
 *
 * @param w - The weight `[post, pre]` (or a convolution's, with `correlate`).
 * @param sPre - Presynaptic spikes `[B, pre]` (`[B, C, H, W]` for a convolution).
 * @param sPost - Postsynaptic spikes `[B, post]`.
 * @param correlate - Default {@link denseCorrelate}.
 * @returns `deltaW` in the weight's layout and the new traces; the caller owns them.
 * @example
 * ```ts
 * let s = { trPre: tf.scalar(0), trPost: tf.scalar(0) };
 * const { deltaW, state } = traceSTDPStep(w, sPre, sPost, s, { tauPre: 2, tauPost: 2 });
 * ```
 */
export function traceSTDPStep(
  w: Tensor,
  sPre: Tensor,
  sPost: Tensor,
  s: TraceSTDPState,
  p: TraceSTDPParams,
  correlate: Correlate = denseCorrelate,
): { deltaW: Tensor; state: TraceSTDPState } {
  checkTraceParams('traceSTDPStep', 'p', p);
  return tf.tidy(() => {
    const trPre = stdpTrace(s.trPre, sPre, p.tauPre);
    const trPost = stdpTrace(s.trPost, sPost, p.tauPost);
    const fPost = (p.fPost ?? identityWeight)(w);
    const fPre = (p.fPre ?? identityWeight)(w);
    const deltaW = tf.sub(tf.mul(fPost, correlate(sPost, trPre)), tf.mul(fPre, correlate(trPost, sPre)));
    return { deltaW, state: { trPre, trPost } };
  });
}

/**
 * Trace STDP over a sequence: {@link traceSTDPStep} for each t of `sPreSeq` `[T, B, pre]` and
 * `sPostSeq` `[T, B, post]`, with `ΔW` summed over the steps (SpikingJelly's multi-step
 * semantics). Pure.
 * @throws ShapeError when the sequences differ in T; ValueError or UnknownOptionError for bad `p`.
 */
export function traceSTDPMultiStep(
  w: Tensor,
  sPreSeq: Tensor,
  sPostSeq: Tensor,
  s: TraceSTDPState,
  p: TraceSTDPParams,
  correlate: Correlate = denseCorrelate,
): { deltaW: Tensor; state: TraceSTDPState } {
  checkTraceParams('traceSTDPMultiStep', 'p', p);
  const T = sPreSeq.shape[0] as number;
  if (sPostSeq.shape[0] !== T) {
    throw new ShapeError('traceSTDPMultiStep', 'sPostSeq', `T = ${T} steps, as sPreSeq`, sPostSeq.shape);
  }
  return tf.tidy(() => {
    let state = s;
    let deltaW: Tensor = tf.zerosLike(w);
    for (let t = 0; t < T; t++) {
      const step = traceSTDPStep(w, unstackAt(sPreSeq, t), unstackAt(sPostSeq, t), state, p, correlate);
      deltaW = tf.add(deltaW, step.deltaW);
      state = step.state;
    }
    return { deltaW, state };
  });
}

/** Step t of a `[T, ...]` sequence, as `[...]`. */
export function unstackAt(seq: Tensor, t: number): Tensor {
  const [, ...rest] = seq.shape;
  return tf.reshape(
    tf.slice(
      seq,
      seq.shape.map((_, i) => (i === 0 ? t : 0)),
      [1, ...rest],
    ),
    rest,
  );
}

/** The synapse a SpikingJelly-style learner is attached to: its weight and how to correlate activity into it. */
export interface SynapseAccess {
  readonly weight: Variable;
  readonly correlate: Correlate;
  /** Rank of one step's presynaptic input (with the batch axis): 2 for dense, 4 for a 2-D convolution. */
  readonly stepRank: number;
}

/**
 * Finds the `weight` of a `Linear` (`[out, in]`) or `Conv2d` (`[O, C, kH, kW]`, NCHW, no dilation)
 * module, duck-typed so that learning does not depend on @snn/layers.
 * @throws ValueError for another kind of module.
 */
export function synapseAccess(fn: string, synapse: Module): SynapseAccess {
  const own = synapse?.namedParameters?.().find(([n]) => n === 'weight');
  const weight = own?.[1];
  if (weight === undefined || (weight.rank !== 2 && weight.rank !== 4)) {
    throw new ValueError(fn, 'synapse', "a Linear or Conv2d module (a 'weight' parameter of rank 2 or 4)", synapse);
  }
  if (weight.rank === 2) return { weight, correlate: denseCorrelate, stepRank: 2 };
  const conv = synapse as unknown as {
    kernelSize?: readonly [number, number];
    stride?: readonly [number, number];
    padding?: Conv2dGeometry['padding'];
    dilation?: readonly [number, number];
    dataFormat?: string;
  };
  if (conv.kernelSize === undefined || (conv.dataFormat !== undefined && conv.dataFormat !== 'NCHW')) {
    throw new ValueError(fn, 'synapse', 'a Conv2d in NCHW layout', synapse);
  }
  if (conv.dilation !== undefined && (conv.dilation[0] !== 1 || conv.dilation[1] !== 1)) {
    throw new ValueError(
      fn,
      'synapse.dilation',
      '[1, 1] (STDP on dilated convolutions is not supported)',
      conv.dilation,
    );
  }
  const g: Conv2dGeometry = { kernelSize: conv.kernelSize, stride: conv.stride, padding: conv.padding };
  return { weight, correlate: (post, pre) => conv2dCorrelate(post, pre, g), stepRank: 4 };
}

/** Options of {@link STDPLearner}. */
export interface STDPLearnerOptions extends TraceSTDPParams {
  /** The synapse whose weight learns: a `Linear` or a `Conv2d` (NCHW). Its input is `s_pre`. */
  readonly synapse: Module;
  /** The neuron node after it; its output spikes are `s_post`. */
  readonly node: Module;
}

/** The keys of {@link STDPLearnerOptions}. */
export const STDP_LEARNER_OPTION_KEYS = keysOf<STDPLearnerOptions>()([...TRACE_STDP_PARAM_KEYS, 'synapse', 'node']);

/**
 * Trace STDP attached to a synapse and the node after it (SpikingJelly's `STDPLearner`): forward
 * hooks record the synapse's input and the node's output at every forward (single-step
 * `[B, ...]` or multi-step `[T, B, ...]`); {@link STDPLearner.step} processes the records in
 * order with {@link traceSTDPStep} and returns the summed `ΔW`. Apply it with
 * {@link STDPLearner.apply} (`W ← W + lr·ΔW`) or an optimizer with
 * {@link STDPLearner.applyWithOptimizer} (gradient `−ΔW`, SpikingJelly's `on_grad=True`). No
 * gradient tape is involved. Traces persist across `step()` calls until {@link STDPLearner.reset}.
 *
 * @throws UnknownOptionError for an option name it does not know; ValueError for a synapse
 *   without a rank-2 or rank-4 `weight`, or a τ that is not > 0.
 * @example
 * ```ts
 * const fc = new Linear(8, 4, { bias: false }), sn = new IFNode();
 * const learner = new STDPLearner({ synapse: fc, node: sn, tauPre: 2, tauPost: 2,
 *   fPre: (w) => tf.clipByValue(w, -1, 1), fPost: (w) => tf.clipByValue(w, -1, 1) });
 * tf.dispose(sn.forward(fc.forward(x)));
 * learner.apply(0.01);   // W += 0.01 · ΔW
 * ```
 */
export class STDPLearner {
  readonly tauPre: number;
  readonly tauPost: number;
  /** The weight that learns (owned by the synapse). */
  readonly weight: Variable;
  protected readonly params: TraceSTDPParams;
  protected readonly access: SynapseAccess;
  protected readonly preRecords: Tensor[] = [];
  protected readonly postRecords: Tensor[] = [];
  private trPre: Tensor;
  private trPost: Tensor;
  private readonly detach: (() => void)[];
  /** While false, the hooks record nothing (SpikingJelly's `disable()`). */
  enabled = true;

  /** @param fn - The name in errors. */
  constructor(options: STDPLearnerOptions, fn = 'STDPLearner') {
    checkTraceParams(fn, 'options', options, STDP_LEARNER_OPTION_KEYS);
    this.access = synapseAccess(fn, options.synapse);
    if (options.node === null || typeof options.node?.onForward !== 'function') {
      throw new ValueError(fn, 'node', 'a Module (the neuron node after the synapse)', options.node);
    }
    this.tauPre = options.tauPre;
    this.tauPost = options.tauPost;
    this.params = { tauPre: this.tauPre, tauPost: this.tauPost, fPre: options.fPre, fPost: options.fPost };
    this.weight = this.access.weight;
    // Created only once every option has passed.
    this.trPre = tf.keep(tf.scalar(0));
    this.trPost = tf.keep(tf.scalar(0));
    this.detach = [
      options.synapse.onForward((_m, x) => {
        if (this.enabled) this.preRecords.push(tf.keep(tf.clone(x)));
      }),
      options.node.onForward((_m, _x, y) => {
        if (this.enabled) this.postRecords.push(tf.keep(tf.clone(y)));
      }),
    ];
  }

  /** The presynaptic trace now (owned by the learner). */
  get tracePre(): Tensor {
    return this.trPre;
  }

  /** The postsynaptic trace now (owned by the learner). */
  get tracePost(): Tensor {
    return this.trPost;
  }

  /** Records waiting for {@link STDPLearner.step}. */
  get pending(): number {
    return Math.min(this.preRecords.length, this.postRecords.length);
  }

  /**
   * Processes every pending record in order and returns the summed `ΔW` (the caller owns it);
   * the weight is not changed.
   * @throws ShapeError when a record pair does not fit the weight.
   */
  step(): Tensor {
    const n = this.pending;
    const pre = this.preRecords.splice(0, n);
    const post = this.postRecords.splice(0, n);
    try {
      return tf.tidy(() => {
        let deltaW: Tensor = tf.zerosLike(this.weight);
        let state: TraceSTDPState = { trPre: this.trPre, trPost: this.trPost };
        for (let k = 0; k < n; k++) {
          const sPre = pre[k] as Tensor;
          const sPost = post[k] as Tensor;
          const multi = sPre.rank > this.access.stepRank;
          const r = multi
            ? traceSTDPMultiStep(this.weight, sPre, sPost, state, this.params, this.access.correlate)
            : traceSTDPStep(this.weight, sPre, sPost, state, this.params, this.access.correlate);
          deltaW = tf.add(deltaW, r.deltaW);
          state = r.state;
        }
        this.setTraces(state);
        return deltaW;
      });
    } finally {
      tf.dispose([...pre, ...post]);
    }
  }

  /** `W ← W + lr·ΔW` with the `ΔW` of {@link STDPLearner.step}. No optimizer, no tape. */
  apply(lr = 1): void {
    const deltaW = this.step();
    tf.tidy(() => this.weight.assign(tf.add(this.weight, tf.mul(deltaW, lr))));
    deltaW.dispose();
  }

  /** Applies the optimizer with the gradient `−ΔW` for the weight (SpikingJelly's `step(on_grad=True)` + `optimizer.step()`). */
  applyWithOptimizer(optimizer: Optimizer): void {
    const deltaW = this.step();
    tf.tidy(() => optimizer.applyGradients({ [this.weight.name]: tf.neg(deltaW) }));
    deltaW.dispose();
  }

  /** Clears the traces and drops pending records. */
  reset(): void {
    tf.dispose([...this.preRecords.splice(0), ...this.postRecords.splice(0)]);
    this.setTraces({ trPre: tf.scalar(0), trPost: tf.scalar(0) });
  }

  /** Removes the hooks and frees the learner's tensors (not the weight). */
  dispose(): void {
    for (const d of this.detach) d();
    tf.dispose([...this.preRecords.splice(0), ...this.postRecords.splice(0), this.trPre, this.trPost]);
  }

  private setTraces(s: TraceSTDPState): void {
    const old = [this.trPre, this.trPost];
    this.trPre = tf.keep(s.trPre);
    this.trPost = tf.keep(s.trPost);
    for (const t of old) if (t !== this.trPre && t !== this.trPost) t.dispose();
  }
}

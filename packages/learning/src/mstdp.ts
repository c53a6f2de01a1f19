import { checkPositive, type Module, ShapeError, ValueError } from '@snn/core';
import type { Tensor, Variable } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';
import { keysOf } from './options.js';
import {
  checkTraceParams,
  identityWeight,
  type SynapseAccess,
  synapseAccess,
  TRACE_STDP_PARAM_KEYS,
  type TraceSTDPParams,
} from './stdp.js';

/** The exponential trace of reward-modulated STDP: `tr' = tr·exp(−1/τ) + s`. Pure. */
export function rewardTrace(tr: Tensor, s: Tensor, tau: number): Tensor {
  return tf.tidy(() => tf.add(tf.mul(tr, Math.exp(-1 / tau)), s));
}

/**
 * Eligibility per batch element (Florian 2007, SpikingJelly's `MSTDPLearner`):
 * `E[b, o, i] = f_post(W)[o, i]·tr_pre[b, i]·s_post[b, o] − f_pre(W)[o, i]·tr_post[b, o]·s_pre[b, i]`.
 * Pure; `[B, post, pre]`.
 */
export function mstdpEligibility(
  w: Tensor,
  sPre: Tensor,
  sPost: Tensor,
  trPre: Tensor,
  trPost: Tensor,
  p: TraceSTDPParams,
): Tensor {
  return tf.tidy(() => {
    const potentiation = tf.mul(tf.expandDims(sPost, 2), tf.expandDims(trPre, 1));
    const depression = tf.mul(tf.expandDims(trPost, 2), tf.expandDims(sPre, 1));
    const fPost = (p.fPost ?? identityWeight)(w);
    const fPre = (p.fPre ?? identityWeight)(w);
    return tf.sub(tf.mul(fPost, potentiation), tf.mul(fPre, depression));
  });
}

/** State of {@link mstdpStep}: traces `[B, pre]`, `[B, post]` and the eligibility `[B, post, pre]` (scalars 0 at first). */
export type MSTDPState = {
  readonly trPre: Tensor;
  readonly trPost: Tensor;
  readonly eligibility: Tensor;
};

/**
 * One step of reward-modulated STDP (MSTDP; SpikingJelly's `MSTDPLearner`): first
 * `ΔW = Σ_b r[b]·E_prev[b]` with the eligibility of the previous step, then the traces
 * `tr ← tr·exp(−1/τ) + s` and `E` from this step's spikes. Pure.
 *
 * @param reward - `[B]`, or a number for every sample.
 * @returns `ΔW` `[post, pre]` and the new state; the caller owns them.
 * @throws ValueError or UnknownOptionError for bad parameters `p`.
 */
export function mstdpStep(
  w: Tensor,
  sPre: Tensor,
  sPost: Tensor,
  reward: Tensor | number,
  s: MSTDPState,
  p: TraceSTDPParams,
): { deltaW: Tensor; state: MSTDPState } {
  checkTraceParams('mstdpStep', 'p', p);
  return stepMSTDP(w, sPre, sPost, reward, s, p);
}

/** {@link mstdpStep} without the parameter check (its callers checked them). */
function stepMSTDP(
  w: Tensor,
  sPre: Tensor,
  sPost: Tensor,
  reward: Tensor | number,
  s: MSTDPState,
  p: TraceSTDPParams,
): { deltaW: Tensor; state: MSTDPState } {
  return tf.tidy(() => {
    const deltaW =
      s.eligibility.rank === 0
        ? tf.zerosLike(w)
        : tf.sum(tf.mul(s.eligibility, typeof reward === 'number' ? reward : tf.reshape(reward, [-1, 1, 1])), 0);
    const trPre = rewardTrace(s.trPre, sPre, p.tauPre);
    const trPost = rewardTrace(s.trPost, sPost, p.tauPost);
    const eligibility = mstdpEligibility(w, sPre, sPost, trPre, trPost, p);
    return { deltaW, state: { trPre, trPost, eligibility } };
  });
}

/** State of {@link mstdpetStep}: that of MSTDP plus the eligibility trace `[post, pre]`. */
export type MSTDPETState = MSTDPState & {
  readonly traceE: Tensor;
};

/** Parameters of {@link mstdpetStep}: those of trace STDP and the eligibility trace's time constant. */
export interface MSTDPETParams extends TraceSTDPParams {
  /** Time constant of the eligibility trace, in steps, > 0. */
  readonly tauTrace: number;
}

/** The keys of {@link MSTDPETParams}. */
export const MSTDPET_PARAM_KEYS = keysOf<MSTDPETParams>()([...TRACE_STDP_PARAM_KEYS, 'tauTrace']);

/**
 * One step of MSTDP with an eligibility trace (MSTDPET; SpikingJelly's `MSTDPETLearner`):
 * `e ← e·exp(−1/τ_e) + Σ_b E_prev[b]/τ_e`, `ΔW = r·e`, then traces and `E` from this step's spikes
 * (the same one-step lag as {@link mstdpStep}). Pure.
 *
 * @param reward - A number or a scalar tensor.
 * @throws ValueError or UnknownOptionError for bad parameters `p`.
 */
export function mstdpetStep(
  w: Tensor,
  sPre: Tensor,
  sPost: Tensor,
  reward: Tensor | number,
  s: MSTDPETState,
  p: MSTDPETParams,
): { deltaW: Tensor; state: MSTDPETState } {
  checkTraceParams('mstdpetStep', 'p', p, MSTDPET_PARAM_KEYS);
  checkPositive('mstdpetStep', 'tauTrace', p.tauTrace);
  return tf.tidy(() => {
    const prevE = s.eligibility.rank === 0 ? tf.zerosLike(w) : tf.sum(s.eligibility, 0);
    const traceE = tf.add(tf.mul(s.traceE, Math.exp(-1 / p.tauTrace)), tf.div(prevE, p.tauTrace));
    const deltaW = tf.mul(traceE, reward);
    const next = stepMSTDP(w, sPre, sPost, 0, s, p).state;
    return { deltaW, state: { ...next, traceE } };
  });
}

/** Options of {@link MSTDPLearner}. */
export interface MSTDPLearnerOptions extends TraceSTDPParams {
  /** A `Linear` (weight `[out, in]`); its input is `s_pre`. */
  readonly synapse: Module;
  /** The node after it; its output is `s_post`. */
  readonly node: Module;
}

/** The keys of {@link MSTDPLearnerOptions}. */
export const MSTDP_LEARNER_OPTION_KEYS = keysOf<MSTDPLearnerOptions>()([...TRACE_STDP_PARAM_KEYS, 'synapse', 'node']);

const as2d = (x: Tensor): Tensor => (x.rank === 1 ? tf.expandDims(x, 0) : x);

/**
 * Reward-modulated STDP attached to a `Linear` and the node after it (SpikingJelly's
 * `MSTDPLearner`; single-step only). Forward hooks record each step's spikes;
 * `step(reward)` processes them in order with {@link mstdpStep} and returns the summed `ΔW`.
 * Unbatched spikes (`[N]`) count as a batch of one.
 *
 * @throws UnknownOptionError for an option name it does not know; ValueError for a synapse
 *   without a rank-2 `weight`, or a τ that is not > 0.
 * @example
 * ```ts
 * const learner = new MSTDPLearner({ synapse: fc, node: sn, tauPre: 2, tauPost: 2 });
 * tf.dispose(sn.forward(fc.forward(x)));
 * const dw = learner.step(tf.tensor1d([1, -1]));  // reward per sample
 * ```
 */
export class MSTDPLearner {
  readonly tauPre: number;
  readonly tauPost: number;
  readonly weight: Variable;
  protected readonly params: TraceSTDPParams;
  protected readonly preRecords: Tensor[] = [];
  protected readonly postRecords: Tensor[] = [];
  protected state: MSTDPETState;
  private readonly detach: (() => void)[];
  /** While false, the hooks record nothing. */
  enabled = true;

  /**
   * @param fn - The name in errors (that of the subclass).
   * @param known - The option names the subclass takes.
   */
  constructor(
    options: MSTDPLearnerOptions,
    protected readonly fn = 'MSTDPLearner',
    known: readonly string[] = MSTDP_LEARNER_OPTION_KEYS,
  ) {
    checkTraceParams(fn, 'options', options, known);
    const access: SynapseAccess = synapseAccess(fn, options.synapse);
    if (access.stepRank !== 2)
      throw new ValueError(fn, 'synapse', 'a Linear (reward-modulated STDP is dense only)', options.synapse);
    if (options.node === null || typeof options.node?.onForward !== 'function') {
      throw new ValueError(fn, 'node', 'a Module (the neuron node after the synapse)', options.node);
    }
    this.tauPre = options.tauPre;
    this.tauPost = options.tauPost;
    this.params = { tauPre: this.tauPre, tauPost: this.tauPost, fPre: options.fPre, fPost: options.fPost };
    this.weight = access.weight;
    // Created only once every option has passed.
    this.state = {
      trPre: tf.keep(tf.scalar(0)),
      trPost: tf.keep(tf.scalar(0)),
      eligibility: tf.keep(tf.scalar(0)),
      traceE: tf.keep(tf.scalar(0)),
    };
    this.detach = [
      options.synapse.onForward((_m, x) => {
        if (this.enabled) this.preRecords.push(tf.keep(tf.clone(x)));
      }),
      options.node.onForward((_m, _x, y) => {
        if (this.enabled) this.postRecords.push(tf.keep(tf.clone(y)));
      }),
    ];
  }

  /** The eligibility `[B, post, pre]` after the last processed step (owned by the learner). */
  get eligibility(): Tensor {
    return this.state.eligibility;
  }

  /**
   * Processes the pending records in order, each with `reward`, and returns the summed `ΔW`
   * (the caller owns it); the weight is not changed.
   * @param reward - `[B]` or a number.
   * @throws ShapeError for a multi-step record (`[T, B, N]`) or a reward of the wrong shape.
   */
  step(reward: Tensor | number): Tensor {
    return this.process((w, sPre, sPost, s) => mstdpStep(w, sPre, sPost, reward, s, this.params), reward);
  }

  /** `W ← W + lr·ΔW` with the `ΔW` of `step(reward)`. */
  apply(reward: Tensor | number, lr = 1): void {
    const deltaW = this.step(reward);
    tf.tidy(() => this.weight.assign(tf.add(this.weight, tf.mul(deltaW, lr))));
    deltaW.dispose();
  }

  /** Clears the traces (and, unlike SpikingJelly, the eligibility) and drops pending records. */
  reset(): void {
    tf.dispose([...this.preRecords.splice(0), ...this.postRecords.splice(0)]);
    this.replaceState({ trPre: tf.scalar(0), trPost: tf.scalar(0), eligibility: tf.scalar(0), traceE: tf.scalar(0) });
  }

  /** Removes the hooks and frees the learner's tensors (not the weight). */
  dispose(): void {
    for (const d of this.detach) d();
    tf.dispose([...this.preRecords.splice(0), ...this.postRecords.splice(0), ...Object.values(this.state)]);
  }

  protected process(
    one: (w: Tensor, sPre: Tensor, sPost: Tensor, s: MSTDPETState) => { deltaW: Tensor; state: MSTDPState },
    reward: Tensor | number,
  ): Tensor {
    const n = Math.min(this.preRecords.length, this.postRecords.length);
    const pre = this.preRecords.splice(0, n);
    const post = this.postRecords.splice(0, n);
    try {
      for (const x of pre) {
        if (x.rank > 2)
          throw new ShapeError(`${this.fn}.step`, 's_pre', "single-step records, [B, N] (step mode 's')", x.shape);
      }
      if (
        typeof reward !== 'number' &&
        reward.size !== 1 &&
        reward.size !== ((pre[0]?.rank ?? 2) === 1 ? 1 : (pre[0]?.shape[0] ?? 1))
      ) {
        throw new ShapeError(`${this.fn}.step`, 'reward', 'one value per sample ([B]) or a scalar', reward.shape);
      }
      return tf.tidy(() => {
        let deltaW: Tensor = tf.zerosLike(this.weight);
        let state = this.state;
        for (let k = 0; k < n; k++) {
          const r = one(this.weight, as2d(pre[k] as Tensor), as2d(post[k] as Tensor), state);
          deltaW = tf.add(deltaW, r.deltaW);
          state = { ...state, ...r.state };
        }
        this.replaceState(state);
        return deltaW;
      });
    } finally {
      tf.dispose([...pre, ...post]);
    }
  }

  private replaceState(s: MSTDPETState): void {
    const old = Object.values(this.state);
    this.state = {
      trPre: tf.keep(s.trPre),
      trPost: tf.keep(s.trPost),
      eligibility: tf.keep(s.eligibility),
      traceE: tf.keep(s.traceE),
    };
    const now = new Set(Object.values(this.state));
    for (const t of old) if (!now.has(t)) t.dispose();
  }
}

/** Options of {@link MSTDPETLearner}. */
export interface MSTDPETLearnerOptions extends MSTDPLearnerOptions {
  /** Time constant of the eligibility trace, in steps, > 0. */
  readonly tauTrace: number;
}

/** The keys of {@link MSTDPETLearnerOptions}. */
export const MSTDPET_LEARNER_OPTION_KEYS = keysOf<MSTDPETLearnerOptions>()([...MSTDP_LEARNER_OPTION_KEYS, 'tauTrace']);

/**
 * MSTDP with an eligibility trace, attached to a `Linear` and its node (SpikingJelly's
 * `MSTDPETLearner`, single-step): `step(reward)` applies {@link mstdpetStep} to each pending
 * record with a scalar reward. Batched spikes sum their eligibilities.
 *
 * @throws UnknownOptionError, ValueError as {@link MSTDPLearner}, or when `tauTrace` is not > 0.
 * @example
 * ```ts
 * const learner = new MSTDPETLearner({ synapse: fc, node: sn, tauPre: 2, tauPost: 2, tauTrace: 4 });
 * tf.dispose(sn.forward(fc.forward(x)));   // x: [8] or [B, 8]
 * learner.apply(1.0, 0.01);                // reward 1, lr 0.01
 * ```
 */
export class MSTDPETLearner extends MSTDPLearner {
  readonly tauTrace: number;

  constructor(options: MSTDPETLearnerOptions) {
    // Checked before the base class hooks the synapse and node and creates its state.
    const fn = 'MSTDPETLearner';
    const tauTrace = checkPositive(
      fn,
      'tauTrace',
      checkTraceParams(fn, 'options', options, MSTDPET_LEARNER_OPTION_KEYS).tauTrace,
    );
    super(options, fn, MSTDPET_LEARNER_OPTION_KEYS);
    this.tauTrace = tauTrace;
  }

  /** The eligibility trace `[post, pre]` now (owned by the learner). */
  get traceE(): Tensor {
    return this.state.traceE;
  }

  /**
   * Processes the pending records with a scalar reward; returns the summed `ΔW`.
   * @throws ShapeError when `reward` is a tensor with more than one value.
   */
  override step(reward: Tensor | number): Tensor {
    if (typeof reward !== 'number' && reward.size !== 1) {
      throw new ShapeError('MSTDPETLearner.step', 'reward', 'a scalar', reward.shape);
    }
    const p = { ...this.params, tauTrace: this.tauTrace };
    return this.process((w, sPre, sPost, s) => mstdpetStep(w, sPre, sPost, reward, s, p), reward);
  }
}

import { checkFinite, checkOptions, checkPositive, Module, ValueError } from '@snn/core';
import type { Tensor } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';
import { keysOf } from './options.js';
import type { Correlate } from './stdp.js';

/**
 * What a connection gives its local rule at each step (BindsNET's `LearningRule.update`
 * arguments). Spikes and traces are flattened per sample: `[B, pre]` and `[B, post]` for a dense
 * connection, `[B, C, H, W]` maps for a convolution; `correlate` turns a post and a pre tensor
 * into the weight's layout, summed over the batch (see `denseCorrelate`, `conv2dCorrelate`).
 */
export interface SynapticActivity {
  /** The current weight (owned by the connection). */
  readonly w: Tensor;
  readonly preSpike: Tensor;
  readonly postSpike: Tensor;
  /** Presynaptic trace (the source population's `x`). */
  readonly preTrace: Tensor;
  /** Postsynaptic trace (the target population's `x`). */
  readonly postTrace: Tensor;
  readonly correlate: Correlate;
  /** This step's reward: a number, a scalar tensor or one value per sample `[B]`. Default 0. */
  readonly reward?: Tensor | number;
  /** Time step, ms. */
  readonly dt: number;
  /** Weight bounds of the connection (±Infinity when unbounded). */
  readonly wmin: number;
  readonly wmax: number;
}

/**
 * A local learning rule for a network connection (BindsNET's `LearningRule`): `deltaW` returns
 * this step's weight change in the weight's layout from pre- and postsynaptic spikes and traces
 * (and a reward); the connection adds it, clips to `[wmin, wmax]` and applies its mask. Rules
 * that keep state (eligibilities) hold it as module memories, so `reset()` clears it. No
 * gradient tape is used.
 */
export abstract class LocalRule extends Module {
  /** Whether the rule reads `reward` (reward-modulated rules). */
  readonly rewardModulated: boolean = false;

  /** This step's `ΔW`; the caller owns it. Pure apart from the rule's own state. */
  abstract deltaW(a: SynapticActivity): Tensor;

  /**
   * Called when the rule is attached to a connection; throws when the rule cannot work there
   * (e.g. weight-dependent bounds that are infinite).
   */
  checkConnection(_fn: string, _wmin: number, _wmax: number): void {}
}

/** `nu` as BindsNET takes it: one number for both terms, or `[pre, post]`. */
export type Nu = number | readonly [number, number];

function resolveNu(fn: string, nu: Nu | undefined, fallback: readonly [number, number]): [number, number] {
  if (nu === undefined) return [fallback[0], fallback[1]];
  if (typeof nu === 'number') return [checkFinite(fn, 'nu', nu), checkFinite(fn, 'nu', nu)];
  if (!Array.isArray(nu) || nu.length !== 2) throw new ValueError(fn, 'nu', 'a number or [pre, post]', nu);
  return [checkFinite(fn, 'nu[0]', nu[0] as number), checkFinite(fn, 'nu[1]', nu[1] as number)];
}

/** Options of {@link PostPre}, {@link WeightDependentPostPre} and {@link Hebbian}. */
export interface PostPreOptions {
  /** Learning rates `[pre, post]`: depression on a presynaptic spike, potentiation on a postsynaptic one. Default `[1e-4, 1e-2]`. */
  readonly nu?: Nu;
}

/** The keys of {@link PostPreOptions}. */
export const POST_PRE_OPTION_KEYS = keysOf<PostPreOptions>()(['nu']);

/**
 * BindsNET's `PostPre` (additive trace STDP): on a presynaptic spike the weight falls by
 * `nu_pre · x_post`, on a postsynaptic spike it rises by `nu_post · x_pre`:
 *
 * `ΔW = −nu_pre · Σ_b x_post ⊗ s_pre + nu_post · Σ_b s_post ⊗ x_pre` (layout `[post, pre]`),
 *
 * with the populations' traces `x` (see the network's `traces` option). The connection then
 * clips to `[wmin, wmax]`.
 *
 * @throws UnknownOptionError for an option name it does not know; ValueError when `nu` is not a
 *   finite number or pair.
 * @example
 * ```ts
 * net.addConnection(new Connection({ source: 100, target: 10, rule: new PostPre({ nu: [1e-4, 1e-2] }), wmin: 0, wmax: 1 }), 'X', 'Y');
 * ```
 */
export class PostPre extends LocalRule {
  readonly nu: readonly [number, number];

  /** @param fn - The name in errors (that of the subclass). */
  constructor(options: PostPreOptions = {}, fn = 'PostPre') {
    checkOptions(fn, options, POST_PRE_OPTION_KEYS);
    super();
    this.nu = resolveNu(fn, options.nu, [1e-4, 1e-2]);
  }

  override deltaW(a: SynapticActivity): Tensor {
    return tf.tidy(() =>
      tf.sub(
        tf.mul(a.correlate(a.postSpike, a.preTrace), this.nu[1]),
        tf.mul(a.correlate(a.postTrace, a.preSpike), this.nu[0]),
      ),
    );
  }
}

/**
 * BindsNET's `WeightDependentPostPre` (soft bounds): the PostPre terms scaled by the distance to
 * the bounds,
 *
 * `ΔW = −nu_pre · (Σ_b x_post ⊗ s_pre) ⊙ (W − wmin) + nu_post · (Σ_b s_post ⊗ x_pre) ⊙ (wmax − W)`.
 *
 * @throws ValueError when `nu` is bad, or (when attached) the connection's `wmin`/`wmax` are not finite.
 */
export class WeightDependentPostPre extends PostPre {
  constructor(options: PostPreOptions = {}) {
    super(options, 'WeightDependentPostPre');
  }

  override checkConnection(fn: string, wmin: number, wmax: number): void {
    if (!Number.isFinite(wmin) || !Number.isFinite(wmax)) {
      throw new ValueError(fn, 'wmin/wmax', 'finite bounds for WeightDependentPostPre', [wmin, wmax]);
    }
  }

  override deltaW(a: SynapticActivity): Tensor {
    return tf.tidy(() =>
      tf.sub(
        tf.mul(tf.mul(a.correlate(a.postSpike, a.preTrace), tf.sub(a.wmax, a.w)), this.nu[1]),
        tf.mul(tf.mul(a.correlate(a.postTrace, a.preSpike), tf.sub(a.w, a.wmin)), this.nu[0]),
      ),
    );
  }
}

/**
 * BindsNET's `Hebbian`: both pairings potentiate,
 * `ΔW = nu_pre · Σ_b x_post ⊗ s_pre + nu_post · Σ_b s_post ⊗ x_pre`.
 * @throws ValueError when `nu` is bad.
 */
export class Hebbian extends PostPre {
  constructor(options: PostPreOptions = {}) {
    super(options, 'Hebbian');
  }

  override deltaW(a: SynapticActivity): Tensor {
    return tf.tidy(() =>
      tf.add(
        tf.mul(a.correlate(a.postSpike, a.preTrace), this.nu[1]),
        tf.mul(a.correlate(a.postTrace, a.preSpike), this.nu[0]),
      ),
    );
  }
}

/** Options of {@link MSTDP}. */
export interface MSTDPOptions {
  /** Learning rate. Default 1. */
  readonly nu?: number;
  /** Time constant of the presynaptic trace P⁺, ms. Default 20. */
  readonly tcPlus?: number;
  /** Time constant of the postsynaptic trace P⁻, ms. Default 20. */
  readonly tcMinus?: number;
  /** Added to P⁺ per presynaptic spike. Default 1. */
  readonly aPlus?: number;
  /** Added to P⁻ per postsynaptic spike. Default −1. */
  readonly aMinus?: number;
}

/** The keys of {@link MSTDPOptions}. */
export const MSTDP_OPTION_KEYS = keysOf<MSTDPOptions>()(['nu', 'tcPlus', 'tcMinus', 'aPlus', 'aMinus']);

/**
 * Reward-modulated STDP (Florian 2007; BindsNET's `MSTDP`). Per step, first
 * `ΔW = nu · Σ_b r_b · E_prev[b]` with the eligibility of the previous step, then
 * `P⁺ ← P⁺·exp(−dt/tc₊) + a₊·s_pre`, `P⁻ ← P⁻·exp(−dt/tc₋) + a₋·s_post` and
 * `E = s_post ⊗ P⁺ + P⁻ ⊗ s_pre` (layout `[post, pre]`). The same one-step lag as SpikingJelly's
 * `MSTDPLearner` (which is this rule with `a₋ = −1` and weight dependence). Its state (P⁺, P⁻
 * and the last step's spikes, from which `E` is formed) is memories: `reset()` clears it.
 *
 * @throws UnknownOptionError for an option name it does not know; ValueError when a time constant
 *   is not > 0 or a rate is not finite.
 * @example
 * ```ts
 * const rule = new MSTDP({ nu: 0.01 });
 * net.addConnection(new Connection({ source: 4, target: 2, rule }), 'in', 'out');
 * net.run({ inputs, time: 1, reward: 1 });
 * ```
 */
export class MSTDP extends LocalRule {
  override readonly rewardModulated: boolean = true;
  readonly nu: number;
  readonly tcPlus: number;
  readonly tcMinus: number;
  readonly aPlus: number;
  readonly aMinus: number;

  /**
   * @param fn - The name in errors (that of the subclass).
   * @param known - The option names the subclass takes.
   */
  constructor(options: MSTDPOptions = {}, fn = 'MSTDP', known: readonly string[] = MSTDP_OPTION_KEYS) {
    checkOptions(fn, options, known);
    super();
    this.nu = checkFinite(fn, 'nu', options.nu ?? 1);
    this.tcPlus = checkPositive(fn, 'tcPlus', options.tcPlus ?? 20);
    this.tcMinus = checkPositive(fn, 'tcMinus', options.tcMinus ?? 20);
    this.aPlus = checkFinite(fn, 'aPlus', options.aPlus ?? 1);
    this.aMinus = checkFinite(fn, 'aMinus', options.aMinus ?? -1);
    for (const name of ['pPlus', 'pMinus', 'lastPre', 'lastPost']) this.registerMemory(name, 0);
  }

  /** `Σ_b r_b · E_prev[b]` from the stored previous step (zeros before the first). */
  protected weightedEligibility(a: SynapticActivity, reward: Tensor | number): Tensor {
    const lastPre = this.getMemory('lastPre');
    if (lastPre.rank === 0) return tf.zerosLike(a.w);
    const r =
      typeof reward === 'number' || reward.rank === 0
        ? reward
        : tf.reshape(reward, [-1, ...lastPre.shape.slice(1).map(() => 1)]);
    const lastPost = this.getMemory('lastPost');
    const rPost = tf.mul(lastPost, r);
    return tf.add(
      a.correlate(rPost, this.getMemory('pPlus')),
      a.correlate(tf.mul(this.getMemory('pMinus'), r), lastPre),
    );
  }

  /** Updates P⁺, P⁻ and the stored spikes from this step. */
  protected advance(a: SynapticActivity): void {
    const pPlus = tf.add(
      tf.mul(this.getMemory('pPlus'), Math.exp(-a.dt / this.tcPlus)),
      tf.mul(a.preSpike, this.aPlus),
    );
    const pMinus = tf.add(
      tf.mul(this.getMemory('pMinus'), Math.exp(-a.dt / this.tcMinus)),
      tf.mul(a.postSpike, this.aMinus),
    );
    this.setMemory('pPlus', pPlus);
    this.setMemory('pMinus', pMinus);
    this.setMemory('lastPre', tf.clone(a.preSpike));
    this.setMemory('lastPost', tf.clone(a.postSpike));
  }

  override deltaW(a: SynapticActivity): Tensor {
    return tf.tidy(() => {
      const deltaW = tf.mul(this.weightedEligibility(a, a.reward ?? 0), this.nu);
      this.advance(a);
      return deltaW;
    });
  }
}

/** Options of {@link MSTDPET}. */
export interface MSTDPETOptions extends MSTDPOptions {
  /** Time constant of the eligibility trace, ms. Default 25. */
  readonly tcETrace?: number;
}

/** The keys of {@link MSTDPETOptions}. */
export const MSTDPET_OPTION_KEYS = keysOf<MSTDPETOptions>()([...MSTDP_OPTION_KEYS, 'tcETrace']);

/**
 * MSTDP with an eligibility trace (Florian 2007; BindsNET's `MSTDPET`):
 * `e ← e·exp(−dt/tc_e) + Σ_b E_prev[b] / tc_e`, `ΔW = nu · dt · r · e`, then P⁺, P⁻ and E as
 * {@link MSTDP}. The reward is one number per step (a per-sample reward is averaged).
 *
 * @throws UnknownOptionError, ValueError as {@link MSTDP}, or when `tcETrace` is not > 0.
 */
export class MSTDPET extends MSTDP {
  readonly tcETrace: number;

  constructor(options: MSTDPETOptions = {}) {
    // Checked before the base class registers its memories.
    const o = checkOptions('MSTDPET', options, MSTDPET_OPTION_KEYS);
    const tcETrace = checkPositive('MSTDPET', 'tcETrace', o.tcETrace ?? 25);
    super(options, 'MSTDPET', MSTDPET_OPTION_KEYS);
    this.tcETrace = tcETrace;
    this.registerMemory('eTrace', 0);
  }

  override deltaW(a: SynapticActivity): Tensor {
    return tf.tidy(() => {
      const eTrace = tf.add(
        tf.mul(this.getMemory('eTrace'), Math.exp(-a.dt / this.tcETrace)),
        tf.div(this.weightedEligibility(a, 1), this.tcETrace),
      );
      this.setMemory('eTrace', eTrace);
      const reward = a.reward ?? 0;
      const r = typeof reward === 'number' ? reward : tf.mean(reward);
      const deltaW = tf.mul(tf.mul(eTrace, r), this.nu * a.dt);
      this.advance(a);
      return deltaW;
    });
  }
}

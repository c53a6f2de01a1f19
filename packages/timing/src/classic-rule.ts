/** The original Tempotron learning rule (Gütig & Sompolinsky 2006), one binary decision per neuron. */
import { checkPositive, checkRank, checkTensor, ShapeError, ValueError } from '@snn/core';
import type { Tensor } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';
import { checkOptionTable, type OptionTable, readSpikeTimes } from './checks.js';
import { potential } from './potential.js';
import { pspKernel } from './psp-kernel.js';
import type { Tempotron } from './tempotron.js';

/** Options of {@link tempotronRuleDelta} and {@link tempotronRuleStep}. */
export interface TempotronRuleOptions {
  /** λ, the size of a correction: a finite number > 0. */
  readonly lr: number;
}

/** Every option of {@link TempotronRuleOptions} (see {@link OptionTable}). */
export const TEMPOTRON_RULE_OPTIONS: OptionTable<TempotronRuleOptions> = { lr: 'value' };

/** Whether each neuron should fire on each pattern: 0/1, a tensor `[B, outFeatures]` (or `[B]` for one neuron) or numbers. */
export type Targets = Tensor | ArrayLike<number>;

/** What {@link tempotronRuleDelta} returns. */
export interface TempotronRuleDelta {
  /** `ΔW` `[outFeatures, inFeatures]`, summed over the batch; a new tensor the caller owns. */
  readonly delta: Tensor;
  /** Decisions where the neuron should have fired and did not (its weights went up). */
  readonly misses: number;
  /** Decisions where the neuron fired and should not have (its weights went down). */
  readonly falseAlarms: number;
}

/** What {@link tempotronRuleStep} returns. */
export interface TempotronRuleResult {
  readonly misses: number;
  readonly falseAlarms: number;
  /** `misses + falseAlarms`, counted before the update. */
  readonly errors: number;
}

function readTargets(fn: string, target: Targets, batch: number, out: number): Uint8Array {
  let values: ArrayLike<number>;
  if (typeof target === 'object' && target !== null && 'dataId' in target) {
    checkTensor(fn, 'target', target);
    const ok =
      (target.rank === 2 && target.shape[0] === batch && target.shape[1] === out) ||
      (target.rank === 1 && out === 1 && target.shape[0] === batch);
    if (!ok)
      throw new ShapeError(fn, 'target', `shape [${batch}, ${out}]${out === 1 ? ` or [${batch}]` : ''}`, target.shape);
    values = target.dataSync() as Float32Array | Int32Array;
  } else if (
    target !== null &&
    typeof target === 'object' &&
    typeof (target as ArrayLike<number>).length === 'number'
  ) {
    values = target as ArrayLike<number>;
    if (values.length !== batch * out) {
      throw new ShapeError(fn, 'target', `${batch * out} values ([B = ${batch}, outFeatures = ${out}])`, [
        values.length,
      ]);
    }
  } else {
    throw new ValueError(fn, 'target', 'a tensor or an array of 0/1', target);
  }
  const flags = new Uint8Array(batch * out);
  for (let k = 0; k < flags.length; k++) {
    const y = values[k] as number;
    if (y !== 0 && y !== 1) throw new ValueError(fn, `target[${k}]`, '0 or 1', y);
    flags[k] = y;
  }
  return flags;
}

/**
 * The Tempotron learning rule: for each pattern on which a neuron decides wrongly, take the
 * time `t_max` of its voltage maximum and move each weight by the PSP its afferent contributed
 * there,
 *
 * `ΔW[o, i] = ±λ · Σ_{s_i < t_max} V0 · K(t_max − s_i)`,
 *
 * `+` on a miss (should fire, peak below threshold), `−` on a false alarm (peak at or above
 * threshold, should stay silent); nothing on a correct decision. `K` is {@link pspKernel}
 * (`K(t) = 0` for `t <= 0`, so the sum runs over the spikes before `t_max`), `V0` the layer's
 * normalisation, and `t_max` is taken on the layer's time grid `0 .. T−1` over the unshunted
 * trace. Deltas of a batch are summed; a batch of one pattern is the paper's online rule.
 *
 * Pure: reads the weights, changes nothing. See {@link tempotronRuleStep} to apply it.
 *
 * @param net - The Tempotron (any `outFeatures`: each neuron is its own binary classifier).
 * @param inSpikes - Spike times `[B, inFeatures]`, negative for no spike.
 * @param target - 1 where the neuron should fire, 0 where not: `[B, outFeatures]` (or `[B]`).
 * @param options - `lr` (λ).
 * @throws ShapeError / ValueError for bad spike times (as `forward`), targets that are not
 *   0/1 of the right shape, or an `lr` that is not a finite number > 0.
 * @throws UnknownOptionError for an option other than `lr` (`{ Lr: 0.1 }`: "did you mean 'lr'").
 * @example
 * ```ts
 * const { delta, misses } = tempotronRuleDelta(net, pattern, [1], { lr: 1e-3 });
 * ```
 */
export function tempotronRuleDelta(
  net: Tempotron,
  inSpikes: Tensor,
  target: Targets,
  options: TempotronRuleOptions,
): TempotronRuleDelta {
  return ruleDelta('tempotronRuleDelta', net, inSpikes, target, options);
}

/** {@link tempotronRuleDelta}, naming `fn` in its errors. */
function ruleDelta(
  fn: string,
  net: Tempotron,
  inSpikes: Tensor,
  target: Targets,
  options: TempotronRuleOptions,
): TempotronRuleDelta {
  const lr = checkPositive(fn, 'lr', checkOptionTable(fn, options, TEMPOTRON_RULE_OPTIONS).lr);
  checkRank(fn, 'inSpikes', inSpikes, 2, '[B, inFeatures]');
  readSpikeTimes(fn, 'inSpikes', inSpikes, net.inFeatures, net.T);
  const B = inSpikes.shape[0] as number;
  const O = net.outFeatures;
  const N = net.inFeatures;
  const wanted = readTargets(fn, target, B, O);
  return tf.tidy(() => {
    const v = potential(fn, net.weight, inSpikes, net.params);
    const tMax = tf.cast(tf.argMax(v, 2), 'float32'); // [B, O]
    const fired = tf.greaterEqual(tf.max(v, 2), net.vThreshold).dataSync();
    const sign = new Float32Array(B * O);
    let misses = 0;
    let falseAlarms = 0;
    for (let k = 0; k < sign.length; k++) {
      const err = (wanted[k] as number) - (fired[k] as number);
      sign[k] = err;
      if (err > 0) misses++;
      else if (err < 0) falseAlarms++;
    }
    if (misses + falseAlarms === 0) return { delta: tf.zeros([O, N]), misses, falseAlarms };
    const s = tf.reshape(tf.cast(inSpikes, 'float32'), [B, 1, N]);
    const psp = tf.mul(pspKernel(tf.sub(tf.reshape(tMax, [B, O, 1]), s), net.tau, net.tauS), net.v0);
    const felt = tf.where(tf.greaterEqual(s, 0), psp, tf.zerosLike(psp)); // [B, O, N]
    const signed = tf.mul(felt, tf.tensor3d(sign, [B, O, 1]));
    return { delta: tf.mul(tf.sum(signed, 0), lr), misses, falseAlarms };
  });
}

/**
 * Applies {@link tempotronRuleDelta} to `net.weight` in place (`W ← W + ΔW`).
 * @returns The numbers of misses and false alarms before the update.
 * @throws As {@link tempotronRuleDelta}, before changing anything.
 * @example
 * ```ts
 * for (let epoch = 0; epoch < 100; epoch++) {
 *   let errors = 0;
 *   for (let p = 0; p < patterns.length; p++) errors += tempotronRuleStep(net, patterns[p], [labels[p]], { lr: 1e-3 }).errors;
 *   if (errors === 0) break;
 * }
 * ```
 */
export function tempotronRuleStep(
  net: Tempotron,
  inSpikes: Tensor,
  target: Targets,
  options: TempotronRuleOptions,
): TempotronRuleResult {
  const { delta, misses, falseAlarms } = ruleDelta('tempotronRuleStep', net, inSpikes, target, options);
  if (misses + falseAlarms > 0) {
    const updated = tf.add(net.weight, delta);
    net.weight.assign(updated);
    updated.dispose();
  }
  delta.dispose();
  return { misses, falseAlarms, errors: misses + falseAlarms };
}

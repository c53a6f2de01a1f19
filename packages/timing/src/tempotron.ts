import { checkInteger, checkOneOf, createRng, Module, type Rng, ValueError } from '@snn/core';
import type { Tensor, Variable } from '@tensorflow/tfjs-core';
import { checkOptionTable, checkParams, type OptionTable, type TempotronParams } from './checks.js';
import { type Labels, tempotronMSELoss } from './mse-loss.js';
import { potential } from './potential.js';
import { pspKernel, pspNormalization, pspPeakTime } from './psp-kernel.js';
import { maxTimeSpikes, voltageMax } from './readouts.js';

/** What {@link Tempotron.forward} returns: the traces, their peaks, or signed peak times. */
export type TempotronOutput = 'v' | 'vMax' | 'spikes';

const OUTPUTS: readonly TempotronOutput[] = ['v', 'vMax', 'spikes'];

/** Options of {@link Tempotron}. */
export interface TempotronOptions {
  /** Slow (membrane) time constant τ in time steps, > 0. Default 15. */
  readonly tau?: number;
  /** Fast (synaptic) time constant τs in time steps, > 0 and ≠ τ. Default 3.75 (τ/4). */
  readonly tauS?: number;
  /** Firing threshold, > 0. Default 1. */
  readonly vThreshold?: number;
  /** Seed of the weight init (its own `createRng(seed)`). Give at most one of `seed` and `rng`. */
  readonly seed?: number;
  /** Random source of the weight init, shared with other components. */
  readonly rng?: Rng;
}

/** Every option of {@link TempotronOptions} (see {@link OptionTable}). */
export const TEMPOTRON_OPTIONS: OptionTable<TempotronOptions> = {
  tau: 'value',
  tauS: 'value',
  vThreshold: 'value',
  seed: 'value',
  rng: 'value',
};

let defaultRng: Rng | undefined;

function resolveRng(options: TempotronOptions): Rng {
  const { seed, rng } = options;
  if (seed !== undefined && rng !== undefined) {
    throw new ValueError('Tempotron', 'seed', "undefined when 'rng' is given (pass one of the two)", seed);
  }
  if (rng !== undefined) {
    if (rng === null || typeof rng !== 'object' || typeof (rng as Partial<Rng>).uniform !== 'function') {
      throw new ValueError('Tempotron', 'rng', "an Rng from @snn/core's createRng", rng);
    }
    return rng;
  }
  if (seed !== undefined) {
    if (!Number.isSafeInteger(seed)) throw new ValueError('Tempotron', 'seed', 'a safe integer', seed);
    return createRng(seed);
  }
  defaultRng ??= createRng(0);
  return defaultRng;
}

/**
 * The Tempotron (Gütig & Sompolinsky, Nature Neuroscience 2006) with SpikingJelly's interface
 * (`spikingjelly.timing_based.neuron.Tempotron`): `outFeatures` leaky integrators that each
 * sum the post-synaptic potentials of `inFeatures` afferents, every afferent firing at most
 * once, and decide by whether their peak potential reaches the threshold.
 *
 * `v[b, o, t] = Σ_i W[o, i] · V0 · K(t − s[b, i]) · [s[b, i] ≥ 0]`, `t = 0 .. T−1`, with
 * `K(t) = (e^{−t/τ} − e^{−t/τs}) · [t ≥ 0]` ({@link pspKernel}) and
 * `V0 = vThreshold / K(t_max)`, `t_max = τ·τs·ln(τ/τs)/(τ − τs)`, so that one spike through a
 * weight of 1 peaks exactly at the threshold. No spike-triggered shunting: the trace is the
 * sum of the kernels, as in SpikingJelly.
 *
 * The weight `W` `[outFeatures, inFeatures]` is the parameter `weight` (SpikingJelly's
 * `fc.weight`, bias-free), initialised as PyTorch's `nn.Linear`: uniform in ±1/√inFeatures.
 * Gradients flow through `'vMax'` (and `'v'`, `'spikes'`), so any tfjs optimizer trains it on
 * {@link Tempotron.mseLoss}; {@link tempotronRuleStep} is the original learning rule.
 *
 * @example
 * ```ts
 * const net = new Tempotron(784 * 16, 10, 100, { seed: 1 });
 * const opt = tf.train.adam(1e-3);
 * opt.minimize(() => Tempotron.mseLoss(net.forward(spikeTimes, 'vMax'), net.vThreshold, labels, 10) as tf.Scalar);
 * ```
 */
export class Tempotron extends Module {
  /** `W` `[outFeatures, inFeatures]`, trainable. */
  readonly weight: Variable;
  readonly tau: number;
  readonly tauS: number;
  readonly vThreshold: number;
  /** The normalisation `V0` of the kernel (float64). */
  readonly v0: number;
  /** Time of the kernel's peak, `t_max`. */
  readonly tMax: number;
  private output: TempotronOutput = 'v';

  /**
   * @param inFeatures - Number of afferents, an integer >= 1.
   * @param outFeatures - Number of Tempotron neurons (classes), an integer >= 1.
   * @param T - Time steps of the trace (spike times lie in `[0, T]`), an integer >= 1.
   * @param options - `tau` (15), `tauS` (3.75), `vThreshold` (1), `seed` or `rng` of the weight init.
   * @throws UnknownOptionError for an option name that {@link TempotronOptions} lacks
   *   (`{ taus: 3 }`: "did you mean 'tauS'").
   * @throws ValueError for a size that is not a positive integer, a time constant that is not a
   *   finite number > 0 (or τs = τ), a threshold that is not > 0, or a bad seed/rng.
   */
  constructor(
    readonly inFeatures: number,
    readonly outFeatures: number,
    readonly T: number,
    options: TempotronOptions = {},
  ) {
    super();
    const o = checkOptionTable('Tempotron', options, TEMPOTRON_OPTIONS);
    checkInteger('Tempotron', 'inFeatures', inFeatures, 1);
    checkInteger('Tempotron', 'outFeatures', outFeatures, 1);
    const p = checkParams('Tempotron', {
      T,
      tau: o.tau ?? 15,
      tauS: o.tauS ?? 15 / 4,
      vThreshold: o.vThreshold ?? 1,
    });
    this.tau = p.tau;
    this.tauS = p.tauS;
    this.vThreshold = p.vThreshold;
    this.tMax = pspPeakTime(p.tau, p.tauS);
    this.v0 = pspNormalization(p.tau, p.tauS, p.vThreshold);
    const bound = 1 / Math.sqrt(inFeatures);
    this.weight = this.registerParameter('weight', resolveRng(o).uniform([outFeatures, inFeatures], -bound, bound));
  }

  /** `T`, `tau`, `tauS` and `vThreshold`, for the functions of this package. */
  get params(): TempotronParams {
    return { T: this.T, tau: this.tau, tauS: this.tauS, vThreshold: this.vThreshold };
  }

  /**
   * Runs the Tempotron on spike times.
   * @param inSpikes - Spike times `[B, inFeatures]` in `[0, T]`; negative means no spike.
   * @param retType - `'v'` (default): traces `[B, outFeatures, T]`; `'vMax'`: peaks
   *   `[B, outFeatures]`; `'spikes'`: signed peak times `[B, outFeatures]` ({@link maxTimeSpikes}).
   *   No axis of size 1 is dropped.
   * @returns A new tensor the caller owns.
   * @throws ShapeError when `inSpikes` is not `[B, inFeatures]`; ValueError for a spike time
   *   that is NaN or beyond `T`, or an unknown `retType`.
   */
  override forward(inSpikes: Tensor, retType: TempotronOutput = 'v'): Tensor {
    this.output = checkOneOf('Tempotron.forward', 'retType', retType, OUTPUTS);
    return super.forward(inSpikes);
  }

  protected override compute(inSpikes: Tensor): Tensor {
    const output = this.output;
    const v = potential('Tempotron.forward', this.weight, inSpikes, this.params);
    if (output === 'v') return v;
    try {
      return output === 'vMax' ? voltageMax(v) : maxTimeSpikes(v, this.vThreshold);
    } finally {
      v.dispose();
    }
  }

  /** {@link pspKernel}: `K(t) = (exp(−t/τ) − exp(−t/τs)) · [t ≥ 0]`, without `V0`. */
  static pspKernel(t: Tensor | number | readonly number[], tau: number, tauS: number): Tensor {
    return pspKernel(t, tau, tauS);
  }

  /** {@link tempotronMSELoss}: SpikingJelly's `Tempotron.mse_loss(v_max, v_threshold, label, num_classes)`. */
  static mseLoss(vMax: Tensor, vThreshold: number, label: Labels, numClasses: number): Tensor {
    return tempotronMSELoss(vMax, vThreshold, label, numClasses);
  }
}

import { checkFinite, checkPositive, ValueError } from '@snn/core';
import type { Tensor } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';
import { checkOptionTable, type OptionTable } from './checks.js';
import {
  DARWIN_NODE_OPTIONS,
  DarwinNode,
  type DarwinNodeOptions,
  fixedPointDecay,
  roundHalfEven,
} from './darwin-common.js';
import type { ExtraInputs } from './spaic-node.js';
import type { MembraneState, StepResult } from './step.js';

/** Parameters of {@link darwinRandomStep}. */
export interface DarwinRandomParams {
  /** Membrane decay per step, `P0 = round(exp(−dt/τm)·2^16)/2^16`. */
  readonly p0: number;
  /** Whole-number drive added every step (SPAIC rounds it). */
  readonly bias: number;
  /** Width of the uniform noise (a whole number): `round(std·u − std/2)`, u uniform in [0, 1). */
  readonly std: number;
  /** Firing threshold: `S = [V > vThreshold]`. */
  readonly vThreshold: number;
}

/**
 * One Darwin Random step (SPAIC's `darwin_random`), float32, in SPAIC's order of operations:
 *
 * - `Vn = P0·V + round(std·u − std/2) + bias + X`, u uniform in [0, 1) per neuron (`noise`:
 *   a tensor of those draws, or null when `std` is 0, which makes the term exactly 0)
 * - `S = [Vn > vThreshold]`; `V' = Vn − Vn·S` (reset to 0)
 *
 * X is this package's addition (SPAIC's model has no input): zeros give SPAIC's free-running
 * generator. Spikes are float32 0/1 without gradient. Pure: reads `s` and `noise`.
 */
export function darwinRandomStep(
  x: Tensor,
  s: MembraneState,
  noise: Tensor | null,
  p: DarwinRandomParams,
): StepResult<MembraneState> {
  return tf.tidy(() => {
    let vn = tf.mul(s.v, p.p0);
    if (noise !== null && p.std !== 0) vn = tf.add(vn, tf.round(tf.sub(tf.mul(noise, p.std), p.std / 2)));
    if (p.bias !== 0) vn = tf.add(vn, p.bias);
    vn = tf.add(vn, x);
    const spike = tf.cast(tf.greater(vn, p.vThreshold), 'float32');
    return { spike, state: { v: tf.sub(vn, tf.mul(vn, spike)) } };
  });
}

/** Options of {@link DarwinRandomNode}. */
export interface DarwinRandomNodeOptions extends DarwinNodeOptions {
  /** Membrane time constant in ms. Default 10. */
  readonly tauM?: number;
  /** Width of the uniform noise, ≥ 0 (rounded to a whole number, as SPAIC does). Default 0. */
  readonly std?: number;
  /** Drive per step (rounded to a whole number, as SPAIC does). Default 0. */
  readonly bias?: number;
}

/** Every option of {@link DarwinRandomNodeOptions} (see {@link OptionTable}). */
export const DARWIN_RANDOM_NODE_OPTIONS: OptionTable<DarwinRandomNodeOptions> = {
  ...DARWIN_NODE_OPTIONS,
  tauM: 'value',
  std: 'value',
  bias: 'value',
};

/**
 * The noise neuron of the Darwin chip (SPAIC's `darwin_random`): a leaky potential driven by
 * uniform integer noise, firing when it crosses the threshold.
 *
 * - `V ← P0·V + round(std·u − std/2) + bias + X`, u uniform in [0, 1) per neuron and step
 * - `S = [V > vThreshold]` (strict); V is reset to 0 where S
 *
 * with `P0 = round(e^{−dt/τm}·2^16)/2^16` (16-bit fixed point) and `std`, `bias` rounded to whole
 * numbers. The noise comes from the node's seeded stream (`seed` or `rng`, as everywhere in snn),
 * so runs repeat on every backend; SPAIC draws it with `torch.rand_like`, so only `std = 0` can be
 * compared number for number. SPAIC's model has no input; this one adds X (zeros reproduce it),
 * which also gives the population its shape. Initial potentials are drawn per neuron from
 * U(10000, 15000) (`vInit`). Inputs need a batch axis: `[B, N, ...]`.
 *
 * Parameters (defaults, SPAIC's): `tauM` 10 ms, `dt` 0.1 ms, `std` 0, `bias` 0, `vThreshold`
 * 15000, `vInit` `{ low: 10000, high: 15000 }`. State: `v`.
 *
 * @throws UnknownOptionError for an option name that {@link DarwinRandomNodeOptions} lacks;
 * ValueError when `tauM` or `dt` is not > 0, `std` is negative, a value is not finite, `vInit`
 * is malformed, or both `seed` and `rng` are given.
 * @example
 * ```ts
 * const noise = new DarwinRandomNode({ std: 2000, vThreshold: 12000, seed: 3, stepMode: 'm' });
 * const spikes = noise.forward(tf.zeros([500, 1, 32])); // irregular spikes from noise alone
 * ```
 */
export class DarwinRandomNode extends DarwinNode<MembraneState> implements DarwinRandomParams {
  readonly tauM: number;
  readonly std: number;
  readonly bias: number;
  readonly p0: number;
  protected readonly stateKeys = ['v'] as const;

  constructor(options: DarwinRandomNodeOptions = {}) {
    const fn = 'DarwinRandomNode';
    const o = checkOptionTable(fn, options, DARWIN_RANDOM_NODE_OPTIONS);
    const tauM = checkPositive(fn, 'tauM', o.tauM ?? 10);
    const std = o.std ?? 0;
    if (!(typeof std === 'number' && Number.isFinite(std) && std >= 0)) {
      throw new ValueError(fn, 'std', 'a finite number >= 0', std);
    }
    const bias = checkFinite(fn, 'bias', o.bias ?? 0);
    super(fn, o, DARWIN_RANDOM_NODE_OPTIONS, { vThreshold: 15000, vInit: { low: 10000, high: 15000 } });
    this.tauM = tauM;
    this.std = roundHalfEven(std);
    this.bias = roundHalfEven(bias);
    this.p0 = fixedPointDecay(this.dt, tauM, 16);
  }

  protected stepState(x: Tensor, s: MembraneState, _e: ExtraInputs): { out: Tensor; state: MembraneState } {
    // No draws when std is 0: the noise term is exactly 0 and the stream is left untouched.
    const noise = this.std === 0 ? null : this.rng.uniform(x.shape);
    const r = darwinRandomStep(x, { v: this.startV(s.v, x.shape) }, noise, this);
    return { out: r.spike, state: r.state };
  }
}

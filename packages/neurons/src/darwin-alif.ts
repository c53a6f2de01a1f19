import { checkFinite, checkPositive, ValueError } from '@snn/core';
import type { Tensor } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';
import { checkOptionTable, type OptionTable } from './checks.js';
import { darwinBias } from './darwin-clif.js';
import {
  DARWIN_NODE_OPTIONS,
  DarwinNode,
  type DarwinNodeOptions,
  fixedPointDecay,
  quantize16,
  roundHalfEven,
} from './darwin-common.js';
import type { ExtraInputs } from './spaic-node.js';
import type { StepResult } from './step.js';

/** Parameters of {@link darwinALIFStep}. */
export interface DarwinALIFParams {
  /** Membrane decay per step, `P0 = round(exp(−dt/τm)·2^8)/2^8`. */
  readonly p0: number;
  /** Current decay per step, `P4 = round(exp(−dt/τs)·2^8)/2^8`. */
  readonly p4: number;
  /** Bias added to V every step, `P1 = round(bias·2^15)/2^15`. */
  readonly p1: number;
  /** Threshold decay per step. */
  readonly p2: number;
  /** Threshold drive per step (the threshold relaxes to `c1/(1 − p2)`). */
  readonly c1: number;
  /** Threshold jump per spike. */
  readonly c2: number;
}

/** State of a Darwin ALIF neuron (float32). */
export type DarwinALIFState = {
  /** Membrane potential V (whole numbers). */
  readonly v: Tensor;
  /** Synaptic current I (whole numbers). */
  readonly i: Tensor;
  /** Adaptive threshold (not quantised). */
  readonly vth: Tensor;
};

/**
 * One Darwin ALIF step (SPAIC's `darwin_alif`), float32, in SPAIC's order of operations:
 *
 * - `I' = q16(I·P4 + X)`; `Vq = q16(V·P0 + I' + P1)`
 * - `S = [Vq > Vth]` (this step's threshold, before its update); `V' = Vq − Vq·S`
 * - `Vth' = Vth·P2 + C1 + S·C2` (not quantised)
 *
 * Spikes are float32 0/1 without gradient. Pure: reads `s`, never disposes it.
 */
export function darwinALIFStep(x: Tensor, s: DarwinALIFState, p: DarwinALIFParams): StepResult<DarwinALIFState> {
  return tf.tidy(() => {
    const i = quantize16(tf.add(tf.mul(s.i, p.p4), x));
    const vq = quantize16(tf.add(tf.add(tf.mul(s.v, p.p0), i), p.p1));
    const spike = tf.cast(tf.greater(vq, s.vth), 'float32');
    const vth = tf.add(tf.add(tf.mul(s.vth, p.p2), p.c1), tf.mul(spike, p.c2));
    return { spike, state: { v: tf.sub(vq, tf.mul(vq, spike)), i, vth } };
  });
}

/** Options of {@link DarwinALIFNode}. */
export interface DarwinALIFNodeOptions extends DarwinNodeOptions {
  /** Membrane time constant in ms. Default 12. */
  readonly tauM?: number;
  /** Synaptic time constant in ms. Default 8. */
  readonly tauS?: number;
  /** Constant drive per step, in units of V, quantised to 2^−15. Default 0. */
  readonly bias?: number;
  /** Threshold decay per step, in [0, 1]. Default 0.999. */
  readonly p2?: number;
  /** Threshold drive per step. Default `round(vThreshold·0.001)` (16). */
  readonly c1?: number;
  /** Threshold jump per spike. Default `round(vThreshold·0.2)` (3277). */
  readonly c2?: number;
}

/** Every option of {@link DarwinALIFNodeOptions} (see {@link OptionTable}). */
export const DARWIN_ALIF_NODE_OPTIONS: OptionTable<DarwinALIFNodeOptions> = {
  ...DARWIN_NODE_OPTIONS,
  tauM: 'value',
  tauS: 'value',
  bias: 'value',
  p2: 'value',
  c1: 'value',
  c2: 'value',
};

/**
 * The adaptive-threshold LIF of the Darwin chip (SPAIC's `darwin_alif`): {@link DarwinCLIFNode}'s
 * quantised current and potential, and a threshold that relaxes towards `C1/(1 − P2)` and jumps
 * by `C2` on every spike:
 *
 * - `I ← q16(I·P4 + X)`; `V ← q16(V·P0 + I + P1)`
 * - `S = [V > Vth]`; V is reset to 0 where S
 * - `Vth ← Vth·P2 + C1 + S·C2`
 *
 * The threshold is per neuron and sample (`[B, ...]`, starting at `vThreshold`) and float32
 * (the chip's code does not quantise it). Initial potentials are drawn per neuron from
 * U(−30000, 15000), as SPAIC does (`vInit`, `seed`/`rng`). Inputs need a batch axis.
 *
 * Parameters (defaults, SPAIC's): `tauM` 12 ms, `tauS` 8 ms, `dt` 0.1 ms, `bias` 0,
 * `vThreshold` 16384, `p2` 0.999, `c1` round(vThreshold·0.001), `c2` round(vThreshold·0.2),
 * `vInit` `{ low: −30000, high: 15000 }`. State: `v`, `i` (0), `vth` (vThreshold).
 *
 * @throws UnknownOptionError for an option name that {@link DarwinALIFNodeOptions} lacks;
 * ValueError when `tauM`, `tauS` or `dt` is not > 0, `p2` is outside [0, 1], a value is not
 * finite, `vInit` is malformed, or both `seed` and `rng` are given; on `forward`, ShapeError for
 * an input without a batch axis.
 * @example
 * ```ts
 * const node = new DarwinALIFNode({ seed: 1, stepMode: 'm' });
 * const spikes = node.forward(tf.fill([200, 1, 16], 1200)); // the rate falls as Vth rises
 * ```
 */
export class DarwinALIFNode extends DarwinNode<DarwinALIFState> implements DarwinALIFParams {
  readonly tauM: number;
  readonly tauS: number;
  readonly bias: number;
  readonly p0: number;
  readonly p4: number;
  readonly p1: number;
  readonly p2: number;
  readonly c1: number;
  readonly c2: number;
  protected readonly stateKeys = ['v', 'i', 'vth'] as const;

  constructor(options: DarwinALIFNodeOptions = {}) {
    const fn = 'DarwinALIFNode';
    const o = checkOptionTable(fn, options, DARWIN_ALIF_NODE_OPTIONS);
    const tauM = checkPositive(fn, 'tauM', o.tauM ?? 12);
    const tauS = checkPositive(fn, 'tauS', o.tauS ?? 8);
    const bias = checkFinite(fn, 'bias', o.bias ?? 0);
    const p2 = o.p2 ?? 0.999;
    if (!(typeof p2 === 'number' && p2 >= 0 && p2 <= 1)) throw new ValueError(fn, 'p2', 'a number in [0, 1]', p2);
    const vTh = checkFinite(fn, 'vThreshold', o.vThreshold ?? 16384);
    const c1 = checkFinite(fn, 'c1', o.c1 ?? roundHalfEven(vTh * 0.001));
    const c2 = checkFinite(fn, 'c2', o.c2 ?? roundHalfEven(vTh * 0.2));
    super(fn, o, DARWIN_ALIF_NODE_OPTIONS, { vThreshold: 16384, vInit: { low: -30000, high: 15000 } });
    this.tauM = tauM;
    this.tauS = tauS;
    this.bias = bias;
    this.p0 = fixedPointDecay(this.dt, tauM, 8);
    this.p4 = fixedPointDecay(this.dt, tauS, 8);
    this.p1 = darwinBias(bias);
    this.p2 = p2;
    this.c1 = c1;
    this.c2 = c2;
    this.registerMemory('i', 0);
    this.registerMemory('vth', vTh);
  }

  /** The synaptic current now (owned by the node). */
  get i(): Tensor {
    return this.getMemory('i');
  }

  /** The adaptive threshold now, per neuron and sample (owned by the node). */
  get vth(): Tensor {
    return this.getMemory('vth');
  }

  protected stepState(x: Tensor, s: DarwinALIFState, _e: ExtraInputs): { out: Tensor; state: DarwinALIFState } {
    const r = darwinALIFStep(x, { v: this.startV(s.v, x.shape), i: s.i, vth: s.vth }, this);
    return { out: r.spike, state: r.state };
  }
}

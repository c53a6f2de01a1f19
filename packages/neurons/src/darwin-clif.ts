import { checkFinite, checkPositive } from '@snn/core';
import type { Tensor } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';
import { checkOptionTable, type OptionTable } from './checks.js';
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

/** Parameters of {@link darwinCLIFStep}: the chip's fixed-point constants. */
export interface DarwinCLIFParams {
  /** Membrane decay per step, `P0 = round(exp(−dt/τm)·2^8)/2^8`. */
  readonly p0: number;
  /** Current decay per step, `P4 = round(exp(−dt/τs)·2^8)/2^8`. */
  readonly p4: number;
  /** Bias added to V every step, `P1 = round(bias·2^15)/2^15`. */
  readonly p1: number;
  /** Firing threshold: `S = [V > vThreshold]`. */
  readonly vThreshold: number;
}

/** State of a Darwin CLIF neuron (float32 tensors holding whole numbers). */
export type DarwinCLIFState = {
  /** Membrane potential V. */
  readonly v: Tensor;
  /** Synaptic current I. */
  readonly i: Tensor;
};

/**
 * One Darwin CLIF step (SPAIC's `darwin_clif`), in float32 with the chip's 16-bit quantisation
 * `q16` ({@link quantize16}), in SPAIC's order of operations:
 *
 * - `I' = q16(I·P4 + X)`
 * - `Vq = q16(V·P0 + I' + P1)`
 * - `S = [Vq > vThreshold]`; `V' = Vq − Vq·S` (reset to 0)
 *
 * Spikes are float32 0/1 without gradient (the quantisation has none). Pure: reads `s`.
 */
export function darwinCLIFStep(x: Tensor, s: DarwinCLIFState, p: DarwinCLIFParams): StepResult<DarwinCLIFState> {
  return tf.tidy(() => {
    const i = quantize16(tf.add(tf.mul(s.i, p.p4), x));
    const vq = quantize16(tf.add(tf.add(tf.mul(s.v, p.p0), i), p.p1));
    const spike = tf.cast(tf.greater(vq, p.vThreshold), 'float32');
    return { spike, state: { v: tf.sub(vq, tf.mul(vq, spike)), i } };
  });
}

/** Options of {@link DarwinCLIFNode}. */
export interface DarwinCLIFNodeOptions extends DarwinNodeOptions {
  /** Membrane time constant in ms (SPAIC's `tau_m`). Default 12. */
  readonly tauM?: number;
  /** Synaptic time constant in ms (SPAIC's `tau_s`). Default 8. */
  readonly tauS?: number;
  /** Constant drive per step, in units of V, quantised to 2^−15. Default 0. */
  readonly bias?: number;
}

/** Every option of {@link DarwinCLIFNodeOptions} (see {@link OptionTable}). */
export const DARWIN_CLIF_NODE_OPTIONS: OptionTable<DarwinCLIFNodeOptions> = {
  ...DARWIN_NODE_OPTIONS,
  tauM: 'value',
  tauS: 'value',
  bias: 'value',
};

/** `P1`: the bias in units of V, rounded to 15 fractional bits (see the README's note on SPAIC's `/2.0*15`). */
export function darwinBias(bias: number): number {
  return roundHalfEven(bias * 2 ** 15) / 2 ** 15;
}

/**
 * The current-based LIF of the Darwin neuromorphic chip (SPAIC's `darwin_clif`):
 *
 * - `I ← q16(I·P4 + X)` (X: the weighted input sum, Darwin's `WgtSum`)
 * - `V ← q16(V·P0 + I + P1)`
 * - `S = [V > vThreshold]` (strict); V is reset to 0 where S
 *
 * with `P0 = round(e^{−dt/τm}·2^8)/2^8`, `P4 = round(e^{−dt/τs}·2^8)/2^8` (8-bit fixed point),
 * `P1 = round(bias·2^15)/2^15` and `q16(x) = round(clamp(x + 2^15, 0, 2^16)) − 2^15` (the chip's
 * 16-bit registers; round half to even). Numbers are float32 holding whole numbers, as in SPAIC.
 *
 * Initial potentials are drawn per neuron from U(10000, 15000), as SPAIC does (`vInit`; with the
 * node's `seed`/`rng`), shared by the batch and the same after every `reset()`. Inputs need a
 * batch axis: `[B, N, ...]`. Spikes are float32 0/1 without gradient.
 *
 * Parameters (defaults, SPAIC's): `tauM` 12 ms, `tauS` 8 ms, `dt` 0.1 ms, `bias` 0,
 * `vThreshold` 16384, `vInit` `{ low: 10000, high: 15000 }`. State: `v`, `i` (starts at 0).
 *
 * @throws UnknownOptionError for an option name that {@link DarwinCLIFNodeOptions} lacks;
 * ValueError when `tauM`, `tauS` or `dt` is not > 0, a value is not finite, `vInit` is malformed,
 * or both `seed` and `rng` are given; on `forward`, ShapeError for an input without a batch axis.
 * @example
 * ```ts
 * const node = new DarwinCLIFNode({ seed: 1, stepMode: 'm' });
 * const spikes = node.forward(tf.fill([100, 1, 16], 800)); // weighted input sums per step
 * ```
 */
export class DarwinCLIFNode extends DarwinNode<DarwinCLIFState> implements DarwinCLIFParams {
  readonly tauM: number;
  readonly tauS: number;
  readonly bias: number;
  readonly p0: number;
  readonly p4: number;
  readonly p1: number;
  protected readonly stateKeys = ['v', 'i'] as const;

  constructor(options: DarwinCLIFNodeOptions = {}) {
    const fn = 'DarwinCLIFNode';
    const o = checkOptionTable(fn, options, DARWIN_CLIF_NODE_OPTIONS);
    const tauM = checkPositive(fn, 'tauM', o.tauM ?? 12);
    const tauS = checkPositive(fn, 'tauS', o.tauS ?? 8);
    const bias = checkFinite(fn, 'bias', o.bias ?? 0);
    super(fn, o, DARWIN_CLIF_NODE_OPTIONS, { vThreshold: 16384, vInit: { low: 10000, high: 15000 } });
    this.tauM = tauM;
    this.tauS = tauS;
    this.bias = bias;
    this.p0 = fixedPointDecay(this.dt, tauM, 8);
    this.p4 = fixedPointDecay(this.dt, tauS, 8);
    this.p1 = darwinBias(bias);
    this.registerMemory('i', 0);
  }

  /** The synaptic current now (owned by the node). */
  get i(): Tensor {
    return this.getMemory('i');
  }

  protected stepState(x: Tensor, s: DarwinCLIFState, _e: ExtraInputs): { out: Tensor; state: DarwinCLIFState } {
    const r = darwinCLIFStep(x, { v: this.startV(s.v, x.shape), i: s.i }, this);
    return { out: r.spike, state: r.state };
  }
}

import { checkFinite, checkPositive, ValueError } from '@snn/core';
import type { Tensor } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';
import { booleanOr, checkOptionTable, type OptionTable } from './checks.js';
import {
  checkDt,
  type ExtraInputs,
  resolveSpaicFireParams,
  SPAIC_SPIKING_OPTIONS,
  type SpaicFireParams,
  SpaicNode,
  type SpaicSpikingOptions,
  spaicFire,
  spaicRate,
} from './spaic-node.js';
import type { StepResult } from './step.js';

/** Parameters of {@link constantCurrentLIFStep}. */
export interface ConstantCurrentLIFParams extends SpaicFireParams {
  /** `dt/τm`, the fraction of the way to the target covered per step, in (0, 1]. */
  readonly rate: number;
  /** Resting and reset potential (SPAIC's `v_reset`). */
  readonly vReset: number;
  /** Reset one step after the spike, as SPAIC 0.6.3's code does (see {@link ConstantCurrentLIFNode}). */
  readonly delayedReset: boolean;
}

/** State of a ConstantCurrentLIF neuron. */
export type ConstantCurrentLIFState = {
  /** Membrane potential V. */
  readonly v: Tensor;
  /** The spikes of the last step (read by the delayed reset). */
  readonly o: Tensor;
};

/**
 * One ConstantCurrentLIF step: `H = rate·(vReset − V + X) + V` (for `vReset = 0`,
 * `rate·(X − V) + V`, SPAIC's order of float32 operations); `S = [H > vThreshold]`; reset to
 * `vReset` where `R` is 1, `V' = H·(1 − R) + vReset·R` (`H − H·R` for `vReset = 0`), with `R = S`,
 * or with `delayedReset` `R` = the previous step's spikes `o`. Pure: reads `s`, never disposes it.
 */
export function constantCurrentLIFStep(
  x: Tensor,
  s: ConstantCurrentLIFState,
  p: ConstantCurrentLIFParams,
): StepResult<ConstantCurrentLIFState> {
  return tf.tidy(() => {
    const drive = p.vReset === 0 ? tf.sub(x, s.v) : tf.add(tf.sub(p.vReset, s.v), x);
    const h = tf.add(tf.mul(p.rate, drive), s.v);
    const spike = spaicFire(h, p);
    const r = p.delayedReset ? s.o : spike;
    const v = p.vReset === 0 ? tf.sub(h, tf.mul(h, r)) : tf.add(tf.mul(h, tf.sub(1, r)), tf.mul(p.vReset, r));
    return { spike, state: { v, o: spike } };
  });
}

/** Options of {@link ConstantCurrentLIFNode}. */
export interface ConstantCurrentLIFNodeOptions extends SpaicSpikingOptions {
  /** Membrane time constant in ms (SPAIC's `tau_m`), ≥ dt. Default 20. */
  readonly tauM?: number;
  /** Time step in ms. Default 0.1 (SPAIC's). */
  readonly dt?: number;
  /** Resting and reset potential (SPAIC's `v_reset`). Default 0. */
  readonly vReset?: number;
  /** Reset one step after the spike, reproducing SPAIC 0.6.3's code. Default false. */
  readonly delayedReset?: boolean;
}

/** Every option of {@link ConstantCurrentLIFNodeOptions} (see {@link OptionTable}). */
export const CONSTANT_CURRENT_LIF_NODE_OPTIONS: OptionTable<ConstantCurrentLIFNodeOptions> = {
  ...SPAIC_SPIKING_OPTIONS,
  tauM: 'value',
  dt: 'value',
  vReset: 'value',
  delayedReset: 'boolean',
};

/**
 * SPAIC's ConstantCurrentLIF (`constantcurrentlif`): the forward-Euler LIF
 * `τm dV/dt = vReset − V + I` with input I, in ms with time step `dt`. Per step:
 *
 * - `H = V + (dt/τm)·(vReset − V + X)`
 * - `S = [H > vThreshold]` (strict)
 * - `V = vReset` where S, else `H`
 *
 * That is SPAIC's documented equation. SPAIC 0.6.3's code differs in two ways, and
 * `delayedReset: true` reproduces it: its reset reads the spike of the *previous* step, so V is
 * reset one step after a spike (and a neuron driven above threshold usually fires twice in a
 * row); and it resets to 0 and leaks towards 0 whatever `v_reset` is (with the default
 * `vReset` 0 the two agree).
 *
 * `dt/τm` is rounded to float32 as SPAIC stores it. Parameters (defaults): `tauM` 20 ms, `dt`
 * 0.1 ms, `vReset` 0, `vThreshold` 1, `delayedReset` false. State: `v` (starts at 0) and `o`
 * (the last spikes).
 *
 * @throws UnknownOptionError for an option name that {@link ConstantCurrentLIFNodeOptions} lacks;
 * ValueError when `tauM` or `dt` is not a finite number > 0, `tauM < dt`, a potential is not
 * finite, or a boolean option is not a boolean.
 * @example
 * ```ts
 * const node = new ConstantCurrentLIFNode({ tauM: 20, dt: 0.1, stepMode: 'm' });
 * const spikes = node.forward(tf.fill([1000, 1, 4], 1.5)); // 100 ms of a constant current
 * ```
 */
export class ConstantCurrentLIFNode extends SpaicNode<ConstantCurrentLIFState> implements ConstantCurrentLIFParams {
  readonly tauM: number;
  readonly dt: number;
  readonly rate: number;
  readonly vReset: number;
  readonly delayedReset: boolean;
  readonly vThreshold: number;
  readonly surrogate: SpaicFireParams['surrogate'];
  protected readonly stateKeys = ['v', 'o'] as const;

  constructor(options: ConstantCurrentLIFNodeOptions = {}) {
    const fn = 'ConstantCurrentLIFNode';
    const o = checkOptionTable(fn, options, CONSTANT_CURRENT_LIF_NODE_OPTIONS);
    const fire = resolveSpaicFireParams(fn, o);
    const dt = checkDt(fn, o.dt);
    const tauM = checkPositive(fn, 'tauM', o.tauM ?? 20);
    if (tauM < dt) throw new ValueError(fn, 'tauM', `at least dt (${dt} ms): the Euler step overshoots below`, tauM);
    const vReset = checkFinite(fn, 'vReset', o.vReset ?? 0);
    const delayedReset = booleanOr(fn, 'delayedReset', o.delayedReset, false);
    super(fn, o, CONSTANT_CURRENT_LIF_NODE_OPTIONS);
    this.tauM = tauM;
    this.dt = dt;
    this.rate = spaicRate(dt, tauM);
    this.vReset = vReset;
    this.delayedReset = delayedReset;
    this.vThreshold = fire.vThreshold;
    this.surrogate = fire.surrogate;
    this.registerMemory('v', vReset);
    this.registerMemory('o', 0);
  }

  protected stepState(
    x: Tensor,
    s: ConstantCurrentLIFState,
    _e: ExtraInputs,
  ): { out: Tensor; state: ConstantCurrentLIFState } {
    const r = constantCurrentLIFStep(x, s, this);
    return { out: r.spike, state: r.state };
  }
}

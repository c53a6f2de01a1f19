import { checkFinite, checkPositive } from '@snn/core';
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
  spaicDecay,
  spaicFire,
} from './spaic-node.js';
import type { StepResult } from './step.js';

/** Parameters of {@link lifmStep}: decay factors per step, as SPAIC stores them. */
export interface LIFMParams extends SpaicFireParams {
  /** Membrane decay per step, `exp(−dt/τm)` (SPAIC's `tauM`), in (0, 1]. */
  readonly decayM: number;
  /** Chemical-current decay per step, `exp(−dt/τp)` (SPAIC's `tauP`), in [0, 1]. */
  readonly decayP: number;
  /** Constant input added to the chemical current every step (the `b` of SPAIC's equations). */
  readonly bias: number;
  /** Reset V to 0 in the step of a spike, as SPAIC 0.6.3's code does. */
  readonly hardReset: boolean;
}

/** State of a LIFM neuron. */
export type LIFMState = {
  /** Membrane potential V. */
  readonly v: Tensor;
  /** Chemical synaptic current I_che. */
  readonly i: Tensor;
  /** The spikes of the last step (they set this step's decay F). */
  readonly o: Tensor;
};

/**
 * One LIFM step (SPAIC's `lifm`), with the previous spikes `O = s.o`:
 *
 * - `I_che' = decayP·I_che + X + bias`; `I = I_che' + I_ele` (`iEle` omitted: 0)
 * - `F = decayM·exp(−O/decayM)` (= `decayM` where the neuron did not fire)
 * - `H = V·F + I`; `S = [H > vThreshold]`
 * - `V' = H`, or with `hardReset` `V' = H − H·S`
 *
 * Pure: reads `s` and `iEle`, never disposes them.
 */
export function lifmStep(x: Tensor, s: LIFMState, p: LIFMParams, iEle?: Tensor): StepResult<LIFMState> {
  return tf.tidy(() => {
    const charged = tf.add(tf.mul(p.decayP, s.i), x);
    const iChe = p.bias === 0 ? charged : tf.add(charged, p.bias);
    const current = iEle === undefined ? iChe : tf.add(iChe, iEle);
    const f = tf.mul(p.decayM, tf.exp(tf.div(tf.neg(s.o), p.decayM)));
    const h = tf.add(tf.mul(s.v, f), current);
    const spike = spaicFire(h, p);
    const v = p.hardReset ? tf.sub(h, tf.mul(h, spike)) : h;
    return { spike, state: { v, i: iChe, o: spike } };
  });
}

/** Options of {@link LIFMNode}. */
export interface LIFMNodeOptions extends SpaicSpikingOptions {
  /** Membrane time constant in ms (SPAIC's `tau_m`). Default 10. */
  readonly tauM?: number;
  /** Time constant of the chemical current in ms (SPAIC's `tau_p`). Default 1. */
  readonly tauP?: number;
  /** Time step in ms. Default 0.1 (SPAIC's). */
  readonly dt?: number;
  /** Constant input added to the chemical current every step. Default 0. */
  readonly bias?: number;
  /** Reset V to 0 in the step of a spike (SPAIC 0.6.3's code). Default false. */
  readonly hardReset?: boolean;
}

/** Every option of {@link LIFMNodeOptions} (see {@link OptionTable}). */
export const LIFM_NODE_OPTIONS: OptionTable<LIFMNodeOptions> = {
  ...SPAIC_SPIKING_OPTIONS,
  tauM: 'value',
  tauP: 'value',
  dt: 'value',
  bias: 'value',
  hardReset: 'boolean',
};

/**
 * SPAIC's LIFM (`lifm`): a LIF neuron driven by a chemical synaptic current (which decays) and an
 * electrical one (gap junctions, used as it comes), whose membrane decays faster in the step
 * after a spike. Per step, with the previous spikes O:
 *
 * - `I_che ← τP·I_che + X + bias`, `I = I_che + I_ele`
 * - `F = τM·exp(−O/τM)`
 * - `V ← V·F + I`, `S = [V > vThreshold]`
 *
 * with SPAIC's decay factors `τM = exp(−dt/tau_m)`, `τP = exp(−dt/tau_p)` (float32). That is
 * SPAIC's documented model: there is no reset, the spike-dependent decay `F ≈ 0.37·τM` pulls V
 * down in the next step. SPAIC 0.6.3's code instead resets V to 0 in the step of the spike and
 * never uses F; `hardReset: true` reproduces it (after a reset V is 0, so F no longer matters).
 *
 * `forward(x)` takes the chemical input X with `I_ele` = 0; `forwardWithElectrical(x, iEle)`
 * adds an electrical current. Parameters (defaults): `tauM` 10 ms, `tauP` 1 ms, `dt` 0.1 ms,
 * `bias` 0, `vThreshold` 1, `hardReset` false. State: `v`, `i` (I_che), `o` (last spikes), all
 * starting at 0.
 *
 * @throws UnknownOptionError for an option name that {@link LIFMNodeOptions} lacks; ValueError
 * when a time constant or `dt` is not a finite number > 0, `bias` or `vThreshold` is not finite,
 * or a boolean option is not a boolean.
 * @example
 * ```ts
 * const node = new LIFMNode({ stepMode: 'm' });
 * const spikes = node.forwardWithElectrical(chemical, electrical); // both [T, B, N]
 * ```
 */
export class LIFMNode extends SpaicNode<LIFMState> implements LIFMParams {
  readonly tauM: number;
  readonly tauP: number;
  readonly dt: number;
  readonly decayM: number;
  readonly decayP: number;
  readonly bias: number;
  readonly hardReset: boolean;
  readonly vThreshold: number;
  readonly surrogate: SpaicFireParams['surrogate'];
  protected readonly stateKeys = ['v', 'i', 'o'] as const;

  constructor(options: LIFMNodeOptions = {}) {
    const fn = 'LIFMNode';
    const o = checkOptionTable(fn, options, LIFM_NODE_OPTIONS);
    const fire = resolveSpaicFireParams(fn, o);
    const dt = checkDt(fn, o.dt);
    const tauM = checkPositive(fn, 'tauM', o.tauM ?? 10);
    const tauP = checkPositive(fn, 'tauP', o.tauP ?? 1);
    const bias = checkFinite(fn, 'bias', o.bias ?? 0);
    const hardReset = booleanOr(fn, 'hardReset', o.hardReset, false);
    super(fn, o, LIFM_NODE_OPTIONS);
    this.tauM = tauM;
    this.tauP = tauP;
    this.dt = dt;
    this.decayM = spaicDecay(dt, tauM);
    this.decayP = spaicDecay(dt, tauP);
    this.bias = bias;
    this.hardReset = hardReset;
    this.vThreshold = fire.vThreshold;
    this.surrogate = fire.surrogate;
    for (const k of this.stateKeys) this.registerMemory(k, 0);
  }

  /** The chemical synaptic current I_che now (owned by the node). */
  get i(): Tensor {
    return this.getMemory('i');
  }

  /**
   * `forward(x)` with an electrical (gap-junction) current `iEle` added to the chemical one: a
   * tensor of x's shape (`[B, ...]`, or `[T, B, ...]` in multi-step mode). Returns the spikes.
   *
   * @throws ShapeError when `iEle`'s shape differs from x's; ValueError when it is not a tensor.
   */
  forwardWithElectrical(x: Tensor, iEle: Tensor): Tensor {
    return this.forwardWithInputs('LIFMNode.forwardWithElectrical', x, { iEle });
  }

  protected stepState(x: Tensor, s: LIFMState, e: ExtraInputs): { out: Tensor; state: LIFMState } {
    const r = lifmStep(x, s, this, e.iEle as Tensor | undefined);
    return { out: r.spike, state: r.state };
  }
}

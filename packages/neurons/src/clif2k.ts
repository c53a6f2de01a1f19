import { checkPositive } from '@snn/core';
import { checkOptionTable, type OptionTable } from './checks.js';
import { KernelCLIFNode, kernelV0 } from './clif3k.js';
import { checkDt, SPAIC_SPIKING_OPTIONS, type SpaicSpikingOptions } from './spaic-node.js';

/** Options of {@link CLIF2KNode}. */
export interface CLIF2KNodeOptions extends SpaicSpikingOptions {
  /** Time constant of the membrane kernel M and of the reset kernel E in ms (SPAIC's `tau_m`). Default 20. */
  readonly tauM?: number;
  /** Time constant of the synaptic kernel S in ms (SPAIC's `tau_s`), ≠ tauM. Default 12. */
  readonly tauS?: number;
  /** Time step in ms. Default 0.1 (SPAIC's). */
  readonly dt?: number;
}

/** Every option of {@link CLIF2KNodeOptions} (see {@link OptionTable}). */
export const CLIF2K_NODE_OPTIONS: OptionTable<CLIF2KNodeOptions> = {
  ...SPAIC_SPIKING_OPTIONS,
  tauM: 'value',
  tauS: 'value',
  dt: 'value',
};

/**
 * SPAIC's current LIF with two kernels (`clif2k`, `CLIF2kModel`): {@link CLIF3KNode} whose rising
 * kernel M decays with the membrane time constant, like the reset kernel E. Per step:
 *
 * - `I = V0·X`; `M ← τM·M + I`; `S ← τS·S + I`
 * - `V = M − S − E` (E of the previous step); `O = [V > vThreshold]`
 * - `E ← τM·E + vThreshold·O`
 *
 * with `τX = exp(−dt/tau_x)` (float32) and `V0 = β^{β/(β−1)}/(β − 1)`, `β = tau_m/tau_s`. The pure
 * step is `clif3kStep` with `decayP = decayM`, `decayQ = decayS`.
 *
 * Parameters (defaults): `tauM` 20, `tauS` 12 ms, `dt` 0.1 ms, `vThreshold` 1. State: `m`, `s`,
 * `e`, `i`, `v`, all starting at 0.
 *
 * @throws UnknownOptionError for an option name that {@link CLIF2KNodeOptions} lacks; ValueError
 * when a time constant or `dt` is not a finite number > 0, `tauS` equals `tauM`, the threshold is
 * not finite, or a boolean option is not a boolean.
 * @example
 * ```ts
 * const node = new CLIF2KNode({ tauM: 20, tauS: 5, stepMode: 'm' });
 * const spikes = node.forward(xSeq); // [T, B, N]
 * ```
 */
export class CLIF2KNode extends KernelCLIFNode {
  readonly tauM: number;
  readonly tauS: number;

  constructor(options: CLIF2KNodeOptions = {}) {
    const fn = 'CLIF2KNode';
    const o = checkOptionTable(fn, options, CLIF2K_NODE_OPTIONS);
    const dt = checkDt(fn, o.dt);
    const tauM = checkPositive(fn, 'tauM', o.tauM ?? 20);
    const tauS = checkPositive(fn, 'tauS', o.tauS ?? 12);
    const v0 = kernelV0(fn, ['tauM', tauM], ['tauS', tauS]);
    super(fn, o, CLIF2K_NODE_OPTIONS, { dt, tauM, tauP: tauM, tauQ: tauS, v0 });
    this.tauM = tauM;
    this.tauS = tauS;
  }
}

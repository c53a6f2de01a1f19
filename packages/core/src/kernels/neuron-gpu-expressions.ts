import type { NeuronBackwardAttrs } from './neuron-contract.js';

/** The backward's per-configuration terms as shader expressions, see {@link backwardExpressions}. */
export interface BackwardExpressions {
  /** `∂V/∂S`: 0 under `detachReset`, `−(vth + th)` soft, `vReset − h` hard. */
  readonly dVdS: string;
  /** `∂H/∂V` of the charge. */
  readonly dHdV: string;
  /** The input gradient from `gH` (`gH / p` or `gH * p` when the input is scaled). */
  readonly gradX: string;
  /** Whether the leak target is 0 (soft reset or `vReset` 0). */
  readonly r0: boolean;
}

/**
 * The terms of `SnnNeuronBackward` (see `neuron-contract.ts`) that depend only on the attributes,
 * as arithmetic that reads the same in GLSL and WGSL over the names `vth`, `th`, `vReset`, `h`,
 * `p` and `gH`: shared by the webgl and webgpu kernels.
 */
export function backwardExpressions(a: NeuronBackwardAttrs): BackwardExpressions {
  const dVdS = a.detachReset ? '0.0' : a.softReset ? '-(vth + th)' : 'vReset - h';
  if (a.charge === 'lif') {
    return { dVdS, dHdV: '((p - 1.0) / p)', gradX: a.decayInput ? 'gH / p' : 'gH', r0: a.softReset || a.vReset === 0 };
  }
  if (a.charge === 'plif') {
    return { dVdS, dHdV: '(1.0 - p)', gradX: a.decayInput ? 'gH * p' : 'gH', r0: a.softReset || a.vReset === 0 };
  }
  return { dVdS, dHdV: '1.0', gradX: 'gH', r0: a.softReset || a.vReset === 0 };
}

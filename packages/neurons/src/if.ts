import type { Tensor } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';
import { BaseNode, type BaseNodeOptions, type NeuronKernelSpec, type NodeParams } from './base-node.js';
import { fireAndReset, type MembraneState, type StepResult } from './step.js';

/** IF (SpikingJelly `IFNode`) charge: `H = V + X`. Pure. */
export function ifCharge(x: Tensor, v: Tensor): Tensor {
  return tf.add(v, x);
}

/**
 * One IF step over explicit state: `H = V + X` → fire → reset. Pure: reads `s`, never disposes
 * it, returns new tensors.
 */
export function ifStep(x: Tensor, s: MembraneState, p: NodeParams): StepResult<MembraneState> {
  return tf.tidy(() => fireAndReset(ifCharge(x, s.v), p));
}

/**
 * Integrate-and-fire neuron (SpikingJelly `IFNode`): `H = V + X`; `S = Θ(H − vThreshold)`;
 * hard reset `V = H·(1 − S) + vReset·S`, soft `V = H − vThreshold·S`. State: `v`.
 * Both step modes run the fused neuron kernel (charge `'if'`).
 *
 * @throws UnknownOptionError for an option name that {@link BaseNodeOptions} lacks; ValueError
 * when `vThreshold` or `vReset` is not finite, or a boolean option is not a boolean.
 * @example
 * ```ts
 * const node = new IFNode({ vThreshold: 1, vReset: 0, stepMode: 'm' });
 * const spikes = node.forward(xSeq); // [T, B, N]
 * ```
 */
export class IFNode extends BaseNode {
  constructor(options: BaseNodeOptions = {}) {
    super('IFNode', options);
  }

  protected override charge(x: Tensor, v: Tensor): Tensor {
    return ifCharge(x, v);
  }

  protected override kernelSpec(): NeuronKernelSpec {
    return { charge: 'if' };
  }
}

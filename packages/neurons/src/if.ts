import type { LIFMultiStepAttrs } from '@snn/core';
import type { Tensor } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';
import { BaseNode, type BaseNodeOptions } from './base-node.js';

/** IF (SpikingJelly `IFNode`) charge: `H = V + X`. Pure. */
export function ifCharge(x: Tensor, v: Tensor): Tensor {
  return tf.add(v, x);
}

/**
 * Integrate-and-fire neuron (SpikingJelly `IFNode`): `H = V + X`; `S = Θ(H − vThreshold)`;
 * hard reset `V = H·(1 − S) + vReset·S`, soft `V = H − vThreshold·S`. State: `v`.
 * Multi-step mode runs the `SnnLIFMultiStep` kernel with `tau = Infinity`.
 *
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

  protected override lifKernelAttrs(): LIFMultiStepAttrs {
    const { vThreshold, vReset } = this.params;
    return {
      tau: Number.POSITIVE_INFINITY,
      decayInput: false,
      vThreshold,
      vReset: vReset ?? 0,
      softReset: vReset === null,
    };
  }
}

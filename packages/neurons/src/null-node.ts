import { checkTensor, checkTimeSteps, Module } from '@snn/core';
import type { Tensor } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';
import { checkOptionTable, type OptionTable } from './checks.js';
import type { SpaicNodeOptions } from './spaic-node.js';

/** Options of {@link NullNode}: only the step mode. */
export type NullNodeOptions = Pick<SpaicNodeOptions, 'stepMode'>;

/** Every option of {@link NullNodeOptions} (see {@link OptionTable}). */
export const NULL_NODE_OPTIONS: OptionTable<NullNodeOptions> = { stepMode: 'value' };

/**
 * SPAIC's `null` neuron model (`NullModel`): no dynamics, the output is the input of the same
 * step (`O = Isyn`), in either step mode. A placeholder population that passes its input on (as
 * SPAIC uses it). Stateless: `reset()` does nothing. Returns a copy the caller owns.
 *
 * @throws UnknownOptionError for an option other than `stepMode`; ValueError for a bad step mode
 * or an input that is not a tensor.
 * @example
 * ```ts
 * const relay = new NullNode();
 * relay.forward(x); // a copy of x
 * ```
 */
export class NullNode extends Module {
  constructor(options: NullNodeOptions = {}) {
    super(checkOptionTable('NullNode', options, NULL_NODE_OPTIONS).stepMode ?? 's');
  }

  protected override singleStepForward(x: Tensor): Tensor {
    checkTensor('NullNode.forward', 'x', x);
    return tf.clone(x);
  }

  protected override multiStepForward(xSeq: Tensor): Tensor {
    checkTimeSteps('NullNode.forward', 'xSeq', xSeq);
    return tf.clone(xSeq);
  }
}

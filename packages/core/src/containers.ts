import type { Tensor } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';
import { checkMinRank, checkOneOf, checkTimeSteps } from './checks.js';
import { ValueError } from './errors.js';
import { checkModule, Module, stepThroughTime } from './module.js';

/**
 * Runs its children one after another; each child's output is the next one's input.
 * Children are named `'0'`, `'1'`, ... so their parameters are `'0.weight'` and so on.
 *
 * @example
 * ```ts
 * const net = new Sequential(new SeqToANN(linear), new LIFNode({ stepMode: 'm' }));
 * const out = net.forward(xSeq); // [T, B, N]
 * ```
 */
export class Sequential extends Module {
  /** The children in order. */
  readonly layers: readonly Module[];

  constructor(...layers: Module[]) {
    super();
    if (layers.length === 0) throw new ValueError('Sequential', 'layers', 'at least one Module', layers);
    for (const [i, m] of layers.entries()) this.registerModule(String(i), m);
    this.layers = layers;
  }

  protected override compute(x: Tensor): Tensor {
    return tf.tidy(() => {
      let y = x;
      for (const layer of this.layers) y = layer.forward(y);
      return y;
    });
  }
}

/**
 * Runs a single-step module over a sequence: input `[T, B, ...]`, output `[T, B, ...]`, the
 * module stepped T times (SpikingJelly's `MultiStepContainer`). State carries across steps.
 */
export class MultiStep extends Module {
  constructor(readonly module: Module) {
    super('m');
    this.registerModule('module', checkModule('MultiStep', 'module', module).setStepMode('s'));
  }

  /** A MultiStep is always multi-step over a single-step module: this changes nothing. */
  override setStepMode(_mode: 's' | 'm'): this {
    return this;
  }

  protected override compute(xSeq: Tensor): Tensor {
    return multiStepForward(xSeq, this.module);
  }
}

/**
 * Folds time into batch for stateless layers: `[T, B, ...]` → `[T·B, ...]` through the
 * children in order → `[T, B, ...]` (SpikingJelly's `SeqToANNContainer`). One call over the
 * whole sequence instead of T calls.
 */
export class SeqToANN extends Module {
  readonly layers: readonly Module[];

  constructor(...layers: Module[]) {
    super('m');
    if (layers.length === 0) throw new ValueError('SeqToANN', 'layers', 'at least one Module', layers);
    for (const [i, m] of layers.entries()) this.registerModule(String(i), m);
    this.layers = layers;
  }

  protected override compute(xSeq: Tensor): Tensor {
    return seqToANNForward(xSeq, (x) => this.layers.reduce((y, layer) => layer.forward(y), x));
  }
}

/**
 * Steps a single-step module over `xSeq` (`[T, B, ...]`) and stacks the outputs: `[T, B, ...]`.
 * @throws ShapeError when `xSeq` has rank < 2; ValueError when T = 0.
 */
export function multiStepForward(xSeq: Tensor, module: Module): Tensor {
  checkTimeSteps('multiStepForward', 'xSeq', xSeq);
  checkModule('multiStepForward', 'module', module);
  return stepThroughTime(xSeq, (x) => module.forward(x));
}

/**
 * Runs a stateless function or module on `xSeq` (`[T, B, ...]`) with time folded into batch.
 * @throws ShapeError when `xSeq` has rank < 2; ValueError when T = 0.
 */
export function seqToANNForward(xSeq: Tensor, layer: Module | ((x: Tensor) => Tensor)): Tensor {
  checkMinRank('seqToANNForward', 'xSeq', xSeq, 2, '[T, B, ...]');
  checkTimeSteps('seqToANNForward', 'xSeq', xSeq);
  if (!(layer instanceof Module) && typeof layer !== 'function') {
    throw new ValueError('seqToANNForward', 'layer', 'a Module or a function of a tensor', layer);
  }
  const [T, B, ...rest] = xSeq.shape as [number, number, ...number[]];
  const f = layer instanceof Module ? (x: Tensor) => layer.forward(x) : layer;
  return tf.tidy(() => {
    const y = f(tf.reshape(xSeq, [T * B, ...rest]));
    const [, ...outRest] = y.shape;
    return tf.reshape(y, [T, B, ...outRest]);
  });
}

/**
 * Resets every memory of `net` and its descendants (SpikingJelly's `functional.reset_net`).
 * @throws ValueError when `net` is not a Module.
 */
export function resetNet(net: Module): void {
  checkModule('resetNet', 'net', net).reset();
}

/**
 * Sets the step mode of `net` and every descendant (SpikingJelly's `functional.set_step_mode`).
 * @throws ValueError when `net` is not a Module or `mode` is neither `'s'` nor `'m'`.
 */
export function setStepMode(net: Module, mode: 's' | 'm'): void {
  checkModule('setStepMode', 'net', net);
  net.setStepMode(checkOneOf('setStepMode', 'mode', mode, ['s', 'm'] as const));
}

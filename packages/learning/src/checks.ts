import { checkMinRank, checkOneOf, checkTensor, type Module, ShapeError, ValueError } from '@snn/core';
import type { Scalar, Tensor } from '@tensorflow/tfjs-core';
import type { LossFn } from './losses.js';
import type { Decode } from './metrics.js';

/** Network inputs: a tensor (the caller owns it) or a function that makes one (run inside the step, its result freed). */
export type Inputs = Tensor | (() => Tensor);

/** Throws unless `net` looks like an snn `Module` (duck-typed, so two copies of @snn/core still work together). */
export function checkNet(fn: string, net: unknown): Module {
  const m = net as Partial<Module> | null;
  if (
    m === null ||
    typeof m !== 'object' ||
    typeof m.forward !== 'function' ||
    typeof m.reset !== 'function' ||
    typeof m.parameters !== 'function' ||
    typeof m.modules !== 'function'
  ) {
    throw new ValueError(fn, 'net', 'an snn Module', net);
  }
  return net as Module;
}

/** Throws unless `inputs` is a tensor or a function. */
export function checkInputs(fn: string, arg: string, inputs: unknown): Inputs {
  if (typeof inputs === 'function') return inputs as () => Tensor;
  return checkTensor(fn, arg, inputs);
}

/** Runs `inputs` when it is a function and checks what it made. */
export function inputTensor(fn: string, inputs: Inputs): Tensor {
  return typeof inputs === 'function' ? checkTensor(fn, 'inputs()', inputs()) : inputs;
}

/** Checks labels: a tensor with a batch axis; returns B. */
export function checkBatchLabels(fn: string, arg: string, labels: unknown): number {
  checkMinRank(fn, arg, labels as Tensor, 1, '[B, ...]');
  return (labels as Tensor).shape[0] as number;
}

/** Throws unless `loss` is a function (or, when `optional`, undefined). */
export function checkLossFn(fn: string, loss: unknown, optional: boolean): LossFn | undefined {
  if (loss === undefined && optional) return undefined;
  if (typeof loss !== 'function') {
    throw new ValueError(fn, 'loss', 'a function (outputs, labels) => scalar, e.g. rateCrossEntropyLoss', loss);
  }
  return loss as LossFn;
}

/** Calls the loss and checks that it returned a scalar tensor. */
export function lossValue(fn: string, loss: LossFn, outputs: Tensor, labels: Tensor): Scalar {
  const value = checkTensor(fn, 'loss(outputs, labels)', loss(outputs, labels));
  if (value.rank !== 0) throw new ShapeError(fn, 'loss(outputs, labels)', 'rank 0 (a scalar)', value.shape);
  return value as Scalar;
}

/** Resolves the `decode` option: `'rate'` by default, `null` to skip accuracy. */
export function checkDecode(fn: string, decode: unknown): Decode | null {
  if (decode === null) return null;
  return checkOneOf(fn, 'decode', decode ?? 'rate', ['rate', 'firstSpike'] as const);
}

/** Throws unless `forward` is undefined or a function; returns the forward pass to use. */
export function checkForward(fn: string, net: Module, forward: unknown): (x: Tensor) => Tensor {
  if (forward === undefined) return (x) => net.forward(x);
  if (typeof forward !== 'function') throw new ValueError(fn, 'forward', 'a function (inputs) => outputs', forward);
  return (x) => checkTensor(fn, 'forward(inputs)', (forward as (x: Tensor) => Tensor)(x));
}

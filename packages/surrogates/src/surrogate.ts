import { checkTensor, ValueError } from '@snn/core';
import type { Tensor } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';
import { checkOptionTable, type OptionTable } from './options.js';

/**
 * A surrogate spike function. In spiking mode, forward is the Heaviside step
 * `Θ(x) = 1 if x ≥ 0 else 0` and backward is `dy · g'(x)`, the derivative of a smooth primitive
 * `g`; with `spiking: false`, forward is `g(x)` itself with its ordinary gradient (for ANN
 * pretraining). `x` is `H − vThreshold`.
 */
export interface Surrogate {
  /** The name of the function (`'sigmoid'`, `'atan'`, ...). */
  readonly name: string;
  /** Its parameters with their values (`{ alpha: 4 }`). */
  readonly params: Readonly<Record<string, number>>;
  /** Heaviside forward (true) or the smooth primitive (false). */
  readonly spiking: boolean;
  /** Forward of the mode above, with the surrogate gradient in spiking mode. Caller owns the result. */
  apply(x: Tensor): Tensor;
  /** The surrogate gradient `g'(x)`, elementwise, without taping. */
  grad(x: Tensor): Tensor;
  /** The primitive `g(x)`; undefined for surrogates that have none. */
  readonly primitive?: (x: Tensor) => Tensor;
  /** The same surrogate in the other mode. */
  withSpiking(spiking: boolean): Surrogate;
}

/**
 * Options of every surrogate factory that has a primitive.
 * `spiking: true` (default): Heaviside forward, surrogate gradient backward.
 * `spiking: false`: forward is the primitive `g(x)` itself, with its ordinary gradient.
 */
export interface SurrogateOptions {
  readonly spiking?: boolean;
}

/** Every option of {@link SurrogateOptions} (see {@link OptionTable}). */
export const SURROGATE_OPTIONS: OptionTable<SurrogateOptions> = { spiking: 'boolean' };

/**
 * Checks a factory's {@link SurrogateOptions} (an unknown name is an UnknownOptionError naming the
 * closest valid one, a `spiking` that is not a boolean a ValueError) and returns its mode.
 */
export function spikingOption(fn: string, options: SurrogateOptions | undefined): boolean {
  return checkOptionTable(fn, options, SURROGATE_OPTIONS).spiking ?? true;
}

/** What a surrogate is made of; see {@link defineSurrogate}. */
export interface SurrogateSpec {
  readonly name: string;
  readonly params: Readonly<Record<string, number>>;
  /** `g'(x)`: float32, elementwise, differentiable ops are not needed. */
  readonly grad: (x: Tensor) => Tensor;
  /** `g(x)`, differentiated by tfjs in non-spiking mode. */
  readonly primitive?: (x: Tensor) => Tensor;
}

/** Every field of {@link SurrogateSpec} (see {@link OptionTable}). */
export const SURROGATE_SPEC_FIELDS: OptionTable<SurrogateSpec> = {
  name: 'value',
  params: 'value',
  grad: 'value',
  primitive: 'value',
};

/** Throws unless `spec` is a {@link SurrogateSpec}: known fields only, a name, params, functions. */
function checkSpec(spec: SurrogateSpec): void {
  const fn = 'defineSurrogate';
  if (spec === undefined) throw new ValueError(fn, 'spec', 'a SurrogateSpec { name, params, grad, primitive? }', spec);
  checkOptionTable(fn, spec, SURROGATE_SPEC_FIELDS);
  if (typeof spec.name !== 'string' || spec.name === '')
    throw new ValueError(fn, 'name', 'a non-empty string', spec.name);
  if (spec.params === null || typeof spec.params !== 'object') {
    throw new ValueError(fn, 'params', 'an object of named numbers', spec.params);
  }
  if (typeof spec.grad !== 'function') throw new ValueError(fn, 'grad', "a function x => g'(x)", spec.grad);
  if (spec.primitive !== undefined && typeof spec.primitive !== 'function') {
    throw new ValueError(fn, 'primitive', 'a function x => g(x), or undefined', spec.primitive);
  }
}

/** Θ(x) = 1 where x ≥ 0 (inclusive, as SpikingJelly), as float32. */
export function heaviside(x: Tensor): Tensor {
  return tf.tidy(() => tf.cast(tf.greaterEqual(x, 0), 'float32'));
}

/**
 * Builds a {@link Surrogate} from its gradient and primitive. Spiking mode runs through
 * `tf.customGrad`: forward Θ(x), backward `dy · grad(x)`. Non-spiking mode runs the primitive
 * with tfjs autograd. Intermediate tensors of `grad` and `primitive` are disposed.
 *
 * @param spec - Name, parameters, `g'(x)` and optionally `g(x)`.
 * @param spiking - Heaviside forward (default) or the primitive.
 * @throws UnknownOptionError when `spec` has a field other than `name`, `params`, `grad` and
 *   `primitive` (a misspelt `primitve` would otherwise leave the surrogate without one).
 * @throws ValueError when a field of `spec` has the wrong type, `spiking` is not a boolean, or
 *   `spiking` is false and `spec` has no primitive.
 * @example
 * ```ts
 * const box = defineSurrogate({ name: 'box', params: { width: 1 },
 *   grad: (x) => tf.cast(tf.lessEqual(tf.abs(x), 0.5), 'float32') });
 * ```
 */
export function defineSurrogate(spec: SurrogateSpec, spiking = true): Surrogate {
  checkSpec(spec);
  if (typeof spiking !== 'boolean') throw new ValueError(spec.name, 'spiking', 'a boolean', spiking);
  if (!spiking && spec.primitive === undefined) {
    throw new ValueError(spec.name, 'spiking', 'true: this surrogate has no primitive', spiking);
  }
  const spikeFunc = (x: Tensor, save: tf.GradSaveFunc) => {
    save([x]);
    return {
      value: heaviside(x),
      gradFunc: (dy: Tensor, saved: Tensor[]) => tf.mul(dy, spec.grad(saved[0] as Tensor)),
    };
  };
  const spike = tf.customGrad(spikeFunc as unknown as Parameters<typeof tf.customGrad>[0]);
  const rawPrimitive = spec.primitive;
  const primitive =
    rawPrimitive === undefined
      ? undefined
      : (x: Tensor) => {
          checkTensor(`${spec.name}.primitive`, 'x', x);
          return tf.tidy(() => rawPrimitive(x));
        };
  const surrogate: Surrogate = {
    name: spec.name,
    params: spec.params,
    spiking,
    apply(x: Tensor): Tensor {
      checkTensor(spec.name, 'x', x);
      if (spiking) return spike(x) as Tensor;
      return (primitive as (x: Tensor) => Tensor)(x);
    },
    grad: (x: Tensor) => {
      checkTensor(`${spec.name}.grad`, 'x', x);
      return tf.tidy(() => spec.grad(x));
    },
    withSpiking: (mode: boolean) => defineSurrogate(spec, mode),
  };
  return primitive === undefined ? surrogate : { ...surrogate, primitive };
}

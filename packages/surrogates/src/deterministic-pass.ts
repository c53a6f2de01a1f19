import * as tf from '@tensorflow/tfjs-core';
import { defineSurrogate, type Surrogate, type SurrogateOptions, spikingOption } from './surrogate.js';

/**
 * Deterministic pass (SpikingJelly master `DeterministicPass`): straight-through gradient with the
 * identity as primitive.
 *
 * ```
 * g'(x) = 1
 * g(x)  = x
 * ```
 *
 * @param options - `spiking` (default true): Heaviside forward, or the identity when false.
 * @throws UnknownOptionError for an option other than `spiking`; ValueError for a `spiking` that is not a boolean.
 * @example
 * ```ts
 * const s = deterministicPass();
 * ```
 */
export function deterministicPass(options: SurrogateOptions = {}): Surrogate {
  const spiking = spikingOption('deterministicPass', options);
  return defineSurrogate(
    {
      name: 'deterministicPass',
      params: {},
      grad: (x) => tf.onesLike(x),
      primitive: (x) => tf.clone(x),
    },
    spiking,
  );
}

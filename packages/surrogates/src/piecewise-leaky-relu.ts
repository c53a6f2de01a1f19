import { checkFinite, checkOneOf, checkPositive } from '@snn/core';
import * as tf from '@tensorflow/tfjs-core';
import { atLeast, atMost } from './internal.js';
import { checkOptionTable, type OptionTable } from './options.js';
import { defineSurrogate, SURROGATE_OPTIONS, type Surrogate, type SurrogateOptions } from './surrogate.js';

/** Options of {@link piecewiseLeakyReLU}. */
export interface PiecewiseLeakyReLUOptions extends SurrogateOptions {
  /**
   * The surrogate gradient inside `|x| < w`: `'1/w'` (default, SpikingJelly 0.0.0.0.14) or
   * `'1/(2w)'` (SpikingJelly master: the slope of the primitive).
   */
  readonly gradient?: '1/w' | '1/(2w)';
}

/** Every option of {@link PiecewiseLeakyReLUOptions} (see {@link OptionTable}). */
export const PIECEWISE_LEAKY_RELU_OPTIONS: OptionTable<PiecewiseLeakyReLUOptions> = {
  ...SURROGATE_OPTIONS,
  gradient: 'value',
};

/**
 * Piecewise leaky ReLU surrogate (SpikingJelly `PiecewiseLeakyReLU`).
 *
 * ```
 * g'(x) = 1/w   for |x| < w   ('1/(2w)' with options.gradient = '1/(2w)')
 *         c     for |x| ≥ w
 * g(x)  = c·x + c·w          for x < −w
 *         x/(2w) + 1/2       for |x| ≤ w
 *         c·x − c·w + 1      for x > w
 * ```
 *
 * By default the gradient inside is `1/w` as in SpikingJelly 0.0.0.0.14 (twice the slope of the
 * primitive); SpikingJelly master uses `1/(2w)`, the slope of the primitive. In non-spiking mode
 * the gradient is the primitive's own, `1/(2w)` inside, whatever `options.gradient` says.
 *
 * @param w - Half-width of the steep middle piece, default 1.
 * @param c - Slope outside it, default 0.01.
 * @param options - `spiking` (default true); `gradient` (default `'1/w'`).
 * @throws UnknownOptionError for an option other than `spiking` and `gradient`.
 * @throws ValueError when `w` is not a finite number > 0, `c` is not finite, `gradient` is
 *   neither `'1/w'` nor `'1/(2w)'`, or `spiking` is not a boolean.
 * @example
 * ```ts
 * const sj014 = piecewiseLeakyReLU(1, 0.01);                          // g'(0) = 1
 * const master = piecewiseLeakyReLU(1, 0.01, { gradient: '1/(2w)' }); // g'(0) = 0.5
 * ```
 */
export function piecewiseLeakyReLU(w = 1, c = 0.01, options: PiecewiseLeakyReLUOptions = {}): Surrogate {
  const fn = 'piecewiseLeakyReLU';
  const o = checkOptionTable(fn, options, PIECEWISE_LEAKY_RELU_OPTIONS);
  checkPositive(fn, 'w', w);
  checkFinite(fn, 'c', c);
  const gradient = checkOneOf(fn, 'options.gradient', o.gradient ?? '1/w', ['1/w', '1/(2w)'] as const);
  const inner = gradient === '1/w' ? 1 / w : 1 / (2 * w);
  return defineSurrogate(
    {
      name: fn,
      params: { w, c },
      grad: (x) => tf.where(atLeast(tf.abs(x), w), tf.fill(x.shape, c), tf.fill(x.shape, inner)),
      primitive: (x) => {
        const left = tf.add(tf.mul(x, c), c * w);
        const right = tf.add(tf.mul(x, c), -(c * w) + 1);
        const mid = tf.add(tf.div(x, 2 * w), 0.5);
        return tf.where(atLeast(x, -w), tf.where(atMost(x, w), mid, right), left);
      },
    },
    o.spiking ?? true,
  );
}

// What SPAIC's Darwin-chip models (darwin_clif, darwin_alif, darwin_random) share: the chip's
// 16-bit quantisation, its fixed-point constants, and initial potentials drawn per neuron from
// a seeded random source.
import { checkFinite, checkTensor, createRng, DTypeError, type Rng, ShapeError, ValueError } from '@snn/core';
import type { Tensor } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';
import type { AnyOptionTable, OptionTable } from './checks.js';
import { type NamedState, SPAIC_NODE_OPTIONS, SpaicNode, type SpaicNodeOptions } from './spaic-node.js';

/**
 * The chip's 16-bit potential: `q16(x) = round(clamp(x + 2^15, 0, 2^16)) − 2^15`, float32, with
 * round half to even (as `torch.round`). Values land on whole numbers in [−32768, 32768]. Pure.
 */
export function quantize16(x: Tensor): Tensor {
  return tf.tidy(() => tf.sub(tf.round(tf.minimum(tf.maximum(tf.add(x, 32768), 0), 65536)), 32768));
}

/** `Math.round` with ties to even (numpy's `np.round`, Python's `round`). */
export function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/** A decay factor as the chip stores it: `exp(−dt/τ)` rounded to `bits` fractional bits (float64, as SPAIC's numpy). */
export function fixedPointDecay(dt: number, tau: number, bits: number): number {
  return roundHalfEven(Math.exp(-dt / tau) * 2 ** bits) / 2 ** bits;
}

/** Initial potentials: one value, U(low, high) drawn once per neuron, or a tensor of one value per neuron. */
export type DarwinVInit = number | { readonly low: number; readonly high: number } | Tensor;

/** Options every Darwin node takes. */
export interface DarwinNodeOptions extends SpaicNodeOptions {
  /** Time step in ms. Default 0.1 (SPAIC's). */
  readonly dt?: number;
  /** Firing threshold: a neuron fires when its potential is strictly above it. */
  readonly vThreshold?: number;
  /**
   * Initial potentials: a number, `{ low, high }` (drawn uniformly once per neuron, shared by the
   * batch and restored by `reset()`), or a tensor with one value per neuron (the input's shape
   * without the batch axis).
   */
  readonly vInit?: DarwinVInit;
  /** Seed of the node's own random stream (`createRng(seed)`). Give at most one of `seed`, `rng`. */
  readonly seed?: number;
  /** A random source shared with other components (`createRng` of @snn/core). */
  readonly rng?: Rng;
}

/** The options of {@link DarwinNodeOptions} (see {@link OptionTable}). */
export const DARWIN_NODE_OPTIONS: OptionTable<DarwinNodeOptions> = {
  ...SPAIC_NODE_OPTIONS,
  dt: 'value',
  vThreshold: 'value',
  vInit: 'value',
  seed: 'value',
  rng: 'value',
};

let defaultRng: Rng | undefined;

/**
 * The random source of a node: `rng`, else `createRng(seed)`, else this package's default stream
 * (`createRng(0)`, made at first use and shared by every node built without either).
 * @throws ValueError when both are given, the seed is not a safe integer, or `rng` is not an Rng.
 */
export function resolveRng(fn: string, o: { readonly seed?: number; readonly rng?: Rng }): Rng {
  if (o.seed !== undefined && o.rng !== undefined) {
    throw new ValueError(fn, 'seed', "undefined when 'rng' is given (pass one of the two)", o.seed);
  }
  if (o.rng !== undefined) {
    const r = o.rng as Partial<Rng> | null;
    if (r === null || typeof r !== 'object' || typeof r.uniform !== 'function') {
      throw new ValueError(fn, 'rng', "an Rng from @snn/core's createRng", o.rng);
    }
    return o.rng;
  }
  if (o.seed !== undefined) {
    if (!Number.isSafeInteger(o.seed)) throw new ValueError(fn, 'seed', 'a safe integer', o.seed);
    return createRng(o.seed);
  }
  defaultRng ??= createRng(0);
  return defaultRng;
}

/** Checks a {@link DarwinVInit}; a tensor is copied (the node owns the copy). */
function resolveVInit(fn: string, v: DarwinVInit): DarwinVInit {
  if (typeof v === 'number') return checkFinite(fn, 'vInit', v);
  if (v !== null && typeof v === 'object' && !(v instanceof tf.Tensor) && 'low' in v && 'high' in v) {
    const { low, high } = v;
    if (!(Number.isFinite(low) && Number.isFinite(high) && low < high)) {
      throw new ValueError(fn, 'vInit', '{ low, high } with finite low < high', v);
    }
    return { low, high };
  }
  const t = checkTensor(fn, 'vInit', v);
  if (t.dtype !== 'float32') throw new ValueError(fn, 'vInit', 'a float32 tensor', `a ${t.dtype} tensor`);
  return tf.keep(tf.clone(t));
}

/**
 * Base of the Darwin nodes: SPAIC's node machinery plus initial potentials per neuron and a random
 * source. Memory `v` starts as a scalar; at the first step after construction or `reset()` it
 * takes the initial potentials ({@link DarwinNodeOptions.vInit}) broadcast over the batch. A
 * drawn set is kept, so every `reset()` starts from the same potentials (as SPAIC, whose
 * initial value is one tensor drawn at build time); a new neuron shape draws anew.
 */
export abstract class DarwinNode<S extends NamedState> extends SpaicNode<S> {
  /** The firing threshold (initial threshold for the adaptive model). */
  readonly vThreshold: number;
  /** Time step in ms. */
  readonly dt: number;
  /** The random source (initial potentials, noise). */
  protected readonly rng: Rng;
  private readonly vInit: DarwinVInit;
  private drawn: Tensor | null = null;

  constructor(
    nodeName: string,
    options: DarwinNodeOptions,
    optionTable: AnyOptionTable,
    defaults: { readonly vThreshold: number; readonly vInit: DarwinVInit },
  ) {
    super(nodeName, options, optionTable);
    this.vThreshold = checkFinite(nodeName, 'vThreshold', options.vThreshold ?? defaults.vThreshold);
    const dt = options.dt ?? 0.1;
    if (!(typeof dt === 'number' && Number.isFinite(dt) && dt > 0))
      throw new ValueError(nodeName, 'dt', 'a finite number > 0', dt);
    this.dt = dt;
    this.rng = resolveRng(nodeName, options);
    // Last: the only check that allocates (a tensor vInit is copied).
    this.vInit = resolveVInit(nodeName, options.vInit ?? defaults.vInit);
    this.registerMemory('v', typeof this.vInit === 'number' ? this.vInit : 0);
  }

  /** Besides the state's shape: float32, a batch axis, and neurons that match a tensor `vInit`. */
  protected override checkInput(x: Tensor, arg: string, stepShape: readonly number[]): void {
    super.checkInput(x, arg, stepShape);
    const fn = `${this.nodeName}.forward`;
    if (x.dtype !== 'float32') throw new DTypeError(fn, arg, 'float32', x.dtype);
    if (stepShape.length < 2) throw new ShapeError(fn, arg, 'a batch axis and neurons, [B, N, ...] per step', x.shape);
    const v = this.vInit;
    if (v instanceof tf.Tensor) {
      const neurons = stepShape.slice(1);
      if (v.rank !== neurons.length || v.shape.some((d, i) => d !== neurons[i])) {
        throw new ShapeError(fn, arg, `neurons of the shape of vInit, [${v.shape.join(', ')}]`, x.shape);
      }
    }
  }

  /** The potential to step from: the state, or at the first step the initial potentials of `shape` (`[B, ...]`). */
  protected startV(v: Tensor, shape: readonly number[]): Tensor {
    if (v.rank > 0 || typeof this.vInit === 'number') return v;
    const neurons = shape.slice(1);
    let init: Tensor;
    if (this.vInit instanceof tf.Tensor) init = this.vInit;
    else {
      const same =
        this.drawn !== null && this.drawn.rank === neurons.length && this.drawn.shape.every((d, i) => d === neurons[i]);
      let drawn = this.drawn;
      if (drawn === null || !same) {
        this.drawn?.dispose();
        drawn = tf.keep(this.rng.uniform(neurons, this.vInit.low, this.vInit.high));
        this.drawn = drawn;
      }
      init = drawn;
    }
    return tf.broadcastTo(init, [...shape]);
  }

  override dispose(): void {
    this.drawn?.dispose();
    this.drawn = null;
    if (this.vInit instanceof tf.Tensor) this.vInit.dispose();
    super.dispose();
  }
}

/**
 * The fused neuron-kernel contract: names, inputs and attributes of the two kernels a backend may
 * implement natively (as SpikingJelly's `NeuronFPTTKernel` / `NeuronBPTTKernel`). A model supplies
 * its charge (one of {@link ChargeKind}) and its state; the kernel supplies the time loop, fire,
 * reset, an optional adaptive threshold, and the backward. Core runs a reference built from
 * ordinary tfjs ops when a backend has no kernel under the name (`neuron-reference.ts`), so every
 * model works everywhere and a registered kernel makes it faster without any model changing.
 *
 * Per step t, with `r = vReset` (0 under soft reset) and `θ` the threshold offset (0 unless
 * `adaptive`):
 *
 * 1. charge (float32, in SpikingJelly's order of operations):
 *    - `if`:   `H = V + X`
 *    - `lif`:  `decayInput`: `H = V + (X − V) / τ` (r = 0) or `H = V + (X − (V − r)) / τ`;
 *              otherwise `H = V · f32(1 − 1/τ) + X` (r = 0) or `H = V − (V − r) / τ + X`
 *    - `plif`: as `lif` with `1/τ` replaced by `k` (SpikingJelly's `sigmoid(w)`) and multiplications:
 *              `H = V + (X − V)·k`, `H = V + (X − (V − r))·k`, `H = V·(1 − k) + X`, `H = V − (V − r)·k + X`
 * 2. fire: `S = Θ(H − vThreshold − θ)`, `Θ(z) = 1` for `z ≥ 0` (`H ≥ vThreshold` when not adaptive).
 * 3. reset: hard `V = H·(1 − S) + r·S`; soft `V = H − (vThreshold + θ)·S`.
 * 4. adaptive threshold: `θ ← θ − θ/τθ + θ₊·S`.
 *
 * Parameters `tau` (lif) and `k` (plif) are float32 tensors of shape `[]` or a suffix of the step
 * shape (one value per neuron): element `i` of a step uses `param[i % param.size]`.
 */
import type { TensorInfo } from '@tensorflow/tfjs-core';

/** The charge equations the contract covers. */
export type ChargeKind = 'if' | 'lif' | 'plif';

/**
 * How the backward gets the surrogate derivative `g'(z)` at `z = H − vThreshold − θ`: computed
 * inside the kernel for a named kind with parameter `alpha` (SpikingJelly's `Sigmoid` and `ATan`),
 * or given elementwise as the input `surrogateGradSeq` (any other surrogate).
 */
export type SurrogateKind = 'sigmoid' | 'atan' | 'input';

/**
 * Multi-step forward. Inputs: `xSeq` `[T, ...shape]`, `v0` `[...shape]`, `tau` (lif) or `k`
 * (plif), `theta0` `[...shape]` (adaptive).
 *
 * Outputs, in this order: `spikeSeq` `[T, ...shape]`; `vSeq`: `[T, ...shape]` when `keepSeq`,
 * else `[1, ...shape]` holding only the last V; `thetaSeq` (adaptive only), shaped as `vSeq`;
 * `hSeq` `[T, ...shape]` (only when `saveH`: the backward needs it).
 */
export const NeuronForward = 'SnnNeuronForward';

/** Attributes of {@link NeuronForward}. */
export interface NeuronForwardAttrs {
  charge: ChargeKind;
  /** Whether the input is scaled by `1/τ` (or `k`): SpikingJelly's `decay_input`. Ignored by `if`. */
  decayInput: boolean;
  vThreshold: number;
  /** Hard-reset target; the leak target under soft reset is 0 whatever this holds. */
  vReset: number;
  /** Soft reset (subtract the threshold) instead of hard reset to `vReset`. */
  softReset: boolean;
  /** Adaptive threshold offset θ as state (input `theta0`, output `thetaSeq`). */
  adaptive: boolean;
  /** Rise of θ per spike (adaptive only). */
  thetaPlus: number;
  /** Decay time constant of θ in steps, > 1 (adaptive only). */
  tauTheta: number;
  /** Write V (and θ) of every step, not only the last. */
  keepSeq: boolean;
  /** Write `hSeq` for the backward. */
  saveH: boolean;
  [name: string]: number | boolean | string;
}

/** Inputs of {@link NeuronForward}. */
export interface NeuronForwardInputs {
  xSeq: TensorInfo;
  v0: TensorInfo;
  tau?: TensorInfo;
  k?: TensorInfo;
  theta0?: TensorInfo;
  [name: string]: TensorInfo | undefined;
}

/**
 * Backward of {@link NeuronForward} through time (BPTT). Going from t = T−1 down to 0 with
 * `gV = gradVSeq[t] + carryV` and `gθ = gradThetaSeq[t] + carryθ` (a `[1, ...]` gradient is the
 * last step's), `θ` the offset before step t, `g = g'(H − vThreshold − θ)`:
 *
 * - hard reset: `∂V/∂H = 1 − S`, `∂V/∂S = r − H`, `∂V/∂θ = 0`;
 *   soft: `∂V/∂H = 1`, `∂V/∂S = −(vThreshold + θ)`, `∂V/∂θ = −S`; `∂V/∂S` is 0 under `detachReset`.
 * - `gS = gradSpikeSeq[t] + gV·∂V/∂S + gθ·θ₊`, `gH = gS·g + gV·∂V/∂H`
 * - `gradXSeq[t] = gH·∂H/∂X`, `carryV = gH·∂H/∂V`, `carryθ = gθ·(1 − 1/τθ) + gV·∂V/∂θ − gS·g`,
 *   `gradK += gH·∂H/∂k` (plif, summed into k's shape).
 *
 * Inputs: `gradSpikeSeq`, `gradVSeq` (shaped as the forward's `vSeq`), `gradThetaSeq` (adaptive),
 * `hSeq`, `spikeSeq`, `v0`, `tau`/`k`, and as needed `xSeq` + `vSeq` (`[T, ...]`, plif),
 * `theta0` + `thetaSeq` (`[T, ...]`, adaptive), `surrogateGradSeq` (kind `input`).
 * Outputs, in this order: `gradXSeq` `[T, ...shape]`, `gradV0` `[...shape]`, `gradTheta0`
 * (adaptive), `gradK` (plif, shaped as `k`).
 */
export const NeuronBackward = 'SnnNeuronBackward';

/** Attributes of {@link NeuronBackward}: the forward's, plus the surrogate and `detachReset`. */
export interface NeuronBackwardAttrs extends NeuronForwardAttrs {
  /** Treat S in the reset as a constant (SpikingJelly's `detach_reset`). */
  detachReset: boolean;
  surrogate: SurrogateKind;
  /** The named surrogate's parameter (`Sigmoid`: 4 by default, `ATan`: 2). */
  alpha: number;
}

/** Which optional inputs and outputs a pair of kernels uses, from the attributes. */
export interface NeuronKernelLayout {
  /** The charge's parameter input: `tau`, `k`, or none. */
  readonly param: 'tau' | 'k' | null;
  /** The backward needs `xSeq` and the whole `vSeq` (the plif gradient of k). */
  readonly needsXAndV: boolean;
}

/** The layout of {@link NeuronForward} / {@link NeuronBackward} for a charge kind. */
export function neuronKernelLayout(charge: ChargeKind): NeuronKernelLayout {
  if (charge === 'lif') return { param: 'tau', needsXAndV: false };
  if (charge === 'plif') return { param: 'k', needsXAndV: true };
  return { param: null, needsXAndV: false };
}

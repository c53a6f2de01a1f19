/**
 * The fused-kernel contract: names, inputs and attributes of the SNN kernels a backend may
 * implement natively. Core runs a reference built from ordinary tfjs ops when a backend has no
 * kernel under the name (see `lif-multi-step.ts`), so every model works everywhere and a
 * registered fused kernel makes it faster without any model changing.
 */
import type { TensorInfo } from '@tensorflow/tfjs-core';

/**
 * Multi-step update of a leaky (or non-leaky) integrate-and-fire population, SpikingJelly's
 * charge → fire → reset per step:
 *
 * - charge (float32, in this order of operations; `r = vReset`, 0 under soft reset):
 *   - `decayInput`, r = 0: `H = V + (X − V) / tau`
 *   - `decayInput`, r ≠ 0: `H = V + (X − (V − r)) / tau`
 *   - `!decayInput`, r = 0: `H = V · f32(1 − 1/tau) + X`
 *   - `!decayInput`, r ≠ 0: `H = V − (V − r) / tau + X`
 *   - IF is `tau = Infinity, decayInput = false`: `H = V + X`.
 * - fire: `S = Θ(H − vThreshold)`, `Θ(z) = 1` for `z ≥ 0`.
 * - reset: hard `V = H · (1 − S) + r · S`; soft `V = H − vThreshold · S`.
 *
 * Inputs: `xSeq` `[T, ...shape]`, `v0` `[...shape]` (float32).
 * Outputs, each `[T, ...shape]`: `[spikeSeq, vSeq, hSeq]`; `vSeq[t]` is V after the reset of
 * step t, `hSeq[t]` is H (saved for the backward kernel).
 */
export const LIFMultiStep = 'SnnLIFMultiStep';

/** Inputs of {@link LIFMultiStep}. */
export interface LIFMultiStepInputs {
  xSeq: TensorInfo;
  v0: TensorInfo;
  [name: string]: TensorInfo;
}

/** Attributes of {@link LIFMultiStep}. */
export interface LIFMultiStepAttrs {
  /** Membrane time constant (> 1), or `Infinity` for IF. */
  tau: number;
  /** Whether the input is divided by tau (SpikingJelly's `decay_input`). */
  decayInput: boolean;
  vThreshold: number;
  /** Hard-reset target; the leak target under soft reset is 0 whatever this holds. */
  vReset: number;
  /** Soft reset (subtract the threshold) instead of hard reset to `vReset`. */
  softReset: boolean;
  [name: string]: number | boolean;
}

/**
 * Backward of {@link LIFMultiStep} through time (BPTT), for surrogate-gradient training.
 * With `g = surrogateGradSeq[t]` (the surrogate derivative at `H − vThreshold`, computed by the
 * caller, so this kernel is the same for every surrogate), going from t = T−1 down to 0 with
 * `gV = gradVSeq[t] + carry` (carry = 0 at T−1):
 *
 * - `dV/dH` = hard: `(1 − S) + (r − H) · g`; soft: `1 − vThreshold · g`; the `g` terms are 0
 *   when `detachReset`.
 * - `gH[t] = gradSpikeSeq[t] · g + gV · dV/dH`
 * - `carry = gH[t] · (1 − 1/tau)`
 *
 * Outputs: `[gradHSeq [T, ...shape], gradV0 [...shape]]` (`gradV0` is the last carry). The
 * caller turns `gradHSeq` into the input gradient (`/ tau` when `decayInput`).
 */
export const LIFMultiStepBackward = 'SnnLIFMultiStepBackward';

/** Inputs of {@link LIFMultiStepBackward}, each `[T, ...shape]`. */
export interface LIFMultiStepBackwardInputs {
  gradSpikeSeq: TensorInfo;
  gradVSeq: TensorInfo;
  hSeq: TensorInfo;
  spikeSeq: TensorInfo;
  surrogateGradSeq: TensorInfo;
  [name: string]: TensorInfo;
}

/** Attributes of {@link LIFMultiStepBackward}: the forward's, plus `detachReset`. */
export interface LIFMultiStepBackwardAttrs extends LIFMultiStepAttrs {
  /** Treat S in the reset as a constant (SpikingJelly's `detach_reset`). */
  detachReset: boolean;
}

import { ValueError } from '@snn/core';

/**
 * Throws a ValueError unless `value` is a membrane time constant the discrete models accept: a
 * finite number > 1 (in time steps; SpikingJelly requires `tau > 1`, below it the Euler step
 * overshoots).
 *
 * @example
 * ```ts
 * checkTau('LIFNode', 'tau', 0.5); // ValueError: "LIFNode: 'tau' must be a finite number > 1, got 0.5"
 * ```
 */
export function checkTau(fn: string, arg: string, value: number): number {
  if (!(typeof value === 'number' && Number.isFinite(value) && value > 1)) {
    throw new ValueError(fn, arg, 'a finite number > 1', value);
  }
  return value;
}

/** Throws a ValueError unless `value` is a boolean. */
export function checkBoolean(fn: string, arg: string, value: unknown): boolean {
  if (typeof value !== 'boolean') throw new ValueError(fn, arg, 'true or false', value);
  return value;
}

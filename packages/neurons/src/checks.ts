// The option tables live in core, for every package and for authors of custom modules.
import { type AnyOptionTable, checkBoolean, checkOptionTable, type OptionTable, ValueError } from '@snn/core';

export { type AnyOptionTable, checkOptionTable, type OptionTable };

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

/** `value ?? fallback`, after throwing a ValueError unless `value` is a boolean or undefined. */
export function booleanOr(fn: string, arg: string, value: unknown, fallback: boolean): boolean {
  return checkBoolean(fn, arg, value) ?? fallback;
}

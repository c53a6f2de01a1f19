import { checkBoolean, checkOptions, ValueError } from '@snn/core';

/**
 * Every option of `T` with its kind: `'boolean'` for a boolean option, `'value'` for any other.
 * A table of this type names exactly the options of `T` (a missing name, an extra one, or a
 * boolean marked wrongly does not compile), so the names a constructor accepts, the booleans it
 * checks and the ones the options tests try all come from the options interface.
 *
 * @example
 * ```ts
 * interface GainIFOptions extends BaseNodeOptions { readonly gain?: number }
 * const GAIN_IF_OPTIONS: OptionTable<GainIFOptions> = { ...BASE_NODE_OPTIONS, gain: 'value' };
 * ```
 */
export type OptionTable<T> = {
  readonly [K in keyof Required<T>]: NonNullable<T[K]> extends boolean ? 'boolean' : 'value';
};

/** An {@link OptionTable} of any options interface. */
export type AnyOptionTable = Readonly<Record<string, 'boolean' | 'value'>>;

/**
 * Checks `options` against its table before anything is made: a name the table lacks is an
 * UnknownOptionError naming the closest known one, a boolean option that is not a boolean (or
 * undefined) a ValueError, and anything but an object (or undefined) a ValueError. Returns the
 * options, `{}` for undefined.
 */
export function checkOptionTable<T extends object>(fn: string, options: T | undefined, table: AnyOptionTable): T {
  const o = checkOptions(fn, options, Object.keys(table));
  for (const [name, kind] of Object.entries(table)) {
    if (kind === 'boolean') checkBoolean(fn, name, (o as Record<string, unknown>)[name]);
  }
  return o;
}

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

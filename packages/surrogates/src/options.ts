// Option tables of the surrogate factories. Not part of the public surface.
import { checkBoolean, checkOptions } from '@snn/core';

/**
 * Every option of `T` with its kind: `'boolean'` for a boolean option, `'value'` for any other.
 * A table of this type names exactly the options of `T` (a missing name, an extra one, or a
 * boolean marked wrongly does not compile): the one list a factory checks names against and
 * the options tests iterate.
 */
export type OptionTable<T> = {
  readonly [K in keyof Required<T>]: NonNullable<T[K]> extends boolean ? 'boolean' : 'value';
};

/** An {@link OptionTable} of any options interface. */
export type AnyOptionTable = Readonly<Record<string, 'boolean' | 'value'>>;

/**
 * Checks `options` against its table: a name the table lacks is an UnknownOptionError naming the
 * closest known one, a boolean option that is not a boolean (or undefined) a ValueError, and
 * anything but an object (or undefined) a ValueError. Returns the options, `{}` for undefined.
 */
export function checkOptionTable<T extends object>(fn: string, options: T | undefined, table: AnyOptionTable): T {
  const o = checkOptions(fn, options, Object.keys(table));
  for (const [name, kind] of Object.entries(table)) {
    if (kind === 'boolean') checkBoolean(fn, name, (o as Record<string, unknown>)[name]);
  }
  return o;
}

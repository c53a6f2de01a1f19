/**
 * Errors of snn. Every message names the function, the argument, what was expected and
 * what came, so that a user can fix the call without reading the source.
 */

/** Renders a received value for an error message: short, and never the whole tensor. */
export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  if (typeof value === 'string') return `'${value}'`;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  if (Array.isArray(value)) {
    return value.length <= 8 ? `[${value.map(describeValue).join(', ')}]` : `an array of length ${value.length}`;
  }
  if (typeof value === 'object') {
    const v = value as { shape?: unknown; dtype?: unknown; constructor?: { name?: string } };
    if (Array.isArray(v.shape) && typeof v.dtype === 'string') {
      return `a ${v.dtype} tensor of shape [${v.shape.join(', ')}]`;
    }
    return `an object (${v.constructor?.name ?? 'Object'})`;
  }
  return typeof value;
}

/** Base class of every error snn throws on purpose. */
export class SnnError extends Error {
  override name = 'SnnError';
}

/** An argument has the wrong value: out of range, non-finite, unknown option. */
export class ValueError extends SnnError {
  override name = 'ValueError';
  constructor(
    readonly fn: string,
    readonly arg: string,
    readonly expected: string,
    readonly got: unknown,
  ) {
    super(`${fn}: '${arg}' must be ${expected}, got ${describeValue(got)}`);
  }
}

/** A tensor argument has the wrong rank or shape. */
export class ShapeError extends SnnError {
  override name = 'ShapeError';
  constructor(
    readonly fn: string,
    readonly arg: string,
    readonly expected: string,
    readonly got: readonly number[],
  ) {
    super(`${fn}: '${arg}' must have ${expected}, got shape [${got.join(', ')}]`);
  }
}

/** A tensor argument has the wrong dtype. */
export class DTypeError extends SnnError {
  override name = 'DTypeError';
  constructor(
    readonly fn: string,
    readonly arg: string,
    readonly expected: string,
    readonly got: string,
  ) {
    super(`${fn}: '${arg}' must have dtype ${expected}, got ${got}`);
  }
}

/** A backend is not installed or cannot start in this environment. */
export class BackendUnavailableError extends SnnError {
  override name = 'BackendUnavailableError';
  constructor(
    readonly backend: string,
    readonly reason: string,
  ) {
    super(`backend '${backend}' is unavailable: ${reason}`);
  }
}

/** Saved state does not fit the module it is loaded into. */
export class StateError extends SnnError {
  override name = 'StateError';
  constructor(
    readonly fn: string,
    message: string,
  ) {
    super(`${fn}: ${message}`);
  }
}

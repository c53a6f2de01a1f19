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

/**
 * The brand every error of snn carries, in every package. `@snn/encoding` and `@snn/plot` do not
 * depend on core, so they set this registered symbol on their own error classes; `SnnError` checks
 * for it, which makes `err instanceof SnnError` true for all of them. Use {@link isSnnError} or
 * `instanceof SnnError` — both see every package's errors.
 */
export const SNN_ERROR_BRAND: unique symbol = Symbol.for('@snn/error') as never;

/** True when `error` was thrown on purpose by any `@snn/*` package (a named, documented error). */
export function isSnnError(error: unknown): error is Error {
  return typeof error === 'object' && error !== null && (error as Record<symbol, unknown>)[SNN_ERROR_BRAND] === true;
}

/**
 * Base class of every error snn throws on purpose. `instanceof SnnError` also holds for the
 * errors of packages that carry the brand without extending this class (encoding, plot).
 */
export class SnnError extends Error {
  override name = 'SnnError';
  readonly [SNN_ERROR_BRAND] = true;

  static override [Symbol.hasInstance](value: unknown): boolean {
    // Subclasses keep ordinary prototype checks; only the base class answers for the whole family.
    // biome-ignore lint/complexity/noThisInStatic: `this` is the class instanceof was asked about, maybe a subclass.
    if (this !== SnnError) return Function.prototype[Symbol.hasInstance].call(this, value);
    return isSnnError(value);
  }
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

/**
 * An options object has a key the function does not know — usually a misspelling, which would
 * otherwise be ignored silently. The message lists the known names and the closest one.
 */
export class UnknownOptionError extends ValueError {
  override name = 'UnknownOptionError';
  constructor(
    fn: string,
    readonly option: string,
    readonly known: readonly string[],
  ) {
    super(fn, option, 'a known option', option);
    const near = closestName(option, known);
    const hint = near === undefined ? '' : ` (did you mean '${near}'?)`;
    this.message = `${fn}: unknown option '${option}'${hint}; known options: ${known.map((k) => `'${k}'`).join(', ')}`;
  }
}

/** The known name nearest to `name` by edit distance, when one is close enough to be a typo. */
export function closestName(name: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const candidate of known) {
    const d = editDistance(name.toLowerCase(), candidate.toLowerCase());
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return bestDistance <= Math.max(2, Math.floor(name.length / 3)) ? best : undefined;
}

/** Levenshtein distance with adjacent transpositions counted as one edit ('tua' → 'tau'). */
function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...new Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) (d[0] as number[])[j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const row = d[i] as number[];
      const prev = d[i - 1] as number[];
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      row[j] = Math.min((prev[j] as number) + 1, (row[j - 1] as number) + 1, (prev[j - 1] as number) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        row[j] = Math.min(row[j] as number, ((d[i - 2] as number[])[j - 2] as number) + 1);
      }
    }
  }
  return (d[a.length] as number[])[b.length] as number;
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

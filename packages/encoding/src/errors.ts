/**
 * Errors of `@snn/encoding`. The package does not import `@snn/core`, so it has its own small
 * classes; their messages follow the project's format, "fn: 'arg' must be <expected>, got <what came>".
 */

/** Renders a received value for an error message: short, and never a whole tensor. */
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
 * Base class of every error `@snn/encoding` throws on purpose. It carries the function, the
 * argument, what was expected and what came.
 */
export class EncodingError extends Error {
  override name = 'EncodingError';
  /**
   * @param fn - The function or method that refused the call.
   * @param arg - The argument at fault (or a path into it, such as `x[3]`).
   * @param expected - What the argument must be.
   * @param got - What came.
   * @param message - The full message; subclasses pass their own wording.
   */
  constructor(
    readonly fn: string,
    readonly arg: string,
    readonly expected: string,
    readonly got: unknown,
    message = `${fn}: '${arg}' must be ${expected}, got ${describeValue(got)}`,
  ) {
    super(message);
    // The brand of every snn error: `err instanceof SnnError` (from @snn/core) holds for this class too.
    Object.defineProperty(this, Symbol.for('@snn/error'), { value: true });
  }
}

/**
 * An argument has the wrong value: out of range, non-finite, not an integer, an unknown option.
 * @example "latencyEncode: 'T' must be an integer >= 1, got 0"
 */
export class EncodingValueError extends EncodingError {
  override name = 'EncodingValueError';
}

/**
 * A tensor argument has the wrong rank or shape.
 * @example "gaussianTuningEncode: 'x' must have rank 3 ([B, n, k]), got shape [2, 3]"
 */
export class EncodingShapeError extends EncodingError {
  override name = 'EncodingShapeError';
  /**
   * @param fn - The function or method that refused the call.
   * @param arg - The tensor argument at fault.
   * @param expected - The rank or shape it must have.
   * @param got - The shape it has.
   */
  constructor(fn: string, arg: string, expected: string, got: readonly number[]) {
    super(fn, arg, expected, got, `${fn}: '${arg}' must have ${expected}, got shape [${got.join(', ')}]`);
  }
}

/**
 * An options object has a key the function does not know — usually a misspelling, which would
 * otherwise be ignored silently. The message is the one of `@snn/core`'s `UnknownOptionError`:
 * `fn: unknown option 'x' (did you mean 'y'?); known options: 'a', 'b'`.
 * @example "poissonEncode: unknown option 'sed' (did you mean 'seed'?); known options: 'seed', 'rng'"
 */
export class EncodingOptionError extends EncodingValueError {
  override name = 'EncodingOptionError';
  /**
   * @param fn - The function or class that refused the options.
   * @param option - The unknown option name.
   * @param known - The option names `fn` takes.
   */
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

/**
 * A name looked up in a registry (`encoders`, `decoders`, `generators`) is not registered. The
 * message names the closest known name when one is near (a typo) and lists all of them:
 * `fn: unknown encoder 'posson' (did you mean 'poisson'?); known encoders: 'bernoulli', ...`.
 * @example "createDecoder: unknown decoder 'spike_count' (did you mean 'spike_counts'?); known decoders: ..."
 */
export class EncodingNameError extends EncodingValueError {
  override name = 'EncodingNameError';
  /**
   * @param fn - The function that looked the name up.
   * @param kind - What the registry holds, singular (`'encoder'`).
   * @param requested - The name that was asked for.
   * @param known - The names the registry holds.
   */
  constructor(
    fn: string,
    readonly kind: string,
    readonly requested: string,
    readonly known: readonly string[],
  ) {
    super(fn, 'name', `a known ${kind} name`, requested);
    const near = closestName(requested, known);
    const hint = near === undefined ? '' : ` (did you mean '${near}'?)`;
    this.message = `${fn}: unknown ${kind} '${requested}'${hint}; known ${kind}s: ${known.map((k) => `'${k}'`).join(', ')}`;
  }
}

/**
 * The known name nearest to `name` by edit distance, when one is close enough to be a typo (the
 * rule of `@snn/core`'s `closestName`, so both packages suggest the same name).
 */
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

/** Levenshtein distance with adjacent transpositions counted as one edit ('sede' → 'seed'). */
function editDistance(a: string, b: string): number {
  let prev2: number[] = [];
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min((prev[j] as number) + 1, (row[j - 1] as number) + 1, (prev[j - 1] as number) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        d = Math.min(d, (prev2[j - 2] as number) + 1);
      row.push(d);
    }
    prev2 = prev;
    prev = row;
  }
  return prev[b.length] as number;
}

import { PlotError } from './data.js';

/**
 * An options object has a name the plot does not know (a misspelling would otherwise be ignored).
 * `@snn/plot` does not depend on `@snn/core`, so this mirrors core's `UnknownOptionError`: the
 * same message, the same brand (`err instanceof SnnError` holds).
 */
export class UnknownPlotOptionError extends PlotError {
  override name = 'UnknownPlotOptionError';
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

/** Option names every plot takes ({@link PlotOptions}). */
export const PLOT_KEYS = ['width', 'height', 'title'] as const;
/** Option names of the colour scale ({@link ColorOptions}). */
export const COLOR_KEYS = ['scheme', 'domain'] as const;

/** Throws unless `options` is undefined or an object whose every key is in `known`. */
export function checkPlotOptions(fn: string, options: unknown, known: readonly string[]): void {
  if (options === undefined) return;
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw new PlotError(fn, 'options', 'an options object', options);
  }
  for (const key of Object.keys(options)) if (!known.includes(key)) throw new UnknownPlotOptionError(fn, key, known);
}

/** The known name nearest to `name` (edit distance, a transposition counts once), if close enough to be a typo. */
function closestName(name: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const candidate of known) {
    const d = editDistance(name.toLowerCase(), candidate.toLowerCase());
    if (d < bestDistance) [best, bestDistance] = [candidate, d];
  }
  return bestDistance <= Math.max(2, Math.floor(name.length / 3)) ? best : undefined;
}

function editDistance(a: string, b: string): number {
  let prev2: number[] = [];
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      let d = Math.min(
        (prev[j] as number) + 1,
        (row[j - 1] as number) + 1,
        (prev[j - 1] as number) + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        d = Math.min(d, (prev2[j - 2] as number) + 1);
      row.push(d);
    }
    [prev2, prev] = [prev, row];
  }
  return prev[b.length] as number;
}

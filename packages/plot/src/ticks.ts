/** Tick values for an axis and the d3 format that prints them exactly. */
export interface Ticks {
  readonly values: number[];
  readonly format: string;
}

/** `x` without the float noise of a product such as `3 * 0.1`. */
const clean = (x: number): number => Number(x.toPrecision(12));

/** Pixels between two ticks of a horizontal axis, at most: room for a label such as `1000` or `12.5`. */
export const X_TICK_SPACING = 50;

/** Pixels between two ticks of a vertical axis, at most: a label's height and some air. */
export const Y_TICK_SPACING = 16;

/** Decimal places of a cleaned number: 0 for 5, 1 for 0.5, 2 for 0.25. */
function decimals(x: number): number {
  const s = String(clean(x));
  if (s.includes('e-')) return Number(s.split('e-')[1]) + (s.split('e')[0]?.split('.')[1]?.length ?? 0);
  return s.split('.')[1]?.length ?? 0;
}

/**
 * Ticks at whole multiples of `unit` (one time step, one row, one epoch) between `lo` and `hi`,
 * `k · unit` apart with `k` the smallest of 1, 2, 5, 10, 20, 50, ... that keeps them to at most
 * `maxTicks`. Data that sits on multiples of `unit` (spikes at step times, row centres, epochs)
 * therefore sits on ticks, and labels are round: never a bin edge such as −0.5 or an unrounded
 * value. Empty when no multiple of `unit` lies in `[lo, hi]`.
 */
export function unitTicks(lo: number, hi: number, unit: number, maxTicks: number): Ticks {
  if (!(Number.isFinite(lo) && Number.isFinite(hi) && Number.isFinite(unit) && unit > 0)) {
    return { values: [], format: '' };
  }
  const n0 = Math.ceil(clean(lo / unit));
  const n1 = Math.floor(clean(hi / unit));
  const most = Math.max(1, Math.floor(maxTicks));
  let k = 1;
  for (let scale = 1; ; scale *= 10) {
    const found = [1, 2, 5].map((m) => m * scale).find((c) => Math.floor(n1 / c) - Math.ceil(n0 / c) + 1 <= most);
    if (found !== undefined) {
      k = found;
      break;
    }
  }
  const values: number[] = [];
  for (let m = Math.ceil(n0 / k); m <= Math.floor(n1 / k); m++) values.push(clean(m * k * unit));
  // '.0f' rather than 'd': for 'd' Vega-Lite adds tickMinStep 1, and Vega then thins the explicit values
  return { values, format: `.${decimals(k * unit)}f` };
}

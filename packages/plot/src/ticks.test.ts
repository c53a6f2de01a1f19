import { describe, expect, it } from 'vitest';
import { unitTicks } from './ticks.js';

describe('unitTicks', () => {
  it('puts every tick on a whole multiple of the unit, 1, 2 or 5 × 10^k units apart', () => {
    expect(unitTicks(0, 7, 1, 12)).toEqual({ values: [0, 1, 2, 3, 4, 5, 6, 7], format: '.0f' });
    expect(unitTicks(-0.5, 7.5, 1, 12).values).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(unitTicks(0, 7, 1, 4).values).toEqual([0, 2, 4, 6]);
    expect(unitTicks(0, 999, 1, 12).values).toEqual([0, 100, 200, 300, 400, 500, 600, 700, 800, 900]);
    // steps 100 .. 129 at dt = 0.5: times 50 .. 64.5, every 5 steps
    expect(unitTicks(50, 64.5, 0.5, 12)).toEqual({ values: [50, 52.5, 55, 57.5, 60, 62.5], format: '.1f' });
    // no float noise: 3 × 0.1 is 0.3
    expect(unitTicks(0, 0.5, 0.1, 10)).toEqual({ values: [0, 0.1, 0.2, 0.3, 0.4, 0.5], format: '.1f' });
  });

  it('gives no ticks when no multiple lies in the range, or for a non-finite range', () => {
    expect(unitTicks(0.2, 0.8, 1, 10).values).toEqual([]);
    expect(unitTicks(0, Number.NaN, 1, 10).values).toEqual([]);
    expect(unitTicks(0, 10, 0, 10).values).toEqual([]);
  });
});

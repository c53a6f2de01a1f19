import { describe, expect, it } from 'vitest';
import { binnedRate, ratePlot } from './rate.js';
import { countMarks, markGroups, parseSvg } from './svg-test-util.js';

// [T = 6, N = 2]: 1 spike in steps 0, 2, 4; 2 spikes in step 5
const spikes = { data: [1, 0, 0, 0, 0, 1, 0, 0, 1, 0, 1, 1], shape: [6, 2] };

describe('binnedRate', () => {
  it('averages spikes over neurons and bins, per unit of dt', () => {
    expect(binnedRate('t', spikes, 1, undefined).points.map((p) => p.r)).toEqual([0.5, 0, 0.5, 0, 0.5, 1]);
    const b = binnedRate('t', spikes, 4, 2);
    expect(b.points).toEqual([
      { t: 0, r: 2 / (4 * 2 * 2), span: 8 },
      { t: 8, r: 3 / (2 * 2 * 2), span: 4 },
    ]);
    expect(b.end).toBe(12);
    expect(binnedRate('t', [1, 3, 5], 2, undefined).points.map((p) => p.r)).toEqual([2, 5]);
  });
});

describe('ratePlot', () => {
  it('draws one line per population with a point per bin', async () => {
    const svg = await ratePlot({ exc: spikes, inh: spikes, input: [0.1, 0.2, 0.3] }, { bin: 2, timeUnit: 'ms' });
    parseSvg(svg);
    expect(countMarks(svg, 'rates')).toBe(3);
    expect(svg).toContain('rate (Hz)');
    expect(svg).toContain('mean over bins of 2 steps');
    const first = markGroups(svg, 'rates')[0] as { path: { '@d': string } };
    const d = String(first.path['@d']);
    expect(d.startsWith('M')).toBe(true);
    const single = await ratePlot(spikes);
    expect(countMarks(single, 'rates')).toBe(1);
    expect(single).toContain('rate (spikes / neuron / step)');
  });

  it('names what is wrong', async () => {
    await expect(ratePlot({})).rejects.toThrow(/at least one series/);
    await expect(ratePlot(spikes, { bin: 0 })).rejects.toThrow(/'bin' must be an integer >= 1/);
    await expect(ratePlot({ a: 3 as never })).rejects.toThrow(/'rates' must be spikes/);
  });
});

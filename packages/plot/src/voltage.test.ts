import { describe, expect, it } from 'vitest';
import { countMarks, drawnAxes, legendBoxes, markGroups, parseSvg, svgSize } from './svg-test-util.js';
import { legendColumns, thinIndices, voltageTraces } from './voltage.js';

/** A LIF-like sawtooth per neuron: v rises by (n + 1)/10 per step and resets after reaching 1. */
function sawtooth(T: number, N: number) {
  const v = new Float32Array(T * N);
  const s = new Float32Array(T * N);
  const u = new Float64Array(N);
  for (let t = 0; t < T; t++) {
    for (let n = 0; n < N; n++) {
      const h = (u[n] as number) + (n + 1) / 10;
      const spike = h >= 1 ? 1 : 0;
      u[n] = spike ? 0 : h;
      v[t * N + n] = u[n] as number;
      s[t * N + n] = spike;
    }
  }
  return { v: { data: v, shape: [T, 1, N] }, s: { data: s, shape: [T, 1, N] } };
}

/** Number of points of the path of each line group of layer `name`. */
function pointsPerLine(svg: string, name: string): number[] {
  return markGroups(svg, name).map((g) => {
    const d = String((g.path as { '@d': string })['@d']);
    return (d.match(/[ML]/g) ?? []).length;
  });
}

describe('voltageTraces', () => {
  it('keeps the legend of 10 neurons within the plot, in rows, and the picture about as wide as the plot', async () => {
    const { v, s } = sawtooth(8, 10);
    for (const width of [600, 300]) {
      const svg = await voltageTraces(v, {
        neurons: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
        threshold: 1,
        reset: 0,
        spikes: s,
        width,
      });
      const boxes = legendBoxes(svg);
      expect(boxes.length).toBe(1);
      const box = boxes[0] as { x: number; width: number };
      expect(box.x).toBeGreaterThanOrEqual(0);
      expect(box.x + box.width).toBeLessThanOrEqual(width);
      // y axis and its title on the left (< 70 px), 'threshold' on the right (< 70 px), 8 px padding each side
      expect(svgSize(svg)[0]).toBeLessThan(width + 160);
      for (let n = 0; n < 10; n++) expect(svg).toContain(`>neuron ${n}<`);
    }
    expect(legendColumns(['neuron 0', 'neuron 1'], 600)).toBe(2);
    expect(legendColumns(['neuron 0'], 10)).toBe(1);
  });

  it('puts the time ticks of an 8-step run on whole steps', async () => {
    const { v } = sawtooth(8, 2);
    const svg = await voltageTraces(v); // 600 px wide
    const time = drawnAxes(svg).find((a) => a.orient === 'x');
    expect(time?.labels.map((l) => l.text)).toEqual(['0', '1', '2', '3', '4', '5', '6', '7']);
    for (const l of time?.labels ?? []) expect(Math.abs(l.at - (Number(l.text) / 7) * 600)).toBeLessThanOrEqual(0.5);
  });

  it('draws one line per neuron, the threshold and reset lines, and a stroke per spike', async () => {
    const { v, s } = sawtooth(40, 6);
    const svg = await voltageTraces(v, { neurons: [1, 4], threshold: 1, reset: 0, spikes: s, vUnit: 'mV' });
    parseSvg(svg);
    expect(countMarks(svg, 'traces')).toBe(2);
    expect(pointsPerLine(svg, 'traces')).toEqual([40, 40]);
    expect(countMarks(svg, 'threshold_layer_0')).toBe(1);
    expect(countMarks(svg, 'reset_layer_0')).toBe(1);
    let spikes = 0;
    for (let t = 0; t < 40; t++) spikes += (s.data[t * 6 + 1] as number) + (s.data[t * 6 + 4] as number);
    expect(spikes).toBe(Math.floor(40 / 5) + Math.floor(40 / 2));
    expect(countMarks(svg, 'spikes')).toBe(spikes);
    for (const text of ['threshold', 'reset', 'neuron 1', 'neuron 4', 'membrane potential (mV)'])
      expect(svg).toContain(text);
  });

  it('defaults to the first five neurons and no threshold', async () => {
    const { v } = sawtooth(10, 8);
    const svg = await voltageTraces(v);
    expect(countMarks(svg, 'traces')).toBe(5);
    expect(countMarks(svg, 'threshold_layer_0')).toBe(0);
    expect(countMarks(await voltageTraces({ data: [0, 1, 0.5], shape: [3] }), 'traces')).toBe(1);
  });

  it('thins long traces to a few points per pixel, keeping every extreme', async () => {
    const { v } = sawtooth(20_000, 1);
    const svg = await voltageTraces(v, { width: 400, threshold: 1 });
    const [points] = pointsPerLine(svg, 'traces');
    expect(points).toBeLessThanOrEqual(4 * 400);
    expect(svg.length).toBeLessThan(120_000);
    const values = Array.from({ length: 1000 }, (_, i) => Math.sin(i / 7) + (i === 503 ? 5 : 0));
    const kept = thinIndices(1000, 50, (i) => values[i] as number);
    expect(kept).toContain(503); // the peak survives
    expect(kept[0]).toBe(0);
    expect(kept[kept.length - 1]).toBe(999);
    expect([...kept].sort((a, b) => a - b)).toEqual(kept);
    expect(thinIndices(10, 50, () => 0)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('names what is wrong', async () => {
    const { v, s } = sawtooth(5, 3);
    await expect(voltageTraces(v, { neurons: [3] })).rejects.toThrow(/'neurons' must be indices in \[0, 3\), got 3/);
    await expect(voltageTraces(v, { threshold: 1, spikes: { data: [1], shape: [1, 1, 1] } })).rejects.toThrow(
      /'spikes' must be the shape of v/,
    );
    await expect(voltageTraces(v, { threshold: Number.NaN, spikes: s })).rejects.toThrow(
      /'threshold' must be a finite/,
    );
    await expect(voltageTraces(v, { batch: 1 })).rejects.toThrow(/'batch'/);
  });
});

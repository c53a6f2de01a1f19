import { decode } from 'fast-png';
import { describe, expect, it } from 'vitest';
import { colorIndex, resolveColor, weightHeatmap } from './heatmap.js';
import { parseColor, schemeTable } from './image.js';
import { countMarks, drawnAxes, imageUrls, parseSvg } from './svg-test-util.js';

const png = (svg: string) => {
  const url = imageUrls(svg)[0] as string;
  return decode(Uint8Array.from(atob(url.slice(22)), (c) => c.charCodeAt(0)));
};

describe('weightHeatmap', () => {
  it('draws a rectangle per weight with a gradient legend for a small matrix', async () => {
    const w = Array.from({ length: 5 }, (_, r) => Array.from({ length: 7 }, (_, c) => r - c));
    const svg = await weightHeatmap(w, { title: 'W', rowTitle: 'pre', colTitle: 'post' });
    parseSvg(svg);
    expect(countMarks(svg, 'cells')).toBe(35);
    for (const text of ['pre', 'post', 'weight']) expect(svg).toContain(`>${text}<`);
    expect(svg).toContain('linearGradient'); // the colour legend
  });

  it('embeds one pixel per weight for a large matrix, coloured by the scheme', async () => {
    const rows = 784;
    const cols = 100;
    const data = new Float32Array(rows * cols).map((_, i) => (i % 7) / 6); // 0 .. 1
    const svg = await weightHeatmap({ data, shape: [rows, cols] });
    expect(countMarks(svg, 'cells')).toBe(1);
    expect(svg.length).toBeLessThan(200_000);
    const img = png(svg);
    expect([img.width, img.height]).toEqual([cols, rows]);
    const table = schemeTable('viridis');
    for (const i of [0, 1, 6, 12345]) {
      const k = colorIndex(data[i] as number, [0, 1]);
      expect([...img.data.subarray(i * 4, i * 4 + 4)]).toEqual([...table.subarray(k * 3, k * 3 + 3), 255]);
    }
    expect(svg).toContain('linearGradient');
  });

  it('labels rows and columns with their indices at the centres of the cells', async () => {
    // 10 classes × 128 hidden neurons, the shape of the quickstart's hidden-rates plot
    const rates = Array.from({ length: 10 }, (_, r) => Array.from({ length: 128 }, (_, c) => ((r * 7 + c) % 11) / 10));
    for (const maxMarks of [4096, 0]) {
      const svg = await weightHeatmap(rates, {
        rowTitle: 'class',
        colTitle: 'hidden neuron',
        width: 640,
        height: 200,
        maxMarks,
      });
      const rows = drawnAxes(svg).find((a) => a.title === 'class');
      expect(rows?.labels.map((l) => l.text).sort()).toEqual(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
      for (const l of rows?.labels ?? []) expect(Math.abs(l.at - (Number(l.text) + 0.5) * 20)).toBeLessThanOrEqual(0.5); // 20 px a row
      const cols = drawnAxes(svg).find((a) => a.title === 'hidden neuron');
      expect(cols?.labels.length).toBeGreaterThan(3);
      for (const l of cols?.labels ?? []) {
        const c = Number(l.text);
        expect(Number.isInteger(c) && c >= 0 && c < 128, l.text).toBe(true);
        expect(Math.abs(l.at - (c + 0.5) * 5)).toBeLessThanOrEqual(0.5); // 5 px a column
      }
    }
  });

  it('centres a diverging scheme on 0 for signed weights', () => {
    expect(resolveColor('f', [-0.5, 2], {})).toEqual({ scheme: 'blueorange', domain: [-2, 2] });
    expect(resolveColor('f', [0.5, 2], {})).toEqual({ scheme: 'viridis', domain: [0.5, 2] });
    expect(resolveColor('f', [3, 3], { scheme: 'greys' })).toEqual({ scheme: 'greys', domain: [2.5, 3.5] });
    expect(resolveColor('f', [1, 2], { domain: [0, 10] }).domain).toEqual([0, 10]);
    expect(colorIndex(-1, [0, 1])).toBe(0);
    expect(colorIndex(7, [0, 1])).toBe(255);
    expect(colorIndex(Number.NaN, [0, 1])).toBe(-1);
    expect(parseColor('rgb(1, 2, 3)')).toEqual([1, 2, 3]);
    expect(parseColor('#abc')).toEqual([0xaa, 0xbb, 0xcc]);
  });

  it('names what is wrong', async () => {
    await expect(weightHeatmap([[1, 2], [3]])).rejects.toThrow(/'weights' must be rows of equal length/);
    await expect(weightHeatmap({ data: [1, 2, 3], shape: [3] })).rejects.toThrow(/rank >= 2/);
    await expect(weightHeatmap([[1]], { scheme: 'rainbowz' })).rejects.toThrow(/'scheme' must be a continuous Vega/);
    await expect(weightHeatmap([[1]], { domain: [1, 0] })).rejects.toThrow(/'domain' must be \[low, high\]/);
    await expect(weightHeatmap([])).rejects.toThrow(/at least one row/);
  });
});

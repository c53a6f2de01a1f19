import { describe, expect, it } from 'vitest';
import { raster, receptiveFields, trainingCurves, voltageTraces, weightHeatmap } from './index.js';

/** Parses SVG text with the browser's own parser and counts the items of mark layer `name`. */
function marks(svg: string, name: string): number {
  const doc = new DOMParser().parseFromString(svg, 'image/svg+xml');
  expect(doc.querySelector('parsererror')).toBeNull();
  let n = 0;
  doc.querySelectorAll(`g.role-mark.${name}_marks`).forEach((g) => {
    n += g.children.length;
  });
  return n;
}

describe('@snn/plot in a browser', () => {
  it('renders the same SVG plots as in Node', async () => {
    const spikes = { data: [1, 0, 1, 1, 0, 0, 0, 1, 1], shape: [3, 3] };
    expect(marks(await raster({ a: spikes, b: spikes }), 'spikes')).toBe(10);
    expect(marks(await raster(spikes, { mode: 'image' }), 'density')).toBe(1);
    expect(marks(await voltageTraces(spikes, { threshold: 1 }), 'traces')).toBe(3);
    expect(
      marks(
        await weightHeatmap([
          [1, -1],
          [0, 2],
        ]),
        'cells',
      ),
    ).toBe(4);
    expect(
      marks(await receptiveFields({ data: new Float32Array(8), shape: [4, 2] }, { imageShape: [2, 2] }), 'fields'),
    ).toBe(1);
    expect(marks(await trainingCurves({ loss: [3, 2, 1] }), 'curve_0')).toBe(1);
    // and the browser draws it
    const host = document.createElement('div');
    host.innerHTML = await raster(spikes);
    document.body.append(host);
    const svg = host.querySelector('svg');
    expect(svg?.getBoundingClientRect().width).toBeGreaterThan(100);
  });
});

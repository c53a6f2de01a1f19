import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decode } from 'fast-png';
import { describe, expect, it } from 'vitest';
import { savePlot, svgToPng } from './node.js';
import { raster } from './raster.js';

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

describe('@snn/plot/node', () => {
  it('renders an SVG to a PNG of scale × its size', () => {
    const svg =
      '<svg xmlns="http://www.w3.org/2000/svg" width="30" height="20"><rect x="0" y="0" width="15" height="20" fill="#ff0000"/></svg>';
    const bytes = svgToPng(svg, { scale: 3 });
    expect([...bytes.subarray(0, 8)]).toEqual(PNG_SIGNATURE);
    const img = decode(bytes);
    expect([img.width, img.height]).toEqual([90, 60]);
    const px = (x: number, y: number) => [
      ...img.data.subarray((y * 90 + x) * img.channels, (y * 90 + x) * img.channels + 3),
    ];
    expect(px(10, 10)).toEqual([255, 0, 0]);
    expect(px(80, 10)).toEqual([255, 255, 255]); // the white background
    expect(() => svgToPng(svg, { scale: 0 })).toThrow(/'scale' must be a finite number > 0/);
  });

  it('writes .png and .svg files, making folders, from an SVG or its promise', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'snn-plot-'));
    const spikes = { data: [1, 0, 0, 1, 1, 1], shape: [3, 2] };
    const png = await savePlot(join(dir, 'a', 'raster.png'), raster(spikes));
    const svg = await savePlot(join(dir, 'raster.svg'), await raster(spikes));
    expect([...readFileSync(png).subarray(0, 8)]).toEqual(PNG_SIGNATURE);
    expect(readFileSync(svg, 'utf8').startsWith('<svg')).toBe(true);
    expect(readdirSync(dir).sort()).toEqual(['a', 'raster.svg']);
    await expect(savePlot(join(dir, 'x.jpg'), raster(spikes))).rejects.toThrow(/ending in '.png' or '.svg'/);
  });

  it('keeps Node-only code out of the main entry', () => {
    const src = new URL('.', import.meta.url);
    for (const file of readdirSync(src)) {
      if (!file.endsWith('.ts') || file.endsWith('.test.ts') || file === 'node.ts' || file === 'svg-test-util.ts')
        continue;
      const text = readFileSync(new URL(file, src), 'utf8');
      expect(text, file).not.toMatch(/from 'node:|@resvg|from 'fs'|\bBuffer\./);
    }
  });
});

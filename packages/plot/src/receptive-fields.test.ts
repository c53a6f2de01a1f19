import { decode } from 'fast-png';
import { describe, expect, it } from 'vitest';
import { schemeTable } from './image.js';
import { receptiveFields } from './receptive-fields.js';
import { countMarks, imageUrls, parseSvg } from './svg-test-util.js';

const png = (svg: string) => {
  const url = imageUrls(svg)[0] as string;
  return decode(Uint8Array.from(atob(url.slice(22)), (c) => c.charCodeAt(0)));
};

/** [784, 100]: neuron j's field is 1 at pixel j (row j / 28, column j % 28), 0 elsewhere. */
function diagonal(): Float32Array {
  const w = new Float32Array(784 * 100);
  for (let j = 0; j < 100; j++) w[j * 100 + j] = 1;
  return w;
}

describe('receptiveFields', () => {
  it('tiles 100 fields of 28 × 28 into a 10 × 10 grid, 2 pixels per weight and 2-pixel gaps by default', async () => {
    const big = png(await receptiveFields({ data: diagonal(), shape: [784, 100] }, { imageShape: [28, 28] }));
    expect([big.width, big.height]).toEqual([578, 578]); // 10 · (28 · 2 + 2) − 2
  });

  it('puts weight p of neuron j at its pixel of field j', async () => {
    const svg = await receptiveFields(
      { data: diagonal(), shape: [784, 100] },
      { imageShape: [28, 28], pixelSize: 1, gap: 1 },
    );
    parseSvg(svg);
    expect(countMarks(svg, 'fields')).toBe(1);
    expect(svg).toContain('100 neurons, 28×28 each');
    const img = png(svg);
    expect([img.width, img.height]).toEqual([289, 289]);
    const greys = schemeTable('greys');
    const rgb = (x: number, y: number) => [...img.data.subarray((y * 289 + x) * 4, (y * 289 + x) * 4 + 3)];
    for (const j of [0, 1, 42, 99]) {
      const ox = (j % 10) * 29;
      const oy = Math.floor(j / 10) * 29;
      expect(rgb(ox + (j % 28), oy + Math.floor(j / 28))).toEqual([...greys.subarray(255 * 3, 256 * 3)]); // the 1
      expect(rgb(ox + ((j + 1) % 28), oy + Math.floor((j + 1) / 28))).toEqual([...greys.subarray(0, 3)]); // a 0
    }
    expect(rgb(28, 0)).toEqual([255, 255, 255]); // gap
  });

  it('reads [neurons, inputs] too, and shows a chosen subset', async () => {
    const w = new Float32Array(3 * 4).map((_, i) => i);
    const svg = await receptiveFields(
      { data: w, shape: [3, 4] },
      { imageShape: [2, 2], neurons: [2, 0], columns: 2, gap: 0, pixelSize: 1 },
    );
    const img = png(svg);
    expect([img.width, img.height]).toEqual([4, 2]);
    const each = await receptiveFields({ data: w, shape: [3, 4] }, { imageShape: [2, 2], normalize: 'each' });
    expect(each).toContain('each scaled to its own range');
    expect(countMarks(each, 'legend')).toBe(0);
  });

  it('names what is wrong', async () => {
    const w = { data: new Float32Array(12), shape: [3, 4] };
    await expect(receptiveFields(w, { imageShape: [3, 3] })).rejects.toThrow(
      /'weights' must be an axis of 3·3 = 9 inputs/,
    );
    await expect(receptiveFields(w, { imageShape: [2, 2], neuronAxis: 1 })).rejects.toThrow(/4 inputs along axis 0/);
    await expect(receptiveFields(w, { imageShape: [2, 2], neurons: [3] })).rejects.toThrow(
      /'neurons' must be indices in \[0, 3\)/,
    );
    await expect(receptiveFields(w, undefined as never)).rejects.toThrow(/'imageShape' must be \[height, width\]/);
    await expect(receptiveFields(w, { imageShape: [2, 2], normalize: 'row' as never })).rejects.toThrow(/'normalize'/);
  });
});

import { decode } from 'fast-png';
import { describe, expect, it } from 'vitest';
import { PlotError } from './data.js';
import { raster } from './raster.js';
import { countMarks, drawnAxes, imageUrls, markPaths, parseSvg } from './svg-test-util.js';

/** A seeded 0/1 array `[T, ...rest]` with spike probability p. */
function bernoulli(shape: number[], p: number, seed = 3): { data: Float32Array; shape: number[] } {
  let s = seed;
  const data = new Float32Array(shape.reduce((a, b) => a * b, 1));
  for (let i = 0; i < data.length; i++) {
    s = (s * 16807) % 2147483647;
    data[i] = +(s / 2147483647 < p);
  }
  return { data, shape };
}

const sum = (a: ArrayLike<number>): number => Array.from(a).reduce((x, y) => x + y, 0);

function decodeImage(svg: string) {
  const urls = imageUrls(svg);
  expect(urls.length).toBe(1);
  const url = urls[0] as string;
  expect(url.startsWith('data:image/png;base64,')).toBe(true);
  return decode(Uint8Array.from(atob(url.slice(22)), (c) => c.charCodeAt(0)));
}

describe('raster', () => {
  it('draws one mark per spike of dense [T, N] spikes', async () => {
    const s = bernoulli([50, 20], 0.1);
    const svg = await raster(s, { title: 'LIF' });
    parseSvg(svg);
    expect(countMarks(svg, 'spikes')).toBe(sum(s.data));
    expect(countMarks(svg, 'bands')).toBe(0); // one unnamed population: no bands, no legend
    expect(svg).toContain('LIF');
    expect(svg).toContain('time (step)');
  });

  it('draws sample `batch` of [T, B, N] (a monitor recording) and reads its steps and dt', async () => {
    const s = bernoulli([30, 2, 10], 0.2);
    let inSample1 = 0;
    for (let t = 0; t < 30; t++) for (let n = 0; n < 10; n++) inSample1 += s.data[t * 20 + 10 + n] as number;
    const svg = await raster(
      { ...s, steps: Array.from({ length: 30 }, (_, t) => 100 + t), dt: 0.5 },
      { batch: 1, timeUnit: 'ms' },
    );
    expect(countMarks(svg, 'spikes')).toBe(inSample1);
    expect(svg).toContain('time (ms)');
    await expect(raster(s, { batch: 2 })).rejects.toThrow(/'batch' must be an index below the batch size 2/);
  });

  it('stacks populations, one colour and one band each', async () => {
    const exc = bernoulli([40, 30], 0.05, 1);
    const inh = bernoulli([40, 10], 0.2, 2);
    const events = { times: [0, 1, 5], neurons: [0, 3, 3], size: 4 };
    const svg = await raster([
      { name: 'exc', spikes: exc },
      { name: 'inh', spikes: inh, color: '#aa0000' },
      { name: 'input', spikes: events },
    ]);
    expect(countMarks(svg, 'bands')).toBe(3);
    expect(countMarks(svg, 'spikes')).toBe(sum(exc.data) + sum(inh.data) + 3);
    for (const name of ['exc', 'inh', 'input', 'population']) expect(svg).toContain(`>${name}<`);
    expect(svg).toContain('#aa0000');
    const same = await raster({ exc, inh });
    expect(countMarks(same, 'bands')).toBe(2);
  });

  it('bins 100,000+ spikes into an image of at most width × height pixels', async () => {
    const s = bernoulli([2000, 1000], 0.06);
    const count = sum(s.data);
    expect(count).toBeGreaterThan(100_000);
    const inh = bernoulli([2000, 200], 0.1, 9);
    const svg = await raster({ exc: s, inh }, { width: 500, height: 300 });
    expect(countMarks(svg, 'spikes')).toBe(0);
    expect(countMarks(svg, 'density')).toBe(1);
    expect(svg.length).toBeLessThan(400_000); // a usable file, not 100k+ elements
    expect(svg).toMatch(/spikes as density: 4 steps × 4 neurons per pixel/);
    const png = decodeImage(svg);
    expect([png.width, png.height]).toEqual([500, 300]);
    // each pixel holds 4 steps × 4 neurons: it is drawn iff one of them spiked
    const occupied = new Uint8Array(500 * 300);
    for (let t = 0; t < 2000; t++) {
      for (let g = 0; g < 1200; g++) {
        const spike = g < 1000 ? s.data[t * 1000 + g] : inh.data[t * 200 + g - 1000];
        if (spike) occupied[(299 - Math.floor(g / 4)) * 500 + Math.floor(t / 4)] = 1;
      }
    }
    for (let i = 0; i < 500 * 300; i++) {
      if (((png.data[i * 4 + 3] as number) > 0 ? 1 : 0) !== occupied[i]) expect.fail(`pixel ${i}`);
    }
    // colour per population: the top rows are 'inh' (orange), the bottom 'exc' (blue)
    const rgbAt = (row: number): number[] => {
      const c = occupied.subarray(row * 500, (row + 1) * 500).indexOf(1);
      return [...png.data.subarray((row * 500 + c) * 4, (row * 500 + c) * 4 + 3)];
    };
    expect(rgbAt(0)).toEqual([0xf5, 0x85, 0x18]);
    expect(rgbAt(299)).toEqual([0x4c, 0x78, 0xa8]);
  });

  it('draws exactly the spikes in image mode when there is one pixel per step and neuron', async () => {
    const s = bernoulli([40, 12], 0.15);
    const svg = await raster(s, { mode: 'image', width: 100, height: 100 });
    const png = decodeImage(svg);
    expect([png.width, png.height]).toEqual([40, 12]);
    for (let t = 0; t < 40; t++) {
      for (let n = 0; n < 12; n++) {
        const alpha = png.data[((11 - n) * 40 + t) * 4 + 3] as number; // neuron 0 is the bottom row
        expect(alpha > 0 ? 1 : 0, `step ${t}, neuron ${n}`).toBe(s.data[t * 12 + n]);
      }
    }
  });

  it('puts the time ticks of an 8-step run on the steps, where the spikes are', async () => {
    // neuron n spikes at step n; neuron 4 also at step 7
    const data = new Float32Array(8 * 5);
    for (let n = 0; n < 5; n++) data[n * 5 + n] = 1;
    data[7 * 5 + 4] = 1;
    const svg = await raster({ data, shape: [8, 5] }); // 600 px wide
    const time = drawnAxes(svg).find((a) => a.title === 'time (step)');
    expect(time?.labels.map((l) => l.text)).toEqual(['0', '1', '2', '3', '4', '5', '6', '7']);
    const at = new Map(time?.labels.map((l) => [Number(l.text), l.at]));
    // each spike is a thin rect "Mx,y h w v ...": its centre is on the tick of its step
    const centres = markPaths(svg, 'spikes').map((d) => {
      const m = /^M([-\d.]+),[-\d.]+h([\d.]+)/.exec(d) as RegExpExecArray;
      return Number(m[1]) + Number(m[2]) / 2;
    });
    expect(centres.length).toBe(6);
    // spikes in time order: steps 0..4 (one each), then 7; the axis spans -0.5 .. 7.5, 75 px a step
    const steps = [0, 1, 2, 3, 4, 7];
    for (const [i, c] of centres.entries()) {
      expect(Math.abs(c - ((steps[i] as number) * 75 + 37.5))).toBeLessThanOrEqual(0.5);
      expect(Math.abs(c - (at.get(steps[i] as number) as number))).toBeLessThan(1);
    }
  });

  it('labels only step times, whatever dt and first step', async () => {
    const s = bernoulli([30, 4], 0.3);
    const dt = 0.5;
    const svg = await raster({ ...s, steps: Array.from({ length: 30 }, (_, t) => 100 + t), dt }, { width: 300 });
    const labels = drawnAxes(svg).find((a) => a.orient === 'x')?.labels ?? [];
    expect(labels.length).toBeGreaterThan(2);
    // the axis runs from step 100 - 1/2 to 129 + 1/2, i.e. times 49.75 .. 64.75 over 300 px
    for (const l of labels) {
      const time = Number(l.text);
      expect(Number.isInteger(time / dt), l.text).toBe(true);
      expect(time).toBeGreaterThanOrEqual(50);
      expect(time).toBeLessThanOrEqual(64.5);
      expect(Math.abs(l.at - ((time - 49.75) / 15) * 300)).toBeLessThanOrEqual(0.5);
    }
  });

  it('accepts an empty raster', async () => {
    const svg = await raster({ data: new Float32Array(0), shape: [0, 5] });
    expect(countMarks(svg, 'spikes')).toBe(0);
  });

  it('names what is wrong', async () => {
    await expect(raster(42 as never)).rejects.toThrow(PlotError);
    await expect(raster({ data: [1, 0, 1], shape: [2, 2] })).rejects.toThrow(/'spikes' must be as many values/);
    await expect(raster([])).rejects.toThrow(/at least one population/);
    await expect(raster({ times: [1, 2], neurons: [0] })).rejects.toThrow(/'spikes.neurons' must be as long as/);
    await expect(raster({ times: [1], neurons: [5], size: 3 })).rejects.toThrow(/'spikes.size'/);
    await expect(raster({ data: [1], shape: [1, 1] }, { mode: 'dots' as never })).rejects.toThrow(/'mode'/);
    await expect(raster({ data: [1], shape: [1, 1] }, { dt: 0 })).rejects.toThrow(/'dt' must be a finite number > 0/);
  });
});

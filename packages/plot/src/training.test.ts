import { describe, expect, it } from 'vitest';
import { countMarks, drawnAxes, markGroups, parseSvg } from './svg-test-util.js';
import { trainingCurves } from './training.js';

describe('trainingCurves', () => {
  it('stacks one panel per metric, one line per series, a dot per value when short', async () => {
    const svg = await trainingCurves(
      { loss: { train: [2, 1, 0.5, 0.4], test: [2.2, 1.3, 0.8, 0.7] }, accuracy: { train: [0.5, 0.8, 0.9, 0.95] } },
      { title: 'Run 3' },
    );
    parseSvg(svg);
    expect(countMarks(svg, 'curve_0')).toBe(2);
    expect(countMarks(svg, 'curve_1')).toBe(1);
    expect(countMarks(svg, 'points_0')).toBe(8);
    expect(countMarks(svg, 'points_1')).toBe(4);
    for (const text of ['loss', 'accuracy', 'train', 'test', 'epoch', 'Run 3']) expect(svg).toContain(`>${text}<`);
  });

  it('takes plain arrays and typed arrays, leaves gaps at NaN, and drops the dots for long series', async () => {
    const loss = Float32Array.from({ length: 100 }, (_, i) => (i === 50 ? Number.NaN : 1 / (i + 1)));
    const svg = await trainingCurves({ loss }, { xTitle: 'step', x0: 0 });
    expect(countMarks(svg, 'curve_0')).toBe(1);
    expect(countMarks(svg, 'points_0')).toBe(0);
    expect(svg).toContain('>step<');
    const line = markGroups(svg, 'curve_0')[0] as { path: { '@d': string } };
    const d = line.path['@d'];
    expect((d.match(/M/g) ?? []).length).toBe(2); // the line breaks at the NaN
  });

  it('labels a one-epoch run with round numbers: epoch 1 on x, a few short decimals on y', async () => {
    const svg = await trainingCurves({ loss: { train: [1.745935] }, accuracy: { train: [0.41234], test: [0.5637] } });
    const axes = drawnAxes(svg);
    const xs = axes.filter((a) => a.orient === 'x');
    expect(xs.length).toBe(2); // one per panel
    for (const x of xs) {
      expect(x.labels.map((l) => l.text)).toEqual(['1']);
      expect(Math.abs((x.labels[0]?.at ?? Number.NaN) - 300)).toBeLessThanOrEqual(0.5); // the single epoch in the middle of 600 px
    }
    const ys = axes.filter((a) => a.orient === 'y');
    expect(ys.map((a) => a.title)).toEqual(['loss', 'accuracy']);
    for (const y of ys) {
      expect(y.labels.length).toBeGreaterThanOrEqual(2);
      for (const l of y.labels) expect(l.text, `${y.title} tick`).toMatch(/^\d+(\.\d{1,2})?$/);
    }
    expect(svg).not.toContain('1.745935');
  });

  it('puts a tick on each epoch of a short run, none between', async () => {
    const svg = await trainingCurves({ loss: [3, 2, 1] }, { width: 400 });
    const x = drawnAxes(svg).find((a) => a.orient === 'x');
    expect(x?.labels.map((l) => [l.text, Math.round(l.at)])).toEqual([
      ['1', 0],
      ['2', 200],
      ['3', 400],
    ]);
  });

  it('names what is wrong', async () => {
    await expect(trainingCurves({})).rejects.toThrow(/at least one metric/);
    await expect(trainingCurves({ loss: 3 as never })).rejects.toThrow(/'curves.loss' must be an array/);
    await expect(trainingCurves({ loss: { a: 'x' as never } })).rejects.toThrow(/'curves.loss.a' must be an array/);
  });
});

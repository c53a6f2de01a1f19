import { describe, expect, it } from 'vitest';
import { PlotError } from './data.js';
import { weightHeatmap } from './heatmap.js';
import { svgToPng } from './node.js';
import { UnknownPlotOptionError } from './options.js';
import { raster } from './raster.js';
import { ratePlot } from './rate.js';
import { receptiveFields } from './receptive-fields.js';
import { trainingCurves } from './training.js';
import { voltageTraces } from './voltage.js';

const spikes = { data: [0, 1, 1, 0], shape: [2, 2] };
const w = { data: [1, 2, 3, 4], shape: [2, 2] };

describe('plot options are checked', () => {
  it('a misspelt option names the closest valid one, in every plot', async () => {
    await expect(raster(spikes, { widht: 300 } as never)).rejects.toThrow(
      "raster: unknown option 'widht' (did you mean 'width'?)",
    );
    await expect(ratePlot(spikes, { bins: 2 } as never)).rejects.toThrow("did you mean 'bin'");
    await expect(voltageTraces(spikes, { treshold: 1 } as never)).rejects.toThrow("did you mean 'threshold'");
    await expect(weightHeatmap(w, { shceme: 'viridis' } as never)).rejects.toThrow("did you mean 'scheme'");
    await expect(receptiveFields(w, { imageShape: [1, 2], colums: 2 } as never)).rejects.toThrow(
      "did you mean 'columns'",
    );
    await expect(trainingCurves({ loss: [1, 0.5] }, { titel: 'x' } as never)).rejects.toThrow("did you mean 'title'");
    expect(() => svgToPng('<svg/>', { scael: 2 } as never)).toThrow("did you mean 'scale'");
  });

  it('the error is a PlotError and an SnnError, and lists the known options', async () => {
    const err = await raster(spikes, { zzzzzzzz: 1 } as never).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UnknownPlotOptionError);
    expect(err).toBeInstanceOf(PlotError);
    expect((err as Record<symbol, unknown>)[Symbol.for('@snn/error')]).toBe(true); // so instanceof SnnError holds
    expect((err as Error).message).toBe(
      "raster: unknown option 'zzzzzzzz'; known options: 'width', 'height', 'title', 'dt', 'timeUnit', 'batch', 'maxMarks', 'mode'",
    );
    await expect(raster(spikes, 5 as never)).rejects.toThrow("raster: 'options' must be an options object, got 5");
  });
});

// Public surface of @snn/plot (browser-safe; PNG files come from '@snn/plot/node'). Named exports only.
export { type ArrayND, type Matrix, PlotError, type SpikeInput, type SpikeTrains } from './data.js';
export { type ColorOptions, type HeatmapOptions, weightHeatmap } from './heatmap.js';
export { UnknownPlotOptionError } from './options.js';
export { type Population, type RasterOptions, raster } from './raster.js';
export { type RateInput, type RateOptions, ratePlot } from './rate.js';
export { type ReceptiveFieldOptions, receptiveFields } from './receptive-fields.js';
export { FONT, type PlotOptions, renderSpec } from './render.js';
export { type Curves, type TrainingCurveOptions, trainingCurves } from './training.js';
export { type VoltageOptions, voltageTraces } from './voltage.js';

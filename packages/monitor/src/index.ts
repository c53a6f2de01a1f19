// Public surface of @snn/monitor. Named exports only.
export { type MonitorJSON, recordingsFromJSON, type VariableJSON } from './export.js';
export {
  coefficientOfVariation,
  firingRates,
  interSpikeIntervals,
  type PopulationRateOptions,
  populationRate,
  type SpikeEvents,
  spikeCounts,
  spikeEvents,
  type TimeOptions,
} from './measures.js';
export { type Keep, Monitor, type MonitorOptions, type Probe } from './monitor.js';
export { globToRegExp, type ModuleMatch, NetworkMonitor, type NetworkMonitorOptions } from './network-monitor.js';
export { decodeNpy, encodeNpy, type NpyArray, type NpyData, npyHeader } from './npy.js';
export { float32Short, type RecordedArray, type Recording, type Summary } from './recording.js';

// Public surface of @snn/monitor. Named exports only.

export type { Probe } from './channel.js';
export { type MonitorJSON, recordingsFromJSON, type VariableJSON } from './export.js';
export type { Keep } from './keep.js';
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
export { Monitor, type MonitorOptions } from './monitor.js';
export { type ModuleMatch, NetworkMonitor, type NetworkMonitorOptions } from './network-monitor.js';
export { decodeNpy, encodeNpy, type NpyArray, type NpyData } from './npy.js';
export type { RecordedArray, Recording, Summary } from './recording.js';

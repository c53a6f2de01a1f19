// Public surface of @snn/network. Named exports only.
export {
  AbstractConnection,
  Connection,
  type ConnectionOptions,
  Conv2dConnection,
  type Conv2dConnectionOptions,
  type DenseConnectionOptions,
  type LearnContext,
  LocalConnection,
  type LocalConnectionOptions,
  SparseConnection,
  type SparseConnectionOptions,
} from './connection.js';
export { populationMonitor } from './monitors.js';
export {
  type LayerTensors,
  Network,
  type NetworkMonitorLike,
  type NetworkOptions,
  type RunOptions,
} from './network.js';
export {
  type DiehlCookNodesOptions,
  diehlCookNodes,
  type Forcing,
  Input,
  type LIFNodesOptions,
  lifNodes,
  NodePopulation,
  type NodePopulationOptions,
  Population,
  type TraceOptions,
} from './population.js';
export {
  type ActionMode,
  groupCounts,
  type RewardFn,
  RewardNode,
  type RewardNodeOptions,
  type SelectActionOptions,
  selectAction,
} from './reward.js';

// Public surface of @snn/learning. Named exports only.
export {
  type Checkpoint,
  type CheckpointMeta,
  type CheckpointOptions,
  fromCheckpoint,
  type LoadedCheckpoint,
  loadCheckpoint,
  saveCheckpoint,
  toCheckpoint,
} from './checkpoint.js';
export type { Inputs } from './checks.js';
export { type ClipResult, clipByGlobalNorm, globalNorm } from './clip.js';
export { type Conv2dGeometry, conv2dCorrelate, denseCorrelate } from './correlate.js';
export { type Batch, type EvaluateOptions, type EvaluateResult, evaluate } from './evaluate.js';
export { firstSpikeTime } from './first-spike.js';
export {
  Hebbian,
  LocalRule,
  MSTDP,
  MSTDPET,
  type MSTDPETOptions,
  type MSTDPOptions,
  type Nu,
  PostPre,
  type PostPreOptions,
  type SynapticActivity,
  WeightDependentPostPre,
} from './local-rules.js';
export {
  type FirstSpikeTimeLossOptions,
  firstSpikeTimeLoss,
  type LossFn,
  type MSECountOptions,
  mseCountLoss,
  type RateCrossEntropyOptions,
  rateCrossEntropyLoss,
  rateMSELoss,
} from './losses.js';
export { accuracy, type Decode, type DecodeOptions, predictClasses } from './metrics.js';
export {
  MSTDPETLearner,
  type MSTDPETLearnerOptions,
  type MSTDPETParams,
  type MSTDPETState,
  MSTDPLearner,
  type MSTDPLearnerOptions,
  type MSTDPState,
  mstdpetStep,
  mstdpStep,
} from './mstdp.js';
export {
  type CosineAnnealingOptions,
  cosineAnnealing,
  getLearningRate,
  type LearningRateSchedule,
  setLearningRate,
} from './schedule.js';
export {
  type Correlate,
  STDPLearner,
  type STDPLearnerOptions,
  type TraceSTDPParams,
  type TraceSTDPState,
  traceSTDPMultiStep,
  traceSTDPStep,
  type WeightFn,
} from './stdp.js';
export { type TrainStepOptions, type TrainStepResult, trainStep } from './train-step.js';

// Public surface of @snn/encoding. Named exports only. Depends on @tensorflow/tfjs-core alone.

export { CyclicEncoder } from './cyclic-encoder.js';
export {
  type Decoded,
  type DecodedValue,
  decodeFinalVoltage,
  decodeFirstSpike,
  decodePopulationRate,
  decodeSpikeCount,
  decodeSpikeRate,
  decodeTimeSoftmax,
  decodeVoltageSum,
  decodeVoltageTrajectory,
} from './decoders.js';
export { DeltaEncoder, type DeltaOptions, deltaEncode } from './delta.js';
export {
  EncodingError,
  EncodingOptionError,
  EncodingShapeError,
  EncodingValueError,
} from './errors.js';
export {
  type FeatureBounds,
  GaussianTuning,
  type GaussianTuningOptions,
  gaussianTuningEncode,
} from './gaussian-tuning.js';
export {
  type Amount,
  ConstantCurrentGenerator,
  type ConstantCurrentOptions,
  constantCurrent,
  type DurationOptions,
  Generator,
  type GeneratorOptions,
  PoissonGenerator,
  type PoissonGeneratorOptions,
  poissonSpikeTrain,
  type ResolvedAmount,
  SinusoidalCurrentGenerator,
  type SinusoidalCurrentOptions,
  sinusoidalCurrent,
} from './generators.js';
export {
  LatencyEncoder,
  type LatencyFunction,
  type LatencyOptions,
  latencyEncode,
  latencySpikeTimes,
  relativeLatencyEncode,
} from './latency.js';
export { PeriodicEncoder, periodicEncode } from './periodic.js';
export {
  createRandom,
  type RandomLike,
  type RandomOptions,
  type RandomSource,
  SeededRandom,
} from './random.js';
export { rankOrderEncode } from './rank-order.js';
export {
  bernoulliEncode,
  type PoissonEncodeOptions,
  type PoissonRateEncodeOptions,
  poissonEncode,
  poissonRateEncode,
} from './rate.js';
export { multipleSpikeToBinary, type SpikeTimeOptions, singleSpikeToBinary } from './spike-times.js';
export { phaseWeights, WeightedPhaseEncoder, weightedPhaseDecode, weightedPhaseEncode } from './weighted-phase.js';

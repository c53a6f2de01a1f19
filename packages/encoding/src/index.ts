// Public surface of @snn/encoding. Named exports only. Depends on @tensorflow/tfjs-core alone.

export {
  type ComplexCountOptions,
  type ComplexLatencyOptions,
  type ComplexPhaseOptions,
  type ComplexSpikes,
  type ComplexTimingDistanceOptions,
  ComplexTrajectoryDecoder,
  type ComplexTrajectoryDecoderOptions,
  type ComplexTrajectoryOptions,
  decodeComplexCount,
  decodeComplexLatency,
  decodeComplexPhase,
  decodeComplexTimingDistance,
  decodeComplexTrajectory,
  type TimingDistance,
  type TimingDistanceInput,
} from './complex-decoders.js';
export { CyclicEncoder } from './cyclic-encoder.js';
export {
  type Decoded,
  type DecodedValue,
  decodeFinalVoltage,
  decodeFirstSpike,
  decodeFirstSpikePattern,
  decodePopulationRate,
  decodeSpikeCount,
  decodeSpikeRate,
  decodeTimeSoftmax,
  decodeTimeSpikeCounts,
  decodeVoltageSum,
  decodeVoltageTrajectory,
} from './decoders.js';
export { DeltaEncoder, type DeltaOptions, deltaEncode } from './delta.js';
export {
  EncodingError,
  EncodingNameError,
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
  RampCurrentGenerator,
  type RampCurrentOptions,
  type ResolvedAmount,
  rampCurrent,
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
export {
  type FloatEncodeOptions,
  FloatEncoding,
  floatEncode,
  NullDecoder,
  type NullEncodeOptions,
  NullEncoder,
  nullDecode,
  nullEncode,
} from './passthrough.js';
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
export {
  type ComplexTrajectoryFactoryOptions,
  createDecoder,
  createEncoder,
  createGenerator,
  type Decoder,
  type DecoderFactories,
  decoders,
  type Encoder,
  type EncoderFactories,
  encoders,
  type Factory,
  type GeneratorFactories,
  generators,
  type NoOptions,
  type PopulationDecodeOptions,
  type RegisterOptions,
  Registry,
  type StepGenerator,
  type TimeSoftmaxOptions,
} from './registry.js';
export { multipleSpikeToBinary, type SpikeTimeOptions, singleSpikeToBinary } from './spike-times.js';
export { type UniformEncodeOptions, uniformEncode } from './uniform.js';
export { phaseWeights, WeightedPhaseEncoder, weightedPhaseDecode, weightedPhaseEncode } from './weighted-phase.js';

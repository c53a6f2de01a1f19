// Public surface of @snn/layers. Named exports only.

export { BatchNorm, BatchNorm1d, BatchNorm2d, type BatchNorm2dOptions, type BatchNormOptions } from './batch-norm.js';
export { checkConstraint, constrainWeight, WEIGHT_CONSTRAINTS, type WeightConstraint } from './constraint.js';
export { Conv1d, type Conv1dOptions, Conv2d, type Conv2dOptions, type ConvOptions, type ConvPadding } from './conv.js';
export { conv2dChannelsLast, dilateFilter, type SpatialPadding } from './conv2d-op.js';
export { Dropout, type DropoutOptions } from './dropout.js';
export { Flatten, type FlattenOptions } from './flatten.js';
export { initWeightAndBias, kaimingUniformBound, type RandomOptions, resolveRng } from './init.js';
export { checkStepInput, type DataFormat, type InputCheck, StatelessLayer, type StepModeOptions } from './layer.js';
export { Linear, type LinearOptions } from './linear.js';
export {
  AdaptiveAvgPool2d,
  type AdaptiveAvgPool2dOptions,
  AvgPool2d,
  type AvgPool2dOptions,
  MaxPool2d,
  Pool2d,
  type Pool2dOptions,
} from './pooling.js';
export { SynapseFilter, type SynapseFilterOptions, synapseFilterStep } from './synapse-filter.js';

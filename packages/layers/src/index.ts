// Public surface of @snn/layers. Named exports only. What snn's own packages share and users do
// not call (the NHWC convolution with its trainable-everywhere gradient) is in ./internal.ts.

export { BatchNorm, BatchNorm1d, BatchNorm2d, type BatchNorm2dOptions, type BatchNormOptions } from './batch-norm.js';
export type { WeightConstraint } from './constraint.js';
export { Conv1d, type Conv1dOptions, Conv2d, type Conv2dOptions, type ConvOptions, type ConvPadding } from './conv.js';
export { Dropout, type DropoutOptions } from './dropout.js';
export { Flatten, type FlattenOptions } from './flatten.js';
export { kaimingUniformBound, type RandomOptions } from './init.js';
export { type DataFormat, StatelessLayer, type StepModeOptions } from './layer.js';
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

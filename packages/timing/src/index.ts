// Public surface of @snn/timing. Named exports only.
// Gaussian tuning lives in @snn/encoding; it is re-exported here (not copied) because it is the
// encoder of SpikingJelly's timing_based package, which this package follows.
export { GaussianTuning, type GaussianTuningOptions, gaussianTuningEncode } from '@snn/encoding';
export type { TempotronParams } from './checks.js';
export {
  type Targets,
  type TempotronRuleDelta,
  type TempotronRuleOptions,
  type TempotronRuleResult,
  tempotronRuleDelta,
  tempotronRuleStep,
} from './classic-rule.js';
export { type Labels, tempotronMSELoss, tempotronWrongMask } from './mse-loss.js';
export { tempotronPotential, tempotronPotentialReference } from './potential.js';
export { pspKernel, pspNormalization, pspPeakTime } from './psp-kernel.js';
export { maxTimeSpikes, voltageMax } from './readouts.js';
export { Tempotron, type TempotronOptions, type TempotronOutput } from './tempotron.js';

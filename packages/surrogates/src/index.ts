// Public surface of @snn/surrogates. Named exports only.

export { atan } from './atan.js';
export { deterministicPass } from './deterministic-pass.js';
export { erf } from './erf.js';
export { fakeNumericalGradient } from './fake-numerical-gradient.js';
export { fastSigmoid } from './fast-sigmoid.js';
export { leakyKReLU } from './leaky-k-relu.js';
export { logTailedReLU } from './log-tailed-relu.js';
export { nonzeroSignLogAbs } from './nonzero-sign-log-abs.js';
export { piecewiseExp } from './piecewise-exp.js';
export { type PiecewiseLeakyReLUOptions, piecewiseLeakyReLU } from './piecewise-leaky-relu.js';
export { piecewiseQuadratic } from './piecewise-quadratic.js';
export { qPseudoSpike } from './q-pseudo-spike.js';
export { rect } from './rect.js';
export { s2nn } from './s2nn.js';
export { sigmoid } from './sigmoid.js';
export { softSign } from './soft-sign.js';
export { squarewaveFourierSeries } from './squarewave-fourier-series.js';
export { straightThrough } from './straight-through.js';
export { superSpike } from './super-spike.js';
export {
  defineSurrogate,
  heaviside,
  type Surrogate,
  type SurrogateOptions,
  type SurrogateSpec,
} from './surrogate.js';
export { triangular } from './triangular.js';

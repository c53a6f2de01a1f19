// Public surface of @snn/surrogates. Named exports only.

export { atan } from './atan.js';
export { sigmoid } from './sigmoid.js';
export { defineSurrogate, heaviside, type Surrogate, type SurrogateSpec } from './surrogate.js';

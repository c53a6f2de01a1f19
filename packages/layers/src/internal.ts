/**
 * `@snn/layers/internal`: what snn's own packages share and users do not call — the NHWC
 * convolution that trains on every backend (used by `@snn/network`'s `Conv2dConnection`) and the
 * filter dilation it needs. No stability promise.
 */
export { conv2dChannelsLast, dilateFilter, type SpatialPadding } from './conv2d-op.js';

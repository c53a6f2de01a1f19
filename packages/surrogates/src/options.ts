// Option tables of the surrogate factories: core's, for every package. Not part of the public surface.
export { type AnyOptionTable, checkOptionTable, type OptionTable } from '@snn/core';

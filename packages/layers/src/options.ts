// The option-name lists of this package's options interfaces are built with core's keysOf.
export { keysOf } from '@snn/core';

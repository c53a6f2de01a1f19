// Public surface of @snn/neurons. Named exports only.
export { BaseNode, type BaseNodeOptions, fire, type NodeParams, resetV, resolveNodeParams } from './base-node.js';
export { IFNode, ifCharge } from './if.js';
export { LIFNode, type LIFNodeOptions, type LIFParams, lifCharge } from './lif.js';

// Lookup by name of the neuron models (SPAIC's `NeuronModel.register` table): `model='lif'` in
// SPAIC is `createNeuron('lif')` here. The README's "Lookup by name" table says what each name
// makes and where its numbers differ from SPAIC's.
import { checkBoolean, checkOptions, closestName, type Module, ValueError } from '@snn/core';
import { AdaptiveCLIFNode, type AdaptiveCLIFNodeOptions } from './adaptive-clif.js';
import { AdaptiveLIFNode, type AdaptiveLIFNodeOptions } from './adaptive-lif.js';
import { AdExNode, type AdExNodeOptions } from './adex.js';
import { ALIFSTDPNode, type ALIFSTDPNodeOptions } from './alif-stdp.js';
import { AlphaNode, type AlphaNodeOptions } from './alpha.js';
import type { BaseNodeOptions } from './base-node.js';
import { CANNFieldNode, type CANNFieldNodeOptions } from './cann-field.js';
import { CLIFNode, type CLIFNodeOptions } from './clif.js';
import { CLIF2KNode, type CLIF2KNodeOptions } from './clif2k.js';
import { CLIF3KNode, type CLIF3KNodeOptions } from './clif3k.js';
import { ConstantCurrentLIFNode, type ConstantCurrentLIFNodeOptions } from './constant-current-lif.js';
import { DarwinALIFNode, type DarwinALIFNodeOptions } from './darwin-alif.js';
import { DarwinCLIFNode, type DarwinCLIFNodeOptions } from './darwin-clif.js';
import { DarwinRandomNode, type DarwinRandomNodeOptions } from './darwin-random.js';
import { DiehlCookNode, type DiehlCookNodeOptions } from './diehl-cook.js';
import { DiehlCookIntNode, type DiehlCookIntNodeOptions } from './diehl-cook-int.js';
import { EIFNode, type EIFNodeOptions } from './eif.js';
import { GLIFNode, type GLIFNodeOptions } from './glif.js';
import { HodgkinHuxleyNode, type HodgkinHuxleyNodeOptions } from './hodgkin-huxley.js';
import { IFNode } from './if.js';
import { IFBNode, type IFBNodeOptions } from './ifb.js';
import { IzhikevichNode, type IzhikevichNodeOptions } from './izhikevich.js';
import { LIFNode, type LIFNodeOptions } from './lif.js';
import { LIFIntNode, type LIFIntNodeOptions } from './lif-int.js';
import { LIFMNode, type LIFMNodeOptions } from './lifm.js';
import { MeanFieldNode, type MeanFieldNodeOptions } from './mean-field.js';
import { NonSpikingIFBNode, type NonSpikingIFBNodeOptions } from './non-spiking-ifb.js';
import { NonSpikingLIFNode, type NonSpikingLIFNodeOptions } from './non-spiking-lif.js';
import { NullNode, type NullNodeOptions } from './null-node.js';
import { ParametricLIFNode, type ParametricLIFNodeOptions } from './parametric-lif.js';
import { PLIF2KNode, type PLIF2KNodeOptions } from './plif2k.js';
import { QIFNode, type QIFNodeOptions } from './qif.js';
import { QLIFNode, type QLIFNodeOptions } from './qlif.js';
import { RecurrentIFNode, type RecurrentIFNodeOptions } from './recurrent-if.js';
import { SELIFNode, type SELIFNodeOptions } from './selif.js';
import { SimpleRateNode, type SimpleRateNodeOptions } from './simple-rate.js';
import { SLIFNode, type SLIFNodeOptions } from './slif.js';
import { SpaicLIFNode, type SpaicLIFNodeOptions } from './spaic-lif.js';

/**
 * A name looked up in {@link neuronModels} is not registered. The message names the closest known
 * name when one is near (a typo) and lists all of them.
 * @example "createNeuron: unknown neuron model 'lfi' (did you mean 'lif'?); known neuron models: 'adaptive_lif', ..."
 */
export class UnknownNameError extends ValueError {
  override name = 'UnknownNameError';
  /**
   * @param fn - The function that looked the name up.
   * @param kind - What the registry holds, singular (`'neuron model'`).
   * @param requested - The name that was asked for.
   * @param known - The names the registry holds.
   */
  constructor(
    fn: string,
    readonly kind: string,
    readonly requested: string,
    readonly known: readonly string[],
  ) {
    super(fn, 'name', `a known ${kind} name`, requested);
    const near = closestName(requested, known);
    const hint = near === undefined ? '' : ` (did you mean '${near}'?)`;
    this.message = `${fn}: unknown ${kind} '${requested}'${hint}; known ${kind}s: ${known.map((k) => `'${k}'`).join(', ')}`;
  }
}

/** The options of {@link NeuronRegistry.register}. */
export interface RegisterOptions {
  /** Replace a name that is already registered (a built-in one too; `unregister` brings it back). Default false. */
  readonly replace?: boolean;
}

/** Makes a node from its options: what {@link NeuronRegistry.register} takes. */
export type NeuronFactory = (options?: never) => Module;

/** SPAIC's `lifstdp_ex` as {@link DiehlCookNode} options (SPAIC's defaults; README, "STDP-ready LIF variants"). */
export const LIFSTDP_EX_OPTIONS: Readonly<DiehlCookNodeOptions> = Object.freeze({
  dt: 1,
  tau: 100,
  tauTheta: 1e7,
  thetaPlus: 0.05,
  vThreshold: -52,
  vReset: -60,
  vRest: -65,
  refrac: 0,
});

/** SPAIC's `lifstdp_ih` as {@link DiehlCookNode} options (SPAIC's defaults; README, "STDP-ready LIF variants"). */
export const LIFSTDP_IH_OPTIONS: Readonly<DiehlCookNodeOptions> = Object.freeze({
  dt: 1,
  tau: 10,
  thetaPlus: 0,
  vThreshold: -40,
  vReset: -45,
  vRest: -60,
  refrac: 0,
});

/** The built-in neuron models, by SPAIC's registered names (and ours for models SPAIC lacks). */
export interface NeuronFactories {
  /** {@link SpaicLIFNode}: SPAIC's `LIFModel` as its code computes it. */
  readonly lif: (options?: SpaicLIFNodeOptions) => SpaicLIFNode;
  /** {@link IFBNode} (bias 0 is SPAIC's `IFModel` exactly). */
  readonly if: (options?: IFBNodeOptions) => IFBNode;
  /** {@link IFBNode}: SPAIC's `IFSoftModel` resets to 0 too, so it is `if`. */
  readonly ifsoftreset: (options?: IFBNodeOptions) => IFBNode;
  /** {@link IFBNode} (SPAIC's `IFBModel`). */
  readonly ifb: (options?: IFBNodeOptions) => IFBNode;
  /** {@link NonSpikingIFBNode}. */
  readonly nonspikingifb: (options?: NonSpikingIFBNodeOptions) => NonSpikingIFBNode;
  /** {@link NullNode}. */
  readonly null: (options?: NullNodeOptions) => NullNode;
  /** {@link LIFMNode}. */
  readonly lifm: (options?: LIFMNodeOptions) => LIFMNode;
  /** {@link ConstantCurrentLIFNode}. */
  readonly constantcurrentlif: (options?: ConstantCurrentLIFNodeOptions) => ConstantCurrentLIFNode;
  /** {@link NonSpikingLIFNode} (SpikingJelly's; SPAIC's is a kernel model: README). */
  readonly nonspikinglif: (options?: NonSpikingLIFNodeOptions) => NonSpikingLIFNode;
  /** {@link CLIF3KNode}: SPAIC's three-kernel CLIF (not snnTorch's {@link CLIFNode}: `synaptic`). */
  readonly clif: (options?: CLIF3KNodeOptions) => CLIF3KNode;
  /** {@link CLIF2KNode}. */
  readonly clif2k: (options?: CLIF2KNodeOptions) => CLIF2KNode;
  /** {@link PLIF2KNode}. */
  readonly pclif: (options?: PLIF2KNodeOptions) => PLIF2KNode;
  /** {@link AdaptiveCLIFNode}. */
  readonly aclif: (options?: AdaptiveCLIFNodeOptions) => AdaptiveCLIFNode;
  /** {@link QLIFNode}. */
  readonly qlif: (options?: QLIFNodeOptions) => QLIFNode;
  /** {@link SLIFNode}. */
  readonly slif: (options?: SLIFNodeOptions) => SLIFNode;
  /** {@link SELIFNode}. */
  readonly selif: (options?: SELIFNodeOptions) => SELIFNode;
  /** {@link IzhikevichNode} (Izhikevich 2003 with dt; SPAIC updates U without dt: README). */
  readonly izh: (options?: IzhikevichNodeOptions) => IzhikevichNode;
  /** {@link AdExNode}. */
  readonly adex: (options?: AdExNodeOptions) => AdExNode;
  /** {@link AdExNode} (SPAIC registers the AdEx model twice). */
  readonly aeif: (options?: AdExNodeOptions) => AdExNode;
  /** {@link GLIFNode}. */
  readonly glif: (options?: GLIFNodeOptions) => GLIFNode;
  /** {@link HodgkinHuxleyNode}. */
  readonly hh: (options?: HodgkinHuxleyNodeOptions) => HodgkinHuxleyNode;
  /** {@link DiehlCookNode} with {@link LIFSTDP_EX_OPTIONS} under `options`. */
  readonly lifstdp_ex: (options?: DiehlCookNodeOptions) => DiehlCookNode;
  /** {@link ALIFSTDPNode}. */
  readonly alifstdp_ex: (options?: ALIFSTDPNodeOptions) => ALIFSTDPNode;
  /** {@link DiehlCookNode} with {@link LIFSTDP_IH_OPTIONS} under `options`. */
  readonly lifstdp_ih: (options?: DiehlCookNodeOptions) => DiehlCookNode;
  /** {@link MeanFieldNode}. */
  readonly meanfield: (options?: MeanFieldNodeOptions) => MeanFieldNode;
  /** {@link SimpleRateNode} (SPAIC's `SimpleRateModel`, which SPAIC never registers). */
  readonly simplerate: (options?: SimpleRateNodeOptions) => SimpleRateNode;
  /** {@link CANNFieldNode}. */
  readonly cann_field: (options?: CANNFieldNodeOptions) => CANNFieldNode;
  /** {@link DarwinCLIFNode}. */
  readonly darwin_clif: (options?: DarwinCLIFNodeOptions) => DarwinCLIFNode;
  /** {@link DarwinALIFNode}. */
  readonly darwin_alif: (options?: DarwinALIFNodeOptions) => DarwinALIFNode;
  /** {@link DarwinRandomNode}. */
  readonly darwin_random: (options?: DarwinRandomNodeOptions) => DarwinRandomNode;
  /** {@link LIFIntNode}. */
  readonly lifint: (options?: LIFIntNodeOptions) => LIFIntNode;
  /** {@link DiehlCookIntNode} (SPAIC's integer `diehlandcook`). */
  readonly diehlandcook: (options?: DiehlCookIntNodeOptions) => DiehlCookIntNode;
  // Ours: models SPAIC lacks (or cannot build: its `plif`).
  /** {@link ParametricLIFNode} (SPAIC registers `plif` but cannot build it). */
  readonly plif: (options?: ParametricLIFNodeOptions) => ParametricLIFNode;
  /** {@link LIFNode}: SpikingJelly's LIF. */
  readonly sj_lif: (options?: LIFNodeOptions) => LIFNode;
  /** {@link IFNode}: SpikingJelly's IF. */
  readonly sj_if: (options?: BaseNodeOptions) => IFNode;
  /** {@link QIFNode}. */
  readonly qif: (options?: QIFNodeOptions) => QIFNode;
  /** {@link EIFNode}. */
  readonly eif: (options?: EIFNodeOptions) => EIFNode;
  /** {@link AlphaNode} (snnTorch's `Alpha`). */
  readonly alpha: (options?: AlphaNodeOptions) => AlphaNode;
  /** {@link CLIFNode} (snnTorch's `Synaptic`). */
  readonly synaptic: (options?: CLIFNodeOptions) => CLIFNode;
  /** {@link AdaptiveLIFNode}. */
  readonly adaptive_lif: (options?: AdaptiveLIFNodeOptions) => AdaptiveLIFNode;
  /** {@link RecurrentIFNode}. */
  readonly recurrent_if: (options?: RecurrentIFNodeOptions) => RecurrentIFNode;
  /** {@link DiehlCookNode} (float, Diehl & Cook 2015). */
  readonly diehl_cook: (options?: DiehlCookNodeOptions) => DiehlCookNode;
}

/** `defaults` under `options`; a non-object `options` is refused here (spreading would drop it). */
function under<O extends object>(fn: string, defaults: O, options: O | undefined): O {
  if (options === undefined) return { ...defaults };
  if (typeof options !== 'object' || options === null || Array.isArray(options))
    throw new ValueError(fn, 'options', 'an options object', options);
  return { ...defaults, ...options };
}

const BUILTINS: NeuronFactories = {
  lif: (o) => new SpaicLIFNode(o),
  if: (o) => new IFBNode(o),
  ifsoftreset: (o) => new IFBNode(o),
  ifb: (o) => new IFBNode(o),
  nonspikingifb: (o) => new NonSpikingIFBNode(o),
  null: (o) => new NullNode(o),
  lifm: (o) => new LIFMNode(o),
  constantcurrentlif: (o) => new ConstantCurrentLIFNode(o),
  nonspikinglif: (o) => new NonSpikingLIFNode(o),
  clif: (o) => new CLIF3KNode(o),
  clif2k: (o) => new CLIF2KNode(o),
  pclif: (o) => new PLIF2KNode(o),
  aclif: (o) => new AdaptiveCLIFNode(o),
  qlif: (o) => new QLIFNode(o),
  slif: (o) => new SLIFNode(o),
  selif: (o) => new SELIFNode(o),
  izh: (o) => new IzhikevichNode(o),
  adex: (o) => new AdExNode(o),
  aeif: (o) => new AdExNode(o),
  glif: (o) => new GLIFNode(o),
  hh: (o) => new HodgkinHuxleyNode(o),
  lifstdp_ex: (o) => new DiehlCookNode(under('createNeuron', LIFSTDP_EX_OPTIONS, o)),
  alifstdp_ex: (o) => new ALIFSTDPNode(o),
  lifstdp_ih: (o) => new DiehlCookNode(under('createNeuron', LIFSTDP_IH_OPTIONS, o)),
  meanfield: (o) => new MeanFieldNode(o),
  simplerate: (o) => new SimpleRateNode(o),
  cann_field: (o) => new CANNFieldNode(o),
  darwin_clif: (o) => new DarwinCLIFNode(o),
  darwin_alif: (o) => new DarwinALIFNode(o),
  darwin_random: (o) => new DarwinRandomNode(o),
  lifint: (o) => new LIFIntNode(o),
  diehlandcook: (o) => new DiehlCookIntNode(o),
  plif: (o) => new ParametricLIFNode(o),
  sj_lif: (o) => new LIFNode(o),
  sj_if: (o) => new IFNode(o),
  qif: (o) => new QIFNode(o),
  eif: (o) => new EIFNode(o),
  alpha: (o) => new AlphaNode(o),
  synaptic: (o) => new CLIFNode(o),
  adaptive_lif: (o) => new AdaptiveLIFNode(o),
  recurrent_if: (o) => new RecurrentIFNode(o),
  diehl_cook: (o) => new DiehlCookNode(o),
};

/**
 * The neuron models by name (SPAIC's `NeuronModel` table). Names are stored lower-case and looked
 * up in any case. Built-in names are typed: `neuronModels.create('clif', { tauM: 20 })` checks
 * the options against `CLIF3KNode`'s and returns a `CLIF3KNode`.
 */
export class NeuronRegistry {
  private readonly table = new Map<string, (options?: unknown) => Module>();
  private readonly builtins: ReadonlyMap<string, (options?: unknown) => Module>;

  /** @param builtins - The built-in factories by name. */
  constructor(builtins: NeuronFactories) {
    this.builtins = new Map(Object.entries(builtins) as [string, (options?: unknown) => Module][]);
    for (const [name, factory] of this.builtins) this.table.set(name, factory);
  }

  /** The registered names, sorted. */
  names(): string[] {
    return [...this.table.keys()].sort();
  }

  /** Whether `name` (any case) is registered. */
  has(name: string): boolean {
    return typeof name === 'string' && this.table.has(name.toLowerCase());
  }

  /**
   * The factory registered under `name` (any case).
   * @throws UnknownNameError for an unknown name; ValueError when `name` is not a string.
   */
  get<K extends keyof NeuronFactories>(name: K): NeuronFactories[K];
  get(name: string): (options?: object) => Module;
  get(name: string): (options?: object) => Module {
    return this.table.get(this.key('neuronModels.get', name)) as (options?: object) => Module;
  }

  /**
   * Makes a new node: the factory registered under `name` (any case), called with `options`.
   * @throws UnknownNameError for an unknown name; ValueError when `name` is not a string; what
   *   the node throws for bad options.
   */
  create<K extends keyof NeuronFactories>(
    name: K,
    ...options: Parameters<NeuronFactories[K]>
  ): ReturnType<NeuronFactories[K]>;
  create(name: string, options?: object): Module;
  create(name: string, options?: unknown): Module {
    return this.make('neuronModels.create', name, options);
  }

  /**
   * Adds `factory` under `name` (stored lower-case).
   * @param options - `replace` (default false): replace a name that is already registered.
   * @throws UnknownOptionError for an unknown option; ValueError when `name` is not a non-empty
   *   string, `factory` is not a function, or the name is taken and `replace` is not true.
   */
  register(name: string, factory: NeuronFactory, options?: RegisterOptions): void {
    const fn = 'neuronModels.register';
    const o = checkOptions(fn, options, ['replace']);
    const replace = checkBoolean(fn, 'replace', o.replace) ?? false;
    if (typeof name !== 'string' || name.trim() === '') throw new ValueError(fn, 'name', 'a non-empty string', name);
    if (typeof factory !== 'function') throw new ValueError(fn, 'factory', 'a function (options) => node', factory);
    const key = name.toLowerCase();
    if (this.table.has(key) && !replace) {
      throw new ValueError(fn, 'name', `a name not yet registered (pass { replace: true } to replace '${key}')`, name);
    }
    this.table.set(key, factory as (options?: unknown) => Module);
  }

  /**
   * Removes a name added with `register`; a replaced built-in name gets its built-in factory back.
   * @throws UnknownNameError for an unknown name; ValueError for a built-in name that was not replaced.
   */
  unregister(name: string): void {
    const fn = 'neuronModels.unregister';
    const key = this.key(fn, name);
    const builtin = this.builtins.get(key);
    if (builtin === undefined) this.table.delete(key);
    else if (this.table.get(key) !== builtin) this.table.set(key, builtin);
    else throw new ValueError(fn, 'name', 'a name added with register() (built-in names stay)', name);
  }

  /** Looks `name` up and calls its factory; `fn` names the caller in errors. */
  make(fn: string, name: string, options?: unknown): Module {
    return (this.table.get(this.key(fn, name)) as (options?: unknown) => Module)(options);
  }

  private key(fn: string, name: string): string {
    if (typeof name !== 'string') throw new ValueError(fn, 'name', 'a neuron model name (a string)', name);
    const key = name.toLowerCase();
    if (!this.table.has(key)) throw new UnknownNameError(fn, 'neuron model', name, this.names());
    return key;
  }
}

/** The neuron models by name; `neuronModels.register(name, factory)` adds one. */
export const neuronModels: NeuronRegistry = new NeuronRegistry(BUILTINS);

/**
 * Makes the neuron model registered under `name` (any case), as SPAIC's `NeuronGroup(model=name)`.
 * The options are the node's own (typed per built-in name) and checked by the node.
 * @throws UnknownNameError for an unknown name (the message lists the known ones); what the node
 *   throws for bad options.
 * @example
 * ```ts
 * const node = createNeuron('clif', { tauM: 20, stepMode: 'm' }); // a CLIF3KNode
 * ```
 */
export function createNeuron<K extends keyof NeuronFactories>(
  name: K,
  ...options: Parameters<NeuronFactories[K]>
): ReturnType<NeuronFactories[K]>;
export function createNeuron<N extends string>(
  name: N extends keyof NeuronFactories ? never : N,
  options?: object,
): Module;
export function createNeuron(name: string, options?: unknown): Module {
  return neuronModels.make('createNeuron', name, options);
}

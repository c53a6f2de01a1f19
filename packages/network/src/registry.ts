// Lookup by name of SPAIC's reward and action nodes (its `Reward.register` / `Action.register` tables).
import { checkBoolean, checkOptions, closestName, ValueError } from '@snn/core';
import { keysOf } from './options.js';
import {
  type Action,
  FirstSpikeAction,
  type FirstSpikeActionOptions,
  HighestSpikesAction,
  type HighestSpikesActionOptions,
  HighestVoltageAction,
  type HighestVoltageActionOptions,
  PopulationRateAction,
  type PopulationRateActionOptions,
  RandomAction,
  type RandomActionOptions,
  SoftmaxAction,
  type SoftmaxActionOptions,
} from './spaic-actions.js';
import {
  ClassifyReward,
  type ClassifyRewardOptions,
  DaReward,
  type DaRewardOptions,
  EnvironmentReward,
  type EnvironmentRewardOptions,
  GlobalReward,
  type GlobalRewardOptions,
  type Reward,
  XorReward,
  type XorRewardOptions,
} from './spaic-rewards.js';

/**
 * A name looked up in a registry (`rewards`, `actions`) is not registered. The message names the
 * closest known name when one is near (a typo) and lists all of them.
 * @example "createReward: unknown reward 'global_rewrd' (did you mean 'global_reward'?); known rewards: 'classify_reward', ..."
 */
export class UnknownNameError extends ValueError {
  override name = 'UnknownNameError';
  /**
   * @param fn - The function that looked the name up.
   * @param kind - What the registry holds, singular (`'reward'`).
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

/** The options of `register`. */
export interface RegisterOptions {
  /** Replace a name that is already registered (a built-in one too; `unregister` brings it back). Default false. */
  readonly replace?: boolean;
}

/** The keys of {@link RegisterOptions}. */
export const REGISTER_OPTION_KEYS = keysOf<RegisterOptions>()(['replace']);

/** Makes an `R` from its options: what `register` takes. */
export type Factory<R> = (options?: never) => R;

/**
 * A registry of factories by name (SPAIC's `register` tables; names are stored lower-case and
 * looked up in any case). Built-in names are typed: `create('global_reward', { popSize: 5 })`
 * checks the options against that node's and returns its class.
 */
export class Registry<R, M extends { readonly [K in keyof M]: (options: never) => R }> {
  private readonly table = new Map<string, (options?: unknown) => R>();
  private readonly builtins: ReadonlyMap<string, (options?: unknown) => R>;

  /**
   * @param kind - What it holds, singular (`'reward'`): for messages.
   * @param builtins - The built-in factories by name.
   */
  constructor(
    readonly kind: string,
    builtins: M,
  ) {
    this.builtins = new Map(Object.entries(builtins) as [string, (options?: unknown) => R][]);
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
   * Makes a new `R`: the factory registered under `name` (any case), called with `options`.
   * @throws UnknownNameError for an unknown name; ValueError when `name` is not a string; what
   *   the factory throws for bad options.
   */
  create<K extends keyof M & string>(name: K, ...options: Parameters<M[K]>): ReturnType<M[K]>;
  create(name: string, options?: object): R;
  create(name: string, options?: unknown): R {
    return this.make(`${this.kind}s.create`, name, options);
  }

  /**
   * Adds `factory` under `name` (stored lower-case).
   * @param options - `replace` (default false): replace a name that is already registered.
   * @throws UnknownOptionError for an unknown option; ValueError when `name` is not a non-empty
   *   string, `factory` is not a function, or the name is taken and `replace` is not true.
   */
  register(name: string, factory: Factory<R>, options?: RegisterOptions): void {
    const fn = `${this.kind}s.register`;
    const o = checkOptions(fn, options, REGISTER_OPTION_KEYS);
    const replace = checkBoolean(fn, 'replace', o.replace) ?? false;
    if (typeof name !== 'string' || name.trim() === '') throw new ValueError(fn, 'name', 'a non-empty string', name);
    if (typeof factory !== 'function') throw new ValueError(fn, 'factory', 'a function (options) => node', factory);
    const key = name.toLowerCase();
    if (this.table.has(key) && !replace) {
      throw new ValueError(fn, 'name', `a name not yet registered (pass { replace: true } to replace '${key}')`, name);
    }
    this.table.set(key, factory as (options?: unknown) => R);
  }

  /**
   * Removes a name added with `register`; a replaced built-in name gets its built-in factory back.
   * @throws UnknownNameError for an unknown name; ValueError for a built-in name that was not replaced.
   */
  unregister(name: string): void {
    const fn = `${this.kind}s.unregister`;
    const key = this.key(fn, name);
    const builtin = this.builtins.get(key);
    if (builtin === undefined) this.table.delete(key);
    else if (this.table.get(key) !== builtin) this.table.set(key, builtin);
    else throw new ValueError(fn, 'name', 'a name added with register() (built-in names stay)', name);
  }

  /** Looks `name` up and calls its factory; `fn` names the caller in errors. */
  make(fn: string, name: string, options?: unknown): R {
    return (this.table.get(this.key(fn, name)) as (options?: unknown) => R)(options);
  }

  private key(fn: string, name: string): string {
    if (typeof name !== 'string') throw new ValueError(fn, 'name', `a ${this.kind} name (a string)`, name);
    const key = name.toLowerCase();
    if (!this.table.has(key)) throw new UnknownNameError(fn, this.kind, name, this.names());
    return key;
  }
}

/** The built-in rewards, by SPAIC's registered names. */
export interface RewardFactories {
  /** {@link GlobalReward} (SPAIC's `Global_Reward`). */
  readonly global_reward: (options?: GlobalRewardOptions) => GlobalReward;
  /** {@link XorReward} (SPAIC's `XOR_Reward`). */
  readonly xor_reward: (options?: XorRewardOptions) => XorReward;
  /** {@link DaReward} (SPAIC's `DA_Reward`). */
  readonly da_reward: (options?: DaRewardOptions) => DaReward;
  /** {@link EnvironmentReward} (SPAIC's `Environment_Reward`). */
  readonly environment_reward: (options?: EnvironmentRewardOptions) => EnvironmentReward;
  /** {@link ClassifyReward} (SPAIC's `Classifiy_Reward`). */
  readonly classify_reward: (options?: ClassifyRewardOptions) => ClassifyReward;
}

/** The built-in actions, by SPAIC's registered names. */
export interface ActionFactories {
  /** {@link PopulationRateAction} (SPAIC's `PopulationRate_Action`). */
  readonly pop_rate_action: (options: PopulationRateActionOptions) => PopulationRateAction;
  /** {@link SoftmaxAction} (SPAIC's `Softmax_Action`). */
  readonly softmax_action: (options?: SoftmaxActionOptions) => SoftmaxAction;
  /** {@link HighestSpikesAction} (SPAIC's `Highest_Spikes_Action`). */
  readonly highest_spikes_action: (options?: HighestSpikesActionOptions) => HighestSpikesAction;
  /** {@link HighestVoltageAction} (SPAIC's `Highest_Voltage_Action`). */
  readonly highest_voltage_action: (options?: HighestVoltageActionOptions) => HighestVoltageAction;
  /** {@link FirstSpikeAction} (SPAIC's `First_Spike_Action`). */
  readonly first_spike_action: (options?: FirstSpikeActionOptions) => FirstSpikeAction;
  /** {@link RandomAction} (SPAIC's `Random_Action`). */
  readonly random_action: (options?: RandomActionOptions) => RandomAction;
}

/** The rewards by name (SPAIC's `Reward` registry); `rewards.register(name, factory)` adds one. */
export const rewards: Registry<Reward, RewardFactories> = new Registry<Reward, RewardFactories>('reward', {
  global_reward: (options) => new GlobalReward(options),
  xor_reward: (options) => new XorReward(options),
  da_reward: (options) => new DaReward(options),
  environment_reward: (options) => new EnvironmentReward(options),
  classify_reward: (options) => new ClassifyReward(options),
});

/** The actions by name (SPAIC's `Action` registry); `actions.register(name, factory)` adds one. */
export const actions: Registry<Action, ActionFactories> = new Registry<Action, ActionFactories>('action', {
  pop_rate_action: (options) => new PopulationRateAction(options),
  softmax_action: (options) => new SoftmaxAction(options),
  highest_spikes_action: (options) => new HighestSpikesAction(options),
  highest_voltage_action: (options) => new HighestVoltageAction(options),
  first_spike_action: (options) => new FirstSpikeAction(options),
  random_action: (options) => new RandomAction(options),
});

/**
 * Makes the reward registered under `name` (any case), as SPAIC's `Reward(coding_method=name)`.
 * @throws UnknownNameError for an unknown name (the message lists the known ones); what the reward throws for bad options.
 * @example
 * ```ts
 * const reward = createReward('global_reward', { popSize: 5 });
 * ```
 */
export function createReward<K extends keyof RewardFactories>(
  name: K,
  ...options: Parameters<RewardFactories[K]>
): ReturnType<RewardFactories[K]>;
export function createReward<N extends string>(
  name: N extends keyof RewardFactories ? never : N,
  options?: object,
): Reward;
export function createReward(name: string, options?: unknown): Reward {
  return rewards.make('createReward', name, options);
}

/**
 * Makes the action registered under `name` (any case), as SPAIC's `Action(coding_method=name)`.
 * @throws UnknownNameError for an unknown name (the message lists the known ones); what the action throws for bad options.
 * @example
 * ```ts
 * const act = createAction('softmax_action', { seed: 3 });
 * ```
 */
export function createAction<K extends keyof ActionFactories>(
  name: K,
  ...options: Parameters<ActionFactories[K]>
): ReturnType<ActionFactories[K]>;
export function createAction<N extends string>(
  name: N extends keyof ActionFactories ? never : N,
  options?: object,
): Action;
export function createAction(name: string, options?: unknown): Action {
  return actions.make('createAction', name, options);
}

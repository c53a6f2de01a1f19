import { isSnnError, UnknownOptionError, ValueError } from '@snn/core';
import { describeBackends } from '@snn/core/testing';
import { LIFNode } from '@snn/neurons';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  CONV2D_CONNECTION_OPTION_KEYS,
  Connection,
  Conv2dConnection,
  DENSE_CONNECTION_OPTION_KEYS,
  LOCAL_CONNECTION_OPTION_KEYS,
  LocalConnection,
  SPARSE_CONNECTION_OPTION_KEYS,
  SparseConnection,
} from './connection.js';
import { populationMonitor } from './monitors.js';
import { NETWORK_OPTION_KEYS, Network, RUN_OPTION_KEYS } from './network.js';
import {
  DIEHL_COOK_NODES_OPTION_KEYS,
  diehlCookNodes,
  Input,
  LIF_NODES_OPTION_KEYS,
  lifNodes,
  NODE_POPULATION_OPTION_KEYS,
  NodePopulation,
  TRACE_OPTION_KEYS,
} from './population.js';
import { REGISTER_OPTION_KEYS, Registry } from './registry.js';
import { REWARD_NODE_OPTION_KEYS, RewardNode, SELECT_ACTION_OPTION_KEYS, selectAction } from './reward.js';
import {
  FIRST_SPIKE_ACTION_OPTIONS,
  FirstSpikeAction,
  HIGHEST_SPIKES_ACTION_OPTIONS,
  HIGHEST_VOLTAGE_ACTION_OPTIONS,
  HighestSpikesAction,
  HighestVoltageAction,
  POPULATION_RATE_ACTION_OPTIONS,
  PopulationRateAction,
  RANDOM_ACTION_OPTIONS,
  RandomAction,
  SOFTMAX_ACTION_OPTIONS,
  SoftmaxAction,
} from './spaic-actions.js';
import {
  CLASSIFY_REWARD_OPTIONS,
  ClassifyReward,
  DA_REWARD_OPTIONS,
  DaReward,
  ENVIRONMENT_REWARD_OPTIONS,
  EnvironmentReward,
  GLOBAL_REWARD_OPTIONS,
  GlobalReward,
  XOR_REWARD_OPTIONS,
  XorReward,
} from './spaic-rewards.js';

/**
 * An entry point that takes options: its name in errors, its keys, which are booleans, the valid
 * options the other cases start from, and a call.
 */
interface Entry {
  readonly fn: string;
  readonly keys: readonly string[];
  readonly booleans?: readonly string[];
  readonly base?: Record<string, unknown>;
  readonly call: (options: never) => unknown;
}

const TRACE_BOOLEANS = ['traces', 'tracesAdditive', 'countSpikes'];

/** An entry from an option table: its keys, and those marked boolean. */
function fromTable(
  fn: string,
  table: Readonly<Record<string, 'boolean' | 'value'>>,
  call: (options: never) => unknown,
  base?: Record<string, unknown>,
): Entry {
  const keys = Object.keys(table);
  return { fn, keys, booleans: keys.filter((k) => table[k] === 'boolean'), call, base };
}

/** Runs `call`, expects a throw, and returns the error; the tensor count must not change. */
function thrown(call: () => unknown): unknown {
  const before = tf.memory().numTensors;
  let error: unknown;
  try {
    call();
  } catch (e) {
    error = e;
  }
  expect(error, 'the call should throw').toBeDefined();
  expect(tf.memory().numTensors, 'tensors after the throw').toBe(before);
  return error;
}

describeBackends('network options', () => {
  let X: Input;
  let Y: Input;
  let maps: Input;
  let net: Network;
  let node: LIFNode;
  let spikes: tf.Tensor;
  const entries: Entry[] = [];

  beforeAll(() => {
    X = new Input(3);
    Y = new Input(2);
    maps = new Input([1, 2, 2]);
    net = new Network();
    net.addLayer(new Input(2), 'in');
    node = new LIFNode();
    spikes = tf.ones([2, 1, 4]);
    entries.push(
      { fn: 'Network', keys: NETWORK_OPTION_KEYS, booleans: ['learning', 'fastPath'], call: (o) => new Network(o) },
      { fn: 'Network.run', keys: RUN_OPTION_KEYS, base: { time: 1 }, call: (o) => net.run(o) },
      { fn: 'Input', keys: TRACE_OPTION_KEYS, booleans: TRACE_BOOLEANS, call: (o) => new Input(2, o) },
      {
        fn: 'NodePopulation',
        keys: NODE_POPULATION_OPTION_KEYS,
        booleans: TRACE_BOOLEANS,
        call: (o) => new NodePopulation(node, 2, o),
      },
      { fn: 'lifNodes', keys: LIF_NODES_OPTION_KEYS, booleans: TRACE_BOOLEANS, call: (o) => lifNodes(2, o) },
      {
        fn: 'diehlCookNodes',
        keys: DIEHL_COOK_NODES_OPTION_KEYS,
        booleans: [...TRACE_BOOLEANS, 'oneSpike'],
        call: (o) => diehlCookNodes(2, o),
      },
      { fn: 'Connection', keys: DENSE_CONNECTION_OPTION_KEYS, call: (o) => new Connection(X, Y, o) },
      { fn: 'SparseConnection', keys: SPARSE_CONNECTION_OPTION_KEYS, call: (o) => new SparseConnection(X, Y, o) },
      {
        fn: 'Conv2dConnection',
        keys: CONV2D_CONNECTION_OPTION_KEYS,
        base: { kernelSize: 1 },
        call: (o) => new Conv2dConnection(maps, maps, o),
      },
      {
        fn: 'LocalConnection',
        keys: LOCAL_CONNECTION_OPTION_KEYS,
        base: { kernelSize: 1 },
        call: (o) => new LocalConnection(maps, maps, o),
      },
      { fn: 'RewardNode', keys: REWARD_NODE_OPTION_KEYS, base: { classes: 2 }, call: (o) => new RewardNode(o) },
      {
        fn: 'selectAction',
        keys: SELECT_ACTION_OPTION_KEYS,
        base: { actions: 2 },
        call: (o) => selectAction(spikes, o),
      },
      fromTable('GlobalReward', GLOBAL_REWARD_OPTIONS, (o) => new GlobalReward(o)),
      fromTable('DaReward', DA_REWARD_OPTIONS, (o) => new DaReward(o)),
      fromTable('XorReward', XOR_REWARD_OPTIONS, (o) => new XorReward(o)),
      fromTable('EnvironmentReward', ENVIRONMENT_REWARD_OPTIONS, (o) => new EnvironmentReward(o)),
      fromTable('ClassifyReward', CLASSIFY_REWARD_OPTIONS, (o) => new ClassifyReward(o)),
      fromTable('PopulationRateAction', POPULATION_RATE_ACTION_OPTIONS, (o) => new PopulationRateAction(o), {
        actions: 2,
      }),
      fromTable('SoftmaxAction', SOFTMAX_ACTION_OPTIONS, (o) => new SoftmaxAction(o)),
      fromTable('HighestSpikesAction', HIGHEST_SPIKES_ACTION_OPTIONS, (o) => new HighestSpikesAction(o)),
      fromTable('HighestVoltageAction', HIGHEST_VOLTAGE_ACTION_OPTIONS, (o) => new HighestVoltageAction(o)),
      fromTable('FirstSpikeAction', FIRST_SPIKE_ACTION_OPTIONS, (o) => new FirstSpikeAction(o)),
      fromTable('RandomAction', RANDOM_ACTION_OPTIONS, (o) => new RandomAction(o)),
      {
        fn: 'rewards.register',
        keys: REGISTER_OPTION_KEYS,
        booleans: ['replace'],
        base: { replace: true },
        call: (o) => new Registry('reward', {}).register('mine', () => new GlobalReward(), o),
      },
    );
  });

  afterAll(() => {
    for (const m of [X, Y, maps, net, node]) m.dispose();
    spikes.dispose();
  });

  it('every entry point works with its valid base options', () => {
    for (const e of entries) {
      const r = e.call({ ...e.base } as never) as { dispose?: () => void } | number;
      // The population that adopted `node` is not disposed here: the node stays usable.
      if (typeof r === 'object' && !(r instanceof NodePopulation)) r.dispose?.();
    }
  });

  it('a misspelt option is an UnknownOptionError naming the closest key, and creates nothing', () => {
    for (const e of entries) {
      for (const key of e.keys) {
        const typo = `${key}${key.at(-1)}`; // 'tcTrace' → 'tcTracee'
        const error = thrown(() => e.call({ ...e.base, [typo]: 1 } as never));
        expect(error, `${e.fn} { ${typo} }`).toBeInstanceOf(UnknownOptionError);
        expect(isSnnError(error)).toBe(true);
        const message = (error as Error).message;
        expect(message).toContain(`${e.fn}: unknown option '${typo}' (did you mean '${key}'?)`);
        for (const k of e.keys) expect(message).toContain(`'${k}'`);
      }
    }
  });

  it('a non-boolean for a boolean option is a ValueError, and creates nothing', () => {
    for (const e of entries) {
      for (const key of e.booleans ?? []) {
        for (const value of ['no', 'false', 0, 1, null]) {
          const error = thrown(() => e.call({ ...e.base, [key]: value } as never));
          expect(error, `${e.fn} { ${key}: ${String(value)} }`).toBeInstanceOf(ValueError);
          expect((error as Error).message).toContain(`${e.fn}: '${key}' must be a boolean`);
        }
      }
    }
  });

  it('options that are not an object are a ValueError, and create nothing', () => {
    for (const e of entries) {
      for (const value of [null, 'time', 3, [1]]) {
        const error = thrown(() => e.call(value as never));
        expect(error, `${e.fn}(${JSON.stringify(value)})`).toBeInstanceOf(ValueError);
        expect((error as Error).message).toContain(`${e.fn}: 'options' must be`);
      }
    }
  });

  it('bad values found after the name check create nothing either', () => {
    const w = tf.ones([2, 3]);
    const wrongBias = tf.ones([3]);
    for (const make of [
      () => new Connection(X, Y, { norm: 'a' as never, w }),
      () => new Connection(X, Y, { bias: 'yes' as never }),
      () => new Connection(X, Y, { bias: wrongBias }),
      () => new Connection(X, Y, { w, connectivity: w, bias: true, wmin: Number.NaN }),
      () => new SparseConnection(X, Y, { seed: 1.5 }),
      () => new Conv2dConnection(maps, maps, { kernelSize: 1, rule: {} as never }),
      () => new LocalConnection(maps, maps, { kernelSize: 1, wmin: 1, wmax: 0 }),
      () => lifNodes(2, { tcTrace: 0 }),
      () => lifNodes(2, { rest: Number.NaN }),
      () => diehlCookNodes(2, { tcThetaDecay: -1 }),
      () => new NodePopulation({} as never, 2),
      () => selectAction(spikes, { actions: 2, seed: {} as never }),
    ]) {
      const error = thrown(make);
      expect(isSnnError(error), String(error)).toBe(true);
    }
    tf.dispose([w, wrongBias]);
  });

  it('literal cases: Network({ fastpath }), run({ tme }), a monitor refused leaves the population unwatched', () => {
    expect(() => new Network({ fastpath: false } as never)).toThrow(
      "Network: unknown option 'fastpath' (did you mean 'fastPath'?)",
    );
    expect(() => net.run({ tme: 5 } as never)).toThrow("Network.run: unknown option 'tme' (did you mean 'time'?)");
    const pop = lifNodes(2);
    expect(thrown(() => populationMonitor(pop, ['v'], { kepp: 'all' } as never))).toBeInstanceOf(UnknownOptionError);
    expect([...pop.watched]).toEqual([]);
    populationMonitor(pop, ['v']).remove();
    expect([...pop.watched]).toEqual(['v']);
    pop.dispose();
  });
});

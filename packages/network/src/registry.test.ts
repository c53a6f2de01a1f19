import { isSnnError, ValueError } from '@snn/core';
import { describeBackends, expectClose } from '@snn/core/testing';
import * as tf from '@tensorflow/tfjs-core';
import { afterEach, expect, it } from 'vitest';
import { actions, createAction, createReward, rewards, UnknownNameError } from './registry.js';
import {
  type Action,
  FirstSpikeAction,
  HighestSpikesAction,
  HighestVoltageAction,
  PopulationRateAction,
  RandomAction,
  SoftmaxAction,
} from './spaic-actions.js';
import { ClassifyReward, DaReward, EnvironmentReward, GlobalReward, type Reward, XorReward } from './spaic-rewards.js';

/** Runs `call`, expects a named error, and returns it; the tensor count must not change. */
function thrown(call: () => unknown): Error {
  const before = tf.memory().numTensors;
  let error: unknown;
  try {
    call();
  } catch (e) {
    error = e;
  }
  expect(error, 'the call should throw').toBeDefined();
  expect(isSnnError(error), String(error)).toBe(true);
  expect(tf.memory().numTensors, 'tensors after the throw').toBe(before);
  return error as Error;
}

// SPAIC's `Reward.register` and `Action.register` calls (spaic/Neuron/Rewards.py, Actions.py), by class.
const SPAIC_REWARDS = {
  global_reward: GlobalReward,
  da_reward: DaReward,
  xor_reward: XorReward,
  environment_reward: EnvironmentReward,
  classify_reward: ClassifyReward,
};
const SPAIC_ACTIONS = {
  pop_rate_action: PopulationRateAction,
  softmax_action: SoftmaxAction,
  highest_spikes_action: HighestSpikesAction,
  highest_voltage_action: HighestVoltageAction,
  first_spike_action: FirstSpikeAction,
  random_action: RandomAction,
};

describeBackends('reward and action registries', () => {
  afterEach(() => {
    for (const name of rewards.names()) if (!(name in SPAIC_REWARDS)) rewards.unregister(name);
    for (const name of actions.names()) if (!(name in SPAIC_ACTIONS)) actions.unregister(name);
  });

  it("every SPAIC name resolves to its node, in any case, and the node's name is SPAIC's", () => {
    expect(rewards.names()).toEqual(Object.keys(SPAIC_REWARDS).sort());
    expect(actions.names()).toEqual(Object.keys(SPAIC_ACTIONS).sort());
    for (const [name, cls] of Object.entries(SPAIC_REWARDS)) {
      const r = createReward(name);
      expect(r).toBeInstanceOf(cls);
      expect(r.name).toBe(name);
      expect(rewards.create(name.toUpperCase())).toBeInstanceOf(cls);
      expect(rewards.has(name.toUpperCase())).toBe(true);
    }
    for (const [name, cls] of Object.entries(SPAIC_ACTIONS)) {
      const a = createAction(name, { actions: 2 });
      expect(a).toBeInstanceOf(cls);
      expect(a.name).toBe(name);
      expect(actions.create(name.toUpperCase(), { actions: 2 })).toBeInstanceOf(cls);
    }
    // options reach the node (typed by name)
    expect(createReward('global_reward', { popSize: 5 }).popSize).toBe(5);
    expect(createAction('highest_voltage_action', { epsDecay: 10 }).epsDecay).toBe(10);
  });

  it('an unknown name is an UnknownNameError with a did-you-mean and the known names', () => {
    const e = thrown(() => createReward('global_rewrd'));
    expect(e).toBeInstanceOf(UnknownNameError);
    expect(e).toBeInstanceOf(ValueError);
    expect(e.message).toBe(
      "createReward: unknown reward 'global_rewrd' (did you mean 'global_reward'?); known rewards: " +
        "'classify_reward', 'da_reward', 'environment_reward', 'global_reward', 'xor_reward'",
    );
    const a = thrown(() => createAction('softmax', {}));
    expect(a.message).toContain("createAction: unknown action 'softmax'");
    expect(a.message).toContain("known actions: 'first_spike_action', 'highest_spikes_action'");
    expect(thrown(() => actions.create('pop_rate_actoin')).message).toContain(
      "actions.create: unknown action 'pop_rate_actoin' (did you mean 'pop_rate_action'?)",
    );
    expect(thrown(() => createReward('zzz')).message).not.toContain('did you mean');
    expect(thrown(() => createReward(3 as never))).toBeInstanceOf(ValueError);
    expect((e as UnknownNameError).known).toEqual(rewards.names());
  });

  it('register adds a user node; a taken name needs { replace: true }; unregister restores a built-in', () => {
    const fixed: Reward = { name: 'fixed', compute: () => tf.scalar(0.25) };
    rewards.register('Fixed', () => fixed);
    expect(rewards.has('fixed')).toBe(true);
    expect(createReward('FIXED')).toBe(fixed);
    const record = tf.zeros([1, 1, 2]);
    expectClose(createReward('fixed').compute(record), [0.25]);
    expect(thrown(() => rewards.register('fixed', () => fixed)).message).toContain(
      "rewards.register: 'name' must be a name not yet registered (pass { replace: true } to replace 'fixed')",
    );
    thrown(() => rewards.register('global_reward', () => fixed));
    expect(createReward('global_reward')).toBeInstanceOf(GlobalReward); // the refused call changed nothing
    rewards.register('global_reward', () => fixed, { replace: true });
    expect(createReward('global_reward')).toBe(fixed);
    rewards.unregister('global_reward');
    expect(createReward('global_reward')).toBeInstanceOf(GlobalReward);
    thrown(() => rewards.unregister('global_reward')); // a built-in stays
    rewards.unregister('fixed');
    expect(rewards.has('fixed')).toBe(false);
    expect(thrown(() => rewards.unregister('fixed'))).toBeInstanceOf(UnknownNameError);
    // a user action with options of its own
    const always = (options?: { value?: number }): Action => ({
      name: 'always',
      select: (r: tf.Tensor) => tf.fill([r.shape[1] as number], options?.value ?? 0, 'int32'),
    });
    actions.register('always', always);
    expect(
      Array.from(
        createAction('always', { value: 3 })
          .select(tf.zeros([1, 2, 1]))
          .dataSync(),
      ),
    ).toEqual([3, 3]);
    for (const bad of [
      () => actions.register('', always),
      () => actions.register(7 as never, always),
      () => actions.register('x', 'f' as never),
      () => actions.register('x', always, { replace: 'yes' as never }),
    ]) {
      expect(thrown(bad)).toBeInstanceOf(ValueError);
    }
    expect(actions.has('x')).toBe(false);
    record.dispose();
  });
});

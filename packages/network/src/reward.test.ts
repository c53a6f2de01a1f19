import { createRng, ShapeError, ValueError } from '@snn/core';
import { describeBackends, expectClose } from '@snn/core/testing';
import { MSTDP } from '@snn/learning';
import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import { Connection } from './connection.js';
import { populationMonitor } from './monitors.js';
import { Network } from './network.js';
import { Input, lifNodes } from './population.js';
import { groupCounts, RewardNode, selectAction } from './reward.js';

describeBackends('reward and action nodes', () => {
  it('RewardNode: +1 when the target group fires strictly most, −1 otherwise, or a user function', () => {
    const spikes = tf.tensor2d([
      [3, 1, 0, 0], // group 0: 4, group 1: 0
      [1, 0, 0, 2], // 1 vs 2
      [1, 1, 2, 0], // tie
    ]);
    const r = new RewardNode({ classes: 2 });
    expectClose(r.compute(spikes, tf.tensor1d([0, 0, 1], 'int32')), [1, -1, -1]);
    expectClose(r.compute(spikes, tf.tensor1d([1, 1, 0], 'int32')), [-1, 1, -1]);
    const own = new RewardNode({ classes: 2, fn: (g, t) => tf.sum(tf.mul(g, tf.oneHot(tf.cast(t, 'int32'), 2)), 1) });
    expectClose(own.compute(spikes, tf.tensor1d([0, 1, 0], 'int32')), [4, 2, 2]);
    expect(() => r.compute(spikes, tf.tensor1d([0]))).toThrow(ShapeError);
    expect(() => new RewardNode({ classes: 0 })).toThrow(ValueError);
    expectClose(groupCounts(spikes, 2), [
      [4, 0],
      [1, 2],
      [2, 2],
    ]);
  });

  it('selectAction: highest rate, first spike, softmax with a seed', () => {
    // [T = 3, B = 2, N = 4] (two groups of two neurons)
    const s = tf.tensor3d([
      [
        [0, 0, 0, 0],
        [0, 0, 1, 0],
      ],
      [
        [0, 0, 1, 0],
        [1, 1, 0, 0],
      ],
      [
        [1, 1, 0, 0],
        [1, 0, 0, 0],
      ],
    ]);
    expect(Array.from(selectAction(s, { actions: 2 }).dataSync())).toEqual([0, 0]);
    expect(Array.from(selectAction(s, { actions: 2, mode: 'firstSpike' }).dataSync())).toEqual([1, 1]);
    const counts = tf.tensor2d([[10, 0, 0, 0]]);
    const draws = Array.from(
      { length: 200 },
      (_, i) => selectAction(counts, { actions: 2, mode: 'softmax', seed: i, temperature: 20 }).dataSync()[0],
    );
    const ones = draws.filter((a) => a === 1).length / 200; // p(1) = 1 / (1 + e^{0.5}) = 0.378
    expect(ones).toBeGreaterThan(0.28);
    expect(ones).toBeLessThan(0.48);
    const a = Array.from(selectAction(counts, { actions: 2, mode: 'softmax', seed: 3, temperature: 20 }).dataSync());
    const b = Array.from(selectAction(counts, { actions: 2, mode: 'softmax', seed: 3, temperature: 20 }).dataSync());
    expect(a).toEqual(b);
    expect(() => selectAction(s, { actions: 2, mode: 'max' as never })).toThrow("selectAction: 'mode' must be one of");
    expect(() => selectAction(s, { actions: 3 })).toThrow(ShapeError);
  });

  it('MSTDP learns a two-choice task through RewardNode, selectAction and unclamp', () => {
    const net = new Network();
    const X = new Input(20);
    const Y = lifNodes(10); // two groups of 5: action 0 and action 1
    net.addLayer(X, 'X');
    net.addLayer(Y, 'Y');
    const w = createRng(11).uniform([10, 20], 0, 0.5);
    const c = new Connection(X, Y, { w, wmin: 0, wmax: 2, rule: new MSTDP({ nu: 0.1 }) });
    w.dispose();
    net.addConnection(c, 'X', 'Y');
    const mon = populationMonitor(Y, ['s']);
    const rewarder = new RewardNode({ classes: 2 });
    const rng = createRng(5);
    const T = 30;
    const trial = (stimulus: number, learn: boolean): number => {
      // Stimulus 0 drives inputs 0-9, stimulus 1 inputs 10-19 (p = 0.5 per step); the right action is the stimulus.
      const p = tf.tidy(() =>
        tf.reshape(
          tf.concat([tf.fill([10], stimulus === 0 ? 0.5 : 0), tf.fill([10], stimulus === 0 ? 0 : 0.5)]),
          [1, 1, 20],
        ),
      );
      const x = tf.tidy(() => rng.bernoulli(tf.tile(p, [T, 1, 1])));
      net.learning = false;
      net.reset();
      mon.clear();
      net.run({ inputs: { X: x }, time: T });
      const out = mon.get('s'); // [T, 1, 10]
      const action = selectAction(out, { actions: 2 });
      const chosen = action.dataSync()[0] as number;
      if (learn) {
        const reward = rewarder.compute(out, tf.tensor1d([stimulus], 'int32'));
        // Credit goes to the chosen action only: its group replays the trial, the other is silenced.
        const silenced = tf.tidy(() =>
          tf.concat([tf.fill([5], chosen === 0 ? 0 : 1), tf.fill([5], chosen === 0 ? 1 : 0)]),
        );
        net.learning = true;
        net.reset();
        net.run({ inputs: { X: x }, time: T, reward, unclamp: { Y: silenced } });
        tf.dispose([reward, silenced]);
      }
      tf.dispose([p, x, out, action]);
      return chosen === stimulus ? 1 : 0;
    };
    let before = 0;
    for (let i = 0; i < 20; i++) before += trial(i % 2, false);
    for (let i = 0; i < 60; i++) trial(i % 2, true);
    let after = 0;
    for (let i = 0; i < 20; i++) after += trial(i % 2, false);
    expect(before).toBeLessThan(18); // untrained: 15 of 20 here (silence counts as action 0)
    expect(after).toBe(20);
    net.dispose();
  });
});

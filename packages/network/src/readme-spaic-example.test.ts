// The "SPAIC's rewards and actions by name" example of ../README.md, run as written (its claims checked).
import { readFileSync } from 'node:fs';
import { createRng, useBackend } from '@snn/core';
import { MSTDP } from '@snn/learning';
import { Connection, createAction, createReward, Input, lifNodes, Network, populationMonitor } from '@snn/network';
import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';

it('README example: an action from the output spikes, the environment’s reward fed back into run', async () => {
  await useBackend('cpu');
  // --- README example starts
  const net = new Network();
  const X = new Input(20);
  const Y = lifNodes(10); // two populations of 5 neurons: action 0 and action 1
  net.addLayer(X, 'X');
  net.addLayer(Y, 'Y');
  const w = createRng(11).uniform([10, 20], 0, 0.5);
  net.addConnection(new Connection(X, Y, { w, wmin: 0, wmax: 2, rule: new MSTDP({ nu: 0.1 }) }), 'X', 'Y');
  w.dispose(); // the connection keeps its own copy
  const mon = populationMonitor(Y, ['s']);

  const act = createAction('pop_rate_action', { actions: 2, seed: 1 }); // drawn ∝ each population's spikes
  const env = { stimulus: 0, action: 0 };
  const reward = createReward('environment_reward', { fn: () => (env.action === env.stimulus ? 1 : -1) });
  const score = createReward('global_reward', { popSize: 5 }); // +1 when the stimulus's population fired most
  const rng = createRng(5);

  /** One trial: stimulus 0 drives inputs 0-9, stimulus 1 inputs 10-19. Returns the score of the output. */
  function trial(stimulus: number, learn: boolean): number {
    env.stimulus = stimulus;
    const x = tf.tidy(() => {
      const p = tf.concat([tf.fill([10], stimulus === 0 ? 0.5 : 0), tf.fill([10], stimulus === 0 ? 0 : 0.5)]);
      return rng.bernoulli(tf.tile(tf.reshape(p, [1, 1, 20]), [30, 1, 1])); // [T = 30, B = 1, 20]
    });
    net.learning = false;
    net.reset();
    mon.clear();
    net.run({ inputs: { X: x }, time: 30 });
    const out = mon.get('s'); // [30, 1, 10]
    const a = act.select(out); // int32 [1]
    env.action = a.dataSync()[0] as number;
    if (learn) {
      // Replay the trial with the reward; the population of the other action is held silent,
      // so only the chosen action's synapses are eligible.
      const r = reward.compute(out); // [] : +1 or −1
      const other = tf.tidy(() =>
        tf.concat([tf.fill([5], env.action === 0 ? 0 : 1), tf.fill([5], env.action === 0 ? 1 : 0)]),
      );
      net.learning = true;
      net.reset();
      net.run({ inputs: { X: x }, time: 30, reward: r, unclamp: { Y: other } });
      tf.dispose([r, other]);
    }
    const s = score.compute(out, [stimulus]);
    const right = s.dataSync()[0] === 1 ? 1 : 0;
    tf.dispose([x, out, a, s]);
    return right;
  }

  let before = 0;
  for (let i = 0; i < 20; i++) before += trial(i % 2, false);
  for (let i = 0; i < 60; i++) trial(i % 2, true);
  let after = 0;
  for (let i = 0; i < 20; i++) after += trial(i % 2, false);
  console.log(`right before: ${before}/20, after 60 trials: ${after}/20`); // 10/20, then 20/20
  // --- README example ends
  expect(before).toBe(10); // silence and ties predict population 0, right for stimulus 0 only
  expect(after).toBe(20);
  net.dispose();
});

it('the README shows this example as it runs here', () => {
  const here = readFileSync(new URL(import.meta.url), 'utf8');
  const body = here
    .slice(here.indexOf('// --- README example starts\n') + 29, here.indexOf('  // --- README example ends'))
    .replace(/^ {2}/gm, '');
  const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
  const section = readme.slice(readme.indexOf("## SPAIC's rewards and actions by name"));
  const block = section.slice(section.indexOf('```ts\n') + 6, section.indexOf('```\n', section.indexOf('```ts\n') + 6));
  expect(body).toContain("createAction('pop_rate_action'");
  expect(block.endsWith(body)).toBe(true);
});

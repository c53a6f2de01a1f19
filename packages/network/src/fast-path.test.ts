import { createRng } from '@snn/core';
import { describeBackends, expectClose } from '@snn/core/testing';
import { Hebbian, MSTDP, PostPre } from '@snn/learning';
import { IzhikevichNode } from '@snn/neurons';
import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import { Connection, SparseConnection } from './connection.js';
import { fastPathSupports } from './fast-path.js';
import { populationMonitor } from './monitors.js';
import { Network } from './network.js';
import { diehlCookNodes, Input, lifNodes, NodePopulation } from './population.js';

/** Input(30) → Diehl–Cook(12; oneSpike at batch 3) ↔ LIF(12) inhibition, plus a sparse Hebbian side path. */
function build(fastPath: boolean, batch: number) {
  const net = new Network({ fastPath });
  const X = new Input(30, { tcTrace: 15 });
  const E = diehlCookNodes(12, { thetaPlus: 0.5, tcThetaDecay: 500, countSpikes: true, oneSpike: batch === 3 });
  const I = lifNodes(12, { rest: -60, reset: -45, thresh: -40, tcDecay: 10, refrac: 2, tracesAdditive: true });
  net.addLayer(X, 'X');
  net.addLayer(E, 'E');
  net.addLayer(I, 'I');
  const rng = createRng(4);
  const w = rng.uniform([12, 30], 0, 6);
  net.addConnection(
    new Connection(X, E, { w, rule: new PostPre({ nu: [0.05, 0.2] }), wmin: 0, wmax: 6, norm: 60 }),
    'X',
    'E',
  );
  const exc = tf.mul(tf.eye(12), 22.5);
  const inh = tf.mul(tf.sub(1, tf.eye(12)), -17.5);
  net.addConnection(new Connection(E, I, { w: exc }), 'E', 'I');
  net.addConnection(new Connection(I, E, { w: inh }), 'I', 'E');
  net.addConnection(
    new SparseConnection(X, I, {
      density: 0.3,
      w: tf.fill([12, 30], 0.5),
      bias: tf.fill([12], 0.1),
      rule: new Hebbian({ nu: [0.01, 0.01] }),
      wmax: 2,
      seed: 2,
    }),
    'X',
    'I',
  );
  tf.dispose([w, exc, inh]);
  const mon = populationMonitor(E, ['s', 'v', 'theta']);
  const x = createRng(9).bernoulli(0.3, [60, batch, 30]);
  const clamp = tf.tidy(() => tf.oneHot(tf.fill([60], 3, 'int32'), 12));
  const unclamp = tf.tidy(() => tf.oneHot(tf.fill([60], 5, 'int32'), 12));
  const mask = tf.tidy(() => tf.cast(tf.greater(createRng(1).uniform([12, 30]), 0.8), 'float32'));
  net.run({ inputs: { X: x }, time: 60, clamp: { I: clamp }, unclamp: { E: unclamp }, masks: { X_to_E: mask } });
  net.learning = false;
  net.run({ inputs: { X: x }, time: 60 });
  const out = {
    spikes: Array.from(mon.toArray('s').data),
    v: Array.from(mon.toArray('v').data),
    weights: [...net.connections.values()].map((c) => Array.from(c.w.dataSync())),
    state: net.namedMemories().map(([k, t]) => [k, Array.from(t.dataSync())] as const),
  };
  tf.dispose([x, clamp, unclamp, mask]);
  net.dispose();
  return out;
}

describeBackends('the typed-array fast path', () => {
  it.each([1, 3])('gives the tensor path’s spikes, voltages, weights and state (batch %i)', (batch) => {
    const fast = build(true, batch);
    const slow = build(false, batch);
    expect(fast.spikes.reduce((a, b) => a + b, 0)).toBeGreaterThan(20);
    expect(fast.spikes).toEqual(slow.spikes);
    expectClose(fast.v, slow.v, { rtol: 1e-5, atol: 1e-4 });
    for (let c = 0; c < fast.weights.length; c++)
      expectClose(fast.weights[c] ?? [], slow.weights[c] ?? [], { rtol: 1e-5, atol: 1e-5 });
    expect(fast.state.map(([k]) => k)).toEqual(slow.state.map(([k]) => k));
    for (let k = 0; k < fast.state.length; k++)
      expectClose(fast.state[k]?.[1] ?? [], slow.state[k]?.[1] ?? [], { rtol: 1e-5, atol: 1e-4 });
  });

  it('is used only for what it covers', () => {
    const net = new Network();
    const X = new Input(3);
    const Y = lifNodes(2);
    net.addLayer(X, 'X');
    net.addLayer(Y, 'Y');
    net.addConnection(new Connection(X, Y, { rule: new MSTDP() }), 'X', 'Y');
    expect(fastPathSupports(net.layers, net.connections)).toBe(false); // reward-modulated rule
    const other = new Network();
    other.addLayer(new Input(3), 'X');
    other.addLayer(new NodePopulation(new IzhikevichNode(), 3), 'Z');
    expect(fastPathSupports(other.layers, other.connections)).toBe(false); // not a LIF/Diehl–Cook node
    net.dispose();
    other.dispose();
  });
});

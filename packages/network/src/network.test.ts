import { createRng, ShapeError, StateError, ValueError } from '@snn/core';
import { describeBackends, expectClose } from '@snn/core/testing';
import { MSTDP, PostPre } from '@snn/learning';
import { AdaptiveLIFNode, IzhikevichNode } from '@snn/neurons';
import type { Tensor } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import { Connection } from './connection.js';
import { populationMonitor } from './monitors.js';
import { Network } from './network.js';
import { diehlCookNodes, Input, lifNodes, NodePopulation } from './population.js';

/** Input(1) → LIF(1) (BindsNET defaults) with weight `w`; returns the network and its parts. */
function pair(w: number, rule?: PostPre | MSTDP, extra: { wmin?: number; wmax?: number } = {}) {
  const net = new Network();
  const X = new Input(1);
  const Y = lifNodes(1);
  net.addLayer(X, 'X');
  net.addLayer(Y, 'Y');
  const c = new Connection(X, Y, { w: tf.tensor2d([[w]]), rule, ...extra });
  net.addConnection(c, 'X', 'Y');
  return { net, X, Y, c };
}

const spikesAt = (steps: number, at: number[], n = 1): Tensor =>
  tf.tidy(() => {
    const data = new Float32Array(steps * n);
    for (const t of at) data.fill(1, t * n, (t + 1) * n);
    return tf.tensor3d(data, [steps, 1, n]);
  });

const recorded = (net: Network, name: string, steps: number, run: () => void): number[] => {
  const mon = populationMonitor(net.layer(name), ['s']);
  run();
  const out = Array.from(mon.toArray('s').data).slice(0, steps);
  mon.remove();
  return out;
};

describeBackends('Network.run: synchronous update, clamp, unclamp, masks, reward', () => {
  it('delivers a spike one step later per connection (X → A → B)', () => {
    const net = new Network();
    const X = new Input(1);
    const A = lifNodes(1);
    const B = lifNodes(1);
    net.addLayer(X, 'X');
    net.addLayer(A, 'A');
    net.addLayer(B, 'B');
    net.addConnection(new Connection(X, A, { w: tf.tensor2d([[20]]) }), 'X', 'A'); // 20 mV: above the 13 mV gap
    net.addConnection(new Connection(A, B, { w: tf.tensor2d([[20]]) }), 'A', 'B');
    const monA = populationMonitor(A, ['s', 'v']);
    const monB = populationMonitor(B, ['s']);
    const x = spikesAt(6, [0]);
    net.run({ inputs: { X: x }, time: 6 });
    expect(Array.from(monA.toArray('s').data)).toEqual([0, 1, 0, 0, 0, 0]);
    expect(Array.from(monB.toArray('s').data)).toEqual([0, 0, 1, 0, 0, 0]);
    expect(monA.toArray('v').data[0]).toBeCloseTo(-65, 5); // nothing arrived at step 0
    expect(monA.toArray('v').data[1]).toBeCloseTo(-65, 5); // spiked and reset to −65
    tf.dispose(x);
    net.dispose();
  });

  it('clamp forces spikes and unclamp silences, at the given steps', () => {
    const { net } = pair(20);
    const x = spikesAt(6, [0, 2]); // Y would spike at 1 and 3
    const clamp = tf.tensor2d([[0], [0], [0], [0], [1], [0]]); // [steps, 1]
    const unclamp = tf.tensor2d([[0], [0], [0], [1], [0], [0]]);
    const s = recorded(net, 'Y', 6, () =>
      net.run({ inputs: { X: x }, time: 6, clamp: { Y: clamp }, unclamp: { Y: unclamp } }),
    );
    expect(s).toEqual([0, 1, 0, 0, 1, 0]);
    net.reset();
    const always = tf.tensor1d([1]);
    const s2 = recorded(net, 'Y', 3, () => net.run({ time: 3, clamp: { Y: always } }));
    expect(s2).toEqual([1, 1, 1]);
    tf.dispose([x, clamp, unclamp, always]);
    net.dispose();
  });

  it('PostPre against a hand-worked two-neuron example (traces tc 20 ms)', () => {
    const a = 0.01;
    const b = 0.1;
    const { net, c } = pair(0.1, new PostPre({ nu: [a, b] }));
    // Pre spikes at 0 and 4; post is clamped to spike at 2 (0.1 mV alone never fires it).
    const x = spikesAt(6, [0, 4]);
    const clamp = tf.tensor2d([[0], [0], [1], [0], [0], [0]]);
    net.run({ inputs: { X: x }, time: 6, clamp: { Y: clamp } });
    // t=0: pre spike, x_post = 0 → 0. t=2: post spike, x_pre = e^{-2/20} → +b·e^{-0.1}.
    // t=4: pre spike, x_post = e^{-2/20} → −a·e^{-0.1}.
    const want = 0.1 + b * Math.exp(-0.1) - a * Math.exp(-0.1);
    expectClose(c.w, [[want]], { rtol: 1e-6 });
    tf.dispose([x, clamp]);
    net.dispose();
  });

  it('masks pin weights to zero through learning; learning off leaves weights alone', () => {
    const net = new Network();
    const X = new Input(4);
    const Y = lifNodes(3);
    net.addLayer(X, 'X');
    net.addLayer(Y, 'Y');
    const c = new Connection(X, Y, {
      w: tf.fill([3, 4], 5),
      rule: new PostPre({ nu: [0.01, 0.1] }),
      wmin: 0,
      wmax: 10,
    });
    net.addConnection(c, 'X', 'Y');
    const x = tf.tidy(() => createRng(1).bernoulli(0.5, [30, 1, 4]));
    const mask = tf.tensor2d([
      [1, 0, 0, 0],
      [0, 0, 0, 0],
      [0, 0, 0, 1],
    ]);
    net.run({ inputs: { X: x }, time: 30, masks: { X_to_Y: mask } });
    const w = c.w.arraySync() as number[][];
    expect([w[0]?.[0], w[2]?.[3]]).toEqual([0, 0]);
    expect(w[1]?.some((v) => v !== 5)).toBe(true); // learned elsewhere
    net.learning = false;
    const before = c.w.arraySync();
    net.run({ inputs: { X: x }, time: 30 });
    expect(c.w.arraySync()).toEqual(before);
    tf.dispose([x, mask]);
    net.dispose();
  });

  it('reward drives MSTDP: 0 leaves the weight, +1 raises it, −1 lowers it', () => {
    const final = (reward: number) => {
      const { net, c } = pair(20, new MSTDP({ nu: 0.1 }));
      const x = spikesAt(4, [0]); // pre at 0, post at 1: a causal pair
      net.run({ inputs: { X: x }, time: 4, reward });
      const w = (c.w.arraySync() as number[][])[0]?.[0] as number;
      tf.dispose(x);
      net.dispose();
      return w;
    };
    expect(final(0)).toBe(20);
    const up = final(1);
    const down = final(-1);
    // E at step 1 = P⁺(1)·s_post = e^{-1/20}; applied at step 2 (one-step lag), times nu.
    expect(up).toBeCloseTo(20 + 0.1 * Math.exp(-1 / 20), 5);
    expect(down).toBeCloseTo(20 - 0.1 * Math.exp(-1 / 20), 5);
  });

  it('a per-step reward [steps] applies each step’s value', () => {
    const { net, c } = pair(20, new MSTDP({ nu: 0.1 }));
    const x = spikesAt(4, [0]);
    const reward = tf.tensor1d([5, 5, 0, 5]); // the only non-zero eligibility meets reward 0 at step 2
    net.run({ inputs: { X: x }, time: 4, reward });
    expectClose(c.w, [[20]]);
    tf.dispose([x, reward]);
    net.dispose();
  });
});

describeBackends('Network: state, save/load, leaks, errors', () => {
  it('Diehl–Cook θ survives reset() and a save/load round trip; v does not survive reset()', () => {
    const make = () => {
      const net = new Network();
      const X = new Input(4);
      const E = diehlCookNodes(3, { thetaPlus: 1 });
      net.addLayer(X, 'X');
      net.addLayer(E, 'E');
      net.addConnection(new Connection(X, E, { w: tf.fill([3, 4], 10) }), 'X', 'E');
      return net;
    };
    const net = make();
    const x = tf.ones([10, 1, 4]);
    net.run({ inputs: { X: x }, time: 10 });
    const node = (n: Network) => (n.layer('E') as unknown as { node: { getMemory(k: string): Tensor } }).node;
    const theta = Array.from(node(net).getMemory('theta').dataSync());
    expect(theta.every((t) => t > 0)).toBe(true);
    net.reset();
    expect(Array.from(node(net).getMemory('theta').dataSync())).toEqual(theta);
    expect(Array.from(node(net).getMemory('v').dataSync())).toEqual([-65]);
    const x3 = tf.ones([3, 1, 4]);
    net.run({ inputs: { X: x3 }, time: 3 });
    x3.dispose();
    const state = JSON.parse(JSON.stringify(net.save()));
    const copy = make();
    copy.load(state);
    expect(Array.from(node(copy).getMemory('theta').dataSync())).toEqual(
      Array.from(node(net).getMemory('theta').dataSync()),
    );
    expect(Array.from(node(copy).getMemory('v').dataSync())).toEqual(Array.from(node(net).getMemory('v').dataSync()));
    copy.reset();
    expect(Array.from(node(copy).getMemory('theta').dataSync())).toEqual(
      Array.from(node(net).getMemory('theta').dataSync()),
    );
    expect(() => copy.load({ ...state, memories: undefined })).toThrow(StateError);
    tf.dispose(x);
    net.dispose();
    copy.dispose();
  });

  it('keeps tf.memory() flat over 1,000 steps with learning, a recurrent connection and a monitor', () => {
    const net = new Network();
    const X = new Input(20);
    const Y = lifNodes(10);
    net.addLayer(X, 'X');
    net.addLayer(Y, 'Y');
    net.addConnection(new Connection(X, Y, { rule: new PostPre(), wmin: 0, wmax: 1, norm: 5, seed: 1 }), 'X', 'Y');
    net.addConnection(new Connection(Y, Y, { w: tf.fill([10, 10], -1), rule: new MSTDP() }), 'Y', 'Y');
    const mon = populationMonitor(Y, ['s', 'v'], { keep: { last: 10 } });
    net.addMonitor(mon, 'Y');
    const x = tf.tidy(() => createRng(2).bernoulli(0.3, [10, 1, 20]));
    net.run({ inputs: { X: x }, time: 10, reward: 1 });
    const before = tf.memory().numTensors;
    for (let i = 0; i < 100; i++) net.run({ inputs: { X: x }, time: 10, reward: 1 });
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose(x);
    net.dispose();
  });

  it('bad input gives a named error and leaves the network unchanged', () => {
    const { net, X, Y, c } = pair(0.5, new PostPre());
    const x = spikesAt(5, [0, 1, 2]);
    net.run({ inputs: { X: x }, time: 5 });
    const snapshot = () => JSON.stringify(net.save());
    const before = snapshot();
    const wrong = tf.ones([5, 1, 2]);
    const badMask = tf.ones([2, 2]);
    expect(() => net.run({ inputs: { Z: x }, time: 5 })).toThrow(
      "Network.run: 'inputs.Z' must be one of 'X', 'Y', got 'Z'",
    );
    expect(() => net.run({ inputs: { X: wrong }, time: 5 })).toThrow(ShapeError);
    expect(() => net.run({ inputs: { X: wrong }, time: 5 })).toThrow(
      "'inputs.X' must have shape [5, B, 1], got shape [5, 1, 2]",
    );
    expect(() => net.run({ inputs: { X: x }, time: 4 })).toThrow(ShapeError);
    expect(() => net.run({ time: 0 })).toThrow("Network.run: 'time' must be a positive multiple of dt (1 ms), got 0");
    expect(() => net.run({ time: -3 })).toThrow(ValueError);
    expect(() => net.run({ time: 5, masks: { X_to_Y: badMask } })).toThrow(
      "Network.run: 'masks.X_to_Y' must have the shape of the weight, [1, 1], got shape [2, 2]",
    );
    expect(() => net.run({ time: 5, masks: { Y_to_X: badMask } })).toThrow(ValueError);
    expect(() => net.run({ time: 5, clamp: { Y: wrong } })).toThrow(ShapeError);
    expect(() => net.run({ time: 5, reward: tf.ones([3]) })).toThrow(ShapeError);
    expect(() => net.run({ time: 5, rewards: 1 } as never)).toThrow(
      "Network.run: unknown option 'rewards' (did you mean 'reward'?)",
    );
    expect(() => net.addConnection(new Connection(X, Y), 'X', 'Q')).toThrow(
      "Network.addConnection: 'target' must be one of 'X', 'Y', got 'Q'",
    );
    expect(() => net.addConnection(new Connection(X, Y), 'Y', 'X')).toThrow(ValueError);
    expect(() => net.addConnection(c, 'X', 'Y')).toThrow("'name' must be a name not used yet");
    expect(() => net.addLayer(lifNodes(2), 'X')).toThrow("Network.addLayer: 'name' must be a layer name not used yet");
    expect(snapshot()).toBe(before);
    expect([...net.connections.keys()]).toEqual(['X_to_Y']);
    tf.dispose([x, wrong, badMask]);
    net.dispose();
  });
});

describeBackends('populations of other @snn/neurons nodes', () => {
  it.each([
    ['AdaptiveLIFNode', () => new AdaptiveLIFNode()],
    ['IzhikevichNode', () => new IzhikevichNode()],
  ] as const)('runs %s on the tensor path, with traces and clamp', (_name, make) => {
    const net = new Network();
    const X = new Input(4);
    const Y = new NodePopulation(make(), 3);
    net.addLayer(X, 'X');
    net.addLayer(Y, 'Y');
    net.addConnection(new Connection(X, Y, { w: tf.fill([3, 4], 2), rule: new PostPre() }), 'X', 'Y');
    const x = tf.ones([20, 2, 4]);
    const unclamp = tf.tensor1d([0, 0, 1]);
    const mon = populationMonitor(Y, ['s', 'x', 'v']);
    net.run({ inputs: { X: x }, time: 20, unclamp: { Y: unclamp } });
    const s = mon.toArray('s');
    expect(s.shape).toEqual([20, 2, 3]);
    let fired = 0;
    let silenced = 0;
    for (let k = 0; k < s.data.length; k++) {
      fired += s.data[k] as number;
      if (k % 3 === 2) silenced += s.data[k] as number;
    }
    expect(fired).toBeGreaterThan(0);
    expect(silenced).toBe(0);
    tf.dispose([x, unclamp]);
    net.dispose();
  });
});

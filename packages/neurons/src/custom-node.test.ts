// "A user's own model is short": the adaptive-threshold IF neuron of BaseNode's TSDoc and the
// README, written against the public surface only.
import { describeBackends, expectNoLeak } from '@snn/core/testing';
import type { Tensor } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import { BaseNode, type BaseNodeOptions } from './index.js';

// ---- the user's code (same as in README.md) ----
/** An IF neuron whose threshold rises by 0.2 with every spike it fires. */
class AdaptiveIF extends BaseNode {
  constructor(options: BaseNodeOptions = {}) {
    super('AdaptiveIF', options);
    this.registerMemory('theta', 0); // extra threshold, per neuron after the first step
  }
  protected override charge(x: Tensor, v: Tensor): Tensor {
    return tf.add(v, x);
  }
  protected override fire(h: Tensor): Tensor {
    return this.params.surrogate.apply(tf.sub(tf.sub(h, this.params.vThreshold), this.getMemory('theta')));
  }
  protected override afterStep(_h: Tensor, spike: Tensor): void {
    this.setMemory('theta', tf.add(this.getMemory('theta'), tf.mul(spike, 0.2)));
  }
}
// ---- end of the user's code ----

describeBackends('a custom neuron', () => {
  it('is short: an adaptive-threshold IF in about fifteen lines', () => {
    const src = AdaptiveIF.toString()
      .split('\n')
      .filter((l) => l.trim() !== '');
    expect(src.length).toBeLessThanOrEqual(20);
  });

  it("raises each neuron's threshold with its spikes, so the rate falls under constant input", () => {
    tf.tidy(() => {
      const T = 200;
      const node = new AdaptiveIF({ stepMode: 'm' });
      const x = tf.mul(tf.ones([T, 1, 3]), tf.tensor1d([0.3, 0.5, 0])); // third neuron: no input
      const spikes = node.forward(x).arraySync() as number[][][];
      const count = (from: number, to: number, i: number) =>
        spikes.slice(from, to).reduce((n, s) => n + (s[0]?.[i] as number), 0);
      const theta = node.getMemory('theta').arraySync() as number[][];
      for (const i of [0, 1]) {
        const total = count(0, T, i);
        expect(theta[0]?.[i]).toBeCloseTo(0.2 * total, 4); // each spike raised theta by 0.2
        expect(count(0, 50, i)).toBeGreaterThan(2 * count(150, 200, i)); // rate drops
      }
      expect(count(0, T, 2)).toBe(0);
      expect(theta[0]?.[2]).toBe(0);
      // Single-step mode gives the same spikes, and reset() clears the threshold.
      const single = new AdaptiveIF();
      const s0: number[][] = [];
      for (let t = 0; t < 20; t++)
        s0.push((single.forward(tf.tensor2d([[0.3, 0.5, 0]])).arraySync() as number[][])[0] as number[]);
      expect(s0).toEqual(spikes.slice(0, 20).map((row) => row[0]));
      single.reset();
      expect(single.getMemory('theta').arraySync()).toBe(0);
      node.dispose();
      single.dispose();
    });
  });

  it('keeps tf.memory() flat and gets the input checks of BaseNode for free', () => {
    const node = new AdaptiveIF();
    const x = tf.fill([2, 4], 0.4);
    expectNoLeak(() => tf.dispose(node.forward(x)), 1000);
    const checked = new AdaptiveIF({ checkFiniteInput: true });
    expect(() => checked.forward(tf.fill([2, 4], Number.NaN))).toThrow("AdaptiveIF.forward: 'x' must be finite");
    x.dispose();
    node.dispose();
    checked.dispose();
  });
});

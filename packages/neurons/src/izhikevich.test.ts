import { ValueError } from '@snn/core';
import { describeBackends, expectClose } from '@snn/core/testing';
import { sigmoid } from '@snn/surrogates';
import type { Tensor } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import { fire, resolveNodeParams } from './base-node.js';
import { IzhikevichNode, izhikevichReset } from './izhikevich.js';

describeBackends('IzhikevichNode', () => {
  it("has SpikingJelly's defaults; W starts at wRest and reset() restores it", () => {
    const node = new IzhikevichNode({ wRest: 0.2 });
    expect([node.tau, node.vC, node.a0, node.vRest, node.tauW, node.a, node.b]).toEqual([2, 0.8, 1, -0.1, 2, 0, 0]);
    expect(node.params.vReset).toBe(0);
    expectClose(node.w, [0.2]);
    tf.dispose(node.forward(tf.fill([2, 3], 1.5)));
    expect(node.w.shape).toEqual([2, 3]);
    node.reset();
    expectClose(node.w, [0.2]);
    expect(() => new IzhikevichNode({ tauW: 0 })).toThrow("IzhikevichNode: 'tauW' must be a finite number > 0, got 0");
    expect(() => new IzhikevichNode({ a0: -1 })).toThrow(ValueError);
    node.dispose();
  });

  it('adds b to W at every spike, after the subthreshold update', () => {
    tf.tidy(() => {
      const node = new IzhikevichNode({ a: 0, b: 0.3, tauW: 4 });
      const s = node.forward(tf.tensor1d([5, 0])); // the first neuron fires, the second does not
      expect(Array.from(s.dataSync())).toEqual([1, 0]);
      expectClose(node.w, [0.3, 0]);
      tf.dispose(node.forward(tf.tensor1d([0, 0])));
      expectClose(node.w, [0.3 - 0.3 / 4, 0]); // W' = W + (a (H − vRest) − W) / tauW, no spike
      node.dispose();
    });
  });

  it('with detachReset, detaches only the (1 − S) factor of the hard reset', () => {
    tf.tidy(() => {
      const h = tf.tensor1d([0.9, 1.2, 0.2]);
      const alpha = 4;
      const g = (z: number) => {
        const s = 1 / (1 + Math.exp(-alpha * z));
        return alpha * s * (1 - s);
      };
      const hv = [0.9, 1.2, 0.2];
      const spikes = hv.map((x) => (x >= 1 ? 1 : 0));
      const vReset = -0.5;
      for (const detachReset of [false, true]) {
        const p = resolveNodeParams('test', { vReset, detachReset, surrogate: sigmoid(alpha) });
        const grad = tf.grad((x: Tensor) => tf.sum(izhikevichReset(x, fire(x, p), p)))(h);
        // V = (1 − S) H + S vReset: dV/dH = (1 − S) + (vReset − H) g, or (1 − S) + vReset g when (1 − S) is detached.
        const expected = hv.map((x, i) => 1 - (spikes[i] as number) + (detachReset ? vReset : vReset - x) * g(x - 1));
        expectClose(grad, expected, { rtol: 1e-5 });
      }
    });
  });
});

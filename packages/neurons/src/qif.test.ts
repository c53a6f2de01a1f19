import { ValueError } from '@snn/core';
import { describeBackends, expectClose } from '@snn/core/testing';
import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import { QIFNode, qifCharge } from './qif.js';

describeBackends('QIFNode', () => {
  it("has SpikingJelly's defaults (vReset −0.1); null gives soft reset from 0", () => {
    const node = new QIFNode();
    expect([node.tau, node.vC, node.a0, node.vRest, node.params.vReset, node.params.vThreshold]).toEqual([
      2, 0.8, 1, 0, -0.1, 1,
    ]);
    expectClose(node.v, [-0.1]);
    const soft = new QIFNode({ vReset: null });
    expectClose(soft.v, [0]);
    expect(() => new QIFNode({ a0: 0 })).toThrow("QIFNode: 'a0' must be a finite number > 0, got 0");
    expect(() => new QIFNode({ vC: Number.NaN })).toThrow(ValueError);
    node.dispose();
    soft.dispose();
  });

  it('charges H = V + (X + a0 (V − vRest)(V − vC)) / τ', () => {
    tf.tidy(() => {
      const h = qifCharge(tf.tensor1d([0.2, 0]), tf.tensor1d([0.5, 1]), { tau: 4, vC: 0.8, a0: 2, vRest: -0.1 });
      expectClose(h, [0.5 + (0.2 + 2 * 0.6 * -0.3) / 4, 1 + (2 * 1.1 * 0.2) / 4]);
    });
  });
});

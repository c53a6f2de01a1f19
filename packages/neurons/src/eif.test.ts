import { ValueError } from '@snn/core';
import { describeBackends, expectClose } from '@snn/core/testing';
import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import { EIFNode, eifCharge } from './eif.js';

describeBackends('EIFNode', () => {
  it("has SpikingJelly's defaults (vReset −0.1)", () => {
    const node = new EIFNode();
    expect([node.tau, node.deltaT, node.thetaRh, node.vRest, node.params.vReset]).toEqual([2, 1, 0.8, 0, -0.1]);
    expectClose(node.v, [-0.1]);
    expect(() => new EIFNode({ deltaT: 0 })).toThrow("EIFNode: 'deltaT' must be a finite number > 0, got 0");
    expect(() => new EIFNode({ thetaRh: Number.POSITIVE_INFINITY })).toThrow(ValueError);
    node.dispose();
  });

  it('charges H = V + (X + vRest − V + ΔT exp((V − θrh) / ΔT)) / τ', () => {
    tf.tidy(() => {
      const h = eifCharge(tf.tensor1d([0.2, 0]), tf.tensor1d([0.5, 1]), {
        tau: 4,
        deltaT: 0.5,
        thetaRh: 0.8,
        vRest: -0.1,
      });
      const f = (x: number, v: number) => v + (x - 0.1 - v + 0.5 * Math.exp((v - 0.8) / 0.5)) / 4;
      expectClose(h, [f(0.2, 0.5), f(0, 1)]);
    });
  });
});

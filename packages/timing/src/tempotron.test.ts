// Golden parity with SpikingJelly's Tempotron (test/golden/tempotron.json) on every Node
// backend, plus shapes, training with a tfjs optimizer, errors and tensor leaks.
import { ShapeError, saveState, ValueError } from '@snn/core';
import { describeBackends, expectClose, expectNoLeak } from '@snn/core/testing';
import { pspKernel, pspNormalization, pspPeakTime, Tempotron, tempotronMSELoss, tempotronWrongMask } from '@snn/timing';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { goldenCases, loadFcWeight, type TempotronCase } from './test-fixtures.js';

const cases = goldenCases<TempotronCase>('tempotron.json');
const GRAD_TOL = { rtol: 1e-4, atol: 1e-6 };

function build(c: TempotronCase): Tempotron {
  const p = c.params;
  const net = new Tempotron(p.in_features, p.out_features, p.T, {
    tau: p.tau,
    tauS: p.tau_s,
    vThreshold: p.v_threshold,
  });
  loadFcWeight(net, p.fc_weight);
  return net;
}

const spikesOf = (c: TempotronCase) => tf.tensor2d(c.inputs.in_spikes, undefined, 'float32');

describe('Tempotron constants', () => {
  it.each(cases.map((c) => [c.name, c] as const))('V0 and t_max match SpikingJelly: %s', (_, c) => {
    expect(pspPeakTime(c.params.tau, c.params.tau_s)).toBeCloseTo(c.params.t_max, 12);
    expect(pspNormalization(c.params.tau, c.params.tau_s, c.params.v_threshold)).toBeCloseTo(c.params.v0, 12);
    const net = build(c);
    expect(net.v0).toBeCloseTo(c.params.v0, 12);
    expect(net.tMax).toBeCloseTo(c.params.t_max, 12);
    net.dispose();
  });

  it('loads fc.weight through loadState as the parameter "weight"', () => {
    const c = cases[0] as TempotronCase;
    const net = build(c);
    expect(Object.keys(saveState(net).parameters)).toEqual(['weight']);
    expectClose(net.weight, Float32Array.from(c.params.fc_weight.flat()), { rtol: 0, atol: 0 });
    net.dispose();
  });
});

describeBackends('Tempotron golden', () => {
  describe.each(cases.map((c) => [c.name, c] as const))('%s', (_, c) => {
    it('pspKernel at t = 0..T−1 and at negative/fractional t', () => {
      const { tau, tau_s } = c.params;
      const k = pspKernel(tf.tensor1d(c.inputs.t_psp), tau, tau_s);
      expectClose(k, c.outputs.psp_kernel);
      const extra = Tempotron.pspKernel(c.inputs.t_psp_extra, tau, tau_s);
      expectClose(extra, c.outputs.psp_kernel_extra);
      tf.dispose([k, extra]);
    });

    it("forward 'v', 'vMax' and 'spikes'", () => {
      const net = build(c);
      const x = spikesOf(c);
      const v = net.forward(x, 'v');
      const vMax = net.forward(x, 'vMax');
      const spikes = net.forward(x, 'spikes');
      expect(v.shape).toEqual([x.shape[0], c.params.out_features, c.params.T]);
      expectClose(v, c.outputs.v);
      expectClose(vMax, c.outputs.v_max);
      expectClose(spikes, c.outputs.spikes);
      tf.dispose([x, v, vMax, spikes]);
      net.dispose();
    });

    it('mseLoss, its wrong mask and its gradient with respect to the weight', () => {
      const net = build(c);
      const x = spikesOf(c);
      const labels = tf.tensor1d(c.inputs.labels, 'int32');
      const { value, grads } = tf.variableGrads(
        () => Tempotron.mseLoss(net.forward(x, 'vMax'), net.vThreshold, labels, net.outFeatures) as tf.Scalar,
        [net.weight],
      );
      expectClose(value, [c.outputs.mse_loss]);
      expectClose(grads[net.weight.name] as tf.Tensor, c.grads.mse_loss_wrt_fc_weight, GRAD_TOL);
      const vMax = net.forward(x, 'vMax');
      const mask = tempotronWrongMask(vMax, net.vThreshold, c.inputs.labels, net.outFeatures);
      expectClose(mask, c.outputs.wrong_mask, { rtol: 0, atol: 0 });
      tf.dispose([x, labels, value, grads, vMax, mask]);
      net.dispose();
    });

    it("'spikes' backward is the straight-through estimator", () => {
      const net = build(c);
      const x = spikesOf(c);
      const w = tf.tensor2d(c.inputs.w_spikes_loss);
      const { grads } = tf.variableGrads(() => tf.sum(tf.mul(net.forward(x, 'spikes'), w)) as tf.Scalar, [net.weight]);
      // d/dv of softmax(T·v) multiplies float32 rounding of v by T: SpikingJelly's own numbers are
      // up to 4e-4 relative (2e-6 of the largest entry) away from a float64 evaluation, at small
      // entries. So: 1e-4 relative, with an absolute floor of 1e-5 of the largest entry.
      const scale = Math.max(...c.grads.spikes_loss_wrt_fc_weight.flat().map(Math.abs));
      expectClose(grads[net.weight.name] as tf.Tensor, c.grads.spikes_loss_wrt_fc_weight, {
        rtol: 1e-4,
        atol: 1e-5 * scale,
      });
      tf.dispose([x, w, grads]);
      net.dispose();
    });
  });
});

describeBackends('Tempotron', () => {
  it('keeps size-1 axes: B = 1 and outFeatures = 1', () => {
    const net = new Tempotron(3, 1, 10, { seed: 1 });
    const x = tf.tensor2d([[0, 2.5, -1]]);
    expect(net.forward(x, 'v').shape).toEqual([1, 1, 10]);
    expect(net.forward(x, 'vMax').shape).toEqual([1, 1]);
    expect(net.forward(x, 'spikes').shape).toEqual([1, 1]);
    expect(net.forward(x).shape).toEqual([1, 1, 10]);
    tf.dispose(x);
    net.dispose();
  });

  it('one spike through a weight of 1 peaks at the threshold, at t_max', () => {
    const net = new Tempotron(1, 1, 60, { tau: 20, tauS: 5, vThreshold: 2 });
    net.weight.assign(tf.ones([1, 1]));
    // peak at 10 + t_max; sampled on the integer grid, so shift the spike to put t_max on it
    const tMax = pspPeakTime(20, 5);
    const x = tf.tensor2d([[30 - tMax]]);
    const v = net.forward(x, 'v');
    const peak = Math.max(...v.dataSync());
    expect(peak).toBeCloseTo(2, 5);
    expect(net.forward(x, 'spikes').dataSync()[0]).toBe(30);
    tf.dispose([x, v]);
    net.dispose();
  });

  it('counts a spike at t = T as no input, and accepts int32 spike times', () => {
    const net = new Tempotron(2, 2, 8, { seed: 3 });
    const a = net.forward(tf.tensor2d([[8, 2]]), 'v');
    const b = net.forward(tf.tensor2d([[-1, 2]], undefined, 'int32'), 'v');
    expectClose(a, b, { rtol: 0, atol: 0 });
    net.dispose();
    tf.dispose([a, b]);
  });

  it('learns a small problem with a tfjs optimizer on mseLoss (gradients through vMax)', () => {
    const net = new Tempotron(20, 2, 30, { seed: 5 });
    // Start with both neurons firing on both patterns: a neuron whose potential never rises above
    // its value at t = 0 (0) has no gradient, as in SpikingJelly.
    net.weight.assign(tf.fill([2, 20], 0.1));
    const x = tf.tensor2d([
      [0, 2, 4, 6, 8, 10, 12, 14, 16, 18, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1],
      [-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, 1, 3, 5, 7, 9, 11, 13, 15, 17, 19],
    ]);
    const labels = [0, 1];
    const opt = tf.train.adam(0.05);
    const loss = () => Tempotron.mseLoss(net.forward(x, 'vMax'), net.vThreshold, labels, 2) as tf.Scalar;
    const first = tf.tidy(() => loss().dataSync()[0] as number);
    for (let i = 0; i < 100; i++) opt.minimize(loss, true)?.dispose();
    const last = tf.tidy(() => loss().dataSync()[0] as number);
    expect(first).toBeGreaterThan(0);
    expect(last).toBe(0);
    const mask = tf.tidy(() => tempotronWrongMask(net.forward(x, 'vMax'), 1, labels, 2).dataSync());
    expect(Array.from(mask)).toEqual([0, 0, 0, 0]);
    opt.dispose();
    tf.dispose(x);
    net.dispose();
  });

  it('does not leak tensors in forward, mseLoss or a training step', () => {
    const net = new Tempotron(16, 3, 20, { seed: 2 });
    const x = tf.tensor2d(
      Array.from({ length: 4 * 16 }, (_, k) => ((k * 7) % 23) - 3),
      [4, 16],
    );
    const opt = tf.train.adam(1e-3);
    expectNoLeak(() => {
      tf.dispose([net.forward(x, 'v'), net.forward(x, 'vMax'), net.forward(x, 'spikes')]);
      tf.dispose(tf.tidy(() => tempotronMSELoss(tf.ones([4, 3]), 1, [0, 1, 2, 0], 3)));
      opt.minimize(() => Tempotron.mseLoss(net.forward(x, 'vMax'), 1, [0, 1, 2, 0], 3) as tf.Scalar)?.dispose();
      tf.dispose(tf.variableGrads(() => tf.sum(net.forward(x, 'spikes')) as tf.Scalar, [net.weight]));
    }, 50);
    opt.dispose();
    tf.dispose(x);
    net.dispose();
  });

  it('rejects bad input by name, before changing anything', () => {
    const net = new Tempotron(4, 2, 10, { seed: 1 });
    const ok = tf.tensor2d([[0, 1, 2, 3]]);
    expect(() => net.forward(tf.tensor2d([[0, 1, 10.5, 3]]))).toThrow(
      "Tempotron.forward: 'inSpikes[0, 2]' must be a spike time in [0, T = 10], or negative for no spike, got 10.5",
    );
    expect(() => net.forward(tf.tensor2d([[0, Number.NaN, 1, 3]]))).toThrow(ValueError);
    expect(() => net.forward(tf.tensor2d([[0, Number.POSITIVE_INFINITY, 1, 3]]))).toThrow(ValueError);
    expect(() => net.forward(tf.tensor2d([[0, 1, 2]]))).toThrow(
      "Tempotron.forward: 'inSpikes' must have shape [B, 4] (inFeatures = 4), got shape [1, 3]",
    );
    expect(() => net.forward(tf.tensor1d([0, 1, 2, 3]))).toThrow(ShapeError);
    expect(() => net.forward(tf.zeros([1, 1, 4]))).toThrow(
      "Tempotron.forward: 'inSpikes' must have rank 2 ([B, inFeatures]), got shape [1, 1, 4]",
    );
    expect(() => net.forward(ok, 'v_max' as never)).toThrow(
      "Tempotron.forward: 'retType' must be one of 'v', 'vMax', 'spikes', got 'v_max'",
    );
    expect(() => new Tempotron(4, 2, 10, { tau: 0 })).toThrow("Tempotron: 'tau' must be a finite number > 0, got 0");
    expect(() => new Tempotron(4, 2, 10, { tauS: -1 })).toThrow(
      "Tempotron: 'tauS' must be a finite number > 0, got -1",
    );
    expect(() => new Tempotron(4, 2, 10, { tau: 5, tauS: 5 })).toThrow(ValueError);
    expect(() => new Tempotron(4, 2, 10, { vThreshold: 0 })).toThrow(ValueError);
    expect(() => new Tempotron(4, 2, 0)).toThrow("Tempotron: 'T' must be an integer >= 1, got 0");
    expect(() => new Tempotron(0, 2, 10)).toThrow("Tempotron: 'inFeatures' must be an integer >= 1, got 0");
    expect(() => new Tempotron(4, 2, 10, { seed: 1, rng: {} as never })).toThrow(ValueError);
    expect(() => pspKernel([0, 1], Number.NaN, 3)).toThrow("pspKernel: 'tau' must be a finite number > 0, got NaN");
    const vMax = tf.ones([2, 3]);
    expect(() => Tempotron.mseLoss(vMax, 1, [0, 3], 3)).toThrow(
      "tempotronMSELoss: 'label[1]' must be a class index in [0, 3), got 3",
    );
    expect(() => Tempotron.mseLoss(vMax, 1, [0], 3)).toThrow(ShapeError);
    expect(() => Tempotron.mseLoss(vMax, 1, [0, 1], 4)).toThrow(
      "tempotronMSELoss: 'vMax' must have shape [B, 4] (numClasses = 4), got shape [2, 3]",
    );
    expect(() => Tempotron.mseLoss(tf.ones([3]), 1, [0, 1, 2], 3)).toThrow(ShapeError);
    tf.dispose([ok, vMax]);
    net.dispose();
  });

  it('draws its weights from the seed, uniform in ±1/√inFeatures', () => {
    const a = new Tempotron(100, 4, 10, { seed: 9 });
    const b = new Tempotron(100, 4, 10, { seed: 9 });
    const w = a.weight.dataSync();
    expect(Array.from(b.weight.dataSync())).toEqual(Array.from(w));
    expect(Math.max(...w.map(Math.abs))).toBeLessThanOrEqual(0.1);
    expect(Math.max(...w.map(Math.abs))).toBeGreaterThan(0.09);
    a.dispose();
    b.dispose();
  });
});

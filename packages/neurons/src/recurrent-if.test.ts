import { ValueError } from '@snn/core';
import { describeBackends, expectClose } from '@snn/core/testing';
import type { Tensor } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import { RecurrentIFNode, recurrentIFCharge } from './recurrent-if.js';

/** The model in plain float64 JavaScript: H = V + w (V - r) + X; fire; reset. */
function reference(xs: number[][], w: number, vThreshold: number, vReset: number | null) {
  const r = vReset ?? 0;
  let v = xs[0]?.map(() => vReset ?? 0) ?? [];
  const spikes: number[][] = [];
  const vSeq: number[][] = [];
  for (const x of xs) {
    const h = v.map((vi, i) => vi + w * (vi - r) + (x[i] as number));
    const s = h.map((hi) => (hi >= vThreshold ? 1 : 0));
    v = h.map((hi, i) => (vReset === null ? hi - vThreshold * (s[i] as number) : s[i] ? vReset : hi));
    spikes.push(s);
    vSeq.push(v);
  }
  return { spikes, vSeq };
}

describeBackends('RecurrentIFNode', () => {
  it('defaults to w = -1e-3, trainable, and rejects a non-finite initW', () => {
    const node = new RecurrentIFNode();
    expect(node.w.dataSync()[0]).toBeCloseTo(-1e-3, 9);
    expect(node.parameters(true)).toEqual([node.w]);
    const frozen = new RecurrentIFNode({ trainableW: false });
    expect(frozen.parameters(true)).toEqual([]);
    expect(() => new RecurrentIFNode({ initW: Number.NaN })).toThrow(ValueError);
    expect(() => new RecurrentIFNode({ initW: Number.NaN })).toThrow(
      "RecurrentIFNode: 'initW' must be a finite number, got NaN",
    );
    node.dispose();
    frozen.dispose();
  });

  it('the weight acts on V − vReset only, never on the input', () => {
    tf.tidy(() => {
      const x = tf.tensor1d([0.3, -0.7]);
      expectClose(recurrentIFCharge(x, tf.scalar(-0.1), 5, { vReset: -0.1 }), [0.2, -0.8]);
      expectClose(recurrentIFCharge(x, tf.scalar(0.5), -0.5, { vReset: 0 }), [0.55, -0.45]);
      expectClose(recurrentIFCharge(x, tf.scalar(0.5), -0.5, { vReset: null }), [0.55, -0.45]);
    });
  });

  it.each([
    ['hard reset to 0', 0],
    ['hard reset to -0.1', -0.1],
    ['soft reset', null],
  ] as const)('follows H = V + w (V − vReset) + X: %s', (_name, vReset) => {
    tf.tidy(() => {
      const xs = tf.randomUniform([30, 6], -0.2, 0.8, 'float32', 11);
      const w = -0.2;
      const ref = reference(xs.arraySync() as number[][], w, 1, vReset);
      const node = new RecurrentIFNode({ initW: w, vReset, stepMode: 'm', storeVSeq: true });
      expect(node.forward(xs).arraySync()).toEqual(ref.spikes);
      expectClose(node.vSeq as Tensor, ref.vSeq, { rtol: 1e-5, atol: 1e-5 });
      expect(ref.spikes.flat().some((s) => s === 1)).toBe(true);
      node.dispose();
    });
  });

  it('BPTT reaches w: the gradient matches finite differences of the float64 model', () => {
    const xsArr = tf.tidy(() => tf.randomUniform([12, 4], 0, 0.2, 'float32', 5).arraySync() as number[][]);
    const w = -0.3;
    // No spikes (high threshold): sum of V over time and neurons is smooth in w.
    const total = (wv: number) =>
      reference(xsArr, wv, 100, 0)
        .vSeq.flat()
        .reduce((a, b) => a + b, 0);
    const eps = 1e-5;
    const numeric = (total(w + eps) - total(w - eps)) / (2 * eps);
    const node = new RecurrentIFNode({ initW: w, vThreshold: 100, stepMode: 'm', storeVSeq: true });
    const xs = tf.tensor(xsArr);
    const { value, grads } = tf.variableGrads(() => {
      node.reset();
      tf.dispose(node.forward(xs));
      return tf.sum(node.vSeq as Tensor);
    }, [node.w]);
    expectClose(value, [total(w)], { rtol: 1e-5 });
    expectClose(grads[node.w.name] as Tensor, [numeric], { rtol: 1e-3 });
    expect(numeric).not.toBe(0);
    tf.dispose([value, grads, xs]);
    node.dispose();
  });
});

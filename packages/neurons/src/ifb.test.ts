import { type Module, ValueError } from '@snn/core';
import { describeBackends, expectClose, expectNoLeak } from '@snn/core/testing';
import { sigmoid } from '@snn/surrogates';
import type { Tensor } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import { IFBNode, ifbStep } from './ifb.js';
import { NonSpikingIFBNode, nonSpikingIFBStep } from './non-spiking-ifb.js';
import { NullNode } from './null-node.js';
import { uniform } from './test-support.js';

/** Independent float64 IFB: V += X + bias; S = [V > θ]; V = 0 where S. `margin`: smallest |V − θ| met. */
function reference(xs: number[][], bias: number, th: number) {
  let v = new Array<number>((xs[0] as number[]).length).fill(0);
  const spikes: number[][] = [];
  const vs: number[][] = [];
  let margin = Number.POSITIVE_INFINITY;
  for (const x of xs) {
    const h = v.map((vk, k) => vk + (x[k] as number) + bias);
    margin = Math.min(margin, ...h.map((hk) => Math.abs(hk - th)));
    const s = h.map((hk) => (hk > th ? 1 : 0));
    v = h.map((hk, k) => (s[k] ? 0 : hk));
    spikes.push(s);
    vs.push(v);
  }
  return { spikes, v: vs, margin };
}

/** A node made by `make` keeps tf.memory() flat over 1,000 single steps and 100 multi-step calls. */
function expectLeakFree(make: (o: { stepMode?: 's' | 'm'; storeVSeq?: boolean }) => Module, value: number) {
  const node = make({});
  const x = tf.fill([4, 8], value);
  expectNoLeak(() => tf.dispose(node.forward(x)), 1000);
  const m = make({ stepMode: 'm', storeVSeq: true });
  const xs = tf.fill([5, 4, 8], value);
  expectNoLeak(() => tf.dispose(m.forward(xs)), 100);
  tf.dispose([x, xs]);
  node.dispose();
  m.dispose();
}

describeBackends('IFBNode', () => {
  it('matches a float64 integration over 1,000 steps with a negative bias: spikes equal, V to 1e-5', () => {
    const xs = uniform(1000, 6, -0.05, 0.3, 11);
    const bias = -0.03;
    const ref = reference(xs, bias, 1.2);
    expect(ref.margin).toBeGreaterThan(1e-4); // no close calls (float32 error on V stays below 1e-5)
    expect(ref.spikes.flat().filter((s) => s === 1).length).toBeGreaterThan(50);
    tf.tidy(() => {
      const node = new IFBNode({ bias, vThreshold: 1.2, stepMode: 'm', storeVSeq: true });
      const spikes = node.forward(tf.tensor3d(xs.map((x) => [x])));
      expect(spikes.arraySync()).toEqual(ref.spikes.map((s) => [s]));
      expectClose(
        node.vSeq as Tensor,
        ref.v.map((v) => [v]),
        { rtol: 1e-5, atol: 1e-5 },
      );
      node.dispose();
    });
  });

  it("the pure ifbStep gives the node's numbers", () => {
    tf.tidy(() => {
      const node = new IFBNode({ bias: 0.1 });
      let s = { v: tf.scalar(0) as Tensor };
      for (const row of uniform(50, 5, 0, 0.5, 4)) {
        const x = tf.tensor2d([row]);
        const r = ifbStep(x, s, { bias: 0.1, vThreshold: 1, surrogate: sigmoid(4) });
        s = r.state;
        expect(Array.from(node.forward(x).dataSync())).toEqual(Array.from(r.spike.dataSync()));
      }
      expect(Array.from(node.v.dataSync())).toEqual(Array.from(s.v.dataSync()));
      node.dispose();
    });
  });

  it('keeps tf.memory() flat', () => {
    expectLeakFree((o) => new IFBNode(o), 0.4);
  });

  it('rejects bad options with named errors, allocating nothing', () => {
    const before = tf.memory().numTensors;
    expect(() => new IFBNode({ bias: Number.NaN })).toThrow("IFBNode: 'bias' must be a finite number, got NaN");
    expect(() => new IFBNode({ vThreshold: Number.POSITIVE_INFINITY })).toThrow(ValueError);
    expect(() => new IFBNode({ surrogate: 'sigmoid' as never })).toThrow("IFBNode: 'surrogate' must be a Surrogate");
    expect(tf.memory().numTensors).toBe(before);
  });
});

describeBackends('NonSpikingIFBNode', () => {
  it('returns the running sum V + X + bias, in float64 to 1e-5 over 1,000 steps', () => {
    const xs = uniform(1000, 4, -0.2, 0.3, 5);
    const bias = 0.01;
    let v = [0, 0, 0, 0];
    const want = xs.map((x) => {
      v = v.map((vk, k) => vk + (x[k] as number) + bias);
      return [v];
    });
    tf.tidy(() => {
      const node = new NonSpikingIFBNode({ bias, stepMode: 'm' });
      const out = node.forward(tf.tensor3d(xs.map((x) => [x])));
      expectClose(out, want, { rtol: 1e-5, atol: 1e-4 });
      expectClose(nonSpikingIFBStep(tf.tensor1d([1, 2]), { v: tf.tensor1d([0.5, 0.5]) }, { bias }).v, [1.51, 2.51]);
      node.dispose();
    });
  });

  it('keeps tf.memory() flat; refuses non-finite bias and threshold options', () => {
    expectLeakFree((o) => new NonSpikingIFBNode(o), 0.1);
    expect(() => new NonSpikingIFBNode({ bias: Number.NaN })).toThrow(ValueError);
    expect(() => new NonSpikingIFBNode({ vThreshold: 1 } as never)).toThrow(
      "NonSpikingIFBNode: unknown option 'vThreshold'",
    );
  });
});

describeBackends('NullNode', () => {
  it('returns a copy of its input in either step mode, with nothing to reset', () => {
    tf.tidy(() => {
      const x = tf.tensor3d([[[1, -2]], [[3, 0.5]]]);
      const s = new NullNode();
      const single = s.forward(tf.tensor2d([[1, -2]]));
      expect(single.arraySync()).toEqual([[1, -2]]);
      const m = new NullNode({ stepMode: 'm' });
      const out = m.forward(x);
      expect(out).not.toBe(x);
      expect(out.arraySync()).toEqual(x.arraySync());
      expect(m.namedMemories()).toEqual([]);
      m.reset();
      expect(() => m.forward(tf.zeros([0, 1, 2]))).toThrow(ValueError);
      expect(() => s.forward('x' as never)).toThrow(ValueError);
      s.dispose();
      m.dispose();
    });
  });

  it('keeps tf.memory() flat', () => {
    expectLeakFree((o) => new NullNode({ stepMode: o.stepMode }), 0.2);
  });
});

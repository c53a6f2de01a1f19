import { createRng, ShapeError, ValueError } from '@snn/core';
import { describeBackends, expectClose, expectNoLeak } from '@snn/core/testing';
import type { Tensor } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import { Dropout } from './dropout.js';

const values = (t: Tensor): number[] => Array.from(t.dataSync());

describeBackends('Dropout', () => {
  it('in step mode m drops the same elements at every step, scaled by 1/(1 − p)', () => {
    const p = 0.25;
    const drop = new Dropout(p, { stepMode: 'm', seed: 1 });
    tf.tidy(() => {
      const xSeq = tf.randomUniform([5, 4, 200], 1, 2, 'float32', 1);
      const y = drop.forward(xSeq);
      expect(y.shape).toEqual([5, 4, 200]);
      const mask = drop.mask;
      expect(mask.shape).toEqual([4, 200]);
      expect(new Set(values(mask))).toEqual(new Set([0, Math.fround(1 / (1 - p))]));
      const kept = values(mask).filter((m) => m > 0).length / mask.size;
      expect(kept).toBeGreaterThan(0.7);
      expect(kept).toBeLessThan(0.8);
      // y[t] = x[t] · M for every t: zeros in the same places, the rest scaled.
      expectClose(y, tf.mul(xSeq, mask));
      const zeros = tf.equal(y, 0);
      for (let t = 1; t < 5; t++) {
        expect(values(tf.cast(tf.slice(zeros, [t, 0, 0], [1, 4, 200]), 'float32'))).toEqual(
          values(tf.cast(tf.slice(zeros, [0, 0, 0], [1, 4, 200]), 'float32')),
        );
      }
    });
    drop.dispose();
  });

  it('keeps its mask across calls until reset(), in both step modes; single = multi step', () => {
    const single = new Dropout(0.5, { seed: 9 });
    const multi = new Dropout(0.5, { seed: 9, stepMode: 'm' });
    tf.tidy(() => {
      const xSeq = tf.randomUniform([3, 2, 16], 0.5, 1, 'float32', 2);
      const steps = tf.stack(tf.unstack(xSeq).map((x) => single.forward(x)));
      expectClose(steps, multi.forward(xSeq));
      const first = tf.clone(multi.mask);
      tf.dispose(multi.forward(xSeq));
      expectClose(multi.mask, first); // no new draw without reset
      multi.reset();
      expect(multi.mask.rank).toBe(0);
      tf.dispose(multi.forward(xSeq));
      expect(values(multi.mask)).not.toEqual(values(first));
    });
    single.dispose();
    multi.dispose();
  });

  it('is the identity in eval mode and for p = 0; draws reproducibly from its seed or Rng', () => {
    const drop = new Dropout(0.5, { seed: 3 });
    tf.tidy(() => {
      const x = tf.randomUniform([4, 8], 0, 1, 'float32', 3);
      drop.eval();
      expectClose(drop.forward(x), x);
      expect(drop.mask.rank).toBe(0);
      expectClose(new Dropout(0).forward(x), x);
      drop.train();
      const a = drop.forward(x);
      const b = new Dropout(0.5, { rng: createRng(3) }).forward(x);
      expectClose(a, b);
      const keep = createRng(3).bernoulli(0.5, [4, 8]);
      expectClose(a, tf.mul(x, tf.mul(keep, 2)));
    });
    drop.dispose();
  });

  it('passes the gradient through the kept elements only', () => {
    const drop = new Dropout(0.5, { seed: 4, stepMode: 'm' });
    tf.tidy(() => {
      const xSeq = tf.ones([3, 2, 6]);
      const dx = tf.grad((x: Tensor) => tf.sum(drop.forward(x)))(xSeq);
      expectClose(dx, tf.mul(tf.ones([3, 1, 1]), drop.mask));
    });
    drop.dispose();
  });

  it('keeps tf.memory() flat over 1,000 forwards and resets', () => {
    const drop = new Dropout(0.3, { seed: 0, stepMode: 'm' });
    const x = tf.ones([2, 3, 8]);
    expectNoLeak(() => {
      drop.reset();
      tf.dispose(drop.forward(x));
    });
    x.dispose();
    drop.dispose();
  });

  it('rejects bad p and an input that no longer fits the mask', () => {
    expect(() => new Dropout(1)).toThrow("Dropout: 'p' must be a number in [0, 1), got 1");
    expect(() => new Dropout(-0.1)).toThrow(ValueError);
    expect(() => new Dropout(0.5, { seed: 1, rng: createRng(1) })).toThrow(ValueError);
    const drop = new Dropout(0.5, { seed: 0 });
    const a = tf.ones([2, 3]);
    const b = tf.ones([4, 3]);
    tf.dispose(drop.forward(a));
    expect(() => drop.forward(b)).toThrow(ShapeError);
    expect(() => drop.forward(b)).toThrow(
      "Dropout.forward: 'x' must have shape [2, 3] (the mask drawn since the last reset()",
    );
    drop.reset();
    tf.dispose(drop.forward(b));
    const s = tf.scalar(1);
    expect(() => drop.forward(s)).toThrow(ShapeError);
    tf.dispose([a, b, s]);
    drop.dispose();
  });
});

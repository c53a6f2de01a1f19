import { DTypeError, ShapeError, ValueError } from '@snn/core';
import { describeBackends, expectClose } from '@snn/core/testing';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { firstSpikeTime } from './first-spike.js';
import { firstSpikeTimeLoss, mseCountLoss, rateCrossEntropyLoss, rateMSELoss } from './losses.js';
import { CLASSES, makeData, makeNet, rateCrossEntropyReference } from './test-fixtures.js';

/**
 * T = 2, B = 2, C = 2.  Sample 0: class 0 fires at t = 0 and 1, class 1 at t = 1.
 * Sample 1: class 0 is silent, class 1 fires at t = 0.
 * Rates [[1, 0.5], [0, 0.5]]; counts [[2, 1], [0, 1]]; first-spike times [[0, 1], [2, 0]].
 */
const S = [
  [
    [1, 0],
    [0, 1],
  ],
  [
    [1, 1],
    [0, 0],
  ],
];
const ln1pexp = (x: number) => Math.log(1 + Math.exp(x));

function value(make: () => tf.Tensor): number {
  return tf.tidy(() => make().dataSync()[0] as number);
}

/** ∂loss/∂S as nested arrays. */
function gradOf(loss: (s: tf.Tensor) => tf.Tensor, s: tf.Tensor): Float32Array {
  return tf.tidy(() => tf.grad(loss)(s).dataSync() as Float32Array);
}

describeBackends('losses', () => {
  it('rateCrossEntropyLoss: softmax cross-entropy of scale · rate', () => {
    tf.tidy(() => {
      const s = tf.tensor3d(S);
      const y = tf.tensor1d([0, 1], 'int32');
      // scale 1: both samples have logits differing by 0.5 in favour of the label: ln(1 + e^-0.5).
      expect(value(() => rateCrossEntropyLoss(s, y))).toBeCloseTo(ln1pexp(-0.5), 6);
      // scale 2, labels [0, 0]: sample 0 ln(1 + e^-1); sample 1 ln(1 + e^1).
      const y00 = tf.tensor1d([0, 0], 'int32');
      expect(value(() => rateCrossEntropyLoss(s, y00, { scale: 2 }))).toBeCloseTo((ln1pexp(-1) + ln1pexp(1)) / 2, 6);
      // One-hot and soft labels: -Σ y log p.
      const oneHot = tf.tensor2d([
        [1, 0],
        [0, 1],
      ]);
      expect(value(() => rateCrossEntropyLoss(s, oneHot))).toBeCloseTo(ln1pexp(-0.5), 6);
      const soft = tf.tensor2d([
        [0.5, 0.5],
        [0.5, 0.5],
      ]);
      expect(value(() => rateCrossEntropyLoss(s, soft))).toBeCloseTo(
        0.5 * (ln1pexp(-0.5) + ln1pexp(0.5)), // the same for both samples
        6,
      );
    });
  });

  it('rateCrossEntropyLoss: ∂L/∂S = scale · (softmax(z) − y) / (B·T)', () => {
    tf.tidy(() => {
      const s = tf.tensor3d(S);
      const y = tf.tensor1d([0, 1], 'int32');
      const g = gradOf((x) => rateCrossEntropyLoss(x, y, { scale: 2 }), s);
      const p = 1 / (1 + Math.exp(-1)); // softmax of the labelled class: logits differ by 2 · 0.5
      const d = (2 * (p - 1)) / (2 * 2); // labelled class; the other gets −d
      expectClose(g, [d, -d, -d, d, d, -d, -d, d], { rtol: 1e-5 });
    });
  });

  it('rateCrossEntropyLoss: value and gradient equal the composed tfjs ops when T, B and C all differ', () => {
    tf.tidy(() => {
      const [T, B, C] = [3, 4, 5];
      const s = tf.randomUniform([T, B, C], 0, 1, 'float32', 7);
      const labels = tf.tensor1d([4, 0, 2, 1], 'int32');
      const composed = (x: tf.Tensor) =>
        tf.neg(tf.mean(tf.sum(tf.mul(tf.oneHot(labels, C), tf.logSoftmax(tf.mul(tf.mean(x, 0), 3))), 1)));
      const ours = (x: tf.Tensor) => rateCrossEntropyLoss(x, labels, { scale: 3 });
      expectClose(ours(s), composed(s), { rtol: 1e-6 });
      expectClose(tf.grad(ours)(s), tf.grad(composed)(s), { rtol: 1e-5, atol: 1e-7 });
    });
  });

  it('rateCrossEntropyLoss: value and gradient against a float64 reference, T = 3, B = 2, C = 5', () => {
    // Every axis a different size, so a mean over the wrong axis (B vs C, or T) changes the numbers.
    const spikes = [
      [
        [1, 0, 1, 0, 0],
        [0, 1, 1, 0, 1],
      ],
      [
        [1, 0, 0, 1, 0],
        [0, 0, 1, 0, 1],
      ],
      [
        [1, 1, 0, 0, 0],
        [1, 0, 1, 0, 0],
      ],
    ];
    const scale = 2.5;
    const oneHot = [
      [0, 0, 0, 1, 0],
      [0, 0, 1, 0, 0],
    ];
    const soft = [
      [0.1, 0.2, 0.3, 0.4, 0],
      [0.5, 0, 0.25, 0, 0.25],
    ];
    tf.tidy(() => {
      const s = tf.tensor3d(spikes);
      for (const [labels, y] of [
        [tf.tensor1d([3, 2], 'int32'), oneHot],
        [tf.tensor2d(oneHot), oneHot],
        [tf.tensor2d(soft), soft],
      ] as const) {
        const ref = rateCrossEntropyReference(spikes, y, scale);
        const loss = (x: tf.Tensor) => rateCrossEntropyLoss(x, labels, { scale });
        expect(value(() => loss(s))).toBeCloseTo(ref.loss, 5);
        expectClose(tf.grad(loss)(s), ref.grad, { rtol: 1e-5, atol: 1e-7 });
      }
    });
  });

  it('mseCountLoss: MSE on counts against ⌊rate·T⌋ targets, divided by T (snnTorch)', () => {
    tf.tidy(() => {
      const s = tf.tensor3d(S);
      const y = tf.tensor1d([0, 1], 'int32');
      // T = 2: on = ⌊1.6⌋ = 1, off = ⌊0.4⌋ = 0. Errors (2−1), (1−0), (0−0), (1−1) → (1 + 1)/4 / 2.
      expect(value(() => mseCountLoss(s, y))).toBeCloseTo(0.25, 6);
      // correctRate 1, incorrectRate 0: targets [[2, 0], [0, 2]]; errors 0, 1, 0, −1 → 2/4/2.
      expect(value(() => mseCountLoss(s, y, { correctRate: 1, incorrectRate: 0 }))).toBeCloseTo(0.25, 6);
      // correctRate 0.5: on = 1, off = 0 (same as default here); incorrectRate 0.5: off = 1.
      // targets [[1, 1], [1, 1]]; errors 1, 0, −1, 0 → 2/4/2.
      expect(value(() => mseCountLoss(s, y, { correctRate: 0.5, incorrectRate: 0.5 }))).toBeCloseTo(0.25, 6);
      // T = 10, default rates: targets 8 and 2; all silent: (64 + 4)/2 / 10.
      const silent = tf.zeros([10, 1, 2]);
      expect(value(() => mseCountLoss(silent, tf.tensor1d([1], 'int32')))).toBeCloseTo(3.4, 5);
      // T = 3, 0.8 → ⌊2.4⌋ = 2, 0.2 → ⌊0.6⌋ = 0: silent gives (4 + 0)/2 / 3.
      expect(value(() => mseCountLoss(tf.zeros([3, 1, 2]), tf.tensor1d([0], 'int32')))).toBeCloseTo(2 / 3, 6);
    });
  });

  it('mseCountLoss: ∂L/∂S = 2 (n − target) / (B·C·T), the same at every step', () => {
    tf.tidy(() => {
      const s = tf.tensor3d(S);
      const y = tf.tensor1d([0, 1], 'int32');
      const g = gradOf((x) => mseCountLoss(x, y), s);
      const e = [1, 1, 0, 0].map((d) => (2 * d) / (2 * 2 * 2));
      expectClose(g, [...e, ...e]);
    });
  });

  it('rateMSELoss: mean of (rate − one-hot)², and its gradient 2 (r − y) / (B·C·T)', () => {
    tf.tidy(() => {
      const s = tf.tensor3d(S);
      const y = tf.tensor1d([0, 1], 'int32');
      // rates [[1, 0.5], [0, 0.5]] vs [[1, 0], [0, 1]]: 0, 0.25, 0, 0.25 → 0.125.
      expect(value(() => rateMSELoss(s, y))).toBeCloseTo(0.125, 6);
      const g = gradOf((x) => rateMSELoss(x, y), s);
      const e = [0, 0.5, 0, -0.5].map((d) => (2 * d) / (2 * 2 * 2));
      expectClose(g, [...e, ...e]);
    });
  });

  it('firstSpikeTime: the 0-based step of the first spike, T when silent', () => {
    tf.tidy(() => {
      expectClose(firstSpikeTime(tf.tensor3d(S)), [
        [0, 1],
        [2, 0],
      ]);
      // T = 3 with spikes after the first one, and all silent.
      const s = tf.tensor3d([[[0, 0, 0]], [[1, 0, 0]], [[1, 1, 0]]]);
      expectClose(firstSpikeTime(s), [[1, 2, 3]]);
      // Probabilities: expected first time of independent Bernoulli steps: (1−p) + (1−p)².
      expectClose(firstSpikeTime(tf.fill([2, 1, 1], 0.5)), [[0.75]]);
    });
  });

  it('firstSpikeTime: ∂t̂/∂S[j] = −Σ_{t≥j} Π_{k≤t, k≠j}(1 − S[k]), matching finite differences', () => {
    tf.tidy(() => {
      const s = tf.tensor3d(S);
      const g = gradOf((x) => tf.sum(firstSpikeTime(x)), s);
      // Per neuron (b, c), steps j = 0, 1: (0,0) S=[1,1]: −1, 0.  (0,1) S=[0,1]: −1, −1.
      // (1,0) silent: −2, −1.  (1,1) S=[1,0]: −2, 0.  Listed in [t][b][c] order:
      expectClose(g, [-1, -1, -2, -2, 0, -1, -1, 0]);
      // t̂ is linear in each single S[k], so a central difference is exact up to rounding.
      const x = tf.tensor3d([[[0.3]], [[0.6]], [[0.1]]]);
      const gx = gradOf((v) => tf.sum(firstSpikeTime(v)), x);
      const base = Array.from(x.dataSync());
      for (let i = 0; i < 3; i++) {
        const at = (delta: number) => {
          const v = base.slice();
          v[i] = (v[i] as number) + delta;
          return value(() => tf.sum(firstSpikeTime(tf.tensor3d(v, [3, 1, 1]))));
        };
        expect(gx[i]).toBeCloseTo((at(0.01) - at(-0.01)) / 0.02, 3);
      }
    });
  });

  it('firstSpikeTimeLoss: cross-entropy on −scale · t̂, pushing the labelled class to fire earlier', () => {
    tf.tidy(() => {
      const s = tf.tensor3d(S);
      const y = tf.tensor1d([0, 1], 'int32');
      // t̂ = [[0, 1], [2, 0]]: sample 0 ln(1 + e^-1), sample 1 ln(1 + e^-2).
      expect(value(() => firstSpikeTimeLoss(s, y))).toBeCloseTo((ln1pexp(-1) + ln1pexp(-2)) / 2, 6);
      expect(value(() => firstSpikeTimeLoss(s, y, { scale: 0.5 }))).toBeCloseTo((ln1pexp(-0.5) + ln1pexp(-1)) / 2, 6);
      const g = gradOf((x) => firstSpikeTimeLoss(x, tf.tensor1d([1, 0], 'int32')), s);
      expect(g.every(Number.isFinite)).toBe(true);
      // Labels [1, 0]: the labelled neurons (0,1) and (1,0) gain by firing earlier: ∂L/∂S ≤ 0,
      // strictly before their first spike, and the silent labelled neuron (1,0) at every step.
      expect(g[1]).toBeLessThan(0); // t = 0, sample 0, class 1 (it first fires at t = 1)
      expect(g[2]).toBeLessThan(0); // t = 0, sample 1, class 0 (silent)
      expect(g[6]).toBeLessThan(0); // t = 1, sample 1, class 0 (silent)
      expect(g[0]).toBeGreaterThan(0); // the wrong class 0 of sample 0 fires at t = 0: it should not
    });
  });

  it('every loss gives finite, non-zero gradients to the weights of a Dense → LIF network', () => {
    const data = makeData();
    for (const loss of [rateCrossEntropyLoss, mseCountLoss, rateMSELoss, firstSpikeTimeLoss]) {
      const net = makeNet();
      const grads = tf.tidy(() => {
        const { grads: g } = tf.variableGrads(() => loss(net.forward(data.xSeq), data.labels), net.parameters(true));
        return Array.from(Object.values(g)[0]?.dataSync() ?? []);
      });
      net.dispose();
      expect(grads.length, loss.name).toBe(16 * CLASSES);
      expect(grads.every(Number.isFinite), loss.name).toBe(true);
      expect(
        grads.some((v) => v !== 0),
        loss.name,
      ).toBe(true);
    }
    tf.dispose(data);
  });

  it('leaks no tensors', () => {
    const s = tf.tensor3d(S);
    const y = tf.tensor1d([0, 1], 'int32');
    const before = tf.memory().numTensors;
    for (const loss of [rateCrossEntropyLoss, mseCountLoss, rateMSELoss, firstSpikeTimeLoss]) loss(s, y).dispose();
    firstSpikeTime(s).dispose();
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([s, y]);
  });
});

describe('losses: errors', () => {
  const losses = { rateCrossEntropyLoss, mseCountLoss, rateMSELoss, firstSpikeTimeLoss };

  it.each(Object.entries(losses))('%s names a wrong shape, dtype or label', (name, loss) => {
    tf.tidy(() => {
      const s = tf.tensor3d(S);
      const y = tf.tensor1d([0, 1], 'int32');
      expect(() => loss(tf.zeros([2, 2]), y)).toThrow(ShapeError);
      expect(() => loss(tf.zeros([2, 2]), y)).toThrow(
        `${name}: 'spikeSeq' must have rank 3 ([T, B, C]), got shape [2, 2]`,
      );
      expect(() => loss(tf.zeros([0, 2, 2]), y)).toThrow(/'spikeSeq.shape\[0\] \(T\)' must be at least 1 time step/);
      expect(() => loss(tf.zeros([2, 2, 2], 'int32'), y)).toThrow(DTypeError);
      expect(() => loss(s, tf.tensor1d([0, 1, 1], 'int32'))).toThrow(
        `${name}: 'labels' must have shape [2] (one class index per sample), got shape [3]`,
      );
      expect(() => loss(s, tf.tensor1d([0, 2], 'int32'))).toThrow(
        `${name}: 'labels[1]' must be a class index in 0..1, got 2`,
      );
      expect(() => loss(s, tf.tensor1d([0, -1], 'int32'))).toThrow(ValueError);
      expect(() => loss(s, tf.tensor1d([0, 0.5]))).toThrow(`'labels[1]' must be a class index in 0..1, got 0.5`);
      expect(() => loss(s, tf.zeros([2, 3]))).toThrow(`'labels' must have shape [2, 2] ([B, C] targets)`);
      expect(() => loss(s, tf.zeros([2, 2, 1]))).toThrow(/'labels' must have rank 1 \(\[B\] class indices\) or 2/);
      expect(() =>
        loss(
          s,
          tf.tensor2d([
            [Number.NaN, 1],
            [0, 1],
          ]),
        ),
      ).toThrow(/'labels\[0\]\[0\]' must be/);
      expect(() => loss(s, tf.tensor1d([1, 0], 'bool'))).toThrow(DTypeError);
      // Integer-valued float32 indices are accepted.
      expect(Number.isFinite(loss(s, tf.tensor1d([1, 0])).dataSync()[0])).toBe(true);
    });
  });

  it('cross-entropy losses want rows that sum to 1; MSE losses want values in [0, 1]', () => {
    tf.tidy(() => {
      const s = tf.tensor3d(S);
      const twoHot = tf.tensor2d([
        [1, 1],
        [0, 1],
      ]);
      expect(() => rateCrossEntropyLoss(s, twoHot)).toThrow(
        "rateCrossEntropyLoss: 'labels[0] (sum of the row)' must be 1 (one-hot or a probability distribution), got 2",
      );
      expect(() => firstSpikeTimeLoss(s, twoHot)).toThrow(ValueError);
      expect(Number.isFinite(rateMSELoss(s, twoHot).dataSync()[0])).toBe(true);
      const big = tf.tensor2d([
        [2, 0],
        [0, 1],
      ]);
      expect(() => rateMSELoss(s, big)).toThrow("rateMSELoss: 'labels[0][0]' must be a number in [0, 1], got 2");
      expect(() => mseCountLoss(s, big)).toThrow(ValueError);
    });
  });

  it('names a wrong option', () => {
    tf.tidy(() => {
      const s = tf.tensor3d(S);
      const y = tf.tensor1d([0, 1], 'int32');
      expect(() => rateCrossEntropyLoss(s, y, { scale: 0 })).toThrow(
        "rateCrossEntropyLoss: 'scale' must be a finite number > 0, got 0",
      );
      expect(() => firstSpikeTimeLoss(s, y, { scale: Number.NaN })).toThrow(/'scale' must be a finite number > 0/);
      expect(() => mseCountLoss(s, y, { correctRate: 1.5 })).toThrow(
        "mseCountLoss: 'correctRate' must be a number in [0, 1], got 1.5",
      );
      expect(() => mseCountLoss(s, y, { incorrectRate: -0.1 })).toThrow(/'incorrectRate' must be a number in \[0, 1\]/);
      expect(() => firstSpikeTime(tf.zeros([2, 0, 2]))).toThrow(/B ≥ 1 samples and C ≥ 1 classes/);
    });
  });
});

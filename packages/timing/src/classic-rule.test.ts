// The original Tempotron rule on the paper's random-pattern task, its update against the
// equation, and its errors.
import { createRng, ShapeError, ValueError } from '@snn/core';
import { describeBackends, expectClose, expectNoLeak } from '@snn/core/testing';
import { Tempotron, tempotronRuleDelta, tempotronRuleStep } from '@snn/timing';
import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';

/** `count` patterns of `afferents` afferents, each firing once at a uniform time in [0, T); labels half and half. */
function randomTask(seed: number, count: number, afferents: number, T: number) {
  const rng = createRng(seed);
  const patterns = Array.from({ length: count }, () => {
    const times = new Float32Array(afferents);
    rng.fillUniform(times, 0, T);
    return tf.tensor2d(times, [1, afferents]);
  });
  const order = rng.permutation(count);
  const labels = Array.from({ length: count }, (_, p) => ((order[p] as number) < count / 2 ? 1 : 0));
  return { patterns, labels };
}

const EPOCH_LIMIT = 10;

describeBackends('tempotronRuleStep', () => {
  it(`separates 50 random patterns of 500 afferents within ${EPOCH_LIMIT} epochs (T = 500, τ = 15, τs = 3.75)`, () => {
    const T = 500;
    const { patterns, labels } = randomTask(42, 50, 500, T);
    const net = new Tempotron(500, 1, T, { seed: 1 });
    let epoch = 0;
    let errors = Number.POSITIVE_INFINITY;
    while (errors > 0 && epoch < EPOCH_LIMIT) {
      epoch++;
      errors = 0;
      for (let p = 0; p < patterns.length; p++) {
        errors += tempotronRuleStep(net, patterns[p] as tf.Tensor, [labels[p] as number], { lr: 0.01 }).errors;
      }
    }
    expect(errors).toBe(0); // seed 42: the first error-free epoch is the 5th
    // the forward pass agrees: every pattern's peak is on the right side of the threshold
    const x = tf.concat(patterns);
    const vMax = net.forward(x, 'vMax').dataSync();
    expect(Array.from(vMax, (v) => (v >= net.vThreshold ? 1 : 0))).toEqual(labels);
    tf.dispose([...patterns, x]);
    net.dispose();
  });

  it('updates by ±λ·V0·K(t_max − s_i) on a miss or a false alarm, and not at all when right', () => {
    const net = new Tempotron(4, 2, 30, { seed: 3 });
    net.weight.assign(
      tf.tensor2d([
        [0.9, 0.8, 0.1, 0.2], // fires
        [0.05, 0.05, 0.05, 0.05], // stays silent
      ]),
    );
    const s = [2, 4.5, -1, 29.5];
    const x = tf.tensor2d([s]);
    const v = net.forward(x, 'v');
    const trace = v.dataSync();
    const peakTime = (o: number) => {
      let best = 0;
      for (let t = 1; t < 30; t++) if ((trace[o * 30 + t] as number) > (trace[o * 30 + best] as number)) best = t;
      return best;
    };
    const K = (t: number) => (t >= 0 ? Math.exp(-t / 15) - Math.exp(-t / 3.75) : 0);
    const expected = (o: number, sign: number) =>
      s.map((si) => (si < 0 ? 0 : sign * 0.5 * net.v0 * K(peakTime(o) - si)));
    // target: neuron 0 should stay silent (false alarm), neuron 1 should fire (miss)
    const wrong = tempotronRuleDelta(net, x, tf.tensor2d([[0, 1]]), { lr: 0.5 });
    expect([wrong.misses, wrong.falseAlarms]).toEqual([1, 1]);
    expectClose(wrong.delta, [...expected(0, -1), ...expected(1, 1)]);
    const right = tempotronRuleDelta(net, x, [1, 0], { lr: 0.5 });
    expect([right.misses, right.falseAlarms]).toEqual([0, 0]);
    expect(Array.from(right.delta.dataSync())).toEqual(new Array(8).fill(0));
    const before = Array.from(net.weight.dataSync());
    const result = tempotronRuleStep(net, x, [0, 1], { lr: 0.5 });
    expect(result).toEqual({ misses: 1, falseAlarms: 1, errors: 2 });
    expectClose(
      net.weight,
      before.map((w, k) => w + (wrong.delta.dataSync()[k] as number)),
    );
    tf.dispose([x, v, wrong.delta, right.delta]);
    net.dispose();
  });

  it('does not leak', () => {
    const net = new Tempotron(20, 3, 40, { seed: 4 });
    const x = tf.tensor2d([Array.from({ length: 20 }, (_, i) => (i * 1.7) % 40)]);
    expectNoLeak(() => {
      tempotronRuleStep(net, x, [1, 0, 1], { lr: 0.01 });
    }, 30);
    tf.dispose(x);
    net.dispose();
  });

  it('rejects bad input by name, leaving the weights unchanged', () => {
    const net = new Tempotron(3, 1, 10, { seed: 5 });
    const before = Array.from(net.weight.dataSync());
    const x = tf.tensor2d([[1, 2, 3]]);
    expect(() => tempotronRuleStep(net, x, [2], { lr: 0.1 })).toThrow(
      "tempotronRuleStep: 'target[0]' must be 0 or 1, got 2",
    );
    expect(() => tempotronRuleStep(net, x, [1, 0], { lr: 0.1 })).toThrow(ShapeError);
    expect(() => tempotronRuleStep(net, x, tf.tensor2d([[1, 0]]), { lr: 0.1 })).toThrow(ShapeError);
    expect(() => tempotronRuleStep(net, x, [1], { lr: 0 })).toThrow(
      "tempotronRuleStep: 'lr' must be a finite number > 0, got 0",
    );
    expect(() => tempotronRuleStep(net, tf.tensor2d([[1, 2, 11]]), [1], { lr: 0.1 })).toThrow(ValueError);
    expect(() => tempotronRuleStep(net, tf.tensor2d([[1, 2]]), [1], { lr: 0.1 })).toThrow(ShapeError);
    expect(Array.from(net.weight.dataSync())).toEqual(before);
    tf.dispose(x);
    net.dispose();
  });
});

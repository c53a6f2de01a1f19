import { DTypeError, isSnnError, ShapeError, ValueError } from '@snn/core';
import { describeBackends, expectClose, expectNoLeak } from '@snn/core/testing';
import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import { ClassifyReward, DaReward, EnvironmentReward, GlobalReward, XorReward } from './spaic-rewards.js';

/** Runs `call`, expects a named error, and returns it; the tensor count must not change. */
function thrown(call: () => unknown): Error {
  const before = tf.memory().numTensors;
  let error: unknown;
  try {
    call();
  } catch (e) {
    error = e;
  }
  expect(error, 'the call should throw').toBeDefined();
  expect(isSnnError(error), String(error)).toBe(true);
  expect(tf.memory().numTensors, 'tensors after the throw').toBe(before);
  return error as Error;
}

/** [T = 2, B = 3, N = 4]; with popSize 2 the group counts are [3, 0], [1, 2] and silent [0, 0]. */
const RECORD = [
  [
    [1, 0, 0, 0],
    [0, 0, 1, 0],
    [0, 0, 0, 0],
  ],
  [
    [1, 1, 0, 0],
    [0, 1, 0, 1],
    [0, 0, 0, 0],
  ],
];

describeBackends('SPAIC rewards', () => {
  it('global_reward: +1 / −1 per sample on the arg-max group (ties and silence: group 0), batch mean', () => {
    const record = tf.tensor3d(RECORD);
    const r = new GlobalReward({ popSize: 2 });
    // predictions 0, 1, 0 (silence)
    expectClose(r.compute(record, [0, 0, 0]), [1 / 3]); // +1, −1, +1
    expectClose(r.compute(record, tf.tensor1d([1, 1, 1], 'int32')), [-1 / 3]); // −1, +1, −1
    expect(r.compute(record, [0, 0, 0]).shape).toEqual([]);
    const per = new GlobalReward({ popSize: 2, perSample: true });
    expectClose(per.compute(record, [0, 1, 1]), [1, 1, -1]);
    const signals = new GlobalReward({ popSize: 2, rewardSignal: 2, punishSignal: -0.5 });
    expectClose(signals.compute(record, [0, 1, 1]), [(2 + 2 - 0.5) / 3]);
    // popSize 1 (the default): one neuron per class; sample 0 counts [2, 1, 0, 0] → class 0
    expectClose(new GlobalReward({ perSample: true }).compute(record, [0, 3, 1]), [1, -1, -1]);
    // sample 1 counts [0, 1, 1, 1]: a tie between neurons 1, 2, 3 goes to 1
    expectClose(new GlobalReward({ perSample: true }).compute(record, [0, 1, 0]), [1, 1, 1]);
    const one = tf.slice(record, [0, 1, 0], [2, 1, 4]);
    expectClose(r.compute(one, 1), [1]);
  });

  it('da_reward: the predicted group of a right sample gets rewardSignal, the rest punishSignal, summed over the batch', () => {
    const record = tf.tensor3d(RECORD);
    const r = new DaReward({ popSize: 2 });
    // sample 0 right (group 0), sample 1 right (group 1), sample 2 wrong (predicts 0, target 1)
    const sum = r.compute(record, [0, 1, 1]);
    expect(sum.shape).toEqual([1, 4]);
    expectClose(sum, [[1, 1, 1, 1]]);
    expectClose(new DaReward({ popSize: 2, perSample: true }).compute(record, [0, 1, 1]), [
      [1, 1, 0, 0],
      [0, 0, 1, 1],
      [0, 0, 0, 0],
    ]);
    expectClose(new DaReward({ popSize: 2, punishSignal: -1 }).compute(record, [0, 1, 1]), [[-1, -1, -1, -1]]);
    // sample 0 wrong (predicts 0), sample 1 right, sample 2 wrong (silence predicts 0)
    expectClose(new DaReward({ popSize: 2, rewardSignal: 0.5 }).compute(record, [1, 1, 1]), [[0, 0, 0.5, 0.5]]);
  });

  it('xor_reward: a spike earns rewardSignal for target 1 and punishSignal for 0; silence gets silentSignal', () => {
    // [T = 2, B = 4, N = 2]: samples 0 and 2 spike, 1 and 3 stay silent
    const record = tf.tensor3d([
      [
        [0, 1],
        [0, 0],
        [0, 0],
        [0, 0],
      ],
      [
        [0, 0],
        [0, 0],
        [1, 1],
        [0, 0],
      ],
    ]);
    const target = [1, 1, 0, 0];
    expectClose(new XorReward({ perSample: true }).compute(record, target), [1, -1, -1, -1]);
    expectClose(new XorReward().compute(record, target), [-0.5]);
    expectClose(new XorReward({ perSample: true, silentSignal: 0 }).compute(record, target), [1, 0, -1, 0]);
    expectClose(
      new XorReward({ rewardSignal: 3, punishSignal: -2, perSample: true }).compute(record, target),
      [3, -2, -2, -2],
    );
    expect(thrown(() => new XorReward().compute(record, [1, 2, 0, 0])).message).toContain(
      "XorReward.compute: 'target[1]' must be 0 or 1, got 2",
    );
  });

  it('environment_reward: the target passed through, or what the callback returns', () => {
    const record = tf.zeros([2, 1, 3]);
    const pass = new EnvironmentReward();
    expectClose(pass.compute(record, 0.5), [0.5]);
    expect(pass.compute(record, 0.5).shape).toEqual([]);
    expectClose(pass.compute(record, [1, -1]), [1, -1]);
    const fromInt = pass.compute(record, tf.tensor1d([2, -3], 'int32'));
    expect(fromInt.dtype).toBe('float32');
    expectClose(fromInt, [2, -3]);
    let seen: unknown;
    const env = new EnvironmentReward({
      fn: (rec, target) => {
        seen = [rec.shape, target];
        return 3;
      },
    });
    expectClose(env.compute(record, 7), [3]);
    expect(seen).toEqual([[2, 1, 3], 7]);
    const before = tf.memory().numTensors;
    const out = new EnvironmentReward({ fn: () => tf.tensor1d([0.25]) }).compute(record);
    expect(tf.memory().numTensors).toBe(before + 1); // the callback's tensor handed over, not kept
    expectClose(out, [0.25]);
    out.dispose();
    expect(thrown(() => pass.compute(record)).message).toContain("EnvironmentReward.compute: 'target' must be");
    expect(thrown(() => pass.compute(record, Number.NaN))).toBeInstanceOf(ValueError);
    expect(thrown(() => new EnvironmentReward({ fn: () => Number.POSITIVE_INFINITY }).compute(record))).toBeInstanceOf(
      ValueError,
    );
    // a callback's tensor that is refused is disposed: the count is unchanged
    expect(
      thrown(() => new EnvironmentReward({ fn: () => tf.tensor1d([1, Number.NaN]) }).compute(record)).message,
    ).toContain("EnvironmentReward.compute: 'fn()' must be a tensor of finite numbers");
    expect(thrown(() => new EnvironmentReward({ fn: 3 as never }))).toBeInstanceOf(ValueError);
  });

  it('classify_reward: 1 − p at the target and −p elsewhere, p the softmax of the standardised running trace', () => {
    const r = new ClassifyReward();
    const first = tf.tensor3d([[[1, 0]], [[1, 0]]]); // mean [1, 0]
    const second = tf.tensor3d([[[0, 1]], [[0, 1]]]); // mean [0, 1]
    // out = [1, 0]: z = ±0.5 / (√0.5 + 0.1), p = [0.775389, 0.224611]
    expectClose(r.compute(first, 0), [[0.2246112, -0.2246112]], { atol: 1e-6 });
    // out = 0.99·[1, 0] + [0, 1] = [0.99, 1]: z = ∓0.005 / (√(2·0.005²) + 0.1), p = [0.476668, 0.523332]
    expectClose(r.compute(second, 1), [[-0.476668, 0.476668]], { atol: 1e-6 });
    r.reset();
    expectClose(r.compute(first, 0), [[0.2246112, -0.2246112]], { atol: 1e-6 });
    // beta 0: only this call's mean counts
    const b0 = new ClassifyReward({ beta: 0 });
    b0.compute(first, 0).dispose();
    expectClose(b0.compute(second, 1), [[-0.2246112, 0.2246112]], { atol: 1e-6 });
    // another batch size starts a new trace (as the network's state)
    const two = tf.tensor3d([
      [
        [1, 0],
        [0, 1],
      ],
    ]);
    // out = [[1, 0], [0, 1]]: std over 4 elements √(1/3), z = ±0.5 / (√(1/3) + 0.1), 1 − p = 0.185981
    expectClose(
      r.compute(two, [0, 1]),
      [
        [0.1859807, -0.1859807],
        [-0.1859807, 0.1859807],
      ],
      { atol: 1e-6 },
    );
    r.dispose();
    b0.dispose();
  });

  it('classify_reward: a refused call leaves the trace as it was', () => {
    const r = new ClassifyReward();
    const first = tf.tensor3d([[[1, 0]], [[1, 0]]]);
    const second = tf.tensor3d([[[0, 1]], [[0, 1]]]);
    r.compute(first, 0).dispose();
    const oneNeuron = tf.zeros([2, 1, 1]);
    thrown(() => r.compute(second, 2));
    thrown(() => r.compute(oneNeuron, 0));
    expectClose(r.compute(second, 1), [[-0.476668, 0.476668]], { atol: 1e-6 });
    r.dispose();
  });

  it('bad records and targets are named errors that make nothing', () => {
    const record = tf.tensor3d(RECORD);
    const rank2 = tf.zeros([3, 4]);
    const noSteps = tf.zeros([0, 3, 4]);
    const fiveNeurons = tf.zeros([2, 3, 5]);
    const complex = tf.tensor([['a']], [1, 1, 1], 'string');
    const target2d = tf.tensor2d([[0, 0, 0]]);
    const oneNeuron = tf.zeros([2, 1, 1]);
    for (const node of [new GlobalReward({ popSize: 2 }), new DaReward({ popSize: 2 })]) {
      const fn = `${node.constructor.name}.compute`;
      expect(thrown(() => node.compute(rank2, [0, 0, 0])).message).toContain(
        `${fn}: 'record' must have rank 3 ([T, B, N])`,
      );
      expect(thrown(() => node.compute([[[1]]] as never, [0]))).toBeInstanceOf(ValueError);
      expect(thrown(() => node.compute(noSteps, [0, 0, 0]))).toBeInstanceOf(ShapeError);
      expect(thrown(() => node.compute(fiveNeurons, [0, 0, 0])).message).toContain('divisible by popSize 2');
      expect(thrown(() => node.compute(complex, [0]))).toBeInstanceOf(DTypeError);
      expect(thrown(() => node.compute(record, [0, 0]))).toBeInstanceOf(ShapeError);
      expect(thrown(() => node.compute(record, 0))).toBeInstanceOf(ShapeError);
      expect(thrown(() => node.compute(record, target2d))).toBeInstanceOf(ShapeError);
      expect(thrown(() => node.compute(record)).message).toContain(`${fn}: 'target' must be`);
      expect(thrown(() => node.compute(record, [0, 2, 0])).message).toContain(
        `${fn}: 'target[1]' must be a class label, an integer in [0, 2), got 2`,
      );
      expect(thrown(() => node.compute(record, [0, 0.5, 0]))).toBeInstanceOf(ValueError);
      expect(thrown(() => node.compute(record, [0, Number.NaN, 0]))).toBeInstanceOf(ValueError);
    }
    for (const make of [
      () => new GlobalReward({ popSize: 0 }),
      () => new GlobalReward({ popSize: 1.5 }),
      () => new DaReward({ rewardSignal: Number.NaN }),
      () => new XorReward({ silentSignal: 'x' as never }),
      () => new GlobalReward({ perSample: 1 as never }),
      () => new ClassifyReward({ beta: 1 }),
      () => new ClassifyReward({ beta: -0.1 }),
    ]) {
      expect(thrown(make)).toBeInstanceOf(ValueError);
    }
    expect(thrown(() => new ClassifyReward().compute(oneNeuron, 0))).toBeInstanceOf(ShapeError);
    tf.dispose([record, rank2, noSteps, fiveNeurons, complex, target2d, oneNeuron]);
  });

  it('no tensor leaks over many calls (the classify trace included)', () => {
    const record = tf.tensor3d(RECORD);
    const nodes = [
      new GlobalReward({ popSize: 2 }),
      new DaReward({ popSize: 2 }),
      new XorReward(),
      new EnvironmentReward({ fn: () => tf.scalar(1) }),
      new ClassifyReward(),
    ];
    expectNoLeak(() => {
      for (const n of nodes) n.compute(record, [0, 1, 1]).dispose();
    }, 200);
    const classify = nodes[4] as ClassifyReward;
    const before = tf.memory().numTensors;
    classify.dispose();
    expect(tf.memory().numTensors).toBe(before - 1); // the trace
    record.dispose();
  });
});

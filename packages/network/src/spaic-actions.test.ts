import { createRng, DTypeError, isSnnError, ShapeError, ValueError } from '@snn/core';
import { describeBackends, expectNoLeak } from '@snn/core/testing';
import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import {
  FirstSpikeAction,
  HighestSpikesAction,
  HighestVoltageAction,
  PopulationRateAction,
  RandomAction,
  SoftmaxAction,
} from './spaic-actions.js';

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

/** The actions as numbers (the tensor disposed). */
function picks(t: tf.Tensor): number[] {
  expect(t.dtype).toBe('int32');
  const a = Array.from(t.dataSync());
  t.dispose();
  return a;
}

/** A record [T, B, N] with every sample's spikes equal to `row` at step 0 and silent after. */
function tiled(row: number[], B: number, T = 2): tf.Tensor {
  return tf.tidy(() => {
    const first = tf.tile(tf.tensor3d([[row]]), [1, B, 1]);
    return tf.concat([first, tf.zeros([T - 1, B, row.length])]);
  });
}

/** Fraction of `values` equal to `v`. */
const share = (values: number[], v: number): number => values.filter((x) => x === v).length / values.length;

describeBackends('SPAIC actions', () => {
  it('pop_rate_action: one draw per sample, proportional to the group counts; silence is uniform', () => {
    // actions 2 of 2 neurons: group counts [3, 1] → P(0) = 3/4
    const record = tiled([2, 1, 1, 0], 8);
    const expected = (() => {
      const r = createRng(9);
      return Array.from({ length: 8 }, () => (r.nextFloat() < 0.75 ? 0 : 1));
    })();
    expect(picks(new PopulationRateAction({ actions: 2, seed: 9 }).select(record))).toEqual(expected);
    // a silent group is never drawn
    expect(picks(new PopulationRateAction({ actions: 2, seed: 1 }).select(tiled([1, 1, 0, 0], 200)))).toEqual(
      new Array(200).fill(0),
    );
    // distribution over 4000 samples with a fixed seed
    const many = picks(new PopulationRateAction({ actions: 2, seed: 3 }).select(tiled([2, 1, 1, 0], 4000)));
    expect(share(many, 0)).toBeGreaterThan(0.72);
    expect(share(many, 0)).toBeLessThan(0.78);
    // silent samples: uniform over 4 actions, the draw being nextInt(4)
    const silent = tf.zeros([3, 4000, 8]);
    const uniform = picks(new PopulationRateAction({ actions: 4, seed: 5 }).select(silent));
    const r5 = createRng(5);
    expect(uniform.slice(0, 20)).toEqual(Array.from({ length: 20 }, () => r5.nextInt(4)));
    for (let a = 0; a < 4; a++) expect(Math.abs(share(uniform, a) - 0.25)).toBeLessThan(0.03);
    silent.dispose();
  });

  it('softmax_action: probabilities softmax(counts) over each sample’s neurons, seeded', () => {
    // counts [2, 1, 0]: p = [0.665241, 0.244728, 0.090031], cumulative 0.665241, 0.909969
    const small = tiled([2, 1, 0], 10, 1);
    const r = createRng(4);
    const expected = Array.from({ length: 10 }, () => {
      const u = r.nextFloat();
      return u < 0.665241 ? 0 : u < 0.909969 ? 1 : 2;
    });
    expect(picks(new SoftmaxAction({ seed: 4 }).select(small))).toEqual(expected);
    const many = picks(new SoftmaxAction({ seed: 11, actions: 3 }).select(tiled([2, 1, 0], 5000, 1)));
    expect(Math.abs(share(many, 0) - 0.665241)).toBeLessThan(0.025);
    expect(Math.abs(share(many, 1) - 0.244728)).toBeLessThan(0.025);
    expect(Math.abs(share(many, 2) - 0.090031)).toBeLessThan(0.015);
    // the same seed gives the same choices; the stream moves on between calls
    const a = new SoftmaxAction({ seed: 2 });
    const b = new SoftmaxAction({ seed: 2 });
    const first = picks(a.select(small));
    expect(picks(b.select(small))).toEqual(first);
    expect(picks(a.select(tiled([2, 1, 0], 40, 1)))).not.toEqual(
      picks(new SoftmaxAction({ seed: 2 }).select(tiled([2, 1, 0], 40, 1))),
    );
    // a shared Rng is advanced by each node that draws from it
    const shared = createRng(4);
    expect(picks(new SoftmaxAction({ rng: shared }).select(small))).toEqual(expected);
    expect(picks(new SoftmaxAction({ rng: shared }).select(small))).not.toEqual(expected);
  });

  it('highest_spikes_action: the neuron with most spikes, ties to the lowest index, silence → 0', () => {
    // [T = 3, B = 3, N = 3]: counts [1, 3, 2], [2, 2, 0], silent
    const record = tf.tensor3d([
      [
        [1, 1, 0],
        [1, 1, 0],
        [0, 0, 0],
      ],
      [
        [0, 1, 1],
        [1, 1, 0],
        [0, 0, 0],
      ],
      [
        [0, 1, 1],
        [0, 0, 0],
        [0, 0, 0],
      ],
    ]);
    expect(picks(new HighestSpikesAction().select(record))).toEqual([1, 0, 0]);
    expect(picks(new HighestSpikesAction({ actions: 3 }).select(record))).toEqual([1, 0, 0]);
    expect(thrown(() => new HighestSpikesAction({ actions: 2 }).select(record)).message).toContain(
      "HighestSpikesAction.select: 'record' must have N = 2 neurons (one per action), got shape [3, 3, 3]",
    );
  });

  it('highest_voltage_action: ε-greedy on the last step’s voltages with ε decaying per call', () => {
    // [T = 2, B = 2, N = 3]: step 0 would pick 0; the last step: [−60, −52, −70] → 1, [−65, −50, −50] → 1 (tie)
    const v = tf.tensor3d([
      [
        [-40, -70, -70],
        [-40, -70, -70],
      ],
      [
        [-60, -52, -70],
        [-65, -50, -50],
      ],
    ]);
    expect(picks(new HighestVoltageAction({ epsStart: 0, epsEnd: 0 }).select(v))).toEqual([1, 1]);
    // ε = 1: always a random action; the draws are u, then nextInt(N)
    const r = createRng(6);
    const random = Array.from({ length: 2 }, () => {
      r.nextFloat();
      return r.nextInt(3);
    });
    expect(picks(new HighestVoltageAction({ epsStart: 1, epsEnd: 1, seed: 6 }).select(v))).toEqual(random);
    // ε = 0.5: greedy when u > 0.5
    const wide = tf.tile(v, [1, 50, 1]); // B = 100, greedy action 1 for every sample
    const r7 = createRng(7);
    const expected = Array.from({ length: 100 }, () => (r7.nextFloat() > 0.5 ? 1 : r7.nextInt(3)));
    expect(picks(new HighestVoltageAction({ epsStart: 0.5, epsEnd: 0.5, seed: 7 }).select(wide))).toEqual(expected);
    // the schedule: ε(k) = 0.05 + 0.85·exp(−k / 200)
    const act = new HighestVoltageAction();
    expect(act.epsilon).toBeCloseTo(0.9, 12);
    for (let k = 0; k < 3; k++) act.select(v).dispose();
    expect(act.steps).toBe(3);
    expect(act.epsilon).toBeCloseTo(0.8873451486626033, 12);
    const flat = tf.zeros([2, 3]);
    thrown(() => act.select(flat));
    expect(act.steps).toBe(3); // a refused call is not a step
    for (let k = 3; k < 200; k++) act.select(v).dispose();
    expect(act.epsilon).toBeCloseTo(0.36269752499572594, 12);
    act.reset();
    expect(act.steps).toBe(0);
    expect(new HighestVoltageAction({ epsStart: 0.5, epsEnd: 0.1, epsDecay: 10 }).epsilon).toBe(0.5);
  });

  it('first_spike_action: the neuron of the earliest spike, simultaneous spikes to the lowest index, silence → 0', () => {
    const record = tf.tensor3d([
      [
        [0, 0, 0],
        [0, 1, 1],
        [0, 0, 0],
      ],
      [
        [0, 0, 1],
        [1, 0, 0],
        [0, 0, 0],
      ],
      [
        [1, 1, 1],
        [1, 1, 1],
        [0, 0, 0],
      ],
    ]);
    expect(picks(new FirstSpikeAction().select(record))).toEqual([2, 1, 0]);
    // any nonzero value is a spike (SPAIC's nonzero())
    expect(picks(new FirstSpikeAction({ actions: 2 }).select(tf.tensor3d([[[0, 0.5]], [[1, 0]]])))).toEqual([1]);
  });

  it('random_action: uniform in [0, actions) per sample, seeded, whatever the record', () => {
    const record = tf.zeros([1, 4000, 4]);
    const r = createRng(8);
    const many = picks(new RandomAction({ seed: 8 }).select(record)); // actions = N = 4
    expect(many.slice(0, 30)).toEqual(Array.from({ length: 30 }, () => r.nextInt(4)));
    for (let a = 0; a < 4; a++) expect(Math.abs(share(many, a) - 0.25)).toBeLessThan(0.03);
    const six = picks(new RandomAction({ actions: 6, seed: 8 }).select(record));
    expect(Math.max(...six)).toBe(5);
    expect(Math.min(...six)).toBe(0);
    expect(picks(new RandomAction({ seed: 1 }).select(record))).toEqual(
      picks(new RandomAction({ seed: 1 }).select(record)),
    );
    expect(picks(new RandomAction().select(record))).toEqual(picks(new RandomAction({ seed: 0 }).select(record)));
    record.dispose();
  });

  it('bad records and options are named errors that make nothing and draw nothing', () => {
    const rank2 = tf.zeros([3, 4]);
    const empty = tf.zeros([2, 0, 4]);
    const strings = tf.tensor([['a']], [1, 1, 1], 'string');
    const five = tf.zeros([2, 1, 5]);
    const nodes = [
      new PopulationRateAction({ actions: 2, seed: 1 }),
      new SoftmaxAction({ seed: 1 }),
      new HighestSpikesAction(),
      new HighestVoltageAction({ seed: 1 }),
      new FirstSpikeAction(),
      new RandomAction({ seed: 1 }),
    ];
    for (const node of nodes) {
      const fn = `${node.constructor.name}.select`;
      expect(thrown(() => node.select(rank2)).message).toContain(`${fn}: 'record' must have rank 3 ([T, B, N])`);
      expect(thrown(() => node.select(empty))).toBeInstanceOf(ShapeError);
      expect(thrown(() => node.select(strings))).toBeInstanceOf(DTypeError);
      expect(thrown(() => node.select([[[1]]] as never))).toBeInstanceOf(ValueError);
    }
    expect(thrown(() => (nodes[0] as PopulationRateAction).select(five)).message).toContain(
      "PopulationRateAction.select: 'record' must have N divisible by 2 actions",
    );
    // the refused calls drew nothing: the stream is where a fresh seed-1 node's is
    const record = tiled([1, 0], 20);
    expect(picks((nodes[1] as SoftmaxAction).select(record))).toEqual(
      picks(new SoftmaxAction({ seed: 1 }).select(record)),
    );
    for (const make of [
      () => new PopulationRateAction({} as never),
      () => new PopulationRateAction({ actions: 0 }),
      () => new SoftmaxAction({ actions: 2.5 }),
      () => new SoftmaxAction({ seed: 1.5 }),
      () => new SoftmaxAction({ seed: 1, rng: createRng(1) }),
      () => new RandomAction({ rng: {} as never }),
      () => new HighestVoltageAction({ epsStart: 1.5 }),
      () => new HighestVoltageAction({ epsEnd: -0.1 }),
      () => new HighestVoltageAction({ epsDecay: 0 }),
      () => new FirstSpikeAction({ actions: -1 }),
    ]) {
      expect(thrown(make)).toBeInstanceOf(ValueError);
    }
    tf.dispose([rank2, empty, strings, five, record]);
  });

  it('no tensor leaks over many calls', () => {
    const record = tiled([1, 0, 2, 1], 3);
    const nodes = [
      new PopulationRateAction({ actions: 2 }),
      new SoftmaxAction(),
      new HighestSpikesAction(),
      new HighestVoltageAction(),
      new FirstSpikeAction(),
      new RandomAction(),
    ];
    expectNoLeak(() => {
      for (const n of nodes) n.select(record).dispose();
    }, 200);
    record.dispose();
  });
});

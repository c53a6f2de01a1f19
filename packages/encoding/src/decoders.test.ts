// Importing @snn/core registers its cpu backend, which describeBackends switches to.
import '@snn/core';
import { describeBackends, expectClose } from '@snn/core/testing';
import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import {
  decodeFinalVoltage,
  decodeFirstSpike,
  decodeFirstSpikePattern,
  decodePopulationRate,
  decodeSpikeCount,
  decodeSpikeRate,
  decodeTimeSoftmax,
  decodeTimeSpikeCounts,
  decodeVoltageSum,
  decodeVoltageTrajectory,
} from './decoders.js';
import { EncodingShapeError, EncodingValueError } from './errors.js';

// Hand-made output spikes [T=4, B=2, N=3].
// sample 0: neuron 0 fires at t=2,3; neuron 1 at t=1; neuron 2 at t=0,1,3  → counts [2, 1, 3], first [2, 1, 0]
// sample 1: neuron 0 at t=3; neuron 1 at t=3; neuron 2 never              → counts [1, 1, 0], first [3, 3, −1]
const SPIKES = [
  [
    [0, 0, 1],
    [0, 0, 0],
  ],
  [
    [0, 1, 1],
    [0, 0, 0],
  ],
  [
    [1, 0, 0],
    [0, 0, 0],
  ],
  [
    [1, 0, 1],
    [1, 1, 0],
  ],
];

// Hand-made potentials [T=3, B=2, N=2].
const V = [
  [
    [0.1, 0.9],
    [0.5, -1],
  ],
  [
    [0.3, 0.2],
    [0.5, 0],
  ],
  [
    [0.8, 0.4],
    [-0.2, 0.1],
  ],
];

const values = (t: tf.Tensor) => t.arraySync();

describeBackends('decoders', () => {
  it('decodeSpikeCount: counts per neuron, class = most spikes (ties to the lowest index)', () => {
    tf.tidy(() => {
      const { value, prediction } = decodeSpikeCount(tf.tensor3d(SPIKES));
      expect(values(value)).toEqual([
        [2, 1, 3],
        [1, 1, 0],
      ]);
      expect(prediction.dtype).toBe('int32');
      expect(Array.from(prediction.dataSync())).toEqual([2, 0]);
    });
  });

  it('decodeSpikeRate: counts / T', () => {
    tf.tidy(() => {
      const { value, prediction } = decodeSpikeRate(tf.tensor3d(SPIKES));
      expectClose(value, [
        [0.5, 0.25, 0.75],
        [0.25, 0.25, 0],
      ]);
      expect(Array.from(prediction.dataSync())).toEqual([2, 0]);
    });
  });

  it('decodeFirstSpike: first step per neuron (−1 never), class = earliest, −1 when silent', () => {
    tf.tidy(() => {
      const { value, prediction } = decodeFirstSpike(tf.tensor3d(SPIKES));
      expect(values(value)).toEqual([
        [2, 1, 0],
        [3, 3, -1],
      ]);
      expect(Array.from(prediction.dataSync())).toEqual([2, 0]);
      const silent = decodeFirstSpike(tf.zeros([5, 1, 4]));
      expect(Array.from(silent.value.dataSync())).toEqual([-1, -1, -1, -1]);
      expect(Array.from(silent.prediction.dataSync())).toEqual([-1]);
    });
  });

  it('decodeFinalVoltage: V at the last step, class = argmax', () => {
    tf.tidy(() => {
      const { value, prediction } = decodeFinalVoltage(tf.tensor3d(V));
      expectClose(value, [
        [0.8, 0.4],
        [-0.2, 0.1],
      ]);
      expect(Array.from(prediction.dataSync())).toEqual([0, 1]);
    });
  });

  it('decodeVoltageSum: Σ_t V, class = argmax', () => {
    tf.tidy(() => {
      const { value, prediction } = decodeVoltageSum(tf.tensor3d(V));
      expectClose(value, [
        [1.2, 1.5],
        [0.8, -0.9],
      ]);
      expect(Array.from(prediction.dataSync())).toEqual([1, 0]);
    });
  });

  it('decodeVoltageTrajectory: [T, B, N] → [B, N, T]', () => {
    tf.tidy(() => {
      const { value } = decodeVoltageTrajectory(tf.tensor3d(V));
      expect(value.shape).toEqual([2, 2, 3]);
      expectClose(value, [
        [
          [0.1, 0.3, 0.8],
          [0.9, 0.2, 0.4],
        ],
        [
          [0.5, 0.5, -0.2],
          [-1, 0, 0.1],
        ],
      ]);
    });
  });

  it('decodeTimeSoftmax: softmax of Σ_t S·(T − t)/T; an early spike beats a late one', () => {
    tf.tidy(() => {
      const { value, prediction } = decodeTimeSoftmax(tf.tensor3d(SPIKES));
      // sample 0: scores [(2+1)/4, 3/4, (4+3+1)/4] = [0.75, 0.75, 2]; sample 1: [0.25, 0.25, 0]
      const softmax = (s: number[]) => {
        const e = s.map(Math.exp);
        const z = e.reduce((a, b) => a + b, 0);
        return e.map((v) => v / z);
      };
      expectClose(value, [softmax([0.75, 0.75, 2]), softmax([0.25, 0.25, 0])]);
      expect(Array.from(prediction.dataSync())).toEqual([2, 0]);
      // one spike each, neuron 1 earlier: it wins although counts tie
      const race = tf.tensor3d([[[0, 1]], [[1, 0]]]);
      expect(Array.from(decodeTimeSoftmax(race).prediction.dataSync())).toEqual([1]);
      expect(Array.from(decodeSpikeCount(race).prediction.dataSync())).toEqual([0]);
      // temperature sharpens
      const sharp = decodeTimeSoftmax(tf.tensor3d(SPIKES), 0.1).value;
      expect(sharp.dataSync()[2]).toBeGreaterThan(0.99);
    });
  });

  it('decodePopulationRate: mean rate per group of neurons, class = most active group', () => {
    tf.tidy(() => {
      // [T=2, B=1, N=6], 2 neurons per class → 3 classes
      const s = tf.tensor3d([[[1, 0, 1, 1, 0, 0]], [[0, 0, 1, 1, 1, 0]]]);
      const { value, prediction } = decodePopulationRate(s, 2);
      expectClose(value, [[0.25, 1, 0.25]]);
      expect(Array.from(prediction.dataSync())).toEqual([1]);
    });
  });

  it('decodeTimeSpikeCounts: Σ_t S · 0.1·exp(−t/(T/2)); class = the largest', () => {
    tf.tidy(() => {
      const w = (t: number) => 0.1 * Math.exp(-t / 2); // T = 4
      const { value, prediction } = decodeTimeSpikeCounts(tf.tensor3d(SPIKES));
      expectClose(value, [
        [w(2) + w(3), w(1), w(0) + w(1) + w(3)],
        [w(3), w(3), 0],
      ]);
      expect(Array.from(prediction.dataSync())).toEqual([2, 0]);
      // one early spike outweighs two late ones (T = 5): 0.1 > 0.1·(e^−3/2.5 + e^−4/2.5) ≈ 0.050
      const race = tf.tensor3d([[[1, 0]], [[0, 0]], [[0, 0]], [[0, 1]], [[0, 1]]]);
      expect(Array.from(decodeTimeSpikeCounts(race).prediction.dataSync())).toEqual([0]);
      expect(Array.from(decodeSpikeCount(race).prediction.dataSync())).toEqual([1]);
      // rank 4: the features of a sample keep their shape
      expect(decodeTimeSpikeCounts(tf.ones([3, 2, 2, 2])).value.shape).toEqual([2, 2, 2]);
    });
  });

  it("decodeFirstSpikePattern: the whole pattern of each sample's first firing step, class −1 when silent", () => {
    tf.tidy(() => {
      // sample 0 first fires at t = 0 (neuron 2): pattern [0, 0, 1]; sample 1 at t = 3: [1, 1, 0]
      const { value, prediction } = decodeFirstSpikePattern(tf.tensor3d(SPIKES));
      expect(values(value)).toEqual([
        [0, 0, 1],
        [1, 1, 0],
      ]);
      expect(prediction.dtype).toBe('int32');
      expect(Array.from(prediction.dataSync())).toEqual([2, 0]);
      // a silent sample gives the (all-zero) pattern of step 0 and class −1; any nonzero value counts
      const mixed = tf.tensor3d([
        [
          [0, 0],
          [0, 0],
        ],
        [
          [0, -0.5],
          [0, 0],
        ],
        [
          [1, 0],
          [0, 0],
        ],
      ]);
      const out = decodeFirstSpikePattern(mixed);
      expect(values(out.value)).toEqual([
        [0, -0.5],
        [0, 0],
      ]);
      expect(Array.from(out.prediction.dataSync())).toEqual([0, -1]);
      // rank 4
      const r4 = decodeFirstSpikePattern(
        tf.tensor4d([
          [
            [
              [0, 0],
              [0, 0],
            ],
          ],
          [
            [
              [0, 1],
              [1, 0],
            ],
          ],
        ]),
      );
      expect(values(r4.value)).toEqual([
        [
          [0, 1],
          [1, 0],
        ],
      ]);
      expect(Array.from(r4.prediction.dataSync())).toEqual([1]);
    });
  });

  it('rejects rank < 3, T = 0, a group size that does not divide N, a bad temperature', () => {
    tf.tidy(() => {
      expect(() => decodeSpikeCount(tf.zeros([4, 2]))).toThrow(
        "decodeSpikeCount: 'spikes' must have rank >= 3 ([T, B, N, ...]), got shape [4, 2]",
      );
      expect(() => decodeFirstSpike(tf.zeros([0, 2, 3]))).toThrow(
        "decodeFirstSpike: 'spikes.shape[0] (T)' must be at least 1 time step, got 0",
      );
      expect(() => decodeFinalVoltage(tf.zeros([2]))).toThrow(EncodingShapeError);
      expect(() => decodePopulationRate(tf.zeros([2, 1, 5]), 2)).toThrow(
        "decodePopulationRate: 'spikes' must have a neuron count N that is a multiple of 2, got shape [2, 1, 5]",
      );
      expect(() => decodePopulationRate(tf.zeros([2, 1, 4, 1]), 2)).toThrow(EncodingShapeError);
      expect(() => decodePopulationRate(tf.zeros([2, 1, 4]), 0)).toThrow(EncodingValueError);
      expect(() => decodeTimeSpikeCounts(tf.zeros([4]))).toThrow(
        "decodeTimeSpikeCounts: 'spikes' must have rank >= 3 ([T, B, N, ...]), got shape [4]",
      );
      expect(() => decodeFirstSpikePattern(tf.zeros([0, 1, 1]))).toThrow(
        "decodeFirstSpikePattern: 'spikes.shape[0] (T)' must be at least 1 time step, got 0",
      );
      expect(() => decodeFirstSpikePattern([[[1]]] as never)).toThrow(EncodingValueError);
      expect(() => decodeTimeSoftmax(tf.zeros([2, 1, 4]), 0)).toThrow(
        "decodeTimeSoftmax: 'temperature' must be a finite number > 0, got 0",
      );
    });
  });

  it('decodeTimeSpikeCounts, decodeFirstSpikePattern: a refused call leaves the tensor count unchanged', () => {
    const flat = tf.zeros([4, 3]);
    const empty = tf.zeros([0, 2, 3]);
    const before = tf.memory().numTensors;
    for (const decode of [decodeTimeSpikeCounts, decodeFirstSpikePattern]) {
      expect(() => decode(flat)).toThrow(EncodingShapeError);
      expect(() => decode(empty)).toThrow(EncodingValueError);
      expect(() => decode(undefined as never)).toThrow(EncodingValueError);
    }
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([flat, empty]);
  });

  it('leaks nothing', () => {
    const s = tf.tensor3d(SPIKES);
    const before = tf.memory().numTensors;
    for (let i = 0; i < 20; i++) {
      for (const decode of [
        decodeSpikeCount,
        decodeSpikeRate,
        decodeFirstSpike,
        decodeFinalVoltage,
        decodeVoltageSum,
        decodeTimeSpikeCounts,
        decodeFirstSpikePattern,
      ]) {
        const d = decode(s);
        tf.dispose([d.value, d.prediction]);
      }
      const t = decodeTimeSoftmax(s);
      const p = decodePopulationRate(s, 3);
      tf.dispose([t.value, t.prediction, p.value, p.prediction, decodeVoltageTrajectory(s).value]);
    }
    expect(tf.memory().numTensors).toBe(before);
    s.dispose();
  });
});

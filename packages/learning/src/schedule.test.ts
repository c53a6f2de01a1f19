import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { cosineAnnealing, getLearningRate, setLearningRate } from './schedule.js';

describe('cosineAnnealing', () => {
  it('starts at lrMax, is halfway at totalSteps / 2, ends at lrMin and stays there', () => {
    const s = cosineAnnealing({ lrMax: 0.1, lrMin: 0.001, totalSteps: 100 });
    expect(s(0)).toBe(0.1);
    expect(s(50)).toBeCloseTo((0.1 + 0.001) / 2, 15);
    expect(s(100)).toBe(0.001);
    expect(s(250)).toBe(0.001);
    // A quarter of the way: lrMin + (lrMax − lrMin)(1 + cos(π/4))/2.
    expect(s(25)).toBeCloseTo(0.001 + (0.099 * (1 + Math.SQRT1_2)) / 2, 15);
    expect(cosineAnnealing({ lrMax: 1, totalSteps: 4 })(4)).toBe(0);
  });

  it('decreases monotonically', () => {
    const s = cosineAnnealing({ lrMax: 1e-3, totalSteps: 37 });
    for (let t = 1; t <= 37; t++) expect(s(t)).toBeLessThan(s(t - 1));
  });

  it('names a wrong option or step', () => {
    expect(() => cosineAnnealing({ lrMax: 0, totalSteps: 10 })).toThrow(
      "cosineAnnealing: 'lrMax' must be a finite number > 0, got 0",
    );
    expect(() => cosineAnnealing({ lrMax: 0.1, lrMin: 0.2, totalSteps: 10 })).toThrow(
      "cosineAnnealing: 'lrMin' must be a number in [0, lrMax = 0.1], got 0.2",
    );
    expect(() => cosineAnnealing({ lrMax: 0.1, totalSteps: 0 })).toThrow(
      "cosineAnnealing: 'totalSteps' must be an integer >= 1, got 0",
    );
    expect(() => cosineAnnealing({ lrMax: 0.1, totalSteps: 2.5 })).toThrow(/'totalSteps'/);
    expect(() => cosineAnnealing(undefined as never)).toThrow(/'options'/);
    expect(() => cosineAnnealing({ lrMax: 0.1, totalSteps: 10 })(-1)).toThrow(
      "cosineAnnealing schedule: 'step' must be a finite number ≥ 0, got -1",
    );
  });
});

describe('setLearningRate', () => {
  it('changes the rate every tfjs-core optimizer uses for its next step', () => {
    const optimizers = [
      tf.train.sgd(1),
      tf.train.momentum(1, 0.9),
      tf.train.adam(1),
      tf.train.adamax(1),
      tf.train.adagrad(1),
      tf.train.adadelta(1),
      tf.train.rmsprop(1),
    ];
    for (const opt of optimizers) {
      setLearningRate(opt, 0.25);
      expect(getLearningRate(opt)).toBe(0.25);
      opt.dispose();
    }
  });

  it('SGD then steps with the new rate, without leaking its cached rate tensor', () => {
    const w = tf.variable(tf.scalar(1));
    const opt = tf.train.sgd(1);
    const before = tf.memory().numTensors;
    setLearningRate(opt, 0.5);
    expect(tf.memory().numTensors).toBe(before);
    const g = tf.scalar(2);
    opt.applyGradients([{ name: w.name, tensor: g }]);
    expect(w.dataSync()[0]).toBe(0); // 1 − 0.5 · 2
    opt.dispose();
    tf.dispose([w, g]);
  });

  it('Adam then steps with the new rate (its first step moves each weight by about lr)', () => {
    const w = tf.variable(tf.scalar(1));
    const opt = tf.train.adam(1);
    setLearningRate(opt, 0.01);
    const g = tf.scalar(3);
    opt.applyGradients([{ name: w.name, tensor: g }]);
    expect(w.dataSync()[0]).toBeCloseTo(0.99, 5);
    opt.dispose();
    tf.dispose([w, g]);
  });

  it('names a wrong rate or optimizer', () => {
    const opt = tf.train.adam(1);
    expect(() => setLearningRate(opt, -1)).toThrow("setLearningRate: 'lr' must be a finite number ≥ 0, got -1");
    expect(() => setLearningRate({} as never, 0.1)).toThrow(/'optimizer' must be a tfjs-core optimizer/);
    expect(() => getLearningRate(null as never)).toThrow(/'optimizer'/);
    opt.dispose();
  });
});

import { Sequential, ShapeError, ValueError } from '@snn/core';
import { describeBackends, expectNoLeak } from '@snn/core/testing';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LossFn, mseCountLoss, rateCrossEntropyLoss } from './losses.js';
import { cosineAnnealing, getLearningRate } from './schedule.js';
import { CLASSES, Dense, IN, makeData, makeNet, T } from './test-fixtures.js';
import { trainStep } from './train-step.js';

const ceOnCounts: LossFn = (out, y) => rateCrossEntropyLoss(out, y, { scale: T });
const STEPS = 50;

function weightsOf(net: Sequential): Float32Array {
  return (net.layers[0] as Dense).weight.dataSync().slice() as Float32Array;
}

describeBackends('trainStep', () => {
  let data: { xSeq: tf.Tensor; labels: tf.Tensor };
  beforeAll(() => {
    data = makeData();
  });
  afterAll(() => tf.dispose(data));

  /** STEPS steps on the fixed batch: Dense [16, 4] → LIF (T = 8), 8 samples of 4 classes. */
  function train(optimizer: tf.Optimizer, loss: LossFn = ceOnCounts): { losses: number[]; accuracy: number } {
    const net = makeNet();
    const losses: number[] = [];
    let accuracy = 0;
    for (let i = 0; i < STEPS; i++) {
      const r = trainStep({ net, optimizer, inputs: data.xSeq, labels: data.labels, loss });
      losses.push(r.loss);
      accuracy = r.accuracy as number;
    }
    net.dispose();
    optimizer.dispose();
    return { losses, accuracy };
  }

  it(`cuts the rate cross-entropy (scale T) at least 20x in ${STEPS} Adam steps and learns the batch`, () => {
    const { losses, accuracy } = train(tf.train.adam(0.05));
    const first = losses[0] as number;
    const last = losses.at(-1) as number;
    console.info(`Adam(0.05): loss ${first.toFixed(4)} -> ${last.toFixed(4)} in ${STEPS} steps, accuracy ${accuracy}`);
    expect(first).toBeGreaterThan(1); // ~ln 4 at the start
    expect(last).toBeLessThan(first / 20);
    expect(accuracy).toBe(1);
  });

  it(`cuts it at least 10x with SGD + momentum, and mseCountLoss at least 5x`, () => {
    const momentum = train(tf.train.momentum(0.1, 0.9));
    const count = train(tf.train.adam(0.05), (o, y) => mseCountLoss(o, y));
    for (const [name, { losses }] of [
      ['momentum(0.1, 0.9), CE', momentum],
      ['Adam(0.05), mseCountLoss', count],
    ] as const) {
      console.info(`${name}: loss ${losses[0]?.toFixed(4)} -> ${losses.at(-1)?.toFixed(4)} in ${STEPS} steps`);
    }
    expect(momentum.losses.at(-1)).toBeLessThan((momentum.losses[0] as number) / 10);
    expect(count.losses.at(-1)).toBeLessThan((count.losses[0] as number) / 5);
  });

  it('is deterministic: the same run gives the same losses', () => {
    expect(train(tf.train.adam(0.05)).losses).toEqual(train(tf.train.adam(0.05)).losses);
  });

  it('keeps tf.memory() flat over 100 steps (after the optimizer made its slots at step 1)', () => {
    for (const optimizer of [tf.train.adam(0.01), tf.train.momentum(0.01, 0.9)]) {
      const net = makeNet();
      expectNoLeak(
        () => trainStep({ net, optimizer, inputs: data.xSeq, labels: data.labels, loss: ceOnCounts, clipNorm: 0.5 }),
        100,
      );
      net.dispose();
      optimizer.dispose();
    }
  });

  it('frees what a function input makes, and calls it once per step', () => {
    const net = makeNet();
    const optimizer = tf.train.sgd(0.01);
    let calls = 0;
    const inputs = () => {
      calls++;
      return tf.mul(data.xSeq, 1); // a new tensor each call
    };
    expectNoLeak(() => trainStep({ net, optimizer, inputs, labels: data.labels, loss: ceOnCounts }), 20);
    expect(calls).toBe(21);
    net.dispose();
    optimizer.dispose();
  });

  it('resets the network after the step (state back to its scalar initial value)', () => {
    const net = makeNet();
    const optimizer = tf.train.sgd(0.01);
    trainStep({ net, optimizer, inputs: data.xSeq, labels: data.labels, loss: ceOnCounts });
    for (const [, m] of net.namedMemories()) expect(m.shape).toEqual([]);
    net.dispose();
    optimizer.dispose();
  });

  it('bounds the update by clipNorm (SGD, lr 1: the weight moves by exactly the clipped gradient)', () => {
    const net = makeNet();
    const optimizer = tf.train.sgd(1);
    const before = weightsOf(net);
    const r = trainStep({ net, optimizer, inputs: data.xSeq, labels: data.labels, loss: ceOnCounts, clipNorm: 0.01 });
    const after = weightsOf(net);
    const moved = Math.hypot(...after.map((w, i) => w - (before[i] as number)));
    expect(r.gradNorm).toBeGreaterThan(0.01);
    expect(r.clipped).toBe(true);
    expect(moved).toBeCloseTo(0.01, 6);
    // Without clipping the same step moves the weight by the full gradient norm.
    const net2 = makeNet();
    const r2 = trainStep({ net: net2, optimizer, inputs: data.xSeq, labels: data.labels, loss: ceOnCounts });
    const moved2 = Math.hypot(...weightsOf(net2).map((w, i) => w - (before[i] as number)));
    expect(r2.clipped).toBe(false);
    expect(r2.gradNorm).toBeCloseTo(r.gradNorm, 5);
    expect(moved2).toBeCloseTo(r2.gradNorm, 4);
    net.dispose();
    net2.dispose();
    optimizer.dispose();
  });

  it('sets the learning rate from a schedule when given learningRate', () => {
    const net = makeNet();
    const optimizer = tf.train.adam(1);
    const schedule = cosineAnnealing({ lrMax: 0.02, totalSteps: 4 });
    for (let step = 0; step < 4; step++) {
      trainStep({
        net,
        optimizer,
        inputs: data.xSeq,
        labels: data.labels,
        loss: ceOnCounts,
        learningRate: schedule(step),
      });
      expect(getLearningRate(optimizer)).toBeCloseTo(schedule(step), 12);
    }
    net.dispose();
    optimizer.dispose();
  });
});

describe('trainStep: errors', () => {
  let data: { xSeq: tf.Tensor; labels: tf.Tensor };
  beforeAll(() => {
    data = makeData();
  });
  afterAll(() => tf.dispose(data));

  it('refuses a NaN loss before the update and leaves the parameters and memory as they were', () => {
    const net = makeNet();
    const optimizer = tf.train.sgd(0.1);
    const before = weightsOf(net);
    const nanLoss: LossFn = (out) => tf.mul(tf.sum(out), Number.NaN) as tf.Scalar;
    const count = tf.memory().numTensors;
    expect(() => trainStep({ net, optimizer, inputs: data.xSeq, labels: data.labels, loss: nanLoss })).toThrow(
      /trainStep: 'the loss' must be finite \(the parameters were not updated\), got NaN/,
    );
    expect(weightsOf(net)).toEqual(before);
    expect(tf.memory().numTensors).toBe(count);
    net.dispose();
    optimizer.dispose();
  });

  it('leaks nothing when the step fails inside the forward pass or the loss', () => {
    const net = makeNet();
    const optimizer = tf.train.adam(0.01);
    trainStep({ net, optimizer, inputs: data.xSeq, labels: data.labels, loss: ceOnCounts });
    const bad = tf.tensor1d([0, 1, 2, 3, 0, 1, 2, 7], 'int32');
    const wrongInput = tf.zeros([T, 8, IN + 1]);
    const before = tf.memory().numTensors;
    for (let i = 0; i < 3; i++) {
      expect(() => trainStep({ net, optimizer, inputs: data.xSeq, labels: bad, loss: ceOnCounts })).toThrow(ValueError);
      expect(() => trainStep({ net, optimizer, inputs: wrongInput, labels: data.labels, loss: ceOnCounts })).toThrow();
    }
    expect(tf.memory().numTensors).toBe(before);
    // And the next step works as usual.
    expect(
      Number.isFinite(trainStep({ net, optimizer, inputs: data.xSeq, labels: data.labels, loss: ceOnCounts }).loss),
    ).toBe(true);
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([bad, wrongInput]);
    net.dispose();
    optimizer.dispose();
  });

  it('names the wrong option', () => {
    const net = makeNet();
    const optimizer = tf.train.sgd(0.1);
    const ok = { net, optimizer, inputs: data.xSeq, labels: data.labels, loss: ceOnCounts };
    expect(() => trainStep({ ...ok, net: {} as never })).toThrow(/trainStep: 'net' must be an snn Module/);
    expect(() => trainStep({ ...ok, optimizer: {} as never })).toThrow(/'optimizer' must be a tfjs-core Optimizer/);
    expect(() => trainStep({ ...ok, inputs: [1, 2] as never })).toThrow(/'inputs' must be a tf.Tensor/);
    expect(() => trainStep({ ...ok, loss: 'ce' as never })).toThrow(/'loss' must be a function/);
    expect(() => trainStep({ ...ok, clipNorm: 0 })).toThrow(/'clipNorm' must be a finite number > 0, got 0/);
    expect(() => trainStep({ ...ok, learningRate: Number.NaN })).toThrow(/'learningRate' must be a finite number ≥ 0/);
    expect(() => trainStep({ ...ok, decode: 'max' as never })).toThrow(/'decode' must be one of 'rate', 'firstSpike'/);
    expect(() => trainStep({ ...ok, parameters: [] })).toThrow(/trainable parameters/);
    const short = tf.tensor1d([0, 1, 2], 'int32');
    const outOfRange = tf.tensor1d([0, 1, 2, 3, 0, 1, 2, 9], 'int32');
    expect(() => trainStep({ ...ok, labels: short })).toThrow(ShapeError);
    expect(() => trainStep({ ...ok, labels: outOfRange })).toThrow(/labels\[7\]' must be a class index in 0..3, got 9/);
    tf.dispose([short, outOfRange]);
    const scalarLossNot: LossFn = (out) => tf.sum(out, 0) as tf.Scalar;
    expect(() => trainStep({ ...ok, loss: scalarLossNot })).toThrow(/'loss\(outputs, labels\)' must have rank 0/);
    expect(weightsOf(net).every(Number.isFinite)).toBe(true);
    net.dispose();
    optimizer.dispose();
  });

  it('asks for decode: null when outputs are not classes, and trains regression with it', () => {
    const init = tf.fill([IN, CLASSES], 0.1);
    const net = new Sequential(new Dense(init));
    const optimizer = tf.train.sgd(0.01);
    const target = tf.zeros([8, CLASSES]);
    const mse: LossFn = (out, y) => tf.mean(tf.squaredDifference(tf.mean(out, 0), y)) as tf.Scalar;
    const xSeq = tf.ones([T, 8, IN]);
    const notClasses = tf.fill([8, CLASSES], 2);
    expect(() => trainStep({ net, optimizer, inputs: xSeq, labels: notClasses, loss: mse })).toThrow(
      /'decode' must be null when outputs and labels are not classes/,
    );
    const r = trainStep({ net, optimizer, inputs: xSeq, labels: target, loss: mse, decode: null });
    expect(r.accuracy).toBeNull();
    expect(r.loss).toBeCloseTo(1.6 ** 2, 4); // each output = 16 · 0.1
    tf.dispose([target, xSeq, notClasses]);
    net.dispose();
    optimizer.dispose();
  });
});

import { createRng, Module, Sequential } from '@snn/core';
import { describeBackends } from '@snn/core/testing';
import { LIFNode } from '@snn/neurons';
import type { Tensor } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { evaluate } from './evaluate.js';
import { rateCrossEntropyLoss } from './losses.js';
import { CLASSES, Dense, IN, makeData, makeNet, rateCrossEntropyReference } from './test-fixtures.js';

/** Passes its input sequence through. */
class Through extends Module {
  constructor() {
    super('m');
  }
  protected override multiStepForward(xSeq: Tensor): Tensor {
    return tf.clone(xSeq);
  }
}

/** Passes its input through and records the training flag it saw. */
class Probe extends Module {
  readonly seen: boolean[] = [];
  constructor() {
    super('m');
  }
  protected override multiStepForward(xSeq: Tensor): Tensor {
    this.seen.push(this.training);
    return tf.clone(xSeq);
  }
}

const weightsOf = (net: Module) => net.parameters().map((p) => Array.from(p.dataSync()));

describeBackends('evaluate', () => {
  let data: { xSeq: tf.Tensor; labels: tf.Tensor };
  beforeAll(() => {
    data = makeData();
  });
  afterAll(() => tf.dispose(data));

  it('averages loss and accuracy over samples across batches of different sizes (float64 reference)', () => {
    // The net passes its input through, so the inputs are the output spikes and the expected
    // numbers follow from the formulas alone: rate cross-entropy (scale 8) and arg-max of counts.
    const net = new Through();
    const a = [
      [
        [1, 0, 0, 1],
        [0, 1, 0, 0],
        [0, 0, 1, 1],
      ],
      [
        [1, 0, 1, 0],
        [0, 1, 1, 0],
        [1, 0, 0, 0],
      ],
    ]; // counts [2, 0, 1, 1], [0, 2, 1, 0], [1, 0, 1, 1]: predicted 0, 1, 0 (a tie goes to the lowest)
    const b = [
      [
        [0, 0, 0, 1],
        [1, 1, 0, 0],
      ],
      [
        [0, 0, 1, 1],
        [0, 1, 0, 0],
      ],
    ]; // counts [0, 0, 1, 2], [1, 2, 0, 0]: predicted 3, 1
    const labelsA = [0, 2, 3]; // 1 of 3 correct
    const labelsB = [3, 1]; // 2 of 2 correct
    const oneHot = (labels: number[]) => labels.map((l) => [0, 1, 2, 3].map((c) => (c === l ? 1 : 0)));
    const lossA = rateCrossEntropyReference(a, oneHot(labelsA), 8).loss;
    const lossB = rateCrossEntropyReference(b, oneHot(labelsB), 8).loss;
    const batches = tf.tidy(() => [
      { inputs: tf.tensor3d(a), labels: tf.tensor1d(labelsA, 'int32') },
      { inputs: tf.tensor3d(b), labels: tf.tensor1d(labelsB, 'int32') },
    ]);
    const r = evaluate({ net, batches, loss: (o, y) => rateCrossEntropyLoss(o, y, { scale: 8 }) });
    expect(r.samples).toBe(5);
    expect(r.batches).toBe(2);
    // Weighted by batch size: not the mean of the two batch losses, (lossA + lossB) / 2.
    expect(r.loss).toBeCloseTo((3 * lossA + 2 * lossB) / 5, 5);
    expect(r.accuracy).toBe(3 / 5);
    // Without a loss, or without decoding; an input made by a function.
    const noLoss = evaluate({ net, batches });
    expect(noLoss.loss).toBeNull();
    expect(noLoss.accuracy).toBe(3 / 5);
    const first = batches[0] as { inputs: tf.Tensor; labels: tf.Tensor };
    const noAcc = evaluate({
      net,
      batches: [{ inputs: () => tf.clone(first.inputs), labels: first.labels }],
      decode: null,
    });
    expect(noAcc.accuracy).toBeNull();
    expect(noAcc.samples).toBe(3);
    tf.dispose(batches.flatMap((x) => [x.inputs, x.labels]));
    net.dispose();
  });

  it('runs in eval mode, restores every module’s mode, and does not change parameters', () => {
    const probe = new Probe();
    const net = new Sequential(
      new Dense(createRng(5).normal([IN, CLASSES], 0, 0.3)),
      probe,
      new LIFNode({ stepMode: 'm' }),
    );
    net.train();
    (net.layers[2] as Module).training = false; // a mixed state to restore
    const before = weightsOf(net);
    const batches = [
      { inputs: data.xSeq, labels: data.labels },
      { inputs: data.xSeq, labels: data.labels },
    ];
    const r = evaluate({ net, batches, loss: rateCrossEntropyLoss });
    expect(probe.seen).toEqual([false, false]);
    expect(net.modules().map((m) => m.training)).toEqual([true, true, true, false]);
    expect(weightsOf(net)).toEqual(before);
    // Reset per batch: two copies of a batch score as one.
    const once = evaluate({ net, batches: batches.slice(0, 1), loss: rateCrossEntropyLoss });
    expect(r.loss).toBeCloseTo(once.loss as number, 6);
    expect(r.accuracy).toBe(once.accuracy);
    for (const [, m] of net.namedMemories()) expect(m.shape).toEqual([]);
    net.dispose();
  });

  it('takes a generator of batches and leaks no tensors', () => {
    const net = makeNet();
    function* batches() {
      for (let i = 0; i < 3; i++) yield { inputs: () => tf.mul(data.xSeq, 1), labels: data.labels };
    }
    evaluate({ net, batches: batches(), loss: rateCrossEntropyLoss });
    const before = tf.memory().numTensors;
    for (let i = 0; i < 10; i++) evaluate({ net, batches: batches(), loss: rateCrossEntropyLoss });
    expect(tf.memory().numTensors).toBe(before);
    net.dispose();
  });

  it('names wrong options, and restores the modes when a batch fails', () => {
    const net = makeNet();
    const ok = { inputs: data.xSeq, labels: data.labels };
    expect(() => evaluate({ net, batches: [] })).toThrow(
      "evaluate: 'batches' must be at least one non-empty batch, got 0",
    );
    expect(() => evaluate({ net: null as never, batches: [ok] })).toThrow("evaluate: 'net' must be an snn Module");
    expect(() => evaluate({ net, batches: 3 as never })).toThrow(/'batches' must be an iterable/);
    expect(() => evaluate({ net, batches: [ok, { inputs: 1 } as never] })).toThrow(
      "evaluate: 'batches[1].inputs' must be a tf.Tensor, got 1",
    );
    expect(() => evaluate({ net, batches: [ok], loss: 1 as never })).toThrow(/'loss' must be a function/);
    const wrong = tf.tensor1d([0, 1], 'int32');
    expect(() => evaluate({ net, batches: [{ inputs: data.xSeq, labels: wrong }] })).toThrow(
      "evaluate: 'labels' must have shape [8] (one class index per sample), got shape [2]",
    );
    wrong.dispose();
    expect(net.training).toBe(true);
    net.dispose();
  });
});

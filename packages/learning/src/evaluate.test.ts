import { createRng, Module, Sequential } from '@snn/core';
import { describeBackends } from '@snn/core/testing';
import { LIFNode } from '@snn/neurons';
import type { Tensor } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { evaluate } from './evaluate.js';
import { rateCrossEntropyLoss } from './losses.js';
import { accuracy } from './metrics.js';
import { CLASSES, Dense, IN, makeData, makeNet } from './test-fixtures.js';

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
  let small: { xSeq: tf.Tensor; labels: tf.Tensor };
  beforeAll(() => {
    data = makeData();
    small = tf.tidy(() => ({
      xSeq: tf.slice(data.xSeq, [0, 0, 0], [-1, 3, -1]),
      labels: tf.slice(data.labels, [0], [3]),
    }));
  });
  afterAll(() => tf.dispose([data, small]));

  /** Loss and accuracy of one batch, computed directly. */
  function direct(net: Module, batch: { xSeq: tf.Tensor; labels: tf.Tensor }): [number, number] {
    net.reset();
    const out = net.forward(batch.xSeq);
    const loss = rateCrossEntropyLoss(out, batch.labels, { scale: 8 });
    const result: [number, number] = [loss.dataSync()[0] as number, accuracy(out, batch.labels)];
    tf.dispose([out, loss]);
    net.reset();
    return result;
  }

  it('averages loss and accuracy over samples across batches of different sizes, resetting between them', () => {
    const net = makeNet(3);
    const [l8, a8] = direct(net, data);
    const [l3, a3] = direct(net, small);
    const r = evaluate({
      net,
      batches: [
        { inputs: data.xSeq, labels: data.labels },
        { inputs: small.xSeq, labels: small.labels },
      ],
      loss: (o, y) => rateCrossEntropyLoss(o, y, { scale: 8 }),
    });
    expect(r.samples).toBe(11);
    expect(r.batches).toBe(2);
    expect(r.loss).toBeCloseTo((8 * l8 + 3 * l3) / 11, 5);
    expect(r.accuracy).toBeCloseTo((8 * a8 + 3 * a3) / 11, 12);
    // Without a loss, or without decoding.
    const noLoss = evaluate({ net, batches: [{ inputs: data.xSeq, labels: data.labels }] });
    expect(noLoss.loss).toBeNull();
    expect(noLoss.accuracy).toBe(a8);
    const noAcc = evaluate({
      net,
      batches: [{ inputs: () => tf.clone(data.xSeq), labels: data.labels }],
      decode: null,
    });
    expect(noAcc.accuracy).toBeNull();
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

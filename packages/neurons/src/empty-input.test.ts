// An empty input (a 0 in its shape) is valid and finite: every node returns an empty output of the
// input's shape, on cpu and wasm alike, with or without the finite-input check (tf.all of an empty
// tensor is false on cpu and reads uninitialised memory on wasm, so the check must not run it).
import { ShapeError } from '@snn/core';
import { describeBackends } from '@snn/core/testing';
import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import { AdaptiveLIFNode } from './adaptive-lif.js';
import { AdExNode } from './adex.js';
import { AlphaNode } from './alpha.js';
import type { BaseNode, BaseNodeOptions } from './base-node.js';
import { CLIFNode } from './clif.js';
import { DiehlCookNode } from './diehl-cook.js';
import { EIFNode } from './eif.js';
import { GLIFNode } from './glif.js';
import { HodgkinHuxleyNode } from './hodgkin-huxley.js';
import { IFNode } from './if.js';
import { IzhikevichNode } from './izhikevich.js';
import { LIFNode } from './lif.js';
import { NonSpikingLIFNode } from './non-spiking-lif.js';
import { ParametricLIFNode } from './parametric-lif.js';
import { QIFNode } from './qif.js';
import { RecurrentIFNode } from './recurrent-if.js';

const NODES: readonly (readonly [string, (o: BaseNodeOptions) => BaseNode])[] = [
  ['IFNode', (o) => new IFNode(o)],
  ['LIFNode', (o) => new LIFNode(o)],
  ['ParametricLIFNode', (o) => new ParametricLIFNode(o)],
  ['QIFNode', (o) => new QIFNode(o)],
  ['EIFNode', (o) => new EIFNode(o)],
  ['IzhikevichNode', (o) => new IzhikevichNode(o)],
  ['AdExNode', (o) => new AdExNode(o)],
  ['HodgkinHuxleyNode', (o) => new HodgkinHuxleyNode(o)],
  ['GLIFNode', (o) => new GLIFNode(o)],
  ['CLIFNode', (o) => new CLIFNode(o)],
  ['AlphaNode', (o) => new AlphaNode(o)],
  ['AdaptiveLIFNode', (o) => new AdaptiveLIFNode(o)],
  ['DiehlCookNode', (o) => new DiehlCookNode(o)],
  ['DiehlCookNode oneSpike', (o) => new DiehlCookNode({ ...o, oneSpike: true })],
  ['NonSpikingLIFNode', (o) => new NonSpikingLIFNode(o as never)],
  ['RecurrentIFNode', (o) => new RecurrentIFNode(o)],
];

describeBackends('empty input', () => {
  it.each(NODES)('%s: [0, 4], [2, 0] and [T, 0, 4] give empty outputs of that shape', (_name, make) => {
    for (const checkFiniteInput of [false, true]) {
      for (const stepShape of [
        [0, 4],
        [2, 0],
      ]) {
        const before = tf.memory().numTensors;
        const single = make({ checkFiniteInput });
        const multi = make({ checkFiniteInput, stepMode: 'm', storeVSeq: true });
        const x = tf.zeros(stepShape);
        const xSeq = tf.zeros([3, ...stepShape]);
        for (let call = 0; call < 2; call++) {
          const y = single.forward(x);
          expect(y.shape).toEqual(stepShape);
          expect(y.dtype).toBe('float32');
          expect(single.getMemory('v').shape).toEqual(stepShape);
          const ySeq = multi.forward(xSeq);
          expect(ySeq.shape).toEqual([3, ...stepShape]);
          expect(multi.getMemory('v').shape).toEqual(stepShape);
          tf.dispose([y, ySeq]);
        }
        // The state took the empty shape, as it takes any shape: another shape needs a reset.
        const other = tf.zeros([1, 4]);
        expect(() => single.forward(other)).toThrow(ShapeError);
        single.reset();
        (single as { resetTheta?: () => void }).resetTheta?.(); // DiehlCookNode's θ outlives reset()
        tf.dispose(single.forward(other));
        tf.dispose([x, xSeq, other]);
        single.dispose();
        multi.dispose();
        expect(tf.memory().numTensors).toBe(before);
      }
    }
  });

  it('the finite-input check still refuses NaN next to the empty case', () => {
    const node = new LIFNode({ checkFiniteInput: true });
    const bad = tf.tensor2d([[0, Number.NaN]]);
    expect(() => node.forward(bad)).toThrow("LIFNode.forward: 'x' must be finite everywhere");
    const empty = tf.zeros([0, 2]);
    tf.dispose(node.forward(empty));
    tf.dispose([bad, empty]);
    node.dispose();
  });

  it('DiehlCookNode with oneSpike and one neuron per sample fires as without oneSpike', () => {
    const drive = tf.tidy(() => tf.mul(tf.randomUniform([30, 4, 1], 0, 1, 'float32', 3), 8));
    const one = new DiehlCookNode({ oneSpike: true, stepMode: 'm' });
    const plain = new DiehlCookNode({ stepMode: 'm' });
    const a = one.forward(drive);
    const b = plain.forward(drive);
    const spikes = Array.from(b.dataSync());
    expect(spikes.some((s) => s === 1)).toBe(true);
    expect(Array.from(a.dataSync())).toEqual(spikes);
    tf.dispose([drive, a, b]);
    one.dispose();
    plain.dispose();
  });
});

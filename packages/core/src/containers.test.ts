import {
  Module,
  MultiStep,
  multiStepForward,
  resetNet,
  SeqToANN,
  Sequential,
  ShapeError,
  seqToANNForward,
  setStepMode,
  ValueError,
} from '@snn/core';
import { describeBackends, expectClose, expectNoLeak } from '@snn/core/testing';
import type { Tensor } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';

class Scale extends Module {
  readonly w: tf.Variable;
  calls = 0;
  constructor(w: number) {
    super();
    this.w = this.registerParameter('w', tf.scalar(w));
  }
  protected override singleStepForward(x: Tensor): Tensor {
    this.calls++;
    return tf.mul(x, this.w);
  }
  protected override multiStepForward(x: Tensor): Tensor {
    return this.singleStepForward(x);
  }
}

class Integrator extends Module {
  constructor() {
    super();
    this.registerMemory('v', 0);
  }
  protected override singleStepForward(x: Tensor): Tensor {
    return tf.tidy(() => {
      const v = tf.add(this.getMemory('v'), x);
      this.setMemory('v', v);
      return tf.clone(v);
    });
  }
}

describeBackends('containers', () => {
  it('Sequential chains children and names their parameters by index', () => {
    const net = new Sequential(new Scale(2), new Scale(3));
    expect(net.namedParameters().map(([n]) => n)).toEqual(['0.w', '1.w']);
    const y = net.forward(tf.tensor1d([1, 2]));
    expect(Array.from(y.dataSync())).toEqual([6, 12]);
    y.dispose();
    net.dispose();
  });

  it('MultiStep runs a single-step module over T and carries its state', () => {
    const ms = new MultiStep(new Integrator());
    const xSeq = tf.tensor3d([[[1, 1]], [[2, 0]], [[3, -1]]]); // [T=3, B=1, N=2]
    const y = ms.forward(xSeq);
    expect(y.shape).toEqual([3, 1, 2]);
    expectClose(y, [1, 1, 3, 1, 6, 0]);
    resetNet(ms);
    expect(ms.namedMemories()[0]?.[1].shape).toEqual([]);
    tf.dispose([xSeq, y]);
    ms.dispose();
  });

  it('SeqToANN folds T into B: one call for the whole sequence', () => {
    const scale = new Scale(0.5);
    const s2a = new SeqToANN(scale);
    const xSeq = tf.ones([4, 2, 3]);
    const y = s2a.forward(xSeq);
    expect(y.shape).toEqual([4, 2, 3]);
    expect(scale.calls).toBe(1);
    expectClose(y, new Array(24).fill(0.5));
    tf.dispose([xSeq, y]);
    s2a.dispose();
  });

  it('functional forms match the containers', () => {
    const xSeq = tf.tensor3d([[[1]], [[2]]]);
    const a = multiStepForward(xSeq, new Integrator());
    const b = seqToANNForward(xSeq, (x) => tf.mul(x, 3));
    expectClose(a, [1, 3]);
    expectClose(b, [3, 6]);
    tf.dispose([xSeq, a, b]);
  });

  it('setStepMode reaches every descendant except inside MultiStep', () => {
    const inner = new Integrator();
    const net = new Sequential(new Integrator(), new MultiStep(inner));
    setStepMode(net, 'm');
    expect(net.layers[0]?.stepMode).toBe('m');
    expect(inner.stepMode).toBe('s');
    net.dispose();
  });

  it('keeps tf.memory() flat over 1,000 multi-step calls', () => {
    const net = new Sequential(new SeqToANN(new Scale(0.5)), new MultiStep(new Integrator()));
    const xSeq = tf.ones([4, 2, 8]);
    expectNoLeak(() => tf.dispose(net.forward(xSeq)), 1000);
    xSeq.dispose();
    net.dispose();
  });

  it('rejects wrong-rank input with a ShapeError and leaves state unchanged', () => {
    const integ = new Integrator();
    const ms = new MultiStep(integ);
    const x = tf.ones([2, 3]);
    tf.dispose(ms.forward(x)); // [T=2, B=3]: fine
    const v = Array.from(integ.getMemory('v').dataSync());
    const bad = tf.ones([5]);
    expect(() => ms.forward(bad)).toThrow(ShapeError);
    expect(() => ms.forward(bad)).toThrow("multiStepForward: 'xSeq' must have rank >= 2 ([T, B, ...]), got shape [5]");
    expect(() => new SeqToANN(new Scale(1)).forward(bad)).toThrow(
      "seqToANNForward: 'xSeq' must have rank >= 2 ([T, B, ...]), got shape [5]",
    );
    expect(Array.from(integ.getMemory('v').dataSync())).toEqual(v);
    expect(() => new Sequential()).toThrow("Sequential: 'layers' must be at least one Module, got []");
    tf.dispose([x, bad]);
    ms.dispose();
  });
});

describeBackends('gradients through time', () => {
  it('MultiStep sends each step its own gradient (BPTT through stepThroughTime)', () => {
    // y[t] = x[t] · w[t] summed: d/dx[t] must be w[t], not land on one step.
    const weights = tf.tensor2d([
      [1, 1],
      [10, 10],
      [100, 100],
    ]);
    const x = tf.ones([3, 2]);
    const g = tf.grad((xs: Tensor) => tf.sum(tf.mul(multiStepForward(xs, new Scale(1)), weights)))(x);
    expectClose(g, [1, 1, 10, 10, 100, 100]);
    tf.dispose([weights, x, g]);
  });
});

describe('containers and their functions refuse what is not a Module, by name', () => {
  it('resetNet, setStepMode, multiStepForward, seqToANNForward, MultiStep', () => {
    const x = tf.ones([2, 1, 3]);
    const net = new Integrator();
    const spare = new Integrator();
    const before = tf.memory().numTensors;
    expect(() => resetNet(undefined as never)).toThrow("resetNet: 'net' must be a Module, got undefined");
    expect(() => resetNet({ reset() {} } as never)).toThrow(ValueError);
    expect(() => setStepMode(undefined as never, 'm')).toThrow("setStepMode: 'net' must be a Module, got undefined");
    expect(() => setStepMode(net, 'x' as never)).toThrow("setStepMode: 'mode' must be one of 's', 'm', got 'x'");
    expect(net.stepMode).toBe('s');
    expect(() => multiStepForward(x, {} as never)).toThrow(
      "multiStepForward: 'module' must be a Module, got an object (Object)",
    );
    expect(() => seqToANNForward(x, 5 as never)).toThrow(
      "seqToANNForward: 'layer' must be a Module or a function of a tensor, got 5",
    );
    expect(() => new MultiStep(null as never)).toThrow("MultiStep: 'module' must be a Module, got null");
    expect(() => new Sequential(spare, 'relu' as never)).toThrow(ValueError);
    expect(tf.memory().numTensors).toBe(before);
    x.dispose();
    net.dispose();
    spare.dispose();
  });
});

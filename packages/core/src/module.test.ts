import { Module, MultiStep, Sequential, StateError, ValueError } from '@snn/core';
import { describeBackends, expectNoLeak } from '@snn/core/testing';
import type { Tensor } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';

/** A leaky accumulator with one parameter and one memory: v ← decay·v + w·x; output v. */
class Leaky extends Module {
  readonly w: tf.Variable;
  constructor(readonly decay = 0.5) {
    super();
    this.w = this.registerParameter('w', tf.scalar(2));
    this.registerMemory('v', 0);
  }
  protected override singleStepForward(x: Tensor): Tensor {
    return tf.tidy(() => {
      const v = tf.add(tf.mul(this.getMemory('v'), this.decay), tf.mul(this.w, x));
      this.setMemory('v', v);
      return tf.clone(v);
    });
  }
}

class Block extends Module {
  constructor() {
    super();
    this.registerModule('a', new Leaky());
    this.registerModule('b', new Leaky());
    this.registerParameter('frozen', tf.ones([2, 3]), { trainable: false });
  }
}

describeBackends('Module', () => {
  it('names parameters and memories by path, with the trainable flag', () => {
    const m = new Block();
    expect(m.namedParameters().map(([n]) => n)).toEqual(['frozen', 'a.w', 'b.w']);
    expect(m.namedParameters(true).map(([n]) => n)).toEqual(['a.w', 'b.w']);
    expect(m.parameters()).toHaveLength(3);
    expect(m.namedMemories().map(([n]) => n)).toEqual(['a.v', 'b.v']);
    expect(m.namedModules().map(([n]) => n)).toEqual(['', 'a', 'b']);
    expect(m.moduleAt('b')).toBeInstanceOf(Leaky);
    m.dispose();
  });

  it('steps in single-step mode and keeps state across calls; reset restores it', () => {
    const m = new Leaky();
    const x = tf.tensor1d([1, 2]);
    tf.dispose(m.forward(x));
    const y = m.forward(x); // v = 0.5·2 + 2 = 3 for x = 1
    expect(Array.from(y.dataSync())).toEqual([3, 6]);
    m.reset();
    expect(m.getMemory('v').shape).toEqual([]);
    expect(m.getMemory('v').dataSync()[0]).toBe(0);
    tf.dispose([x, y]);
    m.dispose();
  });

  it('multi-step mode equals stepping single-step mode T times', () => {
    const xSeq = tf.tensor2d([
      [1, 0],
      [0, 1],
      [2, 2],
    ]);
    const single = new Leaky();
    const outs = [0, 1, 2].map((t) => single.forward(tf.gather(xSeq, t)));
    const multi = new Leaky().setStepMode('m') as Leaky;
    const ySeq = multi.forward(xSeq);
    expect(ySeq.shape).toEqual([3, 2]);
    expect(Array.from(ySeq.dataSync())).toEqual(outs.flatMap((o) => Array.from(o.dataSync())));
    expect(Array.from(multi.getMemory('v').dataSync())).toEqual(Array.from(single.getMemory('v').dataSync()));
    tf.dispose([xSeq, ySeq, ...outs]);
    single.dispose();
    multi.dispose();
  });

  it('calls forward hooks with (module, input, output) until unsubscribed', () => {
    const m = new Leaky();
    const seen: number[][] = [];
    const off = m.onForward((mod, input, output) => {
      expect(mod).toBe(m);
      seen.push([...input.dataSync(), ...output.dataSync()]);
    });
    const x = tf.scalar(1);
    tf.dispose(m.forward(x));
    expect(seen).toEqual([[1, 2]]);
    expect(m.forwardHookCount).toBe(1);
    off();
    expect(m.forwardHookCount).toBe(0);
    tf.dispose(m.forward(x));
    expect(seen).toHaveLength(1);
    x.dispose();
    m.dispose();
  });

  it('keeps tf.memory() flat over 1,000 steps, and reset() frees the old state', () => {
    const m = new Leaky();
    const x = tf.ones([4, 8]);
    expectNoLeak(() => tf.dispose(m.forward(x)), 1000);
    const before = tf.memory().numTensors;
    m.reset();
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose(m.forward(x));
    m.reset();
    expect(tf.memory().numTensors).toBe(before);
    x.dispose();
  });

  it('dispose() frees every parameter and memory', () => {
    const before = tf.memory().numTensors;
    const m = new Block();
    const x = tf.ones([2]);
    tf.dispose(m.moduleAt('a').forward(x));
    x.dispose();
    expect(tf.memory().numTensors).toBeGreaterThan(before);
    m.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('train()/eval() reach every descendant', () => {
    const m = new Block().eval();
    expect(m.modules().every((k) => !k.training)).toBe(true);
    m.train();
    expect(m.modules().every((k) => k.training)).toBe(true);
    m.dispose();
  });
});

describe('Module errors', () => {
  it('names unknown memories, duplicate names, a bad step mode', () => {
    const m = new Leaky();
    expect(() => m.getMemory('u')).toThrow("Leaky.getMemory: 'name' must be one of 'v', got 'u'");
    expect(() => m.registerMemory('v', 1)).toThrow("Leaky: 'name' must be a name not used yet in this module, got 'v'");
    expect(() => m.registerMemory('bad name', 1)).toThrow(ValueError);
    expect(() => m.setStepMode('x' as never)).toThrow("Leaky.setStepMode: 'mode' must be one of 's', 'm', got 'x'");
    expect(() => m.forward([1, 2] as never)).toThrow("Leaky.forward: 'x' must be a tf.Tensor, got [1, 2]");
    m.dispose();
  });

  it('multi-step forward rejects rank < 2 and T = 0 before touching state', () => {
    const m = new Leaky().setStepMode('m');
    const x = tf.tensor1d([1, 2, 3]);
    expect(() => m.forward(x)).toThrow("Leaky.forward: 'xSeq' must have rank >= 2 ([T, B, ...]), got shape [3]");
    expect(() => m.forward(tf.zeros([0, 3]))).toThrow(/T\)' must be at least 1 time step, got 0/);
    expect(m.getMemory('v').shape).toEqual([]);
    x.dispose();
    m.dispose();
  });
});

describe('disposed tensors and modules', () => {
  it('say so by name: a disposed input, and forward() after dispose()', () => {
    class Passthrough extends Module {
      protected override singleStepForward(x: Tensor): Tensor {
        return tf.clone(x);
      }
    }
    const m = new MultiStep(new Passthrough());
    const x = tf.ones([2, 1, 3]);
    x.dispose();
    expect(() => m.forward(x)).toThrow(
      "MultiStep.forward: 'x' must be a tensor that is not disposed, got 'a disposed tensor'",
    );
    m.dispose();
    expect(() => m.forward(tf.ones([2, 1, 3]))).toThrow(StateError);
    expect(() => m.forward(tf.ones([2, 1, 3]))).toThrow('MultiStep.forward: the module was disposed');
  });
});

describeBackends('a forward hook that throws', () => {
  const boom = () => {
    throw new Error('hook failed');
  };
  const values = (t: Tensor) => Array.from(t.dataSync());

  it('1,000 throwing calls: the output freed, the memory as before, tf.memory() flat', () => {
    const m = new Leaky();
    const x = tf.tensor1d([1, 2]);
    tf.dispose(m.forward(x)); // v = 2·x = [2, 4]
    const v = m.getMemory('v');
    const off = m.onForward(boom);
    const before = tf.memory().numTensors;
    for (let i = 0; i < 1000; i++) expect(() => m.forward(x)).toThrow('hook failed');
    expect(tf.memory().numTensors).toBe(before);
    expect(m.getMemory('v')).toBe(v);
    expect(v.isDisposed).toBe(false);
    expect(values(v)).toEqual([2, 4]);
    off();
    // Not stepped 1,000 times: one step from [2, 4] gives 0.5·[2, 4] + 2·[1, 2].
    const y = m.forward(x);
    expect(values(y)).toEqual([3, 6]);
    tf.dispose([x, y]);
    m.dispose();
  });

  it("in a container: every child stepped in the call gets its memory back (a later child's hook throws)", () => {
    const net = new Sequential(new Leaky(), new Leaky());
    const x = tf.tensor1d([1, -1]);
    tf.dispose(net.forward(x)); // v0 = [2, -2], v1 = 2·v0 = [4, -4]
    const off = net.layers[1]?.onForward(boom) as () => void;
    const before = tf.memory().numTensors;
    for (let i = 0; i < 1000; i++) expect(() => net.forward(x)).toThrow('hook failed');
    expect(tf.memory().numTensors).toBe(before);
    expect(values(net.layers[0]?.getMemory('v') as Tensor)).toEqual([2, -2]);
    expect(values(net.layers[1]?.getMemory('v') as Tensor)).toEqual([4, -4]);
    off();
    const y = net.forward(x); // v0 = [1, -1] + [2, -2] = [3, -3]; v1 = [2, -2] + [6, -6] = [8, -8]
    expect(values(y)).toEqual([8, -8]);
    tf.dispose([x, y]);
    net.dispose();
  });

  it('multi-step: a hook after the whole sequence, or on the stepped module at step 3, leaves all T steps undone', () => {
    const seq = tf.tensor2d([
      [1, 0],
      [0, 1],
      [2, 2],
      [1, 1],
    ]); // [T = 4, 2]
    const m = new Leaky().setStepMode('m') as Leaky;
    const offM = m.onForward(boom);
    const inner = new Leaky();
    const wrapped = new MultiStep(inner);
    let calls = 0;
    const offInner = inner.onForward(() => {
      if (++calls % 4 === 3) throw new Error('step 3 failed');
    });
    const before = tf.memory().numTensors;
    for (let i = 0; i < 500; i++) {
      expect(() => m.forward(seq)).toThrow('hook failed');
      expect(() => wrapped.forward(seq)).toThrow('step 3 failed');
      calls = 0;
    }
    expect(tf.memory().numTensors).toBe(before);
    for (const mod of [m, inner]) {
      expect(mod.getMemory('v').shape).toEqual([]);
      expect(values(mod.getMemory('v'))).toEqual([0]);
    }
    offM();
    offInner();
    // From v = 0: 2·[1, 0] → [2, 0]; → [1, 2]; → [4.5, 5]; → [4.25, 4.5].
    const y = wrapped.forward(seq);
    expect(values(y)).toEqual([2, 0, 1, 2, 4.5, 5, 4.25, 4.5]);
    tf.dispose([seq, y]);
    m.dispose();
    wrapped.dispose();
  });

  it("never frees the caller's input, even when a module returns it or stores it as a memory", () => {
    class Remember extends Module {
      constructor() {
        super();
        this.registerMemory('last', 0);
      }
      protected override singleStepForward(x: Tensor): Tensor {
        this.setMemory('last', x);
        return x;
      }
    }
    const m = new Remember();
    m.onForward(boom);
    const x = tf.tensor1d([7, 8]);
    expect(() => m.forward(x)).toThrow('hook failed');
    expect(x.isDisposed).toBe(false);
    expect(values(x)).toEqual([7, 8]);
    expect(values(m.getMemory('last'))).toEqual([0]);
    x.dispose();
    m.dispose();
  });

  it('a compute that throws half-way through a container leaves the children stepped before it as they were', () => {
    const net = new Sequential(new Leaky(), new Leaky().setStepMode('m'));
    const x = tf.tensor1d([1, 2]); // rank 1: the multi-step second child refuses it after the first stepped
    const before = tf.memory().numTensors;
    expect(() => net.forward(x)).toThrow("Leaky.forward: 'xSeq' must have rank >= 2");
    expect(tf.memory().numTensors).toBe(before);
    expect(values(net.layers[0]?.getMemory('v') as Tensor)).toEqual([0]);
    x.dispose();
    net.dispose();
  });
});

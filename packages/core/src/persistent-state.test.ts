import { loadState, Module, Sequential, StateError, saveState, ValueError } from '@snn/core';
import { describeBackends } from '@snn/core/testing';
import type { Tensor } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';

/** v ← v + x (cleared by reset); theta ← theta + x (persistent); v starts at `rest`. */
class Homeostatic extends Module {
  constructor(rest = -65) {
    super();
    this.registerParameter('w', tf.scalar(1));
    this.registerMemory('v', 0);
    this.setResetValue('v', rest);
    this.resetState('v');
    this.registerMemory('theta', 0, { persistent: true });
  }
  protected override singleStepForward(x: Tensor): Tensor {
    return tf.tidy(() => {
      this.setMemory('v', tf.add(this.getMemory('v'), x));
      this.setMemory('theta', tf.add(this.getMemory('theta'), x));
      return tf.clone(this.getMemory('v'));
    });
  }
}

const values = (t: Tensor) => Array.from(t.dataSync());

describeBackends('persistent state and reset values', () => {
  it('reset() restores memories to their reset value and keeps persistent state', () => {
    const m = new Homeostatic();
    expect(values(m.getMemory('v'))).toEqual([-65]);
    const x = tf.tensor1d([1, 2]);
    tf.dispose(m.forward(x));
    tf.dispose(m.forward(x));
    m.reset();
    expect(values(m.getMemory('v'))).toEqual([-65]);
    expect(values(m.getMemory('theta'))).toEqual([2, 4]);
    expect([m.isPersistent('v'), m.isPersistent('theta')]).toEqual([false, true]);
    expect(m.namedMemories(true).map(([n]) => n)).toEqual(['theta']);
    expect(m.namedMemories(false).map(([n]) => n)).toEqual(['v']);
    m.resetState('theta');
    expect(values(m.getMemory('theta'))).toEqual([0]);
    tf.dispose(x);
    m.dispose();
  });

  it('setResetValue takes a tensor copy that it owns; no leak', () => {
    const m = new Homeostatic();
    const before = tf.memory().numTensors;
    const init = tf.tensor1d([1, 2, 3]);
    m.setResetValue('v', init);
    init.dispose();
    m.reset();
    expect(values(m.getMemory('v'))).toEqual([1, 2, 3]);
    m.setResetValue('v', 0);
    m.reset();
    expect(tf.memory().numTensors).toBe(before);
    expect(() => m.setResetValue('nope', 0)).toThrow(ValueError);
    expect(() => m.setResetValue('nope', 0)).toThrow("Homeostatic.setResetValue: 'name' must be one of 'v', 'theta'");
    m.dispose();
  });

  it('rejects a non-boolean persistent flag', () => {
    class Bad extends Module {
      constructor() {
        super();
        this.registerMemory('x', 0, { persistent: 'yes' as never });
      }
    }
    expect(() => new Bad()).toThrow("Bad.registerMemory: 'persistent' must be a boolean, got 'yes'");
  });

  it('saveState always carries persistent state; a save/load round trip restores it', () => {
    const a = new Sequential(new Homeostatic(), new Homeostatic());
    const x = tf.tensor1d([0.5, -1.25, 3]);
    tf.dispose(a.forward(x));
    const state = JSON.parse(JSON.stringify(saveState(a)));
    expect(Object.keys(state.persistent)).toEqual(['0.theta', '1.theta']);
    expect(state.memories).toBeUndefined();
    const b = new Sequential(new Homeostatic(), new Homeostatic());
    loadState(b, state);
    expect(values(b.moduleAt('0').getMemory('theta'))).toEqual([0.5, -1.25, 3]);
    b.reset();
    expect(values(b.moduleAt('0').getMemory('theta'))).toEqual([0.5, -1.25, 3]);
    const withMemories = saveState(a, { memories: true });
    expect(Object.keys(withMemories.memories ?? {})).toEqual(['0.v', '1.v']);
    tf.dispose(x);
    a.dispose();
    b.dispose();
  });

  it('a state without the persistent entries is refused and changes nothing', () => {
    const a = new Homeostatic();
    const x = tf.tensor1d([7]);
    tf.dispose(a.forward(x));
    const { persistent: _dropped, ...old } = saveState(a);
    const b = new Homeostatic();
    expect(() => loadState(b, old)).toThrow(StateError);
    expect(() => loadState(b, old)).toThrow("loadState: persistent state 'theta' is missing from the saved state");
    expect(values(b.getMemory('theta'))).toEqual([0]);
    tf.dispose(x);
    a.dispose();
    b.dispose();
  });

  it('saves a float32 tensor cast from bool (which shares the bool bytes on cpu) as float32', () => {
    const m = new Homeostatic();
    const spikes = tf.tidy(() => tf.cast(tf.greater(tf.tensor1d([1, -1, 2]), 0), 'float32'));
    m.setMemory('theta', spikes);
    const state = JSON.parse(JSON.stringify(saveState(m)));
    const copy = new Homeostatic();
    loadState(copy, state);
    expect(values(copy.getMemory('theta'))).toEqual([1, 0, 1]);
    m.dispose();
    copy.dispose();
  });
});

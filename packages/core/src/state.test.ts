import { createRng, loadState, Module, Sequential, StateError, saveState } from '@snn/core';
import { describeBackends } from '@snn/core/testing';
import type { Tensor } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';

class Dense extends Module {
  constructor(inF: number, outF: number, seed: number) {
    super();
    this.registerParameter('weight', createRng(seed).normal([outF, inF]));
    this.registerParameter('bias', createRng(seed + 1).uniform([outF], -1, 1));
    this.registerParameter('count', tf.tensor1d([seed], 'int32'), { trainable: false });
    this.registerMemory('v', 0);
  }
  protected override singleStepForward(x: Tensor): Tensor {
    const v = tf.add(this.getMemory('v'), x);
    this.setMemory('v', v);
    return tf.clone(v);
  }
}

const net = (seed: number) => new Sequential(new Dense(5, 4, seed), new Dense(4, 3, seed + 10));
const bytes = (m: Module) =>
  m.namedParameters().map(([n, v]) => [n, Array.from(new Uint8Array(v.dataSync().buffer.slice(0)))]);

describeBackends('saveState / loadState', () => {
  it('round-trips parameters bit for bit through JSON', () => {
    const a = net(1);
    const b = net(99);
    const json = JSON.stringify(saveState(a));
    loadState(b, JSON.parse(json));
    expect(bytes(b)).toEqual(bytes(a));
    a.dispose();
    b.dispose();
  });

  it('saves and loads memories when asked', () => {
    const a = net(1);
    const x = tf.tensor1d([1.5, -2, 3, 0.25, 1e-8]);
    tf.dispose(a.layers[0]?.forward(x));
    const state = saveState(a, { memories: true });
    expect(Object.keys(state.memories ?? {})).toEqual(['0.v', '1.v']);
    const b = net(2);
    loadState(b, state);
    expect(Array.from(b.layers[0]?.getMemory('v').dataSync() ?? [])).toEqual(Array.from(x.dataSync()));
    tf.dispose(x);
    a.dispose();
    b.dispose();
  });

  it('rejects a missing, extra or mis-shaped entry and leaves the module unchanged', () => {
    const target = net(3);
    const before = bytes(target);
    const good = saveState(net(4));
    const missing = { ...good, parameters: { ...good.parameters } };
    delete (missing.parameters as Record<string, unknown>)['1.bias'];
    expect(() => loadState(target, missing)).toThrow("loadState: parameter '1.bias' is missing from the saved state");
    const extra = { ...good, parameters: { ...good.parameters, '2.weight': good.parameters['0.bias'] } } as typeof good;
    expect(() => loadState(target, extra)).toThrow(/saved parameter '2.weight' does not exist in the module/);
    const misShaped = {
      ...good,
      parameters: { ...good.parameters, '0.weight': { ...good.parameters['1.weight'] } },
    } as typeof good;
    expect(() => loadState(target, misShaped)).toThrow(StateError);
    expect(() => loadState(target, misShaped)).toThrow(
      "loadState: parameter '0.weight' has shape [4, 5] in the module but [3, 4] in the saved state",
    );
    const corrupt = {
      ...good,
      parameters: { ...good.parameters, '1.bias': { ...good.parameters['1.bias'], data: 'AAAA' } },
    } as typeof good;
    expect(() => loadState(target, corrupt)).toThrow(/'1.bias' holds 3 bytes/);
    expect(() => loadState(target, { format: 'other' } as never)).toThrow(/'state' must be an object from saveState/);
    expect(bytes(target)).toEqual(before);
  });
});

import {
  createRng,
  loadState,
  Module,
  Sequential,
  SnnError,
  StateError,
  saveState,
  UnknownOptionError,
  ValueError,
} from '@snn/core';
import { describeBackends } from '@snn/core/testing';
import type { Tensor } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';

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

  it('loads a file with a meta section (a checkpoint) and ignores the metadata', () => {
    const a = net(1);
    const b = net(99);
    loadState(b, { ...saveState(a), meta: { epoch: 3, accuracy: 0.9 } });
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

/** Parameters `w` (float32) and `n` (int32), persistent `theta`, ordinary memory `v`. */
class Stateful extends Module {
  constructor(seed: number) {
    super();
    this.registerParameter('w', createRng(seed).normal([2, 3]));
    this.registerParameter('n', tf.tensor1d([seed, -seed], 'int32'), { trainable: false });
    this.registerMemory('theta', () => tf.fill([3], seed / 8), { persistent: true });
    this.registerMemory('v', () => tf.fill([2], seed / 4));
  }
}

/** Every parameter and memory as [name, dtype, shape, values]: what a refused load must not change. */
const snapshot = (m: Module) =>
  [...m.namedParameters(), ...m.namedMemories()].map(([n, t]) => [n, t.dtype, t.shape, Array.from(t.dataSync())]);

type Mutable = Record<string, unknown> & {
  parameters: Record<string, Record<string, unknown>>;
  persistent: Record<string, Record<string, unknown>>;
  memories: Record<string, Record<string, unknown>>;
};

/** A valid saved state (of another seed, so a half-applied load would show) to break one way at a time. */
const good = (): Mutable => JSON.parse(JSON.stringify(saveState(new Stateful(5), { memories: true })));

/** [what is wrong, how to break a good state, the message expected]. */
const MALFORMED: [string, (s: Mutable) => unknown, RegExp][] = [
  ['null', () => null, /loadState: 'state' must be an object from saveState/],
  ['a number', () => 42, /'state' must be an object from saveState/],
  ['an array', () => [], /'state' must be an object from saveState/],
  ['another format', (s) => ({ ...s, format: 'npz' }), /'state' must be an object from saveState/],
  ['version 2', (s) => ({ ...s, version: 2 }), /'state' must be an object from saveState/],
  [
    'no parameters key',
    (s) => {
      const { parameters: _dropped, ...rest } = s;
      return rest;
    },
    /loadState: the saved state has no 'parameters'/,
  ],
  ['parameters: null', (s) => ({ ...s, parameters: null }), /'parameters' must be an object of saved tensors/],
  ['parameters: an array', (s) => ({ ...s, parameters: [] }), /'parameters' must be an object of saved tensors/],
  [
    'memories: null',
    (s) => ({ ...s, memories: null }),
    /'memories' must be an object of saved tensors by name, got null/,
  ],
  ['persistent: null', (s) => ({ ...s, persistent: null }), /'persistent' must be an object of saved tensors/],
  ['an unknown section', (s) => ({ ...s, optimizer: {} }), /unknown section 'optimizer'/],
  [
    'an entry that is a string',
    (s) => set(s, 'parameters', 'w', 'AAAA'),
    /saved parameter 'w' is not \{ shape, dtype, data \}/,
  ],
  ['an entry that is null', (s) => set(s, 'memories', 'v', null), /saved memory 'v' is not \{ shape, dtype, data \}/],
  ['no data', (s) => patch(s, 'parameters', 'w', { data: undefined }), /'w' has data that is not base64 text/],
  [
    'data that is not base64',
    (s) => patch(s, 'parameters', 'w', { data: '!!not base64!!' }),
    /'w' has data that is not base64/,
  ],
  [
    'base64 of the wrong length',
    (s) => patch(s, 'parameters', 'w', { data: 'AAA' }),
    /'w' has data that is not base64/,
  ],
  ['data that is a number', (s) => patch(s, 'memories', 'v', { data: 12 }), /'v' has data that is not base64/],
  [
    "a memory of dtype 'string'",
    (s) => patch(s, 'memories', 'v', { dtype: 'string' }),
    /saved memory 'v' has dtype 'string'; supported/,
  ],
  [
    "a parameter of dtype 'complex64'",
    (s) => patch(s, 'parameters', 'w', { dtype: 'complex64' }),
    /'w' has dtype 'complex64'/,
  ],
  [
    'no dtype',
    (s) => patch(s, 'persistent', 'theta', { dtype: undefined }),
    /persistent state 'theta' has dtype undefined/,
  ],
  [
    'a shape that is a number',
    (s) => patch(s, 'parameters', 'w', { shape: 6 }),
    /'w' has shape 6, not an array of integers >= 0/,
  ],
  ['a negative dimension', (s) => patch(s, 'memories', 'v', { shape: [-2] }), /'v' has shape \[-2\], not an array/],
  ['a fractional dimension', (s) => patch(s, 'memories', 'v', { shape: [0.5, 4] }), /'v' has shape \[0.5, 4\]/],
  ['a dimension that is a string', (s) => patch(s, 'memories', 'v', { shape: ['2'] }), /'v' has shape \['2'\]/],
  [
    'too few bytes for the shape',
    (s) => patch(s, 'memories', 'v', { shape: [3] }),
    /'v' holds 8 bytes, but shape \[3\] of float32 needs 12/,
  ],
  [
    'an int32 entry read as bool',
    (s) => patch(s, 'parameters', 'n', { dtype: 'bool' }),
    /'n' holds 8 bytes, but shape \[2\] of bool needs 2/,
  ],
  [
    'an unknown parameter',
    (s) => set(s, 'parameters', 'u', s.parameters.w),
    /saved parameter 'u' does not exist in the module \(it has 'w', 'n'\)/,
  ],
  [
    'a missing parameter',
    (s) => set(s, 'parameters', 'n', undefined, true),
    /parameter 'n' is missing from the saved state/,
  ],
  [
    'a missing persistent state',
    (s) => set(s, 'persistent', 'theta', undefined, true),
    /persistent state 'theta' is missing/,
  ],
  ['an unknown memory', (s) => set(s, 'memories', 'u', s.memories.v), /saved memory 'u' does not exist in the module/],
  [
    'a parameter of another shape',
    (s) => patch(s, 'parameters', 'w', { shape: [3, 2] }),
    /parameter 'w' has shape \[2, 3\] in the module but \[3, 2\]/,
  ],
  [
    'a parameter of another dtype',
    (s) => patch(s, 'parameters', 'n', { dtype: 'float32' }),
    /parameter 'n' has dtype int32 in the module but float32/,
  ],
];

function set(
  s: Mutable,
  section: 'parameters' | 'persistent' | 'memories',
  name: string,
  entry: unknown,
  remove = false,
) {
  const copy = { ...s, [section]: { ...s[section] } } as Mutable;
  if (remove) delete copy[section][name];
  else copy[section][name] = entry as Record<string, unknown>;
  return copy;
}

function patch(
  s: Mutable,
  section: 'parameters' | 'persistent' | 'memories',
  name: string,
  fields: Record<string, unknown>,
) {
  return set(s, section, name, { ...s[section][name], ...fields });
}

describeBackends('loadState of a malformed state', () => {
  it('the good state loads (so each case below fails for its one fault)', () => {
    const m = new Stateful(1);
    loadState(m, good() as never);
    const source = new Stateful(5);
    expect(snapshot(m)).toEqual(snapshot(source));
    m.dispose();
    source.dispose();
  });

  it.each(MALFORMED)('%s: a named error, and nothing changes (values, tensors)', (_what, breakIt, message) => {
    const m = new Stateful(1);
    const before = snapshot(m);
    const bad = breakIt(good());
    const tensors = tf.memory().numTensors;
    let thrown: unknown;
    try {
      loadState(m, bad as never);
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(SnnError);
    expect(thrown instanceof StateError || thrown instanceof ValueError).toBe(true);
    expect((thrown as Error).message).toMatch(message);
    expect(tf.memory().numTensors).toBe(tensors);
    expect(snapshot(m)).toEqual(before);
    m.dispose();
  });
});

describeBackends('saveState writes bytes by dtype', (backend) => {
  /** A float32 tensor cast from bool: on cpu its values live in the bool tensor's Uint8Array. */
  const castFromBool = () => tf.tidy(() => tf.cast(tf.tensor1d([true, false, true, true], 'bool'), 'float32'));

  class FromBool extends Module {
    constructor() {
      super();
      this.registerParameter('mask', castFromBool());
      this.registerMemory('gate', castFromBool);
    }
  }

  it('a float32 parameter and memory cast from bool round-trip bit-exactly (4 bytes a value)', () => {
    const m = new FromBool();
    const mask = m.parameters()[0] as tf.Variable;
    if (backend === 'cpu') {
      // The case of the bug: the float32 values are held in a Uint8Array.
      expect(mask.dataSync()).toBeInstanceOf(Uint8Array);
      expect(m.getMemory('gate').dataSync()).toBeInstanceOf(Uint8Array);
    }
    const saved = JSON.parse(JSON.stringify(saveState(m, { memories: true })));
    const expectedBytes = Array.from(new Uint8Array(new Float32Array([1, 0, 1, 1]).buffer));
    const decode = (b64: string) => Array.from(atob(b64), (c) => c.charCodeAt(0));
    expect(saved.parameters.mask.dtype).toBe('float32');
    expect(decode(saved.parameters.mask.data)).toEqual(expectedBytes);
    expect(decode(saved.memories.gate.data)).toEqual(expectedBytes);
    const into = new FromBool();
    // Zeros first, so that a load that did nothing would show.
    const loaded = into.parameters()[0] as tf.Variable;
    tf.tidy(() => loaded.assign(tf.zeros([4])));
    into.setMemory('gate', tf.zeros([4]));
    loadState(into, saved);
    const asBytes = (t: tf.Tensor) => Array.from(new Uint8Array(Float32Array.from(t.dataSync()).buffer));
    expect(loaded.dtype).toBe('float32');
    expect(asBytes(loaded)).toEqual(expectedBytes);
    expect(into.getMemory('gate').dtype).toBe('float32');
    expect(asBytes(into.getMemory('gate'))).toEqual(expectedBytes);
    m.dispose();
    into.dispose();
  });
});

describe('saveState / loadState arguments', () => {
  it('refuse what is not a Module, unknown options and non-boolean flags, by name', () => {
    const m = new Stateful(2);
    const state = saveState(m);
    expect(() => saveState({} as never)).toThrow("saveState: 'module' must be a Module, got an object (Object)");
    expect(() => saveState(undefined as never)).toThrow("saveState: 'module' must be a Module, got undefined");
    expect(() => loadState({} as never, state)).toThrow("loadState: 'module' must be a Module, got an object (Object)");
    expect(() => loadState(null as never, state)).toThrow(ValueError);
    expect(() => saveState(m, { memorys: true } as never)).toThrow(
      "saveState: unknown option 'memorys' (did you mean 'memories'?); known options: 'memories'",
    );
    expect(() => saveState(m, { memorys: true } as never)).toThrow(UnknownOptionError);
    expect(() => saveState(m, { memories: 'yes' } as never)).toThrow(
      "saveState: 'memories' must be a boolean, got 'yes'",
    );
    expect(() => saveState(m, 5 as never)).toThrow("saveState: 'options' must be an options object, got 5");
    m.dispose();
  });
});

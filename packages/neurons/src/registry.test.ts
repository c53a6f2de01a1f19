// The neuron-model registry: every SPAIC name (and ours) resolves and steps; unknown names are a
// named error with a did-you-mean; register / replace / unregister; and the names mapped onto a
// SPAIC-semantics node reproduce SPAIC's own numbers (test/golden/spaic.json).
import { readFileSync } from 'node:fs';
import { isSnnError, Module, UnknownOptionError, ValueError } from '@snn/core';
import { expectClose } from '@snn/core/testing';
import type { Tensor } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { CLIFNode } from './clif.js';
import { CLIF3KNode } from './clif3k.js';
import { DiehlCookNode } from './diehl-cook.js';
import { IFBNode } from './ifb.js';
import { createNeuron, LIFSTDP_EX_OPTIONS, neuronModels, UnknownNameError } from './registry.js';
import { SimpleRateNode } from './simple-rate.js';
import { SpaicLIFNode } from './spaic-lif.js';

/** SPAIC's registered neuron names (SPAIC 0.6.3) plus `simplerate`, which SPAIC defines but never registers. */
const SPAIC_NAMES = [
  'lif',
  'if',
  'ifsoftreset',
  'ifb',
  'nonspikingifb',
  'null',
  'lifm',
  'constantcurrentlif',
  'nonspikinglif',
  'clif',
  'clif2k',
  'pclif',
  'aclif',
  'qlif',
  'slif',
  'selif',
  'izh',
  'adex',
  'aeif',
  'glif',
  'hh',
  'lifstdp_ex',
  'alifstdp_ex',
  'lifstdp_ih',
  'meanfield',
  'simplerate',
  'cann_field',
  'darwin_clif',
  'darwin_alif',
  'darwin_random',
  'lifint',
  'diehlandcook',
  'plif',
];
const OUR_NAMES = ['sj_lif', 'sj_if', 'qif', 'eif', 'alpha', 'synaptic', 'adaptive_lif', 'recurrent_if', 'diehl_cook'];

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('neuronModels', () => {
  it('holds every SPAIC name and ours, and nothing else', () => {
    expect(neuronModels.names()).toEqual([...SPAIC_NAMES, ...OUR_NAMES].sort());
  });

  it.each([...SPAIC_NAMES, ...OUR_NAMES])(
    '%s makes a node that runs one step on [2, 3] and frees what it holds',
    (name) => {
      const before = tf.memory().numTensors;
      const node = createNeuron(name as 'lif');
      expect(node).toBeInstanceOf(Module);
      const x = tf.fill([2, 3], 0.5);
      const out = node.forward(x);
      expect(out.shape[0]).toBe(2);
      expect(Array.from(out.dataSync()).every(Number.isFinite)).toBe(true);
      tf.dispose([x, out]);
      node.dispose();
      expect(tf.memory().numTensors).toBe(before);
    },
  );

  it('looks names up in any case and returns the typed node', () => {
    const a = createNeuron('CLIF', { tauM: 20 });
    expect(a).toBeInstanceOf(CLIF3KNode); // SPAIC's three-kernel CLIF, not snnTorch's
    expect(a).not.toBeInstanceOf(CLIFNode);
    expect(neuronModels.create('Synaptic')).toBeInstanceOf(CLIFNode);
    expect(neuronModels.get('IFSoftReset')({ bias: 0.5 })).toBeInstanceOf(IFBNode);
    expect(createNeuron('SimpleRate')).toBeInstanceOf(SimpleRateNode);
    expect(neuronModels.has('Lif')).toBe(true);
    expect(neuronModels.has('nope')).toBe(false);
    a.dispose();
  });

  it('passes the options to the node, which checks them', () => {
    const lif = createNeuron('lif', { tauM: 20, dt: 1, vThreshold: 2 });
    expect(lif).toBeInstanceOf(SpaicLIFNode);
    expect(lif.decay).toBeCloseTo(Math.exp(-1 / 20), 7);
    expect(lif.vThreshold).toBe(2);
    expect(() => createNeuron('lif', { tua: 3 } as never)).toThrow(UnknownOptionError);
    expect(() => createNeuron('lif', { tauM: -1 })).toThrow(ValueError);
  });

  it('lifstdp_ex / lifstdp_ih are DiehlCookNode with SPAIC defaults under the options', () => {
    const ex = createNeuron('lifstdp_ex');
    expect(ex).toBeInstanceOf(DiehlCookNode);
    expect(ex.params.vThreshold).toBe(-52);
    expect(ex.vRest).toBe(-65);
    expect(ex.tauTheta).toBe(1e7);
    const ex2 = createNeuron('lifstdp_ex', { vThreshold: -50 });
    expect(ex2.params.vThreshold).toBe(-50);
    expect(ex2.params.vReset).toBe(-60);
    expect(LIFSTDP_EX_OPTIONS.vThreshold).toBe(-52); // the shared defaults are not changed
    const ih = createNeuron('lifstdp_ih');
    expect([ih.params.vThreshold, ih.params.vReset, ih.vRest, ih.tau]).toEqual([-40, -45, -60, 10]);
    expect(() => createNeuron('lifstdp_ih', 3 as never)).toThrow(ValueError);
    expect(() => createNeuron('lifstdp_ex', { bogus: 1 } as never)).toThrow(UnknownOptionError);
  });

  it('an unknown name is an UnknownNameError with a did-you-mean and the known names', () => {
    const before = tf.memory().numTensors;
    let err: unknown;
    try {
      createNeuron('lfi');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(UnknownNameError);
    expect(err).toBeInstanceOf(ValueError);
    expect(isSnnError(err)).toBe(true);
    const msg = (err as Error).message;
    expect(msg).toMatch(/^createNeuron: unknown neuron model 'lfi' \(did you mean 'lif'\?\); known neuron models: /);
    expect(msg).toContain("'darwin_clif'");
    expect((err as UnknownNameError).known).toEqual(neuronModels.names());
    expect(() => neuronModels.get('izhh')).toThrow(/did you mean 'izh'/);
    expect(() => neuronModels.create('zzzzzzzzzzzz')).toThrow(UnknownNameError);
    expect(() => createNeuron(7 as never)).toThrow(ValueError);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('register adds a name, refuses a taken one unless replace, and unregister undoes both', () => {
    const names = neuronModels.names();
    const mine = (o?: { tauM?: number }) => new SpaicLIFNode({ tauM: o?.tauM ?? 3 });
    neuronModels.register('My_LIF', mine);
    expect(neuronModels.names()).toContain('my_lif');
    const n = createNeuron('my_lif', { tauM: 5 }) as SpaicLIFNode;
    expect(n.tauM).toBe(5);
    expect(() => neuronModels.register('MY_LIF', mine)).toThrow(/replace/);
    expect(() => neuronModels.register('lif', mine)).toThrow(ValueError);
    neuronModels.register('lif', mine, { replace: true });
    expect((createNeuron('lif') as SpaicLIFNode).tauM).toBe(3);
    neuronModels.unregister('LIF'); // the built-in comes back
    expect((createNeuron('lif') as SpaicLIFNode).tauM).toBe(8);
    expect(() => neuronModels.unregister('lif')).toThrow(/built-in/);
    neuronModels.unregister('my_lif');
    expect(neuronModels.names()).toEqual(names);
    expect(() => neuronModels.unregister('my_lif')).toThrow(UnknownNameError);
    expect(() => neuronModels.register('', mine)).toThrow(ValueError);
    expect(() => neuronModels.register('x', 3 as never)).toThrow(ValueError);
    expect(() => neuronModels.register('x', mine, { replce: true } as never)).toThrow(UnknownOptionError);
    expect(() => neuronModels.register('x', mine, { replace: 1 } as never)).toThrow(ValueError);
    expect(neuronModels.names()).toEqual(names);
  });
});

type Nested = number[][][];
interface SpaicCase {
  name: string;
  params: { kwargs: Record<string, unknown>; dt: number };
  inputs: { Isyn_seq: Nested };
  outputs: { O_seq: Nested; V_seq: Nested };
}
const golden = JSON.parse(readFileSync(new URL('../test/golden/spaic.json', import.meta.url), 'utf8')) as {
  cases: SpaicCase[];
};

describe("createNeuron(name) against SPAIC's own numbers (spaic_<name>_default, cpu)", () => {
  it.each(['lif', 'if', 'ifsoftreset'] as const)('%s: spikes exact, V within 1e-5 after every step', (name) => {
    const c = golden.cases.find((k) => k.name === `spaic_${name}_default`);
    if (c === undefined) throw new Error(`no case spaic_${name}_default`);
    expect(c.params.kwargs).toEqual({}); // SPAIC's defaults are ours
    const node = createNeuron(name) as SpaicLIFNode | IFBNode;
    let spikes = 0;
    c.inputs.Isyn_seq.forEach((xt, t) => {
      const x = tf.tensor2d(xt);
      const out: Tensor = node.forward(x);
      expect(out.arraySync(), `${name} spikes at step ${t}`).toEqual(c.outputs.O_seq[t]);
      expectClose(node.v, c.outputs.V_seq[t] as unknown as number[][], { rtol: 1e-5, atol: 1e-6 });
      spikes += Array.from(out.dataSync()).reduce((a, b) => a + b, 0);
      tf.dispose([x, out]);
    });
    expect(spikes).toBeGreaterThan(0); // the case has spikes, so the reset is checked
    node.dispose();
  });
});

describe('README, "Lookup by name"', () => {
  const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
  const section = readme.slice(readme.indexOf('## Lookup by name'));
  const block = section.slice(section.indexOf('```ts\n') + 6, section.indexOf('```\n', section.indexOf('```ts\n') + 6));

  it('the example is the code this test runs, and it runs as its comments say', () => {
    // The example without its imports, as run below.
    const body = block.split('\n').filter((l) => !l.startsWith('import ') && l.trim() !== '');
    expect(body.slice(0, 5)).toEqual([
      "const clif = createNeuron('clif', { tauM: 20, stepMode: 'm' }); // a CLIF3KNode",
      'const spikes = clif.forward(tf.fill([100, 1, 4], 0.05)); // [100, 1, 4]',
      "neuronModels.register('fast_lif', (o?: { vThreshold?: number }) => new SpaicLIFNode({ tauM: 2, ...o }));",
      "const mine = createNeuron('FAST_LIF'); // any case",
      "neuronModels.unregister('fast_lif');",
    ]);
    const clif = createNeuron('clif', { tauM: 20, stepMode: 'm' });
    const x = tf.fill([100, 1, 4], 0.05);
    const spikes = clif.forward(x);
    expect(clif).toBeInstanceOf(CLIF3KNode);
    expect(spikes.shape).toEqual([100, 1, 4]);
    neuronModels.register('fast_lif', (o?: { vThreshold?: number }) => new SpaicLIFNode({ tauM: 2, ...o }));
    const mine = createNeuron('FAST_LIF');
    expect((mine as SpaicLIFNode).tauM).toBe(2);
    neuronModels.unregister('fast_lif');
    expect(() => createNeuron('lfi')).toThrow(
      "createNeuron: unknown neuron model 'lfi' (did you mean 'lif'?); known neuron models: 'aclif', ",
    );
    expect(block).toContain(
      "\"createNeuron: unknown neuron model 'lfi' (did you mean 'lif'?); known neuron models: 'aclif', ...\"",
    );
    tf.dispose([x, spikes]);
    clif.dispose();
    mine.dispose();
  });

  it('the table has a row for every registered name', () => {
    const table = section.slice(0, section.indexOf('**`SpaicLIFNode`**'));
    for (const name of neuronModels.names()) expect(table, name).toMatch(new RegExp(`\\| [^|]*\`${name}\`[^|]*\\|`));
  });
});

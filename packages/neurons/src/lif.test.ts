import { readFileSync } from 'node:fs';
import { ValueError } from '@snn/core';
import { describeBackends, expectClose, expectNoLeak } from '@snn/core/testing';
import { sigmoid } from '@snn/surrogates';
import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import { LIFNode } from './lif.js';

interface Case {
  name: string;
  params: { tau: number; decay_input: boolean; v_threshold: number; v_reset: number | null };
  inputs: { x_seq: number[][] };
  outputs: { spike_seq: number[][]; v_seq: number[][] };
}
const cases: Case[] = JSON.parse(
  readFileSync(new URL('../test/golden/neurons.json', import.meta.url), 'utf8'),
).cases.filter((c: Case) => c.name.startsWith('LIFNode_tau'));

describeBackends('LIFNode', () => {
  it.each(cases.map((c) => [c.name, c] as const))('single- and multi-step match SpikingJelly: %s', (_n, c) => {
    const opts = {
      tau: c.params.tau,
      decayInput: c.params.decay_input,
      vThreshold: c.params.v_threshold,
      vReset: c.params.v_reset,
      surrogate: sigmoid(4),
    };
    tf.tidy(() => {
      const x = tf.tensor(c.inputs.x_seq);
      const multi = new LIFNode({ ...opts, stepMode: 'm', storeVSeq: true });
      expect(Array.from(multi.forward(x).dataSync())).toEqual(c.outputs.spike_seq.flat());
      expectClose(multi.vSeq as tf.Tensor, c.outputs.v_seq);
      const single = new LIFNode(opts);
      const spikes = c.inputs.x_seq.map((row) => Array.from(single.forward(tf.tensor(row)).dataSync()));
      expect(spikes.flat()).toEqual(c.outputs.spike_seq.flat());
      expectClose(single.v, c.outputs.v_seq.at(-1) as number[]);
      multi.dispose();
      single.dispose();
    });
  });

  it('keeps tf.memory() flat over 1,000 steps', () => {
    const node = new LIFNode();
    const x = tf.ones([4, 8]);
    expectNoLeak(() => tf.dispose(node.forward(x)), 1000);
    const m = new LIFNode({ stepMode: 'm', storeVSeq: true });
    const xs = tf.ones([3, 4, 8]);
    expectNoLeak(() => tf.dispose(m.forward(xs)), 200);
    tf.dispose([x, xs]);
    node.dispose();
    m.dispose();
  });

  it('validates tau, decayInput and thresholds with named errors, before allocating state', () => {
    const before = tf.memory().numTensors;
    expect(() => new LIFNode({ tau: 1 })).toThrow("LIFNode: 'tau' must be a finite number > 1, got 1");
    expect(() => new LIFNode({ tau: 0 })).toThrow("LIFNode: 'tau' must be a finite number > 1, got 0");
    expect(() => new LIFNode({ tau: Number.POSITIVE_INFINITY })).toThrow(ValueError);
    expect(() => new LIFNode({ decayInput: 'yes' as unknown as boolean })).toThrow(
      "LIFNode: 'decayInput' must be a boolean, got 'yes'",
    );
    expect(() => new LIFNode({ vThreshold: Number.NaN })).toThrow(
      "LIFNode: 'vThreshold' must be a finite number, got NaN",
    );
    expect(tf.memory().numTensors).toBe(before);
  });
});

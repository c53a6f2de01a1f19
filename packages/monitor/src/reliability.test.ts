import { UnknownOptionError, ValueError } from '@snn/core';
import { LIFNode } from '@snn/neurons';
import type { Tensor } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { firingRates, interSpikeIntervals, populationRate, spikeEvents } from './measures.js';
import { MONITOR_OPTION_KEYS, Monitor } from './monitor.js';
import { NetworkMonitor } from './network-monitor.js';

const rec = { data: new Float32Array([0, 1, 1, 0]), shape: [2, 2] };

describe('monitor options are checked', () => {
  it('a misspelt option names the closest valid one', () => {
    const lif = new LIFNode();
    const before = tf.memory().numTensors;
    expect(() => new Monitor(lif, 'spike', { kepp: 'reduce' } as never)).toThrow(UnknownOptionError);
    expect(() => new Monitor(lif, 'spike', { kepp: 'reduce' } as never)).toThrow("did you mean 'keep'");
    expect(() => new NetworkMonitor(lif, 'spike', { mach: '*' } as never)).toThrow("did you mean 'match'");
    expect(() => new Monitor(lif, 'spike', { keep: { lats: 5 } } as never)).toThrow(ValueError);
    expect(() => new Monitor(lif, 'spike', { keep: {} } as never)).toThrow(ValueError);
    expect(tf.memory().numTensors).toBe(before);
    // nothing was attached by a refused monitor
    tf.dispose(lif.forward(tf.ones([1, 2])));
    lif.dispose();
  });

  it('every option name is known to the check', () => {
    const lif = new LIFNode();
    for (const key of MONITOR_OPTION_KEYS) {
      const typo = `${key}x`;
      expect(() => new Monitor(lif, 'spike', { [typo]: 1 } as never)).toThrow(`did you mean '${key}'`);
    }
    lif.dispose();
  });

  it('the measures refuse unknown options', () => {
    expect(() => firingRates(rec, { dtt: 1 } as never)).toThrow(
      "firingRates: unknown option 'dtt' (did you mean 'dt'?)",
    );
    expect(() => populationRate(rec, { bins: 2 } as never)).toThrow("did you mean 'bin'");
    expect(() => interSpikeIntervals(rec, { dT: 2 } as never)).toThrow(UnknownOptionError);
    expect(() => spikeEvents(rec, { batchh: 0 } as never)).toThrow("did you mean 'batch'");
    const lif = new LIFNode();
    const mon = new Monitor(lif, 'spike');
    tf.dispose(lif.forward(tf.ones([1, 2])));
    expect(() => mon.populationRate('spike', { dt: 2 } as never)).toThrow(UnknownOptionError);
    expect(() => mon.spikeEvents('spike', { bacth: 0 } as never)).toThrow("did you mean 'batch'");
    mon.dispose();
    lif.dispose();
  });
});

describe('a refused forward records nothing and leaks nothing', () => {
  it('a channel that meets a new shape leaves every channel as it was', () => {
    const lif = new LIFNode({ tau: 2 });
    // the probe's shape changes on the third call: the monitor must refuse that forward whole
    let calls = 0;
    const probe = {
      name: 'probe',
      read: (_m: unknown, input: Tensor) => (++calls >= 3 ? tf.concat([input, input], 1) : tf.add(input, 0)),
    };
    const mon = new Monitor(lif, ['spike', 'v', probe]);
    const x = tf.fill([1, 4], 0.7);
    tf.dispose(lif.forward(x));
    tf.dispose(lif.forward(x));
    const v = lif.getMemory('v').arraySync();
    const tensors = tf.memory().numTensors;
    for (let i = 0; i < 100; i++) expect(() => lif.forward(x)).toThrow(/per-step shape/);
    expect(mon.recordedSteps).toBe(2);
    expect(mon.toArray('spike').shape).toEqual([2, 1, 4]);
    expect(mon.toArray('v').shape).toEqual([2, 1, 4]);
    expect(mon.steps).toBe(2);
    expect(tf.memory().numTensors).toBe(tensors);
    expect(lif.getMemory('v').arraySync()).toEqual(v); // the node was not stepped either
    mon.dispose();
    x.dispose();
    lif.dispose();
  });

  it('a probe whose read returns a number is a named error, 1,000 times without a leak', () => {
    const lif = new LIFNode({ tau: 2 });
    const mon = new Monitor(lif, ['spike', { name: 'bad', read: () => 3 as unknown as Tensor }], { keep: 'reduce' });
    const x = tf.fill([2, 3], 0.7);
    const tensors = tf.memory().numTensors;
    expect(() => lif.forward(x)).toThrow("Monitor probe 'bad': 'read' must be to return a tf.Tensor, got 3");
    for (let i = 0; i < 1000; i++) expect(() => lif.forward(x)).toThrow(ValueError);
    expect(tf.memory().numTensors).toBe(tensors);
    expect(mon.steps).toBe(0);
    mon.dispose();
    x.dispose();
    lif.dispose();
  });
});

import { Module, StateError, ValueError } from '@snn/core';
import { describeBackends } from '@snn/core/testing';
import { LIFNode } from '@snn/neurons';
import type { Tensor } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { recordingsFromJSON } from './export.js';
import { Monitor } from './monitor.js';
import { NetworkMonitor } from './network-monitor.js';
import { decodeNpy } from './npy.js';
import { float32Short } from './recording.js';

/** A module that outputs its input and keeps it as memory 'last'. */
class Echo extends Module {
  constructor() {
    super();
    this.registerMemory('last', 0);
  }
  protected override singleStepForward(x: Tensor): Tensor {
    this.setMemory('last', tf.clone(x));
    return tf.clone(x);
  }
}

function run(m: Module, rows: number[][]): void {
  for (const r of rows) {
    const x = tf.tensor2d([r]);
    tf.dispose([x, m.forward(x)]);
  }
}

describe('float32Short', () => {
  it('writes the shortest decimal that reads back as the same float32', () => {
    expect(float32Short(Math.fround(0.1))).toBe(0.1);
    expect(float32Short(Math.fround(1 / 3))).toBe(0.33333334);
    expect(float32Short(Math.fround(-2.5e-7))).toBe(-2.5e-7);
    expect(float32Short(3)).toBe(3);
    expect(float32Short(Number.NaN)).toBeNaN();
    for (let i = 0; i < 1000; i++) {
      const f = Math.fround(Math.sin(i) * 10 ** ((i % 20) - 10));
      expect(Math.fround(float32Short(f))).toBe(f);
    }
  });
});

describeBackends('Monitor export', () => {
  it('round-trips a recording through JSON text', () => {
    const echo = new Echo();
    const mon = new Monitor(echo, ['output', 'last'], { keep: { every: 2 }, dt: 0.25 });
    run(echo, [
      [0.1, -2],
      [1, 2],
      [Number.NaN, 1 / 3],
      [4, 5],
      [6, 7],
    ]);
    const text = JSON.stringify(mon);
    expect(text).toContain('"data":[0.1,-2,null,0.33333334,6,7]');
    const back = recordingsFromJSON(text);
    const out = back.output;
    expect(out?.shape).toEqual([3, 1, 2]);
    expect([...(out?.steps ?? [])]).toEqual([0, 2, 4]);
    expect(out?.dt).toBe(0.25);
    expect(Array.from(out?.data ?? [])).toEqual(Array.from(mon.toArray('output').data));
    expect(Object.keys(back)).toEqual(['output', 'last']);
    expect(() => recordingsFromJSON('{"format":"x"}')).toThrow(ValueError);
    expect(() => recordingsFromJSON('{bad')).toThrow(
      /recordingsFromJSON: 'input' must be a monitor's JSON text, got 'text that is not JSON/,
    );
    mon.dispose();
    echo.dispose();
  });

  it('writes sums in reduce mode', () => {
    const lif = new LIFNode();
    const mon = new Monitor(lif, ['spike', 'v'], { keep: 'reduce' });
    run(lif, [
      [2, 0.5],
      [2, 0.5],
      [2, 0.5],
    ]);
    const json = mon.toJSON();
    expect(json.variables.spike).toEqual({ kind: 'summary', shape: [1, 2], steps: 3, sum: [3, 0], mean: [1, 0] });
    expect(recordingsFromJSON(json)).toEqual({});
    const csv = mon.toCSV().trim().split('\n');
    expect(csv[0]).toBe('element,spike_sum,spike_mean,v_sum,v_mean');
    expect(csv[1]).toBe('0,3,1,0,0');
    expect(csv.length).toBe(3);
    expect(() => mon.toNpy('v')).toThrow(StateError);
    mon.dispose();
    lif.dispose();
  });

  it('writes CSV: a row per kept step, a column per element', () => {
    const echo = new Echo();
    const mon = new Monitor(echo, ['output', 'last'], { keep: { last: 2 }, dt: 0.5 });
    run(echo, [
      [1, 2],
      [3, Math.fround(0.1)],
      [Number.NaN, 6],
    ]);
    expect(mon.toCSV()).toBe('step,time,output_0_0,output_0_1,last_0_0,last_0_1\n1,0.5,3,0.1,3,0.1\n2,1,NaN,6,NaN,6\n');
    expect(mon.toCSV('last').split('\n')[0]).toBe('step,time,last_0_0,last_0_1');
    expect(() => mon.toCSV([])).toThrow(ValueError);
    mon.dispose();
    echo.dispose();
  });

  it('writes .npy files that decode to the recording', () => {
    const lif = new LIFNode({ tau: 2 });
    const mon = new Monitor(lif, ['spike', 'v']);
    run(lif, [
      [1.5, 0.3, 2.2],
      [1.5, 0.3, 2.2],
      [1.5, 0.3, 2.2],
      [1.5, 0.3, 2.2],
    ]);
    const v = decodeNpy(mon.toNpy('v'));
    expect(v.descr).toBe('<f4');
    expect(v.shape).toEqual([4, 1, 3]);
    expect(v.data).toEqual(mon.toArray('v').data);
    const files = mon.toNpyFiles();
    expect(Object.keys(files).sort()).toEqual(['spike.npy', 'steps.npy', 'v.npy']);
    const steps = decodeNpy(files['steps.npy'] as Uint8Array);
    expect(steps.descr).toBe('<f8');
    expect([...steps.data]).toEqual([0, 1, 2, 3]);
    mon.dispose();
    lif.dispose();
  });

  it('exports every module of a network', () => {
    const a = new Echo();
    const mon = new NetworkMonitor(a, 'last');
    run(a, [[1, 2]]);
    expect(Object.keys(mon.toNpyFiles())).toEqual(['root/last.npy', 'root/steps.npy']);
    expect(mon.toJSON().modules['']?.variables.last).toEqual({
      kind: 'series',
      shape: [1, 1, 2],
      steps: [0],
      data: [1, 2],
    });
    mon.dispose();
    a.dispose();
  });
}, ['cpu']);

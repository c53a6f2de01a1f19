import { Module, MultiStep, Sequential, ValueError } from '@snn/core';
import { describeBackends, expectClose } from '@snn/core/testing';
import { IFNode, LIFNode } from '@snn/neurons';
import type { Tensor } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { globToRegExp, NetworkMonitor } from './network-monitor.js';

/** A stateless layer: y = x · 0.8 + 0.3. */
class Affine extends Module {
  protected override singleStepForward(x: Tensor): Tensor {
    return tf.tidy(() => tf.add(tf.mul(x, 0.8), 0.3));
  }
}

const input = (T: number): Tensor =>
  tf.tidy(() => tf.add(0.6, tf.mul(0.5, tf.sin(tf.reshape(tf.range(0, T * 2 * 4), [T, 2, 4])))));

describeBackends('NetworkMonitor', () => {
  it('finds the neuron nodes of a Sequential by default and records each like a hand loop', () => {
    const net = new Sequential(new Affine(), new LIFNode({ tau: 2 }), new Affine(), new IFNode());
    const mon = new NetworkMonitor(net, ['spike', 'v']);
    expect(mon.paths).toEqual(['1', '3']);
    const x = input(10);
    const hand: Record<string, number[]> = { '1': [], '3': [] };
    for (let t = 0; t < 10; t++) {
      const xt = tf.tidy(() => tf.squeeze(tf.slice(x, [t, 0, 0], [1, 2, 4]), [0]));
      tf.dispose([xt, net.forward(xt)]);
      hand['1']?.push(...(net.moduleAt('1') as LIFNode).v.dataSync());
      hand['3']?.push(...(net.moduleAt('3') as IFNode).v.dataSync());
    }
    for (const path of ['1', '3']) {
      const v = mon.toArray(path, 'v');
      expect(v.shape).toEqual([10, 2, 4]);
      expectClose(v.data, hand[path] as number[], { rtol: 0, atol: 0 });
    }
    const spikes = mon.toArrays('spike');
    expect(Object.keys(spikes)).toEqual(['1', '3']);
    const t = mon.get('3', 'spike');
    expect(t.shape).toEqual([10, 2, 4]);
    t.dispose();
    mon.remove();
    for (const [, m] of net.namedModules()) expect(m.forwardHookCount).toBe(0);
    mon.dispose();
    x.dispose();
    net.dispose();
  });

  it('selects by glob, RegExp and predicate, and records through MultiStep', () => {
    const net = new Sequential(new MultiStep(new LIFNode()), new MultiStep(new Affine()));
    const paths = (match: ConstructorParameters<typeof NetworkMonitor>[2]): string[] => {
      const m = new NetworkMonitor(net, 'output', match);
      m.dispose();
      return m.paths;
    };
    expect(paths({ match: '*' })).toEqual(['0', '1']);
    expect(paths({ match: '*.module' })).toEqual(['0.module', '1.module']);
    expect(paths({ match: '**' })).toEqual(['', '0', '0.module', '1', '1.module']);
    expect(paths({ match: /^1/ })).toEqual(['1', '1.module']);
    expect(paths({})).toEqual(['0.module']); // the default: the stateful module
    for (const [, m] of net.namedModules()) expect(m.forwardHookCount).toBe(0);
    const mon = new NetworkMonitor(net, ['spike', 'v'], { match: (_p, m) => m instanceof LIFNode });
    expect(mon.paths).toEqual(['0.module']);
    net.setStepMode('m');
    const x = input(6);
    tf.dispose(net.forward(x));
    expect(mon.toArray('0.module', 'v').shape).toEqual([6, 2, 4]); // stepped T times in 's' mode
    mon.dispose();
    x.dispose();
    net.dispose();
  });
});

describe('NetworkMonitor errors and globs', () => {
  it('names what is wrong', () => {
    const net = new Sequential(new Affine(), new LIFNode());
    expect(() => new NetworkMonitor(net, 'v', { match: 'nothing' })).toThrow(
      /'match' must be a pattern that selects at least one module/,
    );
    expect(() => new NetworkMonitor(net, 'v', { match: '*' })).toThrow(ValueError); // Affine has no v
    expect(net.moduleAt('1').forwardHookCount).toBe(0); // nothing left attached after the throw
    expect(() => new NetworkMonitor(net, 'v', { match: 3 as never })).toThrow(/a glob string, a RegExp/);
    const mon = new NetworkMonitor(net, 'v');
    expect(() => mon.at('0')).toThrow(/'path' must be one of '1', got '0'/);
    mon.dispose();
    net.dispose();
  });

  it('turns globs into anchored patterns', () => {
    expect(globToRegExp('layer.*').test('layer.3')).toBe(true);
    expect(globToRegExp('layer.*').test('layer.3.v')).toBe(false);
    expect(globToRegExp('**.lif').test('a.b.lif')).toBe(true);
    expect(globToRegExp('a+b').test('a+b')).toBe(true);
    expect(globToRegExp('1').test('11')).toBe(false);
  });
});

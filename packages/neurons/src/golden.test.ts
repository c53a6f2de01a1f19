// Every case of test/golden/neurons.json and test/golden/neuron_grads.json (numbers from
// SpikingJelly 0.0.0.0.14, see shared/golden/README.md), on every Node backend.
import { readFileSync } from 'node:fs';
import { describeBackends, expectClose } from '@snn/core/testing';
import { atan, type Surrogate, sigmoid } from '@snn/surrogates';
import type { Tensor } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { type BaseNode, type BaseNodeOptions, type NodeParams, resolveNodeParams } from './base-node.js';
import { EIFNode, eifCharge, eifStep } from './eif.js';
import { IFNode, ifCharge, ifStep } from './if.js';
import { IzhikevichNode, izhikevichCharge, izhikevichStep } from './izhikevich.js';
import { LIFNode, lifCharge, lifStep } from './lif.js';
import { ParametricLIFNode, parametricLIFCharge, parametricLIFStep } from './parametric-lif.js';
import { QIFNode, qifCharge, qifStep } from './qif.js';
import type { StepResult } from './step.js';

type Nested = number[][];
interface Case {
  name: string;
  module: string;
  params: Record<string, number | boolean | null | string> & {
    v_threshold: number;
    v_reset: number | null;
    detach_reset: boolean;
    step_mode: 's' | 'm';
    surrogate_function: { class: string; alpha: number };
  };
  inputs: { x_seq: Nested; v_init: number; w_spike?: Nested; w_v?: Nested };
  outputs: {
    spike_seq: Nested;
    v_seq: Nested;
    v_final?: number[];
    h_minus_vth_seq: Nested;
    w_seq?: Nested;
    loss?: number;
  };
  grads?: { x_seq: Nested; w?: number };
}

const load = (file: string): Case[] =>
  JSON.parse(readFileSync(new URL(`../test/golden/${file}`, import.meta.url), 'utf8')).cases;
const forwardCases = load('neurons.json');
const gradCases = load('neuron_grads.json');

function surrogateOf(c: Case): Surrogate {
  const { class: name, alpha } = c.params.surrogate_function;
  if (name === 'Sigmoid') return sigmoid(alpha);
  if (name === 'ATan') return atan(alpha);
  throw new Error(`no surrogate ${name} in these goldens`);
}

type State = { v: Tensor; w?: Tensor };

/** How a golden case maps onto one of our models: node, pure step, pure charge. */
interface Model {
  node(options: BaseNodeOptions): BaseNode;
  step(x: Tensor, s: State, np: NodeParams, node: BaseNode): StepResult<State>;
  charge(x: Tensor, s: State, node: BaseNode): Tensor;
}

function modelOf(c: Case): Model {
  const num = (key: string): number => {
    const value = c.params[key];
    if (typeof value !== 'number') throw new Error(`${c.name}: no number params.${key}`);
    return value;
  };
  const decayInput = c.params.decay_input as boolean;
  const kind = c.module.split('.').at(-1);
  switch (kind) {
    case 'IFNode':
      return {
        node: (o) => new IFNode(o),
        step: (x, s, np) => ifStep(x, s, np),
        charge: (x, s) => ifCharge(x, s.v),
      };
    case 'LIFNode': {
      const lp = { tau: num('tau'), decayInput, vReset: c.params.v_reset };
      return {
        node: (o) => new LIFNode({ ...o, tau: num('tau'), decayInput }),
        step: (x, s, np) => lifStep(x, s, { ...np, ...lp }),
        charge: (x, s) => lifCharge(x, s.v, lp),
      };
    }
    case 'ParametricLIFNode': {
      const lp = { decayInput, vReset: c.params.v_reset };
      return {
        node: (o) => new ParametricLIFNode({ ...o, initTau: num('init_tau'), decayInput }),
        step: (x, s, np, n) => parametricLIFStep(x, s, (n as ParametricLIFNode).w, { ...np, ...lp }),
        charge: (x, s, n) => tf.tidy(() => parametricLIFCharge(x, s.v, tf.sigmoid((n as ParametricLIFNode).w), lp)),
      };
    }
    case 'QIFNode': {
      const qp = { tau: num('tau'), vC: num('v_c'), a0: num('a0'), vRest: num('v_rest') };
      return {
        node: (o) => new QIFNode({ ...o, ...qp }),
        step: (x, s, np) => qifStep(x, s, { ...np, ...qp }),
        charge: (x, s) => qifCharge(x, s.v, qp),
      };
    }
    case 'EIFNode': {
      const ep = { tau: num('tau'), deltaT: num('delta_T'), thetaRh: num('theta_rh'), vRest: num('v_rest') };
      return {
        node: (o) => new EIFNode({ ...o, ...ep }),
        step: (x, s, np) => eifStep(x, s, { ...np, ...ep }),
        charge: (x, s) => eifCharge(x, s.v, ep),
      };
    }
    case 'IzhikevichNode': {
      const ip = {
        tau: num('tau'),
        vC: num('v_c'),
        a0: num('a0'),
        vRest: num('v_rest'),
        wRest: num('w_rest'),
        tauW: num('tau_w'),
        a: num('a'),
        b: num('b'),
      };
      return {
        node: (o) => new IzhikevichNode({ ...o, ...ip }),
        step: (x, s, np) => izhikevichStep(x, s as { v: Tensor; w: Tensor }, { ...np, ...ip }),
        charge: (x, s) => izhikevichCharge(x, s.v, s.w as Tensor, ip),
      };
    }
    default:
      throw new Error(`no model for ${c.module}`);
  }
}

const nodeOptions = (c: Case): BaseNodeOptions => ({
  vThreshold: c.params.v_threshold,
  vReset: c.params.v_reset,
  detachReset: c.params.detach_reset,
  surrogate: surrogateOf(c),
});

/** Row t of a `[T, ...]` tensor. */
const rowOf = (seq: Tensor, t: number): Tensor => tf.squeeze(tf.slice(seq, t, 1), [0]);
const values = (t: Tensor): number[] => Array.from(t.dataSync());

describe('golden data', () => {
  it('has every case the README lists', () => {
    expect(forwardCases).toHaveLength(25);
    expect(gradCases).toHaveLength(10);
  });
});

describeBackends('neurons.json', () => {
  it.each(forwardCases.map((c) => [c.name, c] as const))('%s: node, multi- and single-step', (_name, c) => {
    tf.tidy(() => {
      const model = modelOf(c);
      const x = tf.tensor(c.inputs.x_seq);
      const T = x.shape[0] as number;
      const spikeGold = c.outputs.spike_seq.flat();
      const vFinal = c.outputs.v_final ?? (c.outputs.v_seq.at(-1) as number[]);

      const multi = model.node({ ...nodeOptions(c), stepMode: 'm', storeVSeq: true });
      expect(values(multi.v)).toEqual([Math.fround(c.inputs.v_init)]);
      const mSpikes = multi.forward(x);
      expect(mSpikes.shape).toEqual(x.shape);
      expect(values(mSpikes)).toEqual(spikeGold);
      expectClose(multi.vSeq as Tensor, c.outputs.v_seq, { rtol: 1e-5, atol: 1e-6 });
      expectClose(multi.v, vFinal, { rtol: 1e-5, atol: 1e-6 });

      const single = model.node(nodeOptions(c));
      const sSpikes: number[] = [];
      const sV: number[] = [];
      const sW: number[] = [];
      for (let t = 0; t < T; t++) {
        sSpikes.push(...values(single.forward(rowOf(x, t))));
        sV.push(...values(single.v));
        if (single instanceof IzhikevichNode) sW.push(...values(single.w));
      }
      expect(sSpikes).toEqual(spikeGold);
      // Single-step and multi-step runs agree bit for bit, as in SpikingJelly.
      expect(sV).toEqual(values(multi.vSeq as Tensor));
      if (c.outputs.w_seq !== undefined) {
        expectClose(sW, c.outputs.w_seq, { rtol: 1e-5, atol: 1e-6 });
        expect(values((multi as IzhikevichNode).w)).toEqual(sW.slice(-sW.length / T));
      }
      multi.dispose();
      single.dispose();
    });
  });

  it.each(forwardCases.map((c) => [c.name, c] as const))('%s: pure charge and step', (_name, c) => {
    tf.tidy(() => {
      const model = modelOf(c);
      const np = resolveNodeParams('test', nodeOptions(c));
      const holder = model.node(nodeOptions(c)); // owns PLIF's w
      const x = tf.tensor(c.inputs.x_seq);
      const T = x.shape[0] as number;
      let s: State = { v: tf.scalar(c.inputs.v_init) };
      if (holder instanceof IzhikevichNode) s = { ...s, w: tf.scalar(holder.wRest) };
      const hs: Tensor[] = [];
      const spikes: Tensor[] = [];
      const vs: Tensor[] = [];
      const ws: Tensor[] = [];
      for (let t = 0; t < T; t++) {
        const xt = rowOf(x, t);
        hs.push(tf.sub(model.charge(xt, s, holder), c.params.v_threshold));
        const { spike, state } = model.step(xt, s, np, holder);
        spikes.push(spike);
        vs.push(state.v);
        if (state.w !== undefined) ws.push(state.w);
        s = state;
      }
      expectClose(tf.stack(hs), c.outputs.h_minus_vth_seq, { rtol: 1e-5, atol: 1e-6 });
      expect(values(tf.stack(spikes))).toEqual(c.outputs.spike_seq.flat());
      expectClose(tf.stack(vs), c.outputs.v_seq, { rtol: 1e-5, atol: 1e-6 });
      if (c.outputs.w_seq !== undefined) expectClose(tf.stack(ws), c.outputs.w_seq, { rtol: 1e-5, atol: 1e-6 });
      holder.dispose();
    });
  });
});

describeBackends('neuron_grads.json', () => {
  const modes = gradCases.flatMap((c) => (['m', 's'] as const).map((mode) => [c.name, mode, c] as const));

  it.each(modes)('%s (%s): BPTT through the surrogate', (_name, mode, c) => {
    const model = modelOf(c);
    const node = model.node({ ...nodeOptions(c), stepMode: mode, storeVSeq: true });
    const x0 = tf.tensor(c.inputs.x_seq);
    const x = tf.variable(x0);
    x0.dispose();
    const wSpike = tf.tensor(c.inputs.w_spike as Nested);
    const wV = tf.tensor(c.inputs.w_v as Nested);
    const T = x.shape[0] as number;
    const loss = (): tf.Scalar => {
      node.reset();
      let spikeSeq: Tensor;
      let vSeq: Tensor;
      if (mode === 'm') {
        spikeSeq = node.forward(x);
        vSeq = node.vSeq as Tensor;
      } else {
        const spikes: Tensor[] = [];
        const vs: Tensor[] = [];
        for (let t = 0; t < T; t++) {
          spikes.push(node.forward(rowOf(x, t)));
          vs.push(tf.clone(node.v));
        }
        spikeSeq = tf.stack(spikes);
        vSeq = tf.stack(vs);
      }
      return tf.add(tf.sum(tf.mul(spikeSeq, wSpike)), tf.sum(tf.mul(vSeq, wV)));
    };
    const plif = node instanceof ParametricLIFNode ? node : null;
    const { value, grads } = tf.variableGrads(loss, plif ? [x, plif.w] : [x]);
    expectClose(value, [c.outputs.loss as number], { rtol: 1e-5, atol: 1e-5 });
    expectClose(grads[x.name] as Tensor, c.grads?.x_seq as Nested, { rtol: 1e-5, atol: 1e-6 });
    if (plif) {
      expect(c.grads?.w).toBeTypeOf('number');
      expectClose(grads[plif.w.name] as Tensor, [c.grads?.w as number], { rtol: 1e-5, atol: 1e-6 });
    }
    tf.dispose([value, grads, x, wSpike, wV]);
    node.dispose();
  });
});

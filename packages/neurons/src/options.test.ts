// Every options-taking entry point of this package refuses a misspelt option name (naming the
// closest valid one) and a non-boolean for a boolean option, before it allocates anything. The
// cases are generated from each node's option table, which the compiler holds to its options
// interface, so a new option is tested without editing this file.
import { UnknownOptionError, ValueError } from '@snn/core';
import { describeBackends } from '@snn/core/testing';
import { sigmoid } from '@snn/surrogates';
import type { Tensor } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { ADAPTIVE_CLIF_NODE_OPTIONS, AdaptiveCLIFNode } from './adaptive-clif.js';
import { ADAPTIVE_LIF_NODE_OPTIONS, AdaptiveLIFNode } from './adaptive-lif.js';
import { ADEX_NODE_OPTIONS, AdExNode } from './adex.js';
import { ALIF_STDP_NODE_OPTIONS, ALIFSTDPNode } from './alif-stdp.js';
import { ALPHA_NODE_OPTIONS, AlphaNode } from './alpha.js';
import { CANN_FIELD_NODE_OPTIONS, CANNFieldNode } from './cann-field.js';
import type { AnyOptionTable } from './checks.js';
import { CLIF_NODE_OPTIONS, CLIFNode } from './clif.js';
import { CLIF2K_NODE_OPTIONS, CLIF2KNode } from './clif2k.js';
import { CLIF3K_NODE_OPTIONS, CLIF3KNode } from './clif3k.js';
import { CONSTANT_CURRENT_LIF_NODE_OPTIONS, ConstantCurrentLIFNode } from './constant-current-lif.js';
import { DARWIN_ALIF_NODE_OPTIONS, DarwinALIFNode } from './darwin-alif.js';
import { DARWIN_CLIF_NODE_OPTIONS, DarwinCLIFNode } from './darwin-clif.js';
import { DARWIN_RANDOM_NODE_OPTIONS, DarwinRandomNode } from './darwin-random.js';
import { DIEHL_COOK_NODE_OPTIONS, DiehlCookNode, diehlCookInitialState, diehlCookStep } from './diehl-cook.js';
import { DIEHL_COOK_INT_NODE_OPTIONS, DiehlCookIntNode } from './diehl-cook-int.js';
import { EIF_NODE_OPTIONS, EIFNode } from './eif.js';
import { GLIF_NODE_OPTIONS, GLIFNode } from './glif.js';
import { HODGKIN_HUXLEY_NODE_OPTIONS, HodgkinHuxleyNode } from './hodgkin-huxley.js';
import { IFNode } from './if.js';
import { IFB_NODE_OPTIONS, IFBNode } from './ifb.js';
import {
  BASE_NODE_OPTIONS,
  BaseNode,
  type BaseNodeOptions,
  IzhikevichNode,
  LIFNode,
  type OptionTable,
} from './index.js';
import { IZHIKEVICH_NODE_OPTIONS } from './izhikevich.js';
import { LIF_NODE_OPTIONS } from './lif.js';
import { LIF_INT_NODE_OPTIONS, LIFIntNode } from './lif-int.js';
import { LIFM_NODE_OPTIONS, LIFMNode } from './lifm.js';
import { MEAN_FIELD_NODE_OPTIONS, MeanFieldNode } from './mean-field.js';
import { NON_SPIKING_IFB_NODE_OPTIONS, NonSpikingIFBNode } from './non-spiking-ifb.js';
import { NON_SPIKING_LIF_NODE_OPTIONS, NonSpikingLIFNode } from './non-spiking-lif.js';
import { NULL_NODE_OPTIONS, NullNode } from './null-node.js';
import { PARAMETRIC_LIF_NODE_OPTIONS, ParametricLIFNode } from './parametric-lif.js';
import { PLIF2K_NODE_OPTIONS, PLIF2KNode } from './plif2k.js';
import { QIF_NODE_OPTIONS, QIFNode } from './qif.js';
import { QLIF_NODE_OPTIONS, QLIFNode } from './qlif.js';
import { RECURRENT_IF_NODE_OPTIONS, RecurrentIFNode } from './recurrent-if.js';
import { SELIF_NODE_OPTIONS, SELIFNode } from './selif.js';
import { SIMPLE_RATE_NODE_OPTIONS, SimpleRateNode } from './simple-rate.js';
import { SLIF_NODE_OPTIONS, SLIFNode } from './slif.js';
import { misspell } from './test-support.js';

type Make = (options: unknown) => { dispose(): void };

/** Every node constructor with the table of the options it takes. */
const NODES: readonly (readonly [string, Make, AnyOptionTable])[] = [
  ['IFNode', (o) => new IFNode(o as never), BASE_NODE_OPTIONS],
  ['LIFNode', (o) => new LIFNode(o as never), LIF_NODE_OPTIONS],
  ['ParametricLIFNode', (o) => new ParametricLIFNode(o as never), PARAMETRIC_LIF_NODE_OPTIONS],
  ['QIFNode', (o) => new QIFNode(o as never), QIF_NODE_OPTIONS],
  ['EIFNode', (o) => new EIFNode(o as never), EIF_NODE_OPTIONS],
  ['IzhikevichNode', (o) => new IzhikevichNode(o as never), IZHIKEVICH_NODE_OPTIONS],
  ['AdExNode', (o) => new AdExNode(o as never), ADEX_NODE_OPTIONS],
  ['HodgkinHuxleyNode', (o) => new HodgkinHuxleyNode(o as never), HODGKIN_HUXLEY_NODE_OPTIONS],
  ['GLIFNode', (o) => new GLIFNode(o as never), GLIF_NODE_OPTIONS],
  ['CLIFNode', (o) => new CLIFNode(o as never), CLIF_NODE_OPTIONS],
  ['AlphaNode', (o) => new AlphaNode(o as never), ALPHA_NODE_OPTIONS],
  ['AdaptiveLIFNode', (o) => new AdaptiveLIFNode(o as never), ADAPTIVE_LIF_NODE_OPTIONS],
  ['DiehlCookNode', (o) => new DiehlCookNode(o as never), DIEHL_COOK_NODE_OPTIONS],
  ['NonSpikingLIFNode', (o) => new NonSpikingLIFNode(o as never), NON_SPIKING_LIF_NODE_OPTIONS],
  ['RecurrentIFNode', (o) => new RecurrentIFNode(o as never), RECURRENT_IF_NODE_OPTIONS],
  // SPAIC integer, Darwin-chip, rate and field, STDP-ready models (issue 19)
  ['LIFIntNode', (o) => new LIFIntNode(o as never), LIF_INT_NODE_OPTIONS],
  ['DiehlCookIntNode', (o) => new DiehlCookIntNode(o as never), DIEHL_COOK_INT_NODE_OPTIONS],
  ['DarwinCLIFNode', (o) => new DarwinCLIFNode(o as never), DARWIN_CLIF_NODE_OPTIONS],
  ['DarwinALIFNode', (o) => new DarwinALIFNode(o as never), DARWIN_ALIF_NODE_OPTIONS],
  ['DarwinRandomNode', (o) => new DarwinRandomNode(o as never), DARWIN_RANDOM_NODE_OPTIONS],
  ['MeanFieldNode', (o) => new MeanFieldNode(o as never), MEAN_FIELD_NODE_OPTIONS],
  ['SimpleRateNode', (o) => new SimpleRateNode(o as never), SIMPLE_RATE_NODE_OPTIONS],
  ['CANNFieldNode', (o) => new CANNFieldNode(o as never), CANN_FIELD_NODE_OPTIONS],
  ['ALIFSTDPNode', (o) => new ALIFSTDPNode(o as never), ALIF_STDP_NODE_OPTIONS],
  // SPAIC neuron models: IFB, NonSpikingIFB, Null, ConstantCurrentLIF, LIFM, kernel CLIFs, SpikeProp, QLIF (issue 19)
  ['IFBNode', (o) => new IFBNode(o as never), IFB_NODE_OPTIONS],
  ['NonSpikingIFBNode', (o) => new NonSpikingIFBNode(o as never), NON_SPIKING_IFB_NODE_OPTIONS],
  ['NullNode', (o) => new NullNode(o as never), NULL_NODE_OPTIONS],
  ['ConstantCurrentLIFNode', (o) => new ConstantCurrentLIFNode(o as never), CONSTANT_CURRENT_LIF_NODE_OPTIONS],
  ['LIFMNode', (o) => new LIFMNode(o as never), LIFM_NODE_OPTIONS],
  ['CLIF3KNode', (o) => new CLIF3KNode(o as never), CLIF3K_NODE_OPTIONS],
  ['CLIF2KNode', (o) => new CLIF2KNode(o as never), CLIF2K_NODE_OPTIONS],
  ['PLIF2KNode', (o) => new PLIF2KNode(o as never), PLIF2K_NODE_OPTIONS],
  ['AdaptiveCLIFNode', (o) => new AdaptiveCLIFNode(o as never), ADAPTIVE_CLIF_NODE_OPTIONS],
  ['SLIFNode', (o) => new SLIFNode(o as never), SLIF_NODE_OPTIONS],
  ['SELIFNode', (o) => new SELIFNode(o as never), SELIF_NODE_OPTIONS],
  ['QLIFNode', (o) => new QLIFNode(o as never), QLIF_NODE_OPTIONS],
];

/** Runs `f`, which must throw; returns the error after checking that no tensor was left behind. */
function thrown(f: () => unknown): Error {
  const before = tf.memory().numTensors;
  let error: unknown;
  try {
    f();
  } catch (e) {
    error = e;
  }
  expect(tf.memory().numTensors).toBe(before);
  expect(error).toBeInstanceOf(Error);
  return error as Error;
}

describeBackends('node options', () => {
  describe.each(NODES)('%s', (name, make, table) => {
    const keys = Object.keys(table);
    const booleans = keys.filter((k) => table[k] === 'boolean');

    it.each(keys)('a misspelling of %s is an UnknownOptionError naming it', (key) => {
      const typo = misspell(key, keys);
      const e = thrown(() => make({ [typo]: 1 }));
      expect(e).toBeInstanceOf(UnknownOptionError);
      expect(e.message).toContain(`${name}: unknown option '${typo}' (did you mean '${key}'?)`);
      expect(e.message).toContain(`known options: ${keys.map((k) => `'${k}'`).join(', ')}`);
    });

    it.each(keys)('%s itself is accepted (undefined: the default)', (key) => {
      make({ [key]: undefined }).dispose();
    });

    it.each(booleans.length > 0 ? booleans : ['(none)'])('boolean option %s takes only booleans', (key) => {
      if (key === '(none)') return;
      for (const bad of ['no', 'false', 0, 1, null]) {
        const e = thrown(() => make({ [key]: bad }));
        expect(e).toBeInstanceOf(ValueError);
        expect(e).not.toBeInstanceOf(UnknownOptionError);
        expect(e.message).toContain(`${name}: '${key}' must be a boolean`);
      }
      for (const ok of [true, false]) make({ [key]: ok }).dispose();
    });

    it('refuses options that are not an object', () => {
      for (const bad of [null, 5, 'tau', [1]]) {
        const e = thrown(() => make(bad));
        expect(e).toBeInstanceOf(ValueError);
        expect(e.message).toContain(`${name}: 'options' must be an options object`);
      }
    });
  });

  it('literal cases: { tua: 5 } on LIFNode, options of one node given to another', () => {
    expect(() => new LIFNode({ tua: 5 } as never)).toThrow(UnknownOptionError);
    expect(() => new LIFNode({ tua: 5 } as never)).toThrow(
      "LIFNode: unknown option 'tua' (did you mean 'tau'?); known options: 'vThreshold', 'vReset', 'surrogate', " +
        "'detachReset', 'stepMode', 'storeVSeq', 'checkFiniteInput', 'tau', 'decayInput'",
    );
    expect(new LIFNode({ tau: 5 }).tau).toBe(5);
    expect(() => new IFNode({ tau: 2 } as never)).toThrow("IFNode: unknown option 'tau'");
    expect(() => new NonSpikingLIFNode({ vThreshold: 1 } as never)).toThrow(
      "NonSpikingLIFNode: unknown option 'vThreshold'",
    );
    expect(() => new IzhikevichNode({ tauw: 4 } as never)).toThrow("did you mean 'tauW'?");
    expect(() => new DiehlCookNode({ keepTheat: false } as never)).toThrow("did you mean 'keepTheta'?");
    expect(() => new LIFNode({ detachReset: 'no' as never })).toThrow(
      "LIFNode: 'detachReset' must be a boolean, got 'no'",
    );
    expect(() => new LIFNode({ checkFiniteInput: 'false' as never })).toThrow(ValueError);
    expect(() => new RecurrentIFNode({ trainableW: 'yes' as never })).toThrow(
      "RecurrentIFNode: 'trainableW' must be a boolean, got 'yes'",
    );
  });

  it("diehlCookStep's learning flag is a boolean", () => {
    const p = {
      dt: 1,
      vRest: -65,
      tau: 100,
      refrac: 5,
      thetaPlus: 0.05,
      tauTheta: 1e7,
      vLowerBound: null,
      oneSpike: false,
      vThreshold: -52,
      vReset: -60,
      surrogate: sigmoid(4),
      detachReset: false,
    };
    const s = diehlCookInitialState(p);
    const x = tf.fill([1, 3], 2);
    const e = thrown(() => diehlCookStep(x, s, p, 'no' as never));
    expect(e.message).toBe("diehlCookStep: 'learning' must be a boolean, got 'no'");
    tf.dispose([x, s.v, s.theta, s.refrac]);
  });
});

// ---- a user's node with an option of its own (as in README.md) ----
interface GainIFOptions extends BaseNodeOptions {
  readonly gain?: number;
}
const GAIN_IF_OPTIONS: OptionTable<GainIFOptions> = { ...BASE_NODE_OPTIONS, gain: 'value' };

class GainIF extends BaseNode {
  readonly gain: number;
  constructor(options: GainIFOptions = {}) {
    super('GainIF', options, GAIN_IF_OPTIONS);
    this.gain = options.gain ?? 1;
  }
  protected override charge(x: Tensor, v: Tensor): Tensor {
    return tf.add(v, tf.mul(x, this.gain));
  }
}

/** A node that passes no table: BaseNode checks against BASE_NODE_OPTIONS. */
class PlainIF extends BaseNode {
  constructor(options: BaseNodeOptions = {}) {
    super('PlainIF', options);
  }
  protected override charge(x: Tensor, v: Tensor): Tensor {
    return tf.add(v, x);
  }
}
// ---- end of the user's code ----

describeBackends('options of a custom node', () => {
  it('are checked against the table it passes to BaseNode, or against BASE_NODE_OPTIONS', () => {
    const e = thrown(() => new GainIF({ gian: 2 } as never));
    expect(e).toBeInstanceOf(UnknownOptionError);
    expect(e.message).toContain("GainIF: unknown option 'gian' (did you mean 'gain'?)");
    expect(thrown(() => new GainIF({ storeVSeq: 'yes' as never })).message).toBe(
      "GainIF: 'storeVSeq' must be a boolean, got 'yes'",
    );
    const node = new GainIF({ gain: 2 });
    const spikes = node.forward(tf.tensor2d([[0.4, 0.6]]));
    expect(Array.from(spikes.dataSync())).toEqual([0, 1]); // 0.8 < 1 ≤ 1.2
    spikes.dispose();
    node.dispose();
    expect(thrown(() => new PlainIF({ gain: 2 } as never))).toBeInstanceOf(UnknownOptionError);
    expect(thrown(() => new PlainIF({ detachRest: true } as never)).message).toContain("did you mean 'detachReset'?");
  });
});

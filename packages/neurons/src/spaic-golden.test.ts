// The nodes ported from SPAIC against SPAIC's own numbers: the cases of test/golden/spaic.json
// (SPAIC 0.6.3, torch, float32, dt = 0.1; see shared/golden/README.md, "spaic.json") that these
// nodes model. Each case drives a population directly (x[t] is the input of step t, no connection
// delay) and records every state variable after every step. Every case runs one call per step
// (all recorded states compared after each step) and as one multi-step call (same outputs, V
// after each step in vSeq, same final state); spikes must match exactly, floats within 1e-5
// relative (1e-6 absolute near 0), on every Node backend.
import { readFileSync, writeFileSync } from 'node:fs';
import type { Module } from '@snn/core';
import { describeBackends, expectClose } from '@snn/core/testing';
import type { Tensor } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, expect, it } from 'vitest';
import { AdaptiveCLIFNode } from './adaptive-clif.js';
import { CLIF2KNode } from './clif2k.js';
import { CLIF3KNode } from './clif3k.js';
import { ConstantCurrentLIFNode } from './constant-current-lif.js';
import { IFBNode } from './ifb.js';
import { LIFMNode } from './lifm.js';
import { NonSpikingIFBNode } from './non-spiking-ifb.js';
import { NullNode } from './null-node.js';
import { PLIF2KNode } from './plif2k.js';
import { SELIFNode } from './selif.js';
import { SLIFNode } from './slif.js';
import { spaicKernelV0 } from './spaic-node.js';

type Nested = number[][][];
interface SpaicCase {
  name: string;
  params: { resolved: Record<string, Record<string, number | number[][]> | number> };
  inputs: Record<string, Nested>;
  outputs: Record<string, Nested | number>;
}

const golden = JSON.parse(readFileSync(new URL('../test/golden/spaic.json', import.meta.url), 'utf8')) as {
  dt: number;
  cases: SpaicCase[];
};
const caseNamed = (name: string): SpaicCase => {
  const c = golden.cases.find((k) => k.name === name);
  if (c === undefined) throw new Error(`no case ${name} in spaic.json`);
  return c;
};

type Node = Module & { readonly vSeq?: Tensor | null };
type Options = { stepMode: 's' | 'm'; storeVSeq?: boolean };

/** How a case maps onto one of our nodes. */
interface Spec {
  readonly make: (o: Options) => Node;
  /** The output of `forward` (spikes or V) in the case's outputs. */
  readonly out: string;
  /** Recorded state (key of outputs, without `_seq`) → our memory. */
  readonly states: Readonly<Record<string, string>>;
  /** SPAIC's stored constants (by name in params.resolved) → ours, from the node. */
  readonly constants?: (node: Node) => Readonly<Record<string, number>>;
  /** Whether the node keeps V (and so fills vSeq). */
  readonly hasV: boolean;
  /** Whether the output is spikes (compared exactly). Default true. */
  readonly spikes?: boolean;
  /** The input in the case's inputs. Default `Isyn_seq`. */
  readonly input?: string;
  /** The output is SpikeProp's pair `[B, 2, N]`: spikes (O_spike_seq) and times (O_subdt_seq). */
  readonly pair?: boolean;
}

const dt = 0.1;
const nums = (n: Node) => n as unknown as Record<string, number>;
const SPECS: Readonly<Record<string, Spec>> = {
  spaic_ifb_default: { make: (o) => new IFBNode(o), out: 'O_seq', states: { V: 'v' }, hasV: true },
  spaic_nonspikingifb_default: {
    make: (o) => new NonSpikingIFBNode(o),
    out: 'V_seq',
    states: { V: 'v' },
    hasV: true,
    spikes: false,
  },
  spaic_null_default: {
    make: (o) => new NullNode({ stepMode: o.stepMode }),
    out: 'O_seq',
    states: {},
    hasV: false,
    spikes: false,
  },
  // SPAIC 0.6.3's code (hard reset, no spike-dependent decay); the default is the documented model.
  spaic_lifm_default: {
    make: (o) => new LIFMNode({ ...o, hardReset: true, dt }),
    out: 'O_seq',
    states: { V: 'v', I: 'i' },
    constants: (n) => ({ tauM: nums(n).decayM as number, tauP: nums(n).decayP as number }),
    hasV: true,
  },
  // SPAIC 0.6.3's code (reset one step late); the default resets in the step of the spike.
  spaic_constantcurrentlif_default: {
    make: (o) => new ConstantCurrentLIFNode({ ...o, delayedReset: true, dt }),
    out: 'O_seq',
    states: { V: 'v' },
    constants: (n) => ({ tauM: nums(n).rate as number }),
    hasV: true,
  },
  spaic_clif_default: {
    make: (o) => new CLIF3KNode({ ...o, dt }),
    out: 'O_seq',
    states: { M: 'm', S: 's', E: 'e', I: 'i', V: 'v' },
    constants: (n) => {
      const k = nums(n);
      return { tauM: k.decayM as number, tauP: k.decayP as number, tauQ: k.decayQ as number, V0: k.v0 as number };
    },
    hasV: true,
  },
  spaic_clif2k_default: {
    make: (o) => new CLIF2KNode({ ...o, dt }),
    out: 'O_seq',
    states: { M: 'm', S: 's', E: 'e', I: 'i', V: 'v' },
    constants: (n) => {
      const k = nums(n);
      return { tauM: k.decayM as number, tauS: k.decayQ as number, V0: k.v0 as number };
    },
    hasV: true,
  },
  spaic_pclif_default: {
    make: (o) => new PLIF2KNode(o),
    out: 'O_seq',
    states: { M: 'm', S: 's', E: 'e', V: 'v' },
    constants: (n) => {
      const p = n as PLIF2KNode;
      return { tauM: p.decayM.dataSync()[0] as number, tauS: p.decayS.dataSync()[0] as number };
    },
    hasV: true,
  },
  spaic_aclif_default: {
    make: (o) => new AdaptiveCLIFNode({ ...o, dt }),
    out: 'O_seq',
    states: { M: 'm', S: 's', E: 'e', I: 'i', V: 'v', 'Vth1[stay]': 'vth1' },
    constants: (n) => {
      const k = nums(n);
      const c = { tauM: k.decayM, tauP: k.decayP, tauQ: k.decayQ, tauA: k.decayA, V0: k.v0 };
      return c as Record<string, number>;
    },
    hasV: true,
  },
  // Stand-ins in spaic.json: SPAIC's own update code with its deleted learner's firing function.
  spaic_slif_default: {
    make: (o) => new SLIFNode({ ...o, dt }),
    input: 'x_seq',
    out: 'O_spike_seq',
    pair: true,
    states: { M: 'm', S: 's', V: 'v', dV: 'dv' },
    constants: (n) => {
      const k = nums(n);
      return { V0: k.v0, beta_m: k.decayM, beta_s: k.decayS, v_reset: k.vReset } as Record<string, number>;
    },
    hasV: true,
  },
  spaic_selif_default: {
    make: (o) => new SELIFNode({ ...o, dt }),
    input: 'x_seq',
    out: 'O_spike_seq',
    pair: true,
    states: { M: 'm', S: 's', V: 'v', dV: 'dv', R: 'r' },
    constants: (n) => {
      const k = nums(n);
      const c = { V0: k.v0, beta_e: k.decayP, beta_s: k.decayQ, beta_r: k.decayR, v_reset: k.vReset };
      return c as Record<string, number>;
    },
    hasV: true,
  },
};

/** Checks a step's output (`[B, N]`, or `[B, 2, N]` pairs) against the case. */
function checkOutput(spec: Spec, c: SpaicCase, out: Tensor, t: number | null, label: string): void {
  const pick = (key: string) => {
    const seq = c.outputs[key] as Nested;
    return t === null ? seq : (seq[t] as unknown as Nested);
  };
  if (spec.pair) {
    const axis = t === null ? 2 : 1;
    const [spike, subdt] = tf.unstack(out, axis) as [Tensor, Tensor];
    expect(spike.arraySync(), label).toEqual(pick('O_spike_seq'));
    expectClose(subdt, pick('O_subdt_seq'));
    track(label, subdt.dataSync(), (pick('O_subdt_seq') as unknown as number[][]).flat(2) as number[]);
    return;
  }
  if (spec.spikes !== false) expect(out.arraySync(), label).toEqual(pick(spec.out));
  else expectClose(out, pick(spec.out));
  track(label, out.dataSync(), (pick(spec.out) as unknown as number[][]).flat(2) as number[]);
}

/** `[T][B][N]` → step t as a `[B, N]` tensor. */
const at = (seq: Nested, t: number): Tensor => tf.tensor2d(seq[t] as number[][]);

/** Largest error per case (for the README), written when SPAIC_GOLDEN_REPORT names a file. */
const report: Record<string, { maxAbs: number; maxRel: number }> = {};
function track(name: string, got: ArrayLike<number>, want: number[]): void {
  const r = report[name] ?? { maxAbs: 0, maxRel: 0 };
  for (let i = 0; i < want.length; i++) {
    // The JSON holds the shortest decimal of each float32: fround gives the float32 back.
    const w = Math.fround(want[i] as number);
    const d = Math.abs((got[i] as number) - w);
    r.maxAbs = Math.max(r.maxAbs, d);
    if (w !== 0) r.maxRel = Math.max(r.maxRel, d / Math.abs(w));
  }
  report[name] = r;
}
afterAll(() => {
  const file = process.env.SPAIC_GOLDEN_REPORT;
  if (file) writeFileSync(file, JSON.stringify(report, null, 1));
});

/** SPAIC's resolved constants, flattened to one number each. */
function resolvedConstants(c: SpaicCase): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [name, group] of Object.entries(c.params.resolved)) {
    if (typeof group === 'number') out[name] = group;
    if (typeof group !== 'object') continue;
    for (const [k, v] of Object.entries(group))
      out[k] = typeof v === 'number' ? v : ((v as number[][])[0]?.[0] as number);
  }
  return out;
}

describeBackends('SPAIC models against spaic.json', (backend) => {
  it.each(Object.keys(SPECS))('%s: constants as SPAIC stores them', (name) => {
    const spec = SPECS[name] as Spec;
    const c = caseNamed(name);
    const node = spec.make({ stepMode: 's' });
    const want = resolvedConstants(c);
    const got = spec.constants?.(node) ?? {};
    for (const [k, v] of Object.entries(got)) expect(Math.fround(v), k).toBe(Math.fround(want[k] as number));
    node.dispose();
  });

  it.each(Object.keys(SPECS))('%s: one call per step, every recorded state after every step', (name) => {
    const spec = SPECS[name] as Spec;
    const c = caseNamed(name);
    const xs = c.inputs[spec.input ?? 'Isyn_seq'] as Nested;
    const node = spec.make({ stepMode: 's' });
    for (let t = 0; t < xs.length; t++) {
      tf.tidy(() => {
        const out = node.forward(at(xs, t));
        checkOutput(spec, c, out, t, `${name} [${backend}]`);
        for (const [key, memory] of Object.entries(spec.states)) {
          const w = (c.outputs[`${key}_seq`] as Nested)[t] as number[][];
          const got = node.getMemory(memory);
          expectClose(got, w);
          track(`${name} [${backend}]`, got.dataSync(), w.flat());
        }
      });
    }
    node.dispose();
  });

  it.each(Object.keys(SPECS))('%s: one multi-step call gives the same', (name) => {
    const spec = SPECS[name] as Spec;
    const c = caseNamed(name);
    const xs = c.inputs[spec.input ?? 'Isyn_seq'] as Nested;
    tf.tidy(() => {
      const node = spec.make({ stepMode: 'm', storeVSeq: true });
      const out = node.forward(tf.tensor3d(xs));
      checkOutput(spec, c, out, null, `${name} [${backend}]`);
      if (spec.hasV) expectClose(node.vSeq as Tensor, c.outputs.V_seq as Nested);
      for (const [key, memory] of Object.entries(spec.states)) {
        expectClose(node.getMemory(memory), (c.outputs[`${key}_seq`] as Nested).at(-1) as number[][]);
      }
      node.dispose();
    });
  });
});

it('V0 of the kernel models is the float64 formula of the case (clif: 6.75 = 2·1.5³)', () => {
  expect(spaicKernelV0(12, 8)).toBe(6.75);
  expect(Math.fround(spaicKernelV0(20, 12))).toBe(
    Math.fround(resolvedConstants(caseNamed('spaic_clif2k_default')).V0 as number),
  );
});

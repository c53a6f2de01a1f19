// What every node ported from SPAIC shares (spaic-node.ts): SPAIC's strict fire with a surrogate
// gradient, its float32 constants, and the SpaicNode machinery (step modes, input checks that
// leave the state alone, extra inputs, storeVSeq, reset), shown on IFBNode and LIFMNode.
import { ShapeError, ValueError } from '@snn/core';
import { describeBackends, expectClose } from '@snn/core/testing';
import { atan, sigmoid } from '@snn/surrogates';
import type { Tensor } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import { AdaptiveCLIFNode } from './adaptive-clif.js';
import { CLIF2KNode } from './clif2k.js';
import { CLIF3KNode } from './clif3k.js';
import { ConstantCurrentLIFNode } from './constant-current-lif.js';
import { IFBNode } from './ifb.js';
import { LIFMNode } from './lifm.js';
import { NonSpikingIFBNode } from './non-spiking-ifb.js';
import { PLIF2KNode } from './plif2k.js';
import { QLIFNode } from './qlif.js';
import { SELIFNode } from './selif.js';
import { SLIFNode } from './slif.js';
import { spaicDecay, spaicFire, spaicKernelV0, spaicRate } from './spaic-node.js';

/** Memories as plain arrays, to compare before and after a refused call. */
const snapshot = (node: { namedMemories(): [string, Tensor][] }) =>
  node.namedMemories().map(([k, t]) => [k, t.shape, Array.from(t.dataSync())]);

describeBackends('SPAIC node base', () => {
  it('fires strictly above threshold: H = vThreshold does not fire (SPAIC), unlike SpikingJelly', () => {
    tf.tidy(() => {
      const h = tf.tensor1d([0.5, 1, Math.fround(1 + 2 ** -23), 2]);
      const s = spaicFire(h, { vThreshold: 1, surrogate: sigmoid(4) });
      expect(Array.from(s.dataSync())).toEqual([0, 0, 1, 1]);
      // The same threshold through the surrogate's own (inclusive) Heaviside fires at 1.
      expect(Array.from(sigmoid(4).apply(tf.sub(h, 1)).dataSync())).toEqual([0, 1, 1, 1]);
    });
  });

  it("passes the surrogate's gradient g'(H − vThreshold) back, for any surrogate", () => {
    tf.tidy(() => {
      const h = tf.tensor1d([0.2, 0.9, 1, 1.3]);
      for (const surrogate of [sigmoid(4), atan(2)]) {
        const g = tf.grad((x: Tensor) => tf.sum(spaicFire(x, { vThreshold: 1, surrogate })))(h);
        const z = [0.2, 0.9, 1, 1.3].map((v) => v - 1);
        const want =
          surrogate.name === 'sigmoid'
            ? z.map((v) => {
                const sg = 1 / (1 + Math.exp(-4 * v));
                return 4 * sg * (1 - sg);
              })
            : z.map((v) => 1 / (1 + ((Math.PI / 2) * 2 * v) ** 2));
        expectClose(g, want, { rtol: 1e-5 });
      }
      // Non-spiking mode: the primitive, sigmoid(4(H − 1)).
      const smooth = spaicFire(h, { vThreshold: 1, surrogate: sigmoid(4, { spiking: false }) });
      expectClose(
        smooth,
        [0.2, 0.9, 1, 1.3].map((v) => 1 / (1 + Math.exp(-4 * (v - 1)))),
      );
    });
  });

  it('computes constants as SPAIC stores them: float32 (1/τ)·(−dt), then exp; V0 normalises the PSP peak', () => {
    // torch divides a number by a tensor through the reciprocal: 0.1/20 is 0.0050000004, not 0.005.
    expect(spaicRate(0.1, 20)).toBe(Math.fround(0.0050000004));
    expect(spaicRate(0.1, 20)).not.toBe(Math.fround(0.1 / 20));
    expect(spaicDecay(0.1, 20)).toBe(Math.fround(Math.exp(Math.fround(Math.fround(0.05) * Math.fround(-0.1)))));
    expect(Math.abs(spaicDecay(0.1, 12) - Math.exp(-0.1 / 12))).toBeLessThan(1e-7);
    // V0·(e^{−t/τp} − e^{−t/τq}) peaks at exactly 1 at t* = τpτq ln(τp/τq)/(τp − τq).
    for (const [tp, tq] of [
      [12, 8],
      [20, 12],
      [6, 2],
      [3, 7],
    ] as const) {
      const tStar = ((tp * tq) / (tp - tq)) * Math.log(tp / tq);
      expect(spaicKernelV0(tp, tq) * (Math.exp(-tStar / tp) - Math.exp(-tStar / tq))).toBeCloseTo(1, 12);
    }
  });

  it('states start as scalars, take the input shape at the first step and return to scalars on reset()', () => {
    const node = new LIFMNode();
    expect(node.v.shape).toEqual([]);
    tf.dispose(node.forward(tf.fill([2, 3], 0.5)));
    for (const [, t] of node.namedMemories()) expect(t.shape).toEqual([2, 3]);
    node.reset();
    for (const [, t] of node.namedMemories()) expect(t.shape).toEqual([]);
    tf.dispose(node.forward(tf.fill([5, 1], 0.5))); // another batch size after reset
    expect(node.v.shape).toEqual([5, 1]);
    node.dispose();
  });

  it('one multi-step call equals one call per step (outputs, every state, vSeq)', () => {
    tf.tidy(() => {
      const xs = tf.randomUniform([30, 2, 5], -0.2, 1.5, 'float32', 3);
      const a = new LIFMNode({ stepMode: 'm', storeVSeq: true });
      const b = new LIFMNode();
      const seq = a.forward(xs);
      const vs: Tensor[] = [];
      const steps = tf.unstack(xs).map((x) => {
        const s = b.forward(x);
        vs.push(tf.clone(b.v));
        return s;
      });
      expect(seq.arraySync()).toEqual(tf.stack(steps).arraySync());
      expect(Array.from((a.vSeq as Tensor).dataSync())).toEqual(Array.from(tf.stack(vs).dataSync()));
      expect(snapshot(a)).toEqual(snapshot(b));
      a.dispose();
      b.dispose();
    });
  });

  it('refuses a bad input by name and leaves the state and tf.memory() as they were', () => {
    const node = new IFBNode();
    tf.dispose(node.forward(tf.fill([2, 3], 0.6)));
    const before = snapshot(node);
    const tensors = tf.memory().numTensors;
    const wrong = tf.zeros([2, 4]);
    expect(() => node.forward(wrong)).toThrow(ShapeError);
    expect(() => node.forward(wrong)).toThrow(
      "IFBNode.forward: 'x' must have the shape of the state 'v', [2, 3] per step (call reset() to change shape), got shape [2, 4]",
    );
    expect(() => node.forward([1, 2] as never)).toThrow(ValueError);
    const gone = tf.zeros([2, 3]);
    gone.dispose();
    expect(() => node.forward(gone)).toThrow('a tensor that is not disposed');
    node.setStepMode('m');
    const empty = tf.zeros([0, 2, 3]);
    expect(() => node.forward(empty)).toThrow(
      "IFBNode.forward: 'xSeq.shape[0] (T)' must be at least 1 time step, got 0",
    );
    expect(snapshot(node)).toEqual(before);
    expect(tf.memory().numTensors).toBe(tensors + 2);
    tf.dispose([wrong, empty]);
    node.dispose();
  });

  it('checkFiniteInput refuses NaN and Infinity before any state changes', () => {
    const node = new IFBNode({ checkFiniteInput: true });
    tf.dispose(node.forward(tf.fill([1, 2], 0.4)));
    const before = snapshot(node);
    const bad = tf.tensor2d([[0.1, Number.NaN]]);
    expect(() => node.forward(bad)).toThrow("IFBNode.forward: 'x' must be finite everywhere");
    expect(snapshot(node)).toEqual(before);
    bad.dispose();
    node.dispose();
  });

  it('extra inputs are checked against x before anything runs; a wrong one changes nothing', () => {
    const node = new LIFMNode({ stepMode: 'm' });
    const x = tf.fill([4, 2, 3], 0.3);
    tf.dispose(node.forward(x));
    const before = snapshot(node);
    const tensors = tf.memory().numTensors;
    const wrong = tf.zeros([4, 2, 2]);
    expect(() => node.forwardWithElectrical(x, wrong)).toThrow(
      "LIFMNode.forwardWithElectrical: 'iEle' must have the shape of x, [4, 2, 3], got shape [4, 2, 2]",
    );
    expect(() => node.forwardWithElectrical(x, 'big' as never)).toThrow(ValueError);
    expect(snapshot(node)).toEqual(before);
    expect(tf.memory().numTensors).toBe(tensors + 1);
    tf.dispose([x, wrong]);
    node.dispose();
  });

  it('an output is never one of the memories: disposing it leaves the node intact', () => {
    const node = new LIFMNode({ hardReset: true }); // its spikes are also its state `o`
    const x = tf.fill([1, 2], 2);
    const s = node.forward(x);
    s.dispose();
    expect(node.getMemory('o').isDisposed).toBe(false);
    tf.dispose(node.forward(x));
    tf.dispose(x);
    node.dispose();
  });

  it('every SPAIC node takes an empty input (a 0 in its shape) in both step modes, on every backend', () => {
    const makers = {
      IFBNode: (m: 's' | 'm') => new IFBNode({ stepMode: m }),
      NonSpikingIFBNode: (m: 's' | 'm') => new NonSpikingIFBNode({ stepMode: m }),
      ConstantCurrentLIFNode: (m: 's' | 'm') => new ConstantCurrentLIFNode({ stepMode: m }),
      LIFMNode: (m: 's' | 'm') => new LIFMNode({ stepMode: m }),
      CLIF3KNode: (m: 's' | 'm') => new CLIF3KNode({ stepMode: m }),
      CLIF2KNode: (m: 's' | 'm') => new CLIF2KNode({ stepMode: m }),
      PLIF2KNode: (m: 's' | 'm') => new PLIF2KNode({ stepMode: m }),
      AdaptiveCLIFNode: (m: 's' | 'm') => new AdaptiveCLIFNode({ stepMode: m }),
      SLIFNode: (m: 's' | 'm') => new SLIFNode({ stepMode: m }),
      SELIFNode: (m: 's' | 'm') => new SELIFNode({ stepMode: m }),
      QLIFNode: (m: 's' | 'm') => new QLIFNode({ stepMode: m }),
    };
    const pairs = (m: 's' | 'm') => new SLIFNode({ stepMode: m, pairedInput: true });
    tf.tidy(() => {
      for (const [name, make] of [...Object.entries(makers), ['SLIFNode (paired)', pairs] as const]) {
        const paired = name.endsWith('(paired)');
        const spaic = name === 'SLIFNode' || name === 'SELIFNode' || paired;
        for (const [mode, shape] of [
          ['s', paired ? [0, 2, 3] : [0, 3]],
          ['m', paired ? [4, 0, 2, 3] : [4, 0, 3]],
        ] as const) {
          const node = make(mode);
          const y = node.forward(tf.zeros(shape as unknown as number[]));
          const want = spaic && !paired ? [...shape.slice(0, -1), 2, 3] : shape;
          expect(y.shape, `${name} ${mode}`).toEqual(want);
          node.dispose();
        }
      }
    });
  });
});

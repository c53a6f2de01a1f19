/**
 * The golden cases of the neuron-kernel contract, for every backend: core runs them on cpu and
 * wasm in Node, the backend packages in their browsers. Forward and backward against SpikingJelly's
 * numbers (IF, LIF, ParametricLIF), then the backend's fused kernels against core's tfjs-ops
 * reference on every configuration the contract has (charges, resets, adaptive threshold,
 * per-neuron parameters, both surrogate kinds, sequences kept or not).
 */
import type { Tensor } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import type { BackendName } from '../backends/provider.js';
import { hasFusedKernel } from '../kernels/define-kernel.js';
import {
  type ChargeKind,
  NeuronBackward,
  type NeuronBackwardAttrs,
  NeuronForward,
  neuronKernelLayout,
} from '../kernels/neuron-contract.js';
import { type NeuronSurrogate, neuronMultiStep } from '../kernels/neuron-multi-step.js';
import { neuronBackwardReference, neuronForwardReference } from '../kernels/neuron-reference.js';
import { describeBackends, expectClose, expectNoLeak, NODE_TEST_BACKENDS } from './index.js';
import golden from './neuron-golden.json' with { type: 'json' };

type Rows = number[][];
interface GoldenCase {
  name: string;
  params: {
    tau?: number;
    init_tau?: number;
    decay_input?: boolean;
    v_threshold: number;
    v_reset: number | null;
    detach_reset: boolean;
    surrogate_function: { class: string; alpha: number };
  };
  inputs: { x_seq: Rows; v_init: number; w_spike?: Rows; w_v?: Rows };
  outputs: { spike_seq?: Rows; v_seq?: Rows; loss?: number };
  grads?: { x_seq: Rows; w?: number };
}

const cases = golden as unknown as { forward: GoldenCase[]; backward: GoldenCase[] };

/** A surrogate as `@snn/surrogates` makes it; `named: false` hides the name so the backward takes it elementwise. */
export function testSurrogate(kind: 'sigmoid' | 'atan', alpha: number, named = true): NeuronSurrogate {
  const grad = (z: Tensor): Tensor =>
    tf.tidy(() => {
      if (kind === 'atan') return tf.div(alpha / 2, tf.add(1, tf.square(tf.mul(z, (Math.PI / 2) * alpha))));
      const e = tf.sigmoid(tf.mul(z, alpha));
      return tf.mul(tf.mul(e, tf.sub(1, e)), alpha);
    });
  return { name: named ? kind : `${kind} (elementwise)`, params: { alpha }, grad };
}

function chargeOf(c: GoldenCase): ChargeKind {
  return c.name.startsWith('IFNode') ? 'if' : c.name.startsWith('Parametric') ? 'plif' : 'lif';
}

/** The options of `neuronMultiStep` for a golden case; `k` is `sigmoid(w)` of the given `w`. */
function optionsOf(c: GoldenCase, w: Tensor | null, named: boolean) {
  const p = c.params;
  const s = p.surrogate_function;
  const charge = chargeOf(c);
  return {
    charge,
    decayInput: p.decay_input ?? true,
    ...(charge === 'lif' ? { tau: p.tau as number } : {}),
    ...(charge === 'plif' ? { k: tf.sigmoid(w as Tensor) } : {}),
    vThreshold: p.v_threshold,
    vReset: p.v_reset,
    detachReset: p.detach_reset,
    surrogate: testSurrogate(s.class === 'ATan' ? 'atan' : 'sigmoid', s.alpha, named),
    storeVSeq: true,
  };
}

const initW = (c: GoldenCase) => -Math.log((c.params.init_tau ?? 2) - 1);

/** Deterministic uniforms in [low, high) (mulberry32), so the inputs never move with other code. */
function uniforms(seed: number, n: number, low: number, high: number): Float32Array {
  let a = seed >>> 0;
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    out[i] = low + (high - low) * (((t ^ (t >>> 14)) >>> 0) / 4294967296);
  }
  return out;
}

/** One configuration of the contract for the fused-vs-reference comparison. */
interface Config {
  charge: ChargeKind;
  decayInput: boolean;
  vReset: number | null;
  adaptive: boolean;
  perNeuron: boolean;
  keepSeq: boolean;
  surrogate: 'sigmoid' | 'atan' | 'input';
  detachReset: boolean;
  /** The step shape; the last axis is the per-neuron parameters' length. */
  shape: [number, number];
}

function configs(): Config[] {
  const out: Config[] = [];
  let i = 0;
  for (const charge of ['if', 'lif', 'plif'] as const) {
    for (const vReset of [0, -0.1, null]) {
      for (const decayInput of charge === 'if' ? [false] : [true, false]) {
        for (const adaptive of [false, true]) {
          i++;
          out.push({
            charge,
            decayInput,
            vReset,
            adaptive,
            perNeuron: charge !== 'if' && i % 2 === 0,
            keepSeq: i % 3 !== 0,
            surrogate: (['sigmoid', 'atan', 'input'] as const)[i % 3] as Config['surrogate'],
            detachReset: i % 4 === 0,
            shape: [3, 8],
          });
        }
      }
    }
  }
  // More neurons than a block of the loop kernels (2048), with a parameter length that does not divide it.
  const wide: [number, number] = [2, 1500];
  out.push({ ...(out.at(-1) as Config), charge: 'plif', adaptive: true, perNeuron: true, keepSeq: true, shape: wide });
  out.push({ ...(out[10] as Config), charge: 'lif', perNeuron: true, keepSeq: false, shape: wide });
  return out;
}

const describeConfig = (c: Config) =>
  `${c.charge}${c.decayInput ? ' decayInput' : ''} ${c.vReset === null ? 'soft' : `hard ${c.vReset}`}${c.adaptive ? ' adaptive' : ''}${c.perNeuron ? ' per-neuron' : ''}${c.keepSeq ? ' keepSeq' : ''} ${c.surrogate}${c.detachReset ? ' detach' : ''} [${c.shape.join(', ')}]`;

/** Runs `fn` with the current backend's fused kernels hidden, so the dispatcher takes the reference. */
function withReference<T>(fn: () => T): T {
  const backend = tf.getBackend();
  const saved = [NeuronForward, NeuronBackward].map((name) => tf.getKernel(name, backend));
  for (const k of saved) if (k !== undefined) tf.unregisterKernel(k.kernelName, backend);
  try {
    return fn();
  } finally {
    for (const k of saved) if (k !== undefined) tf.registerKernel(k);
  }
}

/**
 * Runs `fn` in a tf scope that frees its tensors afterwards. The suite reads tensors with
 * `await data()`, never `dataSync()`: tfjs-webgpu reads synchronously through a WebGPU canvas,
 * which some browsers cannot create (Chromium on SwiftShader loses the device), and tf.tidy
 * takes no async function.
 */
async function scoped(fn: () => Promise<void>): Promise<void> {
  tf.engine().startScope();
  try {
    await fn();
  } finally {
    tf.engine().endScope();
  }
}

/** A tensor's values, read asynchronously. */
const read = async (t: Tensor): Promise<number[]> => Array.from(await t.data());

/** {@link expectClose} of two tensors read asynchronously, shapes included. */
async function expectCloseAsync(actual: Tensor, expected: Tensor, tol: { rtol: number; atol: number }) {
  expect(actual.shape).toEqual(expected.shape);
  expectClose(await read(actual), await read(expected), tol);
}

/**
 * Declares the neuron-kernel golden suite on each of `backends`: SpikingJelly's IF/LIF/PLIF
 * numbers forward and backward through `neuronMultiStep`, then the backend's fused kernels
 * against the reference on every configuration of the contract, single steps against a sequence,
 * and flat `tf.memory()`. A backend without fused kernels runs the reference in both roles.
 */
export function describeNeuronKernels(backends: readonly BackendName[] = NODE_TEST_BACKENDS): void {
  describeBackends(
    'neuron kernels',
    (backend) => {
      it.each(cases.forward.map((c) => [c.name, c] as const))('forward matches SpikingJelly: %s', async (_n, c) => {
        await scoped(async () => {
          const x = tf.tensor(c.inputs.x_seq);
          const w = tf.scalar(initW(c));
          const r = neuronMultiStep(x, { v: tf.scalar(c.inputs.v_init) }, optionsOf(c, w, true));
          expect(await read(r.spikeSeq)).toEqual((c.outputs.spike_seq as Rows).flat());
          expect((r.vSeq as Tensor).shape).toEqual([(c.outputs.v_seq as Rows).length, ...x.shape.slice(1)]);
          expectClose(await read(r.vSeq as Tensor), c.outputs.v_seq as Rows, { rtol: 1e-5, atol: 1e-6 });
          const last = neuronMultiStep(
            x,
            { v: tf.scalar(c.inputs.v_init) },
            { ...optionsOf(c, w, true), storeVSeq: false },
          );
          expect(last.vSeq).toBeNull();
          expectClose(await read(last.v), (c.outputs.v_seq as Rows).at(-1) as number[], { rtol: 1e-5, atol: 1e-6 });
        });
      });

      for (const named of [true, false]) {
        it.each(cases.backward.map((c) => [c.name, c] as const))(
          `BPTT matches SpikingJelly (${named ? 'named surrogate' : 'elementwise surrogate'}): %s`,
          async (_n, c) => {
            await scoped(async () => {
              const x = tf.tensor(c.inputs.x_seq);
              const w = tf.scalar(initW(c));
              const lossOf = (xs: Tensor, ws: Tensor) => {
                const r = neuronMultiStep(xs, { v: tf.scalar(c.inputs.v_init) }, optionsOf(c, ws, named));
                return tf.add(
                  tf.sum(tf.mul(r.spikeSeq, tf.tensor(c.inputs.w_spike as Rows))),
                  tf.sum(tf.mul(r.vSeq as Tensor, tf.tensor(c.inputs.w_v as Rows))),
                );
              };
              const plif = chargeOf(c) === 'plif';
              const { value, grads } = plif
                ? tf.valueAndGrads(lossOf)([x, w])
                : (({ value, grad }) => ({ value, grads: [grad] }))(tf.valueAndGrad((xs: Tensor) => lossOf(xs, w))(x));
              expectClose(await read(value), [c.outputs.loss as number], { rtol: 1e-5, atol: 1e-5 });
              expect((grads[0] as Tensor).shape).toEqual(x.shape);
              expectClose(await read(grads[0] as Tensor), c.grads?.x_seq as Rows, { rtol: 1e-4, atol: 1e-6 });
              if (plif) expectClose(await read(grads[1] as Tensor), [c.grads?.w as number], { rtol: 1e-4, atol: 1e-6 });
            });
          },
        );
      }

      it.each(configs().map((c) => [describeConfig(c), c] as const))(
        'fused kernels equal the reference: %s',
        async (_n, c) => {
          if (!hasFusedKernel(NeuronForward, backend)) return; // the reference is compared with itself
          const T = 6;
          const shape = c.shape;
          const [rows, width] = shape;
          const n = rows * width;
          const layout = neuronKernelLayout(c.charge);
          const attrs: NeuronBackwardAttrs = {
            charge: c.charge,
            decayInput: c.decayInput,
            vThreshold: 1,
            vReset: c.vReset ?? 0,
            softReset: c.vReset === null,
            adaptive: c.adaptive,
            thetaPlus: 0.3,
            tauTheta: 5,
            keepSeq: c.keepSeq || c.adaptive || layout.needsXAndV,
            saveH: true,
            detachReset: c.detachReset,
            surrogate: c.surrogate,
            alpha: c.surrogate === 'atan' ? 2 : 4,
          };
          await scoped(async () => {
            const xSeq = tf.tensor(uniforms(7, T * n, -0.5, 2.5), [T, ...shape]);
            const v0 = tf.tensor(uniforms(8, n, -0.2, 0.6), shape);
            const theta0 = c.adaptive ? tf.tensor(uniforms(9, n, 0, 0.2), shape) : null;
            const param =
              layout.param === null
                ? null
                : layout.param === 'tau'
                  ? c.perNeuron
                    ? tf.tensor(uniforms(10, width, 1.5, 6), [width])
                    : tf.scalar(2.5)
                  : c.perNeuron
                    ? tf.tensor(uniforms(11, width, 0.1, 0.8), [width])
                    : tf.scalar(0.4);
            const fwdIo = { xSeq, v0, param, theta0 };
            const inputs: Record<string, Tensor> = { xSeq, v0 };
            if (param !== null) inputs[layout.param as string] = param;
            if (theta0 !== null) inputs.theta0 = theta0;
            const fused = tf.engine().runKernel(NeuronForward, inputs, { ...attrs }) as Tensor[];
            const ref = neuronForwardReference(fwdIo, attrs);
            expect(fused.length).toBe(ref.length);
            const [spikeSeq, vSeq] = ref as [Tensor, Tensor];
            expect(await read(fused[0] as Tensor)).toEqual(await read(spikeSeq));
            const total = (await read(tf.sum(spikeSeq)))[0] as number;
            expect(total).toBeGreaterThan(0);
            expect(total).toBeLessThan(T * n);
            for (const [i, r] of ref.entries())
              await expectCloseAsync(fused[i] as Tensor, r, { rtol: 1e-5, atol: 1e-6 });
            const thetaSeq = c.adaptive ? (ref[2] as Tensor) : null;
            const hSeq = ref[ref.length - 1] as Tensor;
            const gradShape = vSeq.shape;
            const bwdIo = {
              gradSpikeSeq: tf.tensor(uniforms(12, T * n, -1, 1), [T, ...shape]),
              gradVSeq: tf.tensor(
                uniforms(
                  13,
                  gradShape.reduce((a, b) => a * b, 1),
                  -1,
                  1,
                ),
                gradShape,
              ),
              gradThetaSeq: c.adaptive
                ? tf.tensor(
                    uniforms(
                      14,
                      gradShape.reduce((a, b) => a * b, 1),
                      -1,
                      1,
                    ),
                    gradShape,
                  )
                : null,
              hSeq,
              spikeSeq,
              v0,
              param,
              xSeq: layout.needsXAndV ? xSeq : null,
              vSeq: layout.needsXAndV ? vSeq : null,
              theta0,
              thetaSeq,
              surrogateGradSeq: c.surrogate === 'input' ? tf.tensor(uniforms(15, T * n, 0, 1), [T, ...shape]) : null,
            };
            const bInputs: Record<string, Tensor> = {};
            for (const [name, t] of Object.entries(bwdIo)) {
              if (t !== null) bInputs[name === 'param' ? (layout.param as string) : name] = t;
            }
            const fusedGrads = tf.engine().runKernel(NeuronBackward, bInputs, { ...attrs }) as Tensor[];
            const refGrads = neuronBackwardReference(bwdIo, attrs);
            expect(fusedGrads.length).toBe(refGrads.length);
            for (const [i, r] of refGrads.entries()) {
              await expectCloseAsync(fusedGrads[i] as Tensor, r, { rtol: 1e-4, atol: 1e-5 });
            }
          });
        },
      );

      it('gives the same spikes, state and gradients through the dispatcher with and without fused kernels', async () => {
        await scoped(async () => {
          const x = tf.tensor(uniforms(21, 5 * 2 * 6, -0.5, 2.5), [5, 2, 6]);
          const w = tf.scalar(0.3);
          const run = () =>
            tf.valueAndGrads((xs: Tensor, ws: Tensor) => {
              const r = neuronMultiStep(
                xs,
                { v: tf.scalar(0), theta: tf.scalar(0) },
                {
                  charge: 'plif',
                  k: tf.sigmoid(ws),
                  adaptive: { thetaPlus: 0.2, tauTheta: 4 },
                  surrogate: testSurrogate('atan', 2),
                },
              );
              return tf.add(tf.sum(tf.mul(r.spikeSeq, tf.range(0, 6))), tf.sum(tf.mul(r.v, 0.7)));
            })([x, w]);
          const fused = run();
          const ref = withReference(run);
          await expectCloseAsync(fused.value, ref.value, { rtol: 1e-5, atol: 1e-6 });
          for (const [i, g] of fused.grads.entries())
            await expectCloseAsync(g, ref.grads[i] as Tensor, { rtol: 1e-4, atol: 1e-6 });
        });
      });

      it('steps one time step at a time to the same numbers as a sequence', async () => {
        await scoped(async () => {
          const T = 7;
          const x = tf.tensor(uniforms(31, T * 12, -0.5, 2.5), [T, 12]);
          const opts = {
            charge: 'lif' as const,
            tau: tf.tensor(uniforms(32, 12, 1.5, 4), [12]),
            adaptive: { thetaPlus: 0.25, tauTheta: 3 },
            vReset: null,
            surrogate: testSurrogate('sigmoid', 4),
          };
          const seq = neuronMultiStep(x, { v: tf.scalar(0), theta: tf.scalar(0) }, { ...opts, storeVSeq: true });
          let state = { v: tf.scalar(0) as Tensor, theta: tf.scalar(0) as Tensor };
          for (let t = 0; t < T; t++) {
            const r = neuronMultiStep(tf.slice(x, t, 1), state, opts);
            expect(await read(r.spikeSeq)).toEqual(await read(tf.slice(seq.spikeSeq, t, 1)));
            await expectCloseAsync(r.v, tf.reshape(tf.slice(seq.vSeq as Tensor, t, 1), [12]), {
              rtol: 1e-5,
              atol: 1e-6,
            });
            state = { v: r.v, theta: r.theta as Tensor };
          }
          await expectCloseAsync(state.theta, seq.theta as Tensor, { rtol: 1e-5, atol: 1e-6 });
        });
      });

      it('keeps tf.memory() flat over many calls, with and without a gradient', () => {
        const x = tf.tensor(uniforms(41, 8 * 4 * 16, 0, 2), [8, 4, 16]);
        const v = tf.scalar(0);
        const w = tf.variable(tf.scalar(0.1));
        const opts = { charge: 'plif' as const, surrogate: testSurrogate('atan', 2), storeVSeq: true };
        expectNoLeak(() => {
          const k = tf.sigmoid(w);
          const r = neuronMultiStep(x, { v }, { ...opts, k });
          tf.dispose([k, r.spikeSeq, r.vSeq as Tensor, r.v]);
        }, 50);
        expectNoLeak(() => {
          const { value, grads } = tf.variableGrads(() =>
            tf.sum(neuronMultiStep(x, { v }, { ...opts, k: tf.sigmoid(w) }).spikeSeq),
          );
          tf.dispose([value, ...Object.values(grads)]);
        }, 30);
        tf.dispose([x, v, w]);
      });
    },
    backends,
  );
}

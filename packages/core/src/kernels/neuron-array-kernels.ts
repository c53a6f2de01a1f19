import type { KernelBackend, KernelConfig, TensorInfo } from '@tensorflow/tfjs-core';
import { defineKernel } from './define-kernel.js';
import {
  NeuronBackward,
  type NeuronBackwardAttrs,
  NeuronForward,
  type NeuronForwardAttrs,
  neuronKernelLayout,
} from './neuron-contract.js';
import { neuronBackwardLoop, neuronForwardLoop } from './neuron-loops.js';

/**
 * How a backend whose tensors JavaScript can view as float32 arrays runs a kernel body: it
 * allocates the outputs, then hands views of inputs and outputs that stay valid together (on
 * wasm every allocation may move the heap, so views are taken after the last one).
 */
export type ArrayKernelRunner = (
  backend: KernelBackend,
  inputs: readonly (TensorInfo | null)[],
  outputShapes: readonly number[][],
  body: (ins: (Float32Array | null)[], outs: Float32Array[]) => void,
) => TensorInfo[];

const sizeOf = (shape: readonly number[]): number => shape.reduce((a, b) => a * b, 1);

/**
 * The fused {@link NeuronForward} and {@link NeuronBackward} kernels for `backendName`, running the
 * plain loops of `neuron-loops.ts` through `runner`. Register them with `registerKernels`.
 */
export function arrayNeuronKernels(backendName: string, runner: ArrayKernelRunner): KernelConfig[] {
  const forward = defineKernel<Record<string, TensorInfo>, NeuronForwardAttrs>(
    NeuronForward,
    backendName,
    ({ inputs, backend, attrs }) => {
      const { xSeq, v0 } = inputs as { xSeq: TensorInfo; v0: TensorInfo };
      const layout = neuronKernelLayout(attrs.charge);
      const param = layout.param === null ? null : (inputs[layout.param] ?? null);
      const theta0 = attrs.adaptive ? (inputs.theta0 ?? null) : null;
      const T = xSeq.shape[0] as number;
      const stepShape = xSeq.shape.slice(1);
      const n = sizeOf(stepShape);
      const seqShape = [attrs.keepSeq ? T : 1, ...stepShape];
      const shapes = [[...xSeq.shape], seqShape];
      if (theta0 !== null) shapes.push(seqShape);
      if (attrs.saveH) shapes.push([...xSeq.shape]);
      return runner(backend, [xSeq, v0, param, theta0], shapes, ([x, v, p, th], outs) => {
        neuronForwardLoop(attrs, T, n, {
          xSeq: x as Float32Array,
          v0: v as Float32Array,
          param: p ?? null,
          theta0: th ?? null,
          spikeSeq: outs[0] as Float32Array,
          vSeq: outs[1] as Float32Array,
          thetaSeq: theta0 === null ? null : (outs[2] as Float32Array),
          hSeq: attrs.saveH ? (outs[outs.length - 1] as Float32Array) : null,
        });
      });
    },
  );
  const backward = defineKernel<Record<string, TensorInfo>, NeuronBackwardAttrs>(
    NeuronBackward,
    backendName,
    ({ inputs, backend, attrs }) => {
      const layout = neuronKernelLayout(attrs.charge);
      const hSeq = inputs.hSeq as TensorInfo;
      const v0 = inputs.v0 as TensorInfo;
      const param = layout.param === null ? null : (inputs[layout.param] ?? null);
      const T = hSeq.shape[0] as number;
      const n = sizeOf(hSeq.shape.slice(1));
      const adaptive = attrs.adaptive && inputs.thetaSeq !== undefined;
      const withK = attrs.charge === 'plif' && param !== null;
      const shapes = [[...hSeq.shape], [...v0.shape]];
      if (adaptive) shapes.push([...v0.shape]);
      if (withK) shapes.push([...(param as TensorInfo).shape]);
      const names = [
        'gradSpikeSeq',
        'gradVSeq',
        'gradThetaSeq',
        'spikeSeq',
        'xSeq',
        'vSeq',
        'theta0',
        'thetaSeq',
        'surrogateGradSeq',
      ] as const;
      const ins = [hSeq, v0, param, ...names.map((name) => inputs[name] ?? null)];
      return runner(backend, ins, shapes, (arrays, outs) => {
        const [h, v, p, gS, gV, gTh, s, x, vs, th0, ths, sg] = arrays;
        neuronBackwardLoop(attrs, T, n, {
          gradSpikeSeq: gS as Float32Array,
          gradVSeq: gV as Float32Array,
          gradThetaSeq: adaptive ? (gTh ?? null) : null,
          hSeq: h as Float32Array,
          spikeSeq: s as Float32Array,
          v0: v as Float32Array,
          param: p ?? null,
          xSeq: x ?? null,
          vSeq: vs ?? null,
          theta0: adaptive ? (th0 ?? null) : null,
          thetaSeq: adaptive ? (ths ?? null) : null,
          surrogateGradSeq: sg ?? null,
          gradXSeq: outs[0] as Float32Array,
          gradV0: outs[1] as Float32Array,
          gradTheta0: adaptive ? (outs[2] as Float32Array) : null,
          gradK: withK ? (outs[outs.length - 1] as Float32Array) : null,
        });
      });
    },
  );
  return [forward, backward];
}

/**
 * snn's fused neuron kernels (`SnnNeuronForward` / `SnnNeuronBackward`, the contract of
 * `@snn/core`'s `neuron-contract.ts`) as WGSL compute shaders of tfjs's webgpu backend.
 *
 * One thread per neuron runs the whole time loop (forward from step 0, backward from T−1 down)
 * and writes its rows of one output; a program has one output buffer, so each output of the
 * contract is one dispatch of the same loop. The float32 arithmetic follows `neuron-loops.ts`
 * operation by operation. `gradK` is summed from per-neuron partial sums by a second program,
 * in rounds of at most {@link SUM_CHUNK} terms.
 *
 * Inputs and outputs are bound flat (`[size]`): a TensorInfo with the same dataId and a flat
 * shape, as tfjs's own `Reshape` does on webgpu (buffers are always row-major).
 */
import {
  defineKernel,
  NeuronBackward,
  type NeuronBackwardAttrs,
  NeuronForward,
  type NeuronForwardAttrs,
  neuronKernelLayout,
} from '@snn/core';
import { backwardExpressions } from '@snn/core/internal';
import type { WebGPUBackend, WebGPUProgram } from '@tensorflow/tfjs-backend-webgpu';
import type { KernelConfig, TensorInfo } from '@tensorflow/tfjs-core';

/** Terms one thread adds per round of the `gradK` reduction. */
const SUM_CHUNK = 64;
const WORKGROUP = 64;

const sizeOf = (shape: readonly number[]): number => shape.reduce((a, b) => a * b, 1);

/** The same data seen with another shape (row-major, same size). */
const view = (t: TensorInfo, shape: number[]): TensorInfo => ({ dataId: t.dataId, shape, dtype: t.dtype });

type ProgramUniform = Array<{ type: 'float32' | 'int32'; data: number[] }>;

/** The uniforms of the neuron programs, declared (in the struct tfjs builds) and filled in this order. */
const NEURON_UNIFORMS =
  'vth : f32, vReset : f32, thetaPlus : f32, tauTheta : f32, thetaKeep : f32, alpha : f32, atanScale : f32, halfAlpha : f32, steps : i32, neurons : i32, paramSize : i32,';

function neuronUniforms(a: NeuronForwardAttrs | NeuronBackwardAttrs, T: number, n: number, pn: number): ProgramUniform {
  const alpha = typeof a.alpha === 'number' ? a.alpha : 0;
  const floats = [
    a.vThreshold,
    a.softReset ? 0 : a.vReset,
    a.thetaPlus,
    a.tauTheta,
    1 - 1 / a.tauTheta,
    alpha,
    (Math.PI / 2) * alpha,
    alpha / 2,
  ];
  return [
    ...floats.map((x) => ({ type: 'float32' as const, data: [x] })),
    ...[T, n, pn].map((x) => ({ type: 'int32' as const, data: [x] })),
  ];
}

/** Locals named as in the expressions below, read from the uniforms. */
const UNIFORM_LOCALS = `
  let vth = uniforms.vth;
  let vReset = uniforms.vReset;
  let thetaPlus = uniforms.thetaPlus;
  let tauTheta = uniforms.tauTheta;
  let thetaKeep = uniforms.thetaKeep;
  let alpha = uniforms.alpha;
  let atanScale = uniforms.atanScale;
  let halfAlpha = uniforms.halfAlpha;
  let n = uniforms.neurons;`;

/**
 * The charge `H` from `v`, `x` and the parameter `p` in the float32 order of `neuron-loops.ts`
 * (`1 − 1/τ` as `(τ − 1)/τ`: τ − 1 is exact for τ ≥ 1, so one rounding, as `fround(1 − 1/τ)`).
 */
function chargeExpr(a: NeuronForwardAttrs): string {
  const r0 = a.softReset || a.vReset === 0;
  const leak = r0 ? 'v' : '(v - vReset)';
  if (a.charge === 'if') return 'v + x';
  if (a.charge === 'lif') {
    if (a.decayInput) return `v + (x - ${leak}) / p`;
    return r0 ? 'v * ((p - 1.0) / p) + x' : '(v - (v - vReset) / p) + x';
  }
  if (a.decayInput) return `v + (x - ${leak}) * p`;
  return r0 ? 'v * (1.0 - p) + x' : '(v - (v - vReset) * p) + x';
}

/** The attributes that change a shader's code, for its key. */
function codeKey(a: NeuronBackwardAttrs | NeuronForwardAttrs): string {
  const r0 = a.softReset || a.vReset === 0;
  return [a.charge, a.decayInput, r0, a.softReset, a.adaptive, a.detachReset ?? '', a.surrogate ?? ''].join('_');
}

/** A program whose threads each handle one item (a neuron, or one element of a reduction). */
class SnnProgram implements WebGPUProgram {
  outputShape: number[];
  shaderKey: string;
  dispatchLayout = { x: [0] };
  dispatch: [number, number, number];
  variableNames: string[];
  workgroupSize: [number, number, number] = [WORKGROUP, 1, 1];
  uniforms: string;
  private readonly code: string;

  constructor(
    key: string,
    variableNames: string[],
    outputSize: number,
    threads: number,
    uniforms: string,
    code: string,
  ) {
    this.shaderKey = key;
    this.variableNames = variableNames;
    this.outputShape = [outputSize];
    this.dispatch = [Math.ceil(threads / WORKGROUP), 1, 1];
    this.uniforms = uniforms;
    this.code = code;
  }

  getUserCode(): string {
    return this.code;
  }
}

/** Which forward output a program writes. */
type ForwardOut = 'spike' | 'v' | 'theta' | 'h';

function forwardProgram(a: NeuronForwardAttrs, T: number, n: number, out: ForwardOut, perStep: boolean): SnnProgram {
  const hasParam = a.charge !== 'if';
  const adaptive = a.adaptive;
  const names = ['X', 'V0', ...(hasParam ? ['P'] : []), ...(adaptive ? ['Theta0'] : [])];
  const fire = adaptive ? '(h - vth) - th >= 0.0' : 'h >= vth';
  const reset = a.softReset ? (adaptive ? 'h - (vth + th) * s' : 'h - vth * s') : 'select(h, vReset, s > 0.5)';
  const value = out === 'spike' ? 's' : out === 'theta' ? 'th' : out;
  const code = `
    fn main(index : i32) {
      let i = index;
      if (i >= uniforms.neurons) { return; }
      ${UNIFORM_LOCALS}
      var v : f32 = V0[i];
      let p : f32 = ${hasParam ? 'P[i % uniforms.paramSize]' : '0.0'};
      var th : f32 = ${adaptive ? 'Theta0[i]' : '0.0'};
      var h : f32 = 0.0;
      var s : f32 = 0.0;
      for (var t = 0; t < uniforms.steps; t++) {
        let x = X[t * n + i];
        h = ${chargeExpr(a)};
        s = select(0.0, 1.0, ${fire});
        v = ${reset};
        ${adaptive ? 'th = (th - th / tauTheta) + thetaPlus * s;' : ''}
        ${perStep ? `setOutputAtIndex(t * n + i, ${value});` : ''}
      }
      ${perStep ? '' : `setOutputAtIndex(i, ${value});`}
    }
  `;
  const key = `snnNeuronForward_${codeKey(a)}_${out}_${perStep}`;
  return new SnnProgram(key, names, (perStep ? T : 1) * n, n, NEURON_UNIFORMS, code);
}

/** Which backward output a program writes (`k` is the per-neuron partial sum of gradK). */
type BackwardOut = 'x' | 'v' | 'theta' | 'k';

interface BackwardInputs {
  gradSpike: boolean;
  gradV: boolean;
  gradVAll: boolean;
  gradTheta: boolean;
}

/** The inputs a backward program reads, in binding order (the last ones are packed when too many). */
function backwardInputNames(a: NeuronBackwardAttrs, out: BackwardOut, has: BackwardInputs): string[] {
  const names = a.charge === 'if' ? ['H', 'S'] : ['P', 'H', 'S'];
  if (has.gradSpike) names.push('GS');
  if (has.gradV) names.push('GV');
  if (a.surrogate === 'input') names.push('SG');
  if (a.adaptive) names.push('Theta0', 'ThetaSeq');
  if (a.adaptive && has.gradTheta) names.push('GTh');
  if (a.charge === 'plif' && out === 'k') names.push('V0', 'XSeq', 'VSeq');
  return names;
}

/**
 * How a backward program's inputs are bound: a device offers 8 storage buffers per shader stage
 * unless more are asked for (tfjs does not), one of them the output. Inputs past that are copied
 * into one `Packed` buffer and read at offsets given as uniforms.
 */
interface Binding {
  readonly direct: string[];
  readonly packed: string[];
}

function bindingOf(names: string[], maxStorageBuffers: number): Binding {
  if (names.length + 1 <= maxStorageBuffers) return { direct: names, packed: [] };
  const keep = maxStorageBuffers - 2;
  return { direct: names.slice(0, keep), packed: names.slice(keep) };
}

function backwardProgram(
  a: NeuronBackwardAttrs,
  T: number,
  n: number,
  out: BackwardOut,
  has: BackwardInputs,
  binding: Binding,
) {
  const hasParam = a.charge !== 'if';
  const adaptive = a.adaptive;
  const plif = a.charge === 'plif';
  const soft = a.softReset;
  const names = [...binding.direct, ...(binding.packed.length > 0 ? ['Packed'] : [])];
  const accessors = [
    ...binding.direct.map((name) => `fn rd${name}(j : i32) -> f32 { return ${name}[j]; }`),
    ...binding.packed.map((name) => `fn rd${name}(j : i32) -> f32 { return Packed[uniforms.off${name} + j]; }`),
  ].join('\n');
  const offsets = binding.packed.map((name) => `off${name} : i32,`).join(' ');
  const gradAt = (name: string) =>
    has.gradVAll ? `rd${name}(t * n + i)` : `select(0.0, rd${name}(i), t == uniforms.steps - 1)`;
  let surrogate: string;
  if (a.surrogate === 'sigmoid') {
    // σ'(αz)·α = α·q/(1+q)² with q = exp(−|αz|): no cancellation in 1 − σ.
    surrogate = 'let q = exp(-abs(alpha * z)); let g = alpha * (q / ((1.0 + q) * (1.0 + q)));';
  } else if (a.surrogate === 'atan') {
    surrogate = 'let c = atanScale * z; let g = halfAlpha / (1.0 + c * c);';
  } else {
    surrogate = 'let g = rdSG(t * n + i);';
  }
  const { dVdS, dHdV, gradX, r0 } = backwardExpressions(a);
  const leak = r0 ? 'vPrev' : '(vPrev - vReset)';
  // select() evaluates both sides: the index of row t − 1 is clamped at t = 0.
  const prevRow = '(max(t - 1, 0) * n + i)';
  const kTerm =
    plif && out === 'k'
      ? `let vPrev = select(rdVSeq(${prevRow}), rdV0(i), t == 0);
         kSum = kSum + gH * ${a.decayInput ? `(rdXSeq(t * n + i) - ${leak})` : `(-${leak})`};`
      : '';
  const code = `
    ${accessors}
    fn main(index : i32) {
      let i = index;
      if (i >= uniforms.neurons) { return; }
      ${UNIFORM_LOCALS}
      let p : f32 = ${hasParam ? 'rdP(i % uniforms.paramSize)' : '1.0'};
      var carryV : f32 = 0.0;
      var carryTh : f32 = 0.0;
      var kSum : f32 = 0.0;
      for (var t = uniforms.steps - 1; t >= 0; t--) {
        let h = rdH(t * n + i);
        let s = rdS(t * n + i);
        let gV = carryV${has.gradV ? ` + ${gradAt('GV')}` : ''};
        let gTh : f32 = ${adaptive ? `carryTh${has.gradTheta ? ` + ${gradAt('GTh')}` : ''}` : '0.0'};
        let th : f32 = ${adaptive ? `select(rdThetaSeq(${prevRow}), rdTheta0(i), t == 0)` : '0.0'};
        let z = ${adaptive ? '(h - vth) - th' : 'h - vth'};
        ${surrogate}
        let dVdH : f32 = ${soft ? '1.0' : '1.0 - s'};
        let dVdS : f32 = ${dVdS};
        let gS = ${has.gradSpike ? 'rdGS(t * n + i)' : '0.0'} + gV * dVdS${adaptive ? ' + gTh * thetaPlus' : ''};
        let gH = gS * g + gV * dVdH;
        ${adaptive ? `carryTh = gTh * thetaKeep - ${soft ? 'gV * s' : '0.0'} - gS * g;` : ''}
        ${out === 'x' ? `setOutputAtIndex(t * n + i, ${gradX});` : ''}
        carryV = gH * ${dHdV};
        ${kTerm}
      }
      ${out === 'x' ? '' : `setOutputAtIndex(i, ${out === 'v' ? 'carryV' : out === 'theta' ? 'carryTh' : 'kSum'});`}
    }
  `;
  const key = `snnNeuronBackward_${codeKey(a)}_${out}_${binding.direct.join(',')}_${binding.packed.join(',')}_${has.gradVAll}`;
  return new SnnProgram(key, names, (out === 'x' ? T : 1) * n, n, `${NEURON_UNIFORMS} ${offsets}`, code);
}

/** Sums rows of an `[m, pn]` input in chunks of {@link SUM_CHUNK}: output `[ceil(m / chunk), pn]`. */
function chunkSumProgram(m: number, pn: number): SnnProgram {
  const groups = Math.ceil(m / SUM_CHUNK);
  const code = `
    fn main(index : i32) {
      if (index >= uniforms.groups * uniforms.pn) { return; }
      let g = index / uniforms.pn;
      let q = index - g * uniforms.pn;
      let first = g * ${SUM_CHUNK};
      let end = min(first + ${SUM_CHUNK}, uniforms.rows);
      var sum : f32 = 0.0;
      for (var j = first; j < end; j++) {
        sum = sum + A[j * uniforms.pn + q];
      }
      setOutputAtIndex(index, sum);
    }
  `;
  return new SnnProgram('snnChunkSum', ['A'], groups * pn, groups * pn, 'rows : i32, pn : i32, groups : i32,', code);
}

/** Copies an input into a region of a larger output (passed to runWebGPUProgram as `output`). */
function copyProgram(total: number, count: number): SnnProgram {
  const code = `
    fn main(index : i32) {
      if (index < uniforms.count) { setOutputAtIndex(uniforms.offset + index, A[index]); }
    }
  `;
  return new SnnProgram('snnCopyInto', ['A'], total, count, 'offset : i32, count : i32,', code);
}

const webgpu = (backend: unknown): WebGPUBackend => backend as WebGPUBackend;

const forward = defineKernel<Record<string, TensorInfo>, NeuronForwardAttrs>(
  NeuronForward,
  'webgpu',
  ({ inputs, backend, attrs }) => {
    const gpu = webgpu(backend);
    const xSeq = inputs.xSeq as TensorInfo;
    const v0 = inputs.v0 as TensorInfo;
    const layout = neuronKernelLayout(attrs.charge);
    const param = layout.param === null ? null : (inputs[layout.param] ?? null);
    if (layout.param !== null && param === null) throw new Error(`${NeuronForward}: missing input '${layout.param}'`);
    // As core's reference and plain loops: without theta0 the threshold is not adaptive.
    const theta0 = attrs.adaptive ? (inputs.theta0 ?? null) : null;
    const a: NeuronForwardAttrs = { ...attrs, adaptive: theta0 !== null };
    const T = xSeq.shape[0] as number;
    const stepShape = xSeq.shape.slice(1);
    const n = sizeOf(stepShape);
    const pn = param === null ? 1 : sizeOf(param.shape);
    const ins = [view(xSeq, [T * n]), view(v0, [n])];
    if (param !== null) ins.push(view(param, [pn]));
    if (theta0 !== null) ins.push(view(theta0, [n]));
    const uniforms = neuronUniforms(a, T, n, pn);
    const run = (out: ForwardOut, perStep: boolean): TensorInfo => {
      const program = forwardProgram(a, T, n, out, perStep);
      const res = gpu.runWebGPUProgram(program, ins, 'float32', uniforms);
      return view(res, [perStep ? T : 1, ...stepShape]);
    };
    const outs = [run('spike', true), run('v', attrs.keepSeq)];
    if (theta0 !== null) outs.push(run('theta', attrs.keepSeq));
    if (attrs.saveH) outs.push(run('h', true));
    return outs;
  },
);

const backward = defineKernel<Record<string, TensorInfo>, NeuronBackwardAttrs>(
  NeuronBackward,
  'webgpu',
  ({ inputs, backend, attrs }) => {
    const gpu = webgpu(backend);
    const layout = neuronKernelLayout(attrs.charge);
    const hSeq = inputs.hSeq as TensorInfo;
    const v0 = inputs.v0 as TensorInfo;
    const T = hSeq.shape[0] as number;
    const n = sizeOf(hSeq.shape.slice(1));
    const param = layout.param === null ? null : (inputs[layout.param] ?? null);
    if (layout.param !== null && param === null) throw new Error(`${NeuronBackward}: missing input '${layout.param}'`);
    const pn = param === null ? 1 : sizeOf(param.shape);
    const adaptive = attrs.adaptive && inputs.thetaSeq !== undefined && inputs.theta0 !== undefined;
    const a: NeuronBackwardAttrs = { ...attrs, adaptive };
    const gradV = inputs.gradVSeq;
    const rowsOf = (t: TensorInfo | undefined) => (t === undefined ? T : sizeOf(t.shape) / n);
    const has: BackwardInputs = {
      gradSpike: inputs.gradSpikeSeq !== undefined,
      gradV: gradV !== undefined,
      gradVAll: rowsOf(gradV ?? inputs.gradThetaSeq) === T,
      gradTheta: inputs.gradThetaSeq !== undefined,
    };
    const byName: Record<string, TensorInfo | undefined> = {
      H: hSeq,
      S: inputs.spikeSeq,
      GS: inputs.gradSpikeSeq,
      GV: inputs.gradVSeq,
      GTh: inputs.gradThetaSeq,
      P: param ?? undefined,
      Theta0: inputs.theta0,
      ThetaSeq: inputs.thetaSeq,
      V0: v0,
      XSeq: inputs.xSeq,
      VSeq: inputs.vSeq,
      SG: inputs.surrogateGradSeq,
    };
    const inputFor = (name: string): TensorInfo => {
      const t = byName[name];
      if (t === undefined) throw new Error(`${NeuronBackward}: missing input for '${name}'`);
      return view(t, [sizeOf(t.shape)]);
    };
    const maxStorageBuffers = gpu.device.limits.maxStorageBuffersPerShaderStage;
    const uniforms = neuronUniforms(a, T, n, pn);
    const run = (out: BackwardOut): TensorInfo => {
      const binding = bindingOf(backwardInputNames(a, out, has), maxStorageBuffers);
      const ins = binding.direct.map(inputFor);
      const offsets: ProgramUniform = [];
      let packed: TensorInfo | null = null;
      if (binding.packed.length > 0) {
        const parts = binding.packed.map(inputFor);
        const total = parts.reduce((sum, t) => sum + sizeOf(t.shape), 0);
        packed = gpu.makeTensorInfo([total], 'float32');
        let offset = 0;
        for (const part of parts) {
          const count = sizeOf(part.shape);
          gpu.runWebGPUProgram(
            copyProgram(total, count),
            [part],
            'float32',
            [
              { type: 'int32', data: [offset] },
              { type: 'int32', data: [count] },
            ],
            packed,
          );
          offsets.push({ type: 'int32', data: [offset] });
          offset += count;
        }
        ins.push(packed);
      }
      const program = backwardProgram(a, T, n, out, has, binding);
      const res = gpu.runWebGPUProgram(program, ins, 'float32', [...uniforms, ...offsets]);
      if (packed !== null) gpu.disposeData(packed.dataId);
      return res;
    };
    const outs = [view(run('x'), [...hSeq.shape]), view(run('v'), [...v0.shape])];
    if (adaptive) outs.push(view(run('theta'), [...v0.shape]));
    if (a.charge === 'plif' && param !== null) {
      let partial = run('k');
      let m = n / pn;
      while (m > 1) {
        const groups = Math.ceil(m / SUM_CHUNK);
        const program = chunkSumProgram(m, pn);
        const next = gpu.runWebGPUProgram(program, [view(partial, [m * pn])], 'float32', [
          { type: 'int32', data: [m] },
          { type: 'int32', data: [pn] },
          { type: 'int32', data: [groups] },
        ]);
        gpu.disposeData(partial.dataId);
        partial = next;
        m = groups;
      }
      outs.push(view(partial, [...param.shape]));
    }
    return outs;
  },
);

/** snn's fused neuron kernels for tfjs's webgpu backend. */
export const webgpuNeuronKernels: KernelConfig[] = [forward, backward];

/**
 * snn's fused neuron kernels (`SnnNeuronForward` / `SnnNeuronBackward`, the contract of
 * `@snn/core`'s `neuron-contract.ts`) as GPGPU programs of tfjs's webgl backend.
 *
 * A fragment shader writes one value per output element, so each output of the contract is one
 * program whose thread for element (t, i) runs neuron i's time loop up to step t (forward) or
 * down to it (backward). Sequences longer than 4 steps are cut into chunks of ⌈√T⌉ steps: a first
 * program writes the state at the start of each chunk (backward: the carries into each chunk),
 * and a thread starts from its chunk's row, so a `[T, ...]` output costs O(T·√T) steps per neuron
 * rather than O(T²); a last-step output costs O(T). The float32 arithmetic follows
 * `neuron-loops.ts` operation by operation.
 * `gradK` is summed from per-neuron partial sums by a second program, in rounds of at most
 * {@link SUM_CHUNK} terms.
 *
 * Inputs are viewed flat (`[T, n]`, `[n]`, `[param.size]`) by handing `runWebGLProgram` a
 * TensorInfo with the same dataId and another shape, as tfjs's own `Reshape` does for unpacked
 * textures; a packed input is unpacked (and reshaped) by `runWebGLProgram` itself.
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
import type { GPGPUProgram, MathBackendWebGL } from '@tensorflow/tfjs-backend-webgl';
import type { KernelConfig, TensorInfo } from '@tensorflow/tfjs-core';

/** Terms one thread adds per round of the `gradK` reduction. */
const SUM_CHUNK = 64;

const sizeOf = (shape: readonly number[]): number => shape.reduce((a, b) => a * b, 1);

/** The same data seen with another shape (row-major, same size). */
const view = (t: TensorInfo, shape: number[]): TensorInfo => ({ dataId: t.dataId, shape, dtype: t.dtype });

/** The float uniforms every program declares, in this order. */
const UNIFORMS = ['vth', 'vReset', 'thetaPlus', 'tauTheta', 'thetaKeep', 'alpha', 'atanScale', 'halfAlpha'] as const;

function uniformValues(a: NeuronForwardAttrs | NeuronBackwardAttrs): number[][] {
  const alpha = typeof a.alpha === 'number' ? a.alpha : 0;
  const values: Record<(typeof UNIFORMS)[number], number> = {
    vth: a.vThreshold,
    vReset: a.softReset ? 0 : a.vReset,
    thetaPlus: a.thetaPlus,
    tauTheta: a.tauTheta,
    thetaKeep: 1 - 1 / a.tauTheta,
    alpha,
    atanScale: (Math.PI / 2) * alpha,
    halfAlpha: alpha / 2,
  };
  return UNIFORMS.map((name) => [values[name]]);
}

const customUniforms = UNIFORMS.map((name) => ({ name, type: 'float' as const }));

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

/**
 * Steps per chunk. A `[T, ...]` output's thread for step t starts from a table of the state at
 * the start of t's chunk instead of from step 0 (backward: from the carries at the end of t's
 * chunk instead of from T−1), so a sequence output costs O(T·√T) steps per neuron, not O(T²);
 * the table itself costs O(T²/C).
 */
function chunkOf(T: number): number {
  return T > 4 ? Math.ceil(Math.sqrt(T)) : T;
}

/** Which forward output a program writes; `state` is the table of V (then θ) at each chunk's start. */
type ForwardOut = 'spike' | 'v' | 'theta' | 'h' | 'state';

class NeuronForwardProgram implements GPGPUProgram {
  variableNames: string[];
  outputShape: number[];
  userCode: string;
  customUniforms = customUniforms;

  constructor(a: NeuronForwardAttrs, T: number, n: number, pn: number, out: ForwardOut, perStep: boolean) {
    const hasParam = a.charge !== 'if';
    const adaptive = a.adaptive;
    const C = chunkOf(T);
    const K = Math.ceil(T / C);
    const fromTable = out !== 'state' && K > 1;
    this.variableNames = [
      'X',
      ...(fromTable ? ['State'] : ['V0', ...(adaptive ? ['Theta0'] : [])]),
      ...(hasParam ? ['P'] : []),
    ];
    const rows = out === 'state' ? (adaptive ? 2 : 1) * K : perStep ? T : 1;
    this.outputShape = [rows, n];
    const fire = adaptive ? '((h - vth) - th >= 0.0) ? 1.0 : 0.0' : '(h >= vth) ? 1.0 : 0.0';
    const reset = a.softReset ? (adaptive ? 'h - (vth + th) * s' : 'h - vth * s') : '(s > 0.5) ? vReset : h';
    // The last step this thread runs: the state row k holds V (θ) before step k·C.
    const last =
      out === 'state'
        ? `int k = rc.x >= ${K} ? rc.x - ${K} : rc.x; int last = k * ${C} - 1;`
        : `int last = ${perStep ? 'rc.x' : `${T - 1}`};`;
    const start = fromTable
      ? `int k0 = last / ${C}; int first = k0 * ${C};
         float v = getState(k0, i);
         float th = ${adaptive ? `getState(${K} + k0, i)` : '0.0'};`
      : `int first = 0;
         float v = getV0(i);
         float th = ${adaptive ? 'getTheta0(i)' : '0.0'};`;
    const value = out === 'state' ? `rc.x >= ${K} ? th : v` : out === 'spike' ? 's' : out === 'theta' ? 'th' : out;
    this.userCode = `
      void main() {
        ivec2 rc = getOutputCoords();
        int i = rc.y;
        ${last}
        ${start}
        float p = ${hasParam ? `getP(imod(i, ${pn}))` : '0.0'};
        float h = 0.0;
        float s = 0.0;
        for (int j = 0; j < ${fromTable ? C : T}; j++) {
          int t = first + j;
          if (t > last) break;
          float x = getX(t, i);
          h = ${chargeExpr(a)};
          s = ${fire};
          v = ${reset};
          ${adaptive ? 'th = (th - th / tauTheta) + thetaPlus * s;' : ''}
        }
        setOutput(${value});
      }
    `;
  }
}

/**
 * Which backward output a program writes: `k` is the per-neuron partial sum of gradK, `carry` the
 * table of the carries of V (then θ) coming into each chunk from the steps after it.
 */
type BackwardOut = 'x' | 'v' | 'theta' | 'k' | 'carry';

interface BackwardInputs {
  gradSpike: boolean;
  gradV: boolean;
  gradVAll: boolean;
  gradTheta: boolean;
}

class NeuronBackwardProgram implements GPGPUProgram {
  variableNames: string[];
  outputShape: number[];
  userCode: string;
  customUniforms = customUniforms;

  constructor(a: NeuronBackwardAttrs, T: number, n: number, pn: number, out: BackwardOut, has: BackwardInputs) {
    const hasParam = a.charge !== 'if';
    const adaptive = a.adaptive;
    const plif = a.charge === 'plif';
    const soft = a.softReset;
    const C = chunkOf(T);
    const K = Math.ceil(T / C);
    const fromTable = out === 'x' && K > 1;
    const names = ['H', 'S'];
    if (has.gradSpike) names.push('GS');
    if (has.gradV) names.push('GV');
    if (adaptive && has.gradTheta) names.push('GTh');
    if (hasParam) names.push('P');
    if (adaptive) names.push('Theta0', 'ThetaSeq');
    if (plif && out === 'k') names.push('V0', 'XSeq', 'VSeq');
    if (a.surrogate === 'input') names.push('SG');
    if (fromTable) names.push('Carry');
    this.variableNames = names;
    const rows = out === 'x' ? T : out === 'carry' ? (adaptive ? 2 : 1) * K : 1;
    this.outputShape = [rows, n];
    const gradAt = (name: string) => (has.gradVAll ? `get${name}(t, i)` : `(t == ${T - 1} ? get${name}(0, i) : 0.0)`);
    let surrogate: string;
    if (a.surrogate === 'sigmoid') {
      // σ'(αz)·α = α·q/(1+q)² with q = exp(−|αz|): no cancellation in 1 − σ.
      surrogate = 'float q = exp(-abs(alpha * z)); float g = alpha * (q / ((1.0 + q) * (1.0 + q)));';
    } else if (a.surrogate === 'atan') {
      surrogate = 'float c = atanScale * z; float g = halfAlpha / (1.0 + c * c);';
    } else {
      surrogate = 'float g = getSG(t, i);';
    }
    const { dVdS, dHdV, gradX, r0 } = backwardExpressions(a);
    const leak = (vPrev: string) => (r0 ? vPrev : `(${vPrev} - vReset)`);
    const kTerm =
      plif && out === 'k'
        ? `float vPrev = t == 0 ? getV0(i) : getVSeq(t - 1, i);
           kSum += gH * ${a.decayInput ? `(getXSeq(t, i) - ${leak('vPrev')})` : `(-${leak('vPrev')})`};`
        : '';
    // Steps run from `top` down to `stop`; the carry row k holds what steps ≥ (k+1)·C pass down.
    let range: string;
    if (out === 'carry') {
      range = `int k = rc.x >= ${K} ? rc.x - ${K} : rc.x; int stop = (k + 1) * ${C}; int top = ${T - 1};`;
    } else if (fromTable) {
      range = `int stop = rc.x; int k0 = stop / ${C}; int top = (k0 + 1) * ${C} - 1;
               if (top > ${T - 1}) top = ${T - 1};`;
    } else {
      range = `int stop = ${out === 'x' ? 'rc.x' : '0'}; int top = ${T - 1};`;
    }
    const value =
      out === 'carry'
        ? `rc.x >= ${K} ? carryTh : carryV`
        : out === 'x'
          ? 'gx'
          : out === 'v'
            ? 'carryV'
            : out === 'theta'
              ? 'carryTh'
              : 'kSum';
    this.userCode = `
      void main() {
        ivec2 rc = getOutputCoords();
        int i = rc.y;
        ${range}
        float p = ${hasParam ? `getP(imod(i, ${pn}))` : '1.0'};
        float carryV = ${fromTable ? 'getCarry(k0, i)' : '0.0'};
        float carryTh = ${fromTable && adaptive ? `getCarry(${K} + k0, i)` : '0.0'};
        float kSum = 0.0;
        float gx = 0.0;
        for (int j = 0; j < ${fromTable ? C : T}; j++) {
          int t = top - j;
          if (t < stop) break;
          float h = getH(t, i);
          float s = getS(t, i);
          float gV = carryV${has.gradV ? ` + ${gradAt('GV')}` : ''};
          float gTh = ${adaptive ? `carryTh${has.gradTheta ? ` + ${gradAt('GTh')}` : ''}` : '0.0'};
          float th = ${adaptive ? '(t == 0 ? getTheta0(i) : getThetaSeq(t - 1, i))' : '0.0'};
          float z = ${adaptive ? '(h - vth) - th' : 'h - vth'};
          ${surrogate}
          float dVdH = ${soft ? '1.0' : '1.0 - s'};
          float dVdS = ${dVdS};
          float gS = ${has.gradSpike ? 'getGS(t, i)' : '0.0'} + gV * dVdS${adaptive ? ' + gTh * thetaPlus' : ''};
          float gH = gS * g + gV * dVdH;
          ${adaptive ? `carryTh = gTh * thetaKeep - ${soft ? 'gV * s' : '0.0'} - gS * g;` : ''}
          gx = ${gradX};
          carryV = gH * ${dHdV};
          ${kTerm}
        }
        setOutput(${value});
      }
    `;
  }
}

/** Sums rows of an `[m, pn]` input in chunks of {@link SUM_CHUNK}: output `[ceil(m / chunk), pn]`. */
class ChunkSumProgram implements GPGPUProgram {
  variableNames = ['A'];
  outputShape: number[];
  userCode: string;

  constructor(m: number, pn: number) {
    this.outputShape = [Math.ceil(m / SUM_CHUNK), pn];
    this.userCode = `
      void main() {
        ivec2 rc = getOutputCoords();
        int first = rc.x * ${SUM_CHUNK};
        float sum = 0.0;
        for (int j = 0; j < ${SUM_CHUNK}; j++) {
          if (first + j >= ${m}) break;
          sum += getA(first + j, rc.y);
        }
        setOutput(sum);
      }
    `;
  }
}

const webgl = (backend: unknown): MathBackendWebGL => backend as MathBackendWebGL;

const forward = defineKernel<Record<string, TensorInfo>, NeuronForwardAttrs>(
  NeuronForward,
  'webgl',
  ({ inputs, backend, attrs }) => {
    const gl = webgl(backend);
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
    const byName: Record<string, TensorInfo> = { X: view(xSeq, [T, n]), V0: view(v0, [n]) };
    if (param !== null) byName.P = view(param, [pn]);
    if (theta0 !== null) byName.Theta0 = view(theta0, [n]);
    const uniforms = uniformValues(a);
    const run = (out: ForwardOut, perStep: boolean): TensorInfo => {
      const program = new NeuronForwardProgram(a, T, n, pn, out, perStep);
      const ins = program.variableNames.map((name) => byName[name] as TensorInfo);
      return gl.runWebGLProgram(program, ins, 'float32', uniforms);
    };
    const chunked = Math.ceil(T / chunkOf(T)) > 1;
    if (chunked) byName.State = run('state', false);
    const seq = (out: ForwardOut, perStep: boolean) => view(run(out, perStep), [perStep ? T : 1, ...stepShape]);
    const outs = [seq('spike', true), seq('v', attrs.keepSeq)];
    if (theta0 !== null) outs.push(seq('theta', attrs.keepSeq));
    if (attrs.saveH) outs.push(seq('h', true));
    if (chunked) gl.disposeIntermediateTensorInfo(byName.State as TensorInfo);
    return outs;
  },
);

const backward = defineKernel<Record<string, TensorInfo>, NeuronBackwardAttrs>(
  NeuronBackward,
  'webgl',
  ({ inputs, backend, attrs }) => {
    const gl = webgl(backend);
    const layout = neuronKernelLayout(attrs.charge);
    const hSeq = inputs.hSeq as TensorInfo;
    const v0 = inputs.v0 as TensorInfo;
    const T = hSeq.shape[0] as number;
    const stepShape = hSeq.shape.slice(1);
    const n = sizeOf(stepShape);
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
    const seq = (t: TensorInfo | undefined): TensorInfo => view(t as TensorInfo, [rowsOf(t), n]);
    const flatStep = (t: TensorInfo | undefined): TensorInfo => view(t as TensorInfo, [n]);
    const inputFor = (name: string): TensorInfo => {
      switch (name) {
        case 'H':
          return seq(hSeq);
        case 'S':
          return seq(inputs.spikeSeq);
        case 'GS':
          return seq(inputs.gradSpikeSeq);
        case 'GV':
          return seq(inputs.gradVSeq);
        case 'GTh':
          return seq(inputs.gradThetaSeq);
        case 'P':
          return view(param as TensorInfo, [pn]);
        case 'Theta0':
          return flatStep(inputs.theta0);
        case 'ThetaSeq':
          return seq(inputs.thetaSeq);
        case 'V0':
          return flatStep(v0);
        case 'XSeq':
          return seq(inputs.xSeq);
        case 'VSeq':
          return seq(inputs.vSeq);
        case 'Carry':
          return carry as TensorInfo;
        default:
          return seq(inputs.surrogateGradSeq);
      }
    };
    const uniforms = uniformValues(a);
    const run = (out: BackwardOut): TensorInfo => {
      const program = new NeuronBackwardProgram(a, T, n, pn, out, has);
      return gl.runWebGLProgram(program, program.variableNames.map(inputFor), 'float32', uniforms);
    };
    const carry = Math.ceil(T / chunkOf(T)) > 1 ? run('carry') : null;
    const gradX = run('x');
    if (carry !== null) gl.disposeIntermediateTensorInfo(carry);
    const outs = [view(gradX, [...hSeq.shape]), view(run('v'), [...v0.shape])];
    if (adaptive) outs.push(view(run('theta'), [...v0.shape]));
    if (a.charge === 'plif' && param !== null) {
      if (inputs.xSeq === undefined || inputs.vSeq === undefined) {
        throw new Error(`${NeuronBackward}: plif needs the inputs 'xSeq' and 'vSeq'`);
      }
      let partial = run('k');
      let m = n / pn;
      while (m > 1) {
        const program = new ChunkSumProgram(m, pn);
        const next = gl.runWebGLProgram(program, [view(partial, [m, pn])], 'float32');
        gl.disposeIntermediateTensorInfo(partial);
        partial = next;
        m = program.outputShape[0] as number;
      }
      outs.push(view(partial, [...param.shape]));
    }
    return outs;
  },
);

/** snn's fused neuron kernels for tfjs's webgl backend. */
export const webglNeuronKernels: KernelConfig[] = [forward, backward];

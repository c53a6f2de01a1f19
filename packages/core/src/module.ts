import type { Tensor, Variable } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';
import { checkOneOf, checkTensor, checkTimeSteps } from './checks.js';
import { StateError, ValueError } from './errors.js';

/** `'s'`: one time step per call, `[B, ...]`. `'m'`: a whole sequence per call, `[T, B, ...]`. */
export type StepMode = 's' | 'm';

/** Initial value of a memory: a number (a scalar that broadcasts at the first step, as in SpikingJelly), a tensor, or a factory. */
export type MemoryInit = number | Tensor | (() => Tensor);

/** Called after every `forward` of the module it is attached to. */
export type ForwardHook = (module: Module, input: Tensor, output: Tensor) => void;

interface MemorySlot {
  init: MemoryInit;
  value: Tensor;
  persistent: boolean;
  /** A tensor reset value copied by `setResetValue`, which the module owns and disposes. */
  ownedInit?: Tensor;
}

/** Options of {@link Module.registerMemory}. */
export interface MemoryOptions {
  /**
   * Persistent state (an adaptive threshold θ, running statistics): `reset()` keeps it,
   * `saveState` always saves it (checkpoints too), optimizers never see it (it is not a
   * parameter). `resetState(name)` restores it to its initial value. Default false: an ordinary
   * memory that `reset()` restores.
   */
  readonly persistent?: boolean;
}

interface ParameterOptions {
  /** Whether optimizers and `parameters(true)` see it. Default true. */
  readonly trainable?: boolean;
}

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * The memories replaced during the outermost `forward` in progress, each with the value it had
 * before: until the step is known to have succeeded (compute and every hook returned), those old
 * values stay alive, so a throw can put them back. Nested forwards (a container's children, the
 * steps of a sequence) join the outermost one's record.
 */
let pendingStep: Map<MemorySlot, Tensor> | undefined;

/** Replaces a slot's value, deferring the old one's disposal while a forward is in progress. */
function replaceValue(slot: MemorySlot, value: Tensor): void {
  const old = slot.value;
  slot.value = value;
  if (pendingStep !== undefined && !pendingStep.has(slot)) pendingStep.set(slot, old);
  else old.dispose();
}

/** The step succeeded: free the values the memories had before it (unless one was set back). */
function commitStep(step: Map<MemorySlot, Tensor>): void {
  for (const [slot, before] of step) if (slot.value !== before) before.dispose();
}

/**
 * The step threw: free what it wrote and give every memory it touched its value from before.
 * `input` (the caller's tensor, which a module may have stored as a memory) is never freed.
 */
function rollBackStep(step: Map<MemorySlot, Tensor>, input: Tensor): void {
  for (const [slot, before] of step) {
    if (slot.value !== before && slot.value !== input) slot.value.dispose();
    slot.value = before;
  }
}

/**
 * Throws a ValueError unless `value` is a {@link Module} that has not been disposed.
 * @param fn - The calling function, for the message.
 * @param arg - The argument's name.
 */
export function checkModule(fn: string, arg: string, value: unknown): Module {
  if (!(value instanceof Module)) throw new ValueError(fn, arg, 'a Module', value);
  return value;
}

function initialTensor(init: MemoryInit): Tensor {
  if (typeof init === 'number') return tf.keep(tf.scalar(init));
  if (typeof init === 'function') return tf.keep(init());
  return tf.keep(tf.clone(init));
}

/**
 * Base of every snn layer, neuron node and container (SpikingJelly's `MemoryModule`).
 *
 * A module owns named parameters (`tf.Variable`), memories (state tensors that `reset()`
 * restores to their initial value) and child modules. `forward` runs one step (`stepMode 's'`,
 * input `[B, ...]`) or a whole sequence (`'m'`, input `[T, B, ...]`) and then calls the
 * forward hooks, which is how monitors observe a module without patching it.
 *
 * Subclasses implement `singleStepForward` and, when a sequence can be done faster than step
 * by step, `multiStepForward`.
 *
 * @example
 * ```ts
 * class Counter extends Module {
 *   constructor() { super(); this.registerMemory('count', 0); }
 *   protected override singleStepForward(x: Tensor): Tensor {
 *     const count = tf.add(this.getMemory('count'), x);
 *     this.setMemory('count', count);
 *     return tf.clone(count);
 *   }
 * }
 * ```
 */
export class Module {
  /** Whether the module is in training mode (dropout, batch norm); see `train()` and `eval()`. */
  training = true;
  private mode: StepMode;
  private readonly parameterMap = new Map<string, Variable>();
  private readonly memoryMap = new Map<string, MemorySlot>();
  private readonly childMap = new Map<string, Module>();
  private readonly hookSet = new Set<ForwardHook>();
  private disposed = false;

  constructor(stepMode: StepMode = 's') {
    this.mode = checkOneOf(this.constructor.name, 'stepMode', stepMode, ['s', 'm'] as const);
  }

  /** The step mode of this module. */
  get stepMode(): StepMode {
    return this.mode;
  }

  /** Sets the step mode of this module and every descendant (SpikingJelly's `set_step_mode`). */
  setStepMode(mode: StepMode): this {
    const checked = checkOneOf(`${this.constructor.name}.setStepMode`, 'mode', mode, ['s', 'm'] as const);
    this.mode = checked;
    for (const child of this.childMap.values()) child.setStepMode(checked);
    return this;
  }

  /**
   * Runs the module on `x` and then its forward hooks. The caller owns the returned tensor.
   *
   * All or nothing: when the computation or a hook throws (a monitor that cannot record the
   * output, say), the output is disposed, every memory of this module and of any module stepped
   * within the call is given back its value from before the call, and the error is rethrown.
   * (Parameters are not restored: a forward does not change them.)
   *
   * @param x - `[B, ...]` in step mode `'s'`, `[T, B, ...]` in `'m'`.
   */
  forward(x: Tensor): Tensor {
    if (this.disposed) {
      throw new StateError(
        `${this.constructor.name}.forward`,
        'the module was disposed (dispose() frees it for good): make a new one',
      );
    }
    checkTensor(`${this.constructor.name}.forward`, 'x', x);
    const outermost = pendingStep === undefined;
    const step = pendingStep ?? new Map<MemorySlot, Tensor>();
    pendingStep = step;
    let y: Tensor | undefined;
    try {
      y = this.compute(x);
      for (const hook of this.hookSet) hook(this, x, y);
    } catch (error) {
      // The caller never sees y: free it (unless a module handed back its own input).
      if (y !== undefined && y !== x) y.dispose();
      if (outermost) rollBackStep(step, x);
      throw error;
    } finally {
      if (outermost) pendingStep = undefined;
    }
    if (outermost) commitStep(step);
    return y as Tensor;
  }

  /** What `forward` computes before its hooks run. Containers override this; most modules override the two below. */
  protected compute(x: Tensor): Tensor {
    return this.mode === 's' ? this.singleStepForward(x) : this.multiStepForward(x);
  }

  /** One time step: `[B, ...]` in, `[B, ...]` out. */
  protected singleStepForward(_x: Tensor): Tensor {
    throw new ValueError(this.constructor.name, 'stepMode', "a mode this module implements ('m')", 's');
  }

  /** A sequence `[T, B, ...]`: by default `singleStepForward` for each step, stacked on axis 0. */
  protected multiStepForward(xSeq: Tensor): Tensor {
    checkTimeSteps(`${this.constructor.name}.forward`, 'xSeq', xSeq);
    return stepThroughTime(xSeq, (x) => this.singleStepForward(x));
  }

  /**
   * Adds a hook called after every forward with `(module, input, output)`.
   * @returns A function that removes the hook.
   */
  onForward(hook: ForwardHook): () => void {
    this.hookSet.add(hook);
    return () => {
      this.hookSet.delete(hook);
    };
  }

  /**
   * Calls the forward hooks with `(this, input, output)` as `forward` does after computing,
   * for a simulator that stepped this module's state by other means (e.g. a network's typed-array
   * fast path that wrote the new state with `setMemory`). The caller keeps ownership of both tensors.
   */
  notifyForward(input: Tensor, output: Tensor): void {
    for (const hook of this.hookSet) hook(this, input, output);
  }

  /** Number of forward hooks attached to this module (not its children). */
  get forwardHookCount(): number {
    return this.hookSet.size;
  }

  /**
   * Registers a trainable (or frozen) parameter initialised from `init`. The module takes
   * `init` (it is disposed once copied into the variable) and owns the variable it returns.
   */
  protected registerParameter(name: string, init: Tensor, options: ParameterOptions = {}): Variable {
    this.checkNewName(name);
    const v = tf.variable(init, options.trainable ?? true);
    init.dispose();
    this.parameterMap.set(name, v);
    return v;
  }

  /**
   * Registers state that `reset()` restores to `init`. A number starts as a scalar and takes
   * the input's shape at the first step by broadcasting, as in SpikingJelly. With
   * `{ persistent: true }` the state is persistent: `reset()` keeps it and `saveState` always
   * saves it (see {@link MemoryOptions}).
   *
   * @throws ValueError when the name is taken or not an identifier, or `persistent` is not a boolean.
   * @example
   * ```ts
   * this.registerMemory('v', 0);                             // cleared by reset()
   * this.registerMemory('theta', 0, { persistent: true });   // learned; kept by reset(), saved
   * ```
   */
  registerMemory(name: string, init: MemoryInit, options: MemoryOptions = {}): void {
    const persistent = options.persistent ?? false;
    if (typeof persistent !== 'boolean') {
      throw new ValueError(`${this.constructor.name}.registerMemory`, 'persistent', 'a boolean', persistent);
    }
    this.checkNewName(name);
    this.memoryMap.set(name, { init, value: initialTensor(init), persistent });
  }

  /**
   * Sets the value that `reset()` (and `resetState(name)`) restores memory `name` to
   * (SpikingJelly's `set_reset_value`). The current value is left alone; call `resetState(name)`
   * to apply it now. The module copies a tensor `init` (the caller keeps ownership).
   *
   * @throws ValueError when the module has no memory `name`.
   * @example
   * ```ts
   * node.setResetValue('v', -65);  // V starts at rest (mV) after every reset()
   * node.resetState('v');
   * ```
   */
  setResetValue(name: string, init: MemoryInit): void {
    const slot = this.memoryMap.get(name);
    if (slot === undefined) throw this.unknownName('setResetValue', name, [...this.memoryMap.keys()]);
    const previous = slot.ownedInit;
    if (typeof init === 'object') {
      const copy = tf.keep(tf.clone(init));
      slot.init = copy;
      slot.ownedInit = copy;
    } else {
      slot.init = init;
      slot.ownedInit = undefined;
    }
    previous?.dispose();
  }

  /**
   * Restores the single memory `name` of this module (persistent or not) to its reset value,
   * e.g. to clear a learned threshold that `reset()` keeps.
   * @throws ValueError when the module has no memory `name`.
   */
  resetState(name: string): void {
    const slot = this.memoryMap.get(name);
    if (slot === undefined) throw this.unknownName('resetState', name, [...this.memoryMap.keys()]);
    replaceValue(slot, initialTensor(slot.init));
  }

  /** Whether memory `name` of this module is persistent (kept by `reset()`, always saved). */
  isPersistent(name: string): boolean {
    const slot = this.memoryMap.get(name);
    if (slot === undefined) throw this.unknownName('isPersistent', name, [...this.memoryMap.keys()]);
    return slot.persistent;
  }

  /** Adds a child module under `name`; its parameters appear as `name.param`. */
  protected registerModule<M extends Module>(name: string, module: M): M {
    this.checkNewName(name);
    if (!(module instanceof Module)) throw new ValueError(this.constructor.name, name, 'a Module', module);
    this.childMap.set(name, module);
    return module;
  }

  /** The current value of memory `name`. The module owns it: do not dispose it. */
  getMemory(name: string): Tensor {
    const slot = this.memoryMap.get(name);
    if (slot === undefined) throw this.unknownName('getMemory', name, [...this.memoryMap.keys()]);
    return slot.value;
  }

  /**
   * Replaces memory `name` with `value` (kept beyond any tidy; the module owns it from now on)
   * and disposes the old value — at once, or, inside a `forward`, when the step has succeeded
   * (so that a throw can restore it).
   */
  setMemory(name: string, value: Tensor): void {
    const slot = this.memoryMap.get(name);
    if (slot === undefined) throw this.unknownName('setMemory', name, [...this.memoryMap.keys()]);
    checkTensor(`${this.constructor.name}.setMemory`, 'value', value);
    if (slot.value === value) return;
    replaceValue(slot, tf.keep(value));
  }

  /**
   * Restores every memory of this module and its descendants to its reset value, disposing the
   * old tensors. Persistent state is kept.
   */
  reset(): void {
    for (const slot of this.memoryMap.values()) {
      if (slot.persistent) continue;
      replaceValue(slot, initialTensor(slot.init));
    }
    for (const child of this.childMap.values()) child.reset();
  }

  /** Puts this module and its descendants in training (`true`) or evaluation mode. */
  train(mode = true): this {
    for (const m of this.modules()) m.training = mode;
    return this;
  }

  /** Evaluation mode: `train(false)`. */
  eval(): this {
    return this.train(false);
  }

  /** `[name, variable]` for every parameter here and below, names dotted by path (`'0.weight'`). */
  namedParameters(trainableOnly = false): [string, Variable][] {
    const out: [string, Variable][] = [];
    for (const [path, m] of this.namedModules()) {
      for (const [name, v] of m.parameterMap) {
        if (!trainableOnly || v.trainable) out.push([path === '' ? name : `${path}.${name}`, v]);
      }
    }
    return out;
  }

  /** Every parameter here and below; only the trainable ones when `trainableOnly`. */
  parameters(trainableOnly = false): Variable[] {
    return this.namedParameters(trainableOnly).map(([, v]) => v);
  }

  /**
   * `[name, tensor]` for every memory here and below, names dotted by path (`'1.v'`).
   * @param persistent - `true`: only persistent state; `false`: only ordinary memories; omitted: all.
   */
  namedMemories(persistent?: boolean): [string, Tensor][] {
    const out: [string, Tensor][] = [];
    for (const [path, m] of this.namedModules()) {
      for (const [name, slot] of m.memoryMap) {
        if (persistent !== undefined && slot.persistent !== persistent) continue;
        out.push([path === '' ? name : `${path}.${name}`, slot.value]);
      }
    }
    return out;
  }

  /** Replaces the memory at a dotted path (`'1.v'`), as `setMemory` on the module that owns it. */
  setMemoryByPath(path: string, value: Tensor): void {
    const dot = path.lastIndexOf('.');
    const owner = dot < 0 ? this : this.moduleAt(path.slice(0, dot));
    owner.setMemory(dot < 0 ? path : path.slice(dot + 1), value);
  }

  /** `[path, module]` for this module (path `''`) and every descendant, depth first. */
  namedModules(prefix = ''): [string, Module][] {
    const out: [string, Module][] = [[prefix, this]];
    for (const [name, child] of this.childMap) {
      out.push(...child.namedModules(prefix === '' ? name : `${prefix}.${name}`));
    }
    return out;
  }

  /** This module and every descendant. */
  modules(): Module[] {
    return this.namedModules().map(([, m]) => m);
  }

  /** The direct children, by name. */
  namedChildren(): [string, Module][] {
    return [...this.childMap];
  }

  /** The descendant at a dotted path, e.g. `'0'` or `'block.1'`. */
  moduleAt(path: string): Module {
    let m: Module = this;
    for (const part of path.split('.')) {
      const next = m.childMap.get(part);
      if (next === undefined) throw m.unknownName('moduleAt', part, [...m.childMap.keys()]);
      m = next;
    }
    return m;
  }

  /** Frees every parameter, memory and child; the module cannot be used afterwards (`forward` throws a StateError). */
  dispose(): void {
    this.disposed = true;
    for (const v of this.parameterMap.values()) v.dispose();
    for (const slot of this.memoryMap.values()) {
      slot.value.dispose();
      slot.ownedInit?.dispose();
      // Disposed inside a forward: the value from before the step is this module's too.
      pendingStep?.get(slot)?.dispose();
      pendingStep?.delete(slot);
    }
    for (const child of this.childMap.values()) child.dispose();
    this.parameterMap.clear();
    this.memoryMap.clear();
    this.childMap.clear();
    this.hookSet.clear();
  }

  private checkNewName(name: string): void {
    if (typeof name !== 'string' || !(NAME.test(name) || /^[0-9]+$/.test(name))) {
      throw new ValueError(this.constructor.name, 'name', 'an identifier or an index (letters, digits, _)', name);
    }
    if (this.parameterMap.has(name) || this.memoryMap.has(name) || this.childMap.has(name)) {
      throw new ValueError(this.constructor.name, 'name', 'a name not used yet in this module', name);
    }
  }

  private unknownName(fn: string, name: string, known: string[]): ValueError {
    const list = known.length > 0 ? known.map((k) => `'${k}'`).join(', ') : '(none)';
    return new ValueError(`${this.constructor.name}.${fn}`, 'name', `one of ${list}`, name);
  }
}

/**
 * Applies `step` to each time slice of `xSeq` (`[T, B, ...]`) and stacks the results on a new
 * axis 0. Slices one step at a time: unstacking a large tensor is slow on wasm.
 */
export function stepThroughTime(xSeq: Tensor, step: (x: Tensor) => Tensor): Tensor {
  const [T, ...rest] = xSeq.shape as [number, ...number[]];
  const zeros = rest.map(() => 0);
  const size = [1, ...rest];
  return tf.tidy(() => {
    const outputs: Tensor[] = [];
    for (let t = 0; t < T; t++) {
      // A fresh `begin` per step: tfjs keeps the attribute arrays for the backward pass.
      const x = tf.reshape(tf.slice(xSeq, [t, ...zeros], size), rest);
      outputs.push(step(x));
    }
    return tf.stack(outputs);
  });
}

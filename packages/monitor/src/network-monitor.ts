import { checkOptions, type Module, ValueError } from '@snn/core';
import type { Tensor } from '@tensorflow/tfjs-core';
import type { Probe } from './channel.js';
import type { MonitorJSON } from './export.js';
import { MONITOR_OPTION_KEYS, Monitor, type MonitorOptions } from './monitor.js';
import type { RecordedArray } from './recording.js';

/**
 * Which modules of a network to record:
 * - a glob on dotted module paths: `'*'` matches one (non-empty) path segment, `'**'` any number
 *   (`'*'` = the direct children, `'block.*'`, `'**'` = every descendant);
 * - a RegExp tested against the path;
 * - a predicate `(path, module) => boolean`, e.g. `(p, m) => m instanceof LIFNode`.
 */
export type ModuleMatch = string | RegExp | ((path: string, module: Module) => boolean);

/** Options of {@link NetworkMonitor}: those of {@link Monitor}, the same for every module, and `match`. */
export interface NetworkMonitorOptions extends MonitorOptions {
  /**
   * The modules to record. Default: every module (the root included) that owns at least one
   * memory and every memory named in `vars` — in a network, the neuron nodes.
   */
  readonly match?: ModuleMatch;
}

/** A glob over dotted paths as a RegExp: `*` one segment, `**` any number of segments. */
export function globToRegExp(glob: string): RegExp {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const ch = glob[i] as string;
    if (ch === '*' && glob[i + 1] === '*') {
      re += '.*';
      i++;
    } else if (ch === '*') {
      re += '[^.]+';
    } else {
      re += ch.replace(/[\\^$+?.()|[\]{}]/g, '\\$&');
    }
  }
  return new RegExp(`^${re}$`);
}

function ownMemories(module: Module): Set<string> {
  return new Set(
    module
      .namedMemories()
      .map(([n]) => n)
      .filter((n) => !n.includes('.')),
  );
}

/**
 * Records several modules of a network at once: one {@link Monitor} per matched module, keyed by
 * its dotted path (`'0'`, `'1'`, `'block.2'`; `''` is the root).
 *
 * @example
 * ```ts
 * const net = new Sequential(new SeqToANN(linear), new LIFNode({ stepMode: 'm', storeVSeq: true }));
 * const mon = new NetworkMonitor(net, ['spike', 'v']);   // finds '1', the LIF node
 * tf.dispose(net.forward(xSeq));
 * mon.get('1', 'spike');   // [T, B, N]
 * ```
 */
export class NetworkMonitor {
  /** One monitor per recorded module, by path, in depth-first order. */
  readonly monitors: ReadonlyMap<string, Monitor>;

  /**
   * @param network - The root module.
   * @param vars - As for {@link Monitor}; every matched module must have them.
   * @param options - As for {@link Monitor}, plus `match`.
   * @throws ValueError when nothing matches, or a matched module lacks a variable.
   */
  constructor(
    readonly network: Module,
    vars: string | Probe | readonly (string | Probe)[],
    options: NetworkMonitorOptions = {},
  ) {
    const fn = 'NetworkMonitor';
    if (network === null || typeof network !== 'object' || typeof network.namedModules !== 'function') {
      throw new ValueError(fn, 'network', 'a Module', network);
    }
    checkOptions(fn, options, [...MONITOR_OPTION_KEYS, 'match']);
    const list = (Array.isArray(vars) ? vars : [vars]) as (string | Probe)[];
    const { match, ...monitorOptions } = options;
    const select = NetworkMonitor.selector(fn, match, list);
    const chosen = network.namedModules().filter(([path, m]) => select(path, m));
    if (chosen.length === 0) {
      throw new ValueError(fn, 'match', 'a pattern that selects at least one module', match ?? '(stateful modules)');
    }
    const monitors = new Map<string, Monitor>();
    try {
      for (const [path, m] of chosen) monitors.set(path, new Monitor(m, list, monitorOptions));
    } catch (e) {
      for (const mon of monitors.values()) mon.dispose();
      throw e;
    }
    this.monitors = monitors;
  }

  private static selector(
    fn: string,
    match: ModuleMatch | undefined,
    vars: readonly (string | Probe)[],
  ): (path: string, m: Module) => boolean {
    if (match === undefined) {
      const aliases = new Set(['output', 'spike', 'input']);
      const needed = vars.filter((v): v is string => typeof v === 'string' && !aliases.has(v));
      return (_path, m) => {
        const own = ownMemories(m);
        return own.size > 0 && needed.every((n) => own.has(n));
      };
    }
    if (typeof match === 'function') return match;
    if (match instanceof RegExp) return (path) => match.test(path);
    if (typeof match === 'string') {
      const re = globToRegExp(match);
      return (path) => re.test(path);
    }
    throw new ValueError(fn, 'match', 'a glob string, a RegExp or a (path, module) => boolean', match);
  }

  /** Paths of the recorded modules. */
  get paths(): string[] {
    return [...this.monitors.keys()];
  }

  /** The monitor of the module at `path`. @throws ValueError for a path not recorded. */
  at(path: string): Monitor {
    const m = this.monitors.get(path);
    if (m === undefined) {
      throw new ValueError('NetworkMonitor.at', 'path', `one of ${this.paths.map((p) => `'${p}'`).join(', ')}`, path);
    }
    return m;
  }

  /** `[T, B, ...]` tensor of variable `name` of the module at `path` (yours to dispose). */
  get(path: string, name: string): Tensor {
    return this.at(path).get(name);
  }

  /** Typed-array recording of variable `name` of the module at `path`. */
  toArray(path: string, name: string): RecordedArray {
    return this.at(path).toArray(name);
  }

  /** Variable `name` of every recorded module, by path: e.g. the populations of a raster plot. */
  toArrays(name: string): Record<string, RecordedArray> {
    const out: Record<string, RecordedArray> = {};
    for (const [path, m] of this.monitors) out[path] = m.toArray(name);
    return out;
  }

  /** Pauses every monitor. */
  pause(): this {
    for (const m of this.monitors.values()) m.pause();
    return this;
  }

  /** Resumes every monitor. */
  resume(): this {
    for (const m of this.monitors.values()) m.resume();
    return this;
  }

  /** Every module's JSON, by path. */
  toJSON(): { format: 'snn-network-monitor'; version: 1; modules: Record<string, MonitorJSON> } {
    const modules: Record<string, MonitorJSON> = {};
    for (const [path, m] of this.monitors) modules[path] = m.toJSON();
    return { format: 'snn-network-monitor', version: 1, modules };
  }

  /** One `.npy` file per module and variable: `'<path>/<name>.npy'` (`'root/…'` for the root) and `'<path>/steps.npy'`. */
  toNpyFiles(): Record<string, Uint8Array> {
    const files: Record<string, Uint8Array> = {};
    for (const [path, m] of this.monitors) {
      for (const [file, bytes] of Object.entries(m.toNpyFiles()))
        files[`${path === '' ? 'root' : path}/${file}`] = bytes;
    }
    return files;
  }

  /** Clears every monitor. */
  clear(): void {
    for (const m of this.monitors.values()) m.clear();
  }

  /** Removes every monitor's hook; the data stays. */
  remove(): void {
    for (const m of this.monitors.values()) m.remove();
  }

  /** Removes every hook and frees every recording. */
  dispose(): void {
    for (const m of this.monitors.values()) m.dispose();
  }
}

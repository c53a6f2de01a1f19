import { Monitor, type MonitorOptions, type Probe } from '@snn/monitor';
import * as tf from '@tensorflow/tfjs-core';
import { NodePopulation, type Population } from './population.js';

/**
 * A `@snn/monitor` `Monitor` on a population that also reaches its neuron node's state:
 * `'s'`/`'spike'` are the spikes the network saw (after clamping), `'x'` the trace, and any other
 * name (`'v'`, `'theta'`, `'refrac'`, ...) a memory of the population's node, broadcast to
 * `[B, ...shape]`. Recorded once per network step.
 *
 * @throws ValueError (from `Monitor`) for a name the population and its node do not have, and
 *   `Monitor`'s errors for its options (an unknown name is an `UnknownOptionError`); the
 *   population is unchanged then.
 * @example
 * ```ts
 * const mon = populationMonitor(net.layer('Y'), ['s', 'v']);
 * net.addMonitor(mon, 'Y');
 * net.run({ inputs, time: 500 });
 * const v = mon.toArray('v');   // { data, shape: [500, 1, 1000] }
 * ```
 */
export function populationMonitor(
  population: Population,
  vars: readonly string[],
  options: MonitorOptions = {},
): Monitor {
  const list = (Array.isArray(vars) ? vars : [vars]) as string[];
  // Node memories to watch, marked only once the Monitor (which checks its options) exists.
  const watch: string[] = [];
  const mapped: (string | Probe)[] = list.map((name) => {
    if (name === 's' || name === 'spike' || name === 'output') return name === 's' ? probeOutput('s') : name;
    if (name === 'x') return 'x';
    if (population instanceof NodePopulation) {
      const node = population.node;
      node.getMemory(name); // throws a ValueError naming the node's memories
      watch.push(name);
      return {
        name,
        read: (_m, _input, output) => {
          const v = node.getMemory(name);
          return v.rank === output.rank ? tf.clone(v) : tf.add(v, tf.zerosLike(output));
        },
      } satisfies Probe;
    }
    return name;
  });
  const monitor = new Monitor(population, mapped, options);
  for (const name of watch) population.watched.add(name);
  return monitor;
}

function probeOutput(name: string): Probe {
  return { name, read: (_m, _input, output) => tf.clone(output) };
}

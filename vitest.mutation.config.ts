// The vitest configuration of `pnpm mutation` (stryker.config.mjs): the root vitest.config.ts with
// its `node` project only (Stryker's vitest runner cannot select a project, and the browser
// project would start Chromium for every mutant), restricted to the tests of the mutated modules:
// each module's own test file, SpikingJelly's golden suites and the float64 cross-checks
// (`*-f64.test.ts`). Left out, because a mutant that none of those sees is a gap in them, and
// because every test file that covers a mutant that survives runs once per such mutant: the
// packages' aggregate suites (`nodes.test.ts`, `options.test.ts`, ...: the error contract and
// module plumbing), the apps' training smoke tests and tests/reliability (property runs of the
// error contract).
import { relative } from 'node:path';
import { defineConfig, type TestProjectInlineConfiguration } from 'vitest/config';
import { BaseSequencer, type TestSpecification } from 'vitest/node';
import base from './vitest.config.js';

/**
 * Test files in the order that finds a mutant soonest: the file that failed last (it killed the
 * previous mutant, likely a neighbour of this one) first, then the fastest. Vitest's default runs
 * the slowest first, which suits parallel runs, not one bailing on its first failure.
 */
class FailedThenFastest extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const cache = this.ctx.cache;
    const stats = (spec: TestSpecification) =>
      cache.getFileTestResults(`${spec.project.name}:${relative(this.ctx.config.root, spec.moduleId)}`);
    return [...files].sort((a, b) => {
      const [sa, sb] = [stats(a), stats(b)];
      if ((sa?.failed ?? false) !== (sb?.failed ?? false)) return sa?.failed ? -1 : 1;
      return (sa?.duration ?? 1e12) - (sb?.duration ?? 1e12);
    });
  }
}

/** Test files of the mutated modules (see above). */
const INCLUDE = [
  'packages/core/src/kernels/{neuron-kernels,lif-multi-step,adam}.test.ts',
  'packages/surrogates/src/{surrogates,golden}.test.ts',
  'packages/encoding/src/{rate,latency,rank-order,weighted-phase,delta,periodic,gaussian-tuning}.test.ts',
  'packages/learning/src/losses.test.ts',
  'packages/layers/src/{dense-op,channel-ops,batch-norm,linear}.test.ts',
  'packages/neurons/src/{if,lif,parametric-lif,adaptive-lif,non-spiking-lif,recurrent-if}.test.ts',
  'packages/neurons/src/{eif,qif,izhikevich,adex,alpha,clif,glif,diehl-cook,hodgkin-huxley,golden}.test.ts',
  'packages/*/src/**/*-f64.test.ts',
];

const projects = (base.test?.projects ?? []) as TestProjectInlineConfiguration[];
const node = projects.find((project) => project.test?.name === 'node');
if (node === undefined) throw new Error('vitest.mutation.config.ts: vitest.config.ts has no project named node');

export default defineConfig({
  ...base,
  test: {
    ...base.test,
    sequence: { sequencer: FailedThenFastest },
    projects: [{ ...node, test: { ...node.test, include: INCLUDE } }],
  },
});

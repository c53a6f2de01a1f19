// The vitest configuration of `pnpm mutation` (stryker.config.mjs): the root vitest.config.ts with
// its `node` project only (Stryker's vitest runner cannot select a project, and the browser
// project would start Chromium for every mutant), and of that project the tests of the mutated
// packages only: a mutant must be seen by its own package's tests (or those of the package that
// wraps it: neurons for core's kernels). The apps' tests train small networks (minutes per
// mutant), tests/reliability checks the error contract with property runs, not numbers.
import { defineConfig, type TestProjectInlineConfiguration } from 'vitest/config';
import base from './vitest.config.js';

/** The packages that stryker.config.mjs mutates. */
const MUTATED = '{core,surrogates,encoding,learning,layers,neurons}';

const projects = (base.test?.projects ?? []) as TestProjectInlineConfiguration[];
const node = projects.find((project) => project.test?.name === 'node');
if (node === undefined) throw new Error('vitest.mutation.config.ts: vitest.config.ts has no project named node');

export default defineConfig({
  ...base,
  test: {
    ...base.test,
    projects: [{ ...node, test: { ...node.test, include: [`packages/${MUTATED}/{src,test}/**/*.test.ts`] } }],
  },
});

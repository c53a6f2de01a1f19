// @ts-check
/**
 * Mutation testing of the numerical core (issue 17): `pnpm mutation`.
 *
 * StrykerJS plants one small bug at a time (a `+` for a `-`, a `<` for a `<=`, a constant
 * changed, a block emptied) in the numerical code below and runs the vitest tests that cover it;
 * a mutant that no test notices is a number the tests cannot see. The run is not part of
 * `pnpm test` or CI: it costs tens of minutes on two cores. Reruns are incremental
 * (`reports/mutation/incremental.json`: only mutants whose code or tests changed run again);
 * `pnpm mutation --force` runs everything. The report is `reports/mutation/index.html` (and
 * `mutation.json`); `pnpm mutation --mutate packages/surrogates/src/atan.ts` tests one file.
 *
 * What is mutated: the kernels' loops and references (core), the surrogate gradients and
 * primitives, the encoders, the losses, the dense/channel/batch-norm ops of layers and the
 * neurons' charge, fire and reset functions. Stryker 9 (10 needs Node 22).
 *
 * What is not, and why (the `snn-not-numerical` ignorer below; no source file carries Stryker
 * comments):
 * - argument checking and error paths: `throw` statements, `new …Error(…)`, calls of
 *   `check…`/`assert…` helpers and surrogates' `spikingOption` (with their arguments),
 *   `if (…) throw …` guards, the `check…`/`resolve…` functions that validate and default options,
 *   layers' `checkInput` / `expectInput` methods, the `fn = 'name'` strings (and function names
 *   passed on to helpers, argument names after `fn`) and the `…_OPTIONS` / `…_OPTION_KEYS` lists
 *   that only feed messages. Their contract (a named error, nothing changed) is the property
 *   suite's (tests/reliability), and a mutated message is not a wrong number.
 * - in @snn/neurons, the node classes (`LIFNode`, …) and option tables: module plumbing (state
 *   slots, options, kernel choice) around the pure charge/fire/reset functions that are mutated.
 * - the tests run per mutant are the packages' own (vitest.mutation.config.ts): not the apps'
 *   training smoke tests (minutes each) nor the property suite (it checks errors, not numbers).
 */

/** Callee name of a call or `new` expression (`f(…)`, `a.f(…)`), or ''. */
function calleeName(node) {
  const callee = node.callee;
  if (callee?.type === 'Identifier') return callee.name;
  if (callee?.type === 'MemberExpression' && callee.property.type === 'Identifier') return callee.property.name;
  return '';
}

/** A statement that only throws: `throw …` or `{ throw …; }`. */
function onlyThrows(node) {
  if (node.type === 'ThrowStatement') return true;
  return node.type === 'BlockStatement' && node.body.length === 1 && node.body[0].type === 'ThrowStatement';
}

/** Names of the functions and classes around a node. */
function enclosingNames(path) {
  const names = [];
  for (let p = path.parentPath; p; p = p.parentPath) {
    const n = p.node;
    if ((n.type === 'FunctionDeclaration' || n.type === 'ClassDeclaration') && n.id) names.push(n.id.name);
  }
  return names;
}

/**
 * A string that only names things in messages: the first argument of a call (or `new`, `super`)
 * that starts with the name of a function or class around it (`spikeTimes('latencySpikeTimes',
 * …)`, `super('BatchNorm2d', …)`), or the argument name after `fn` (`bounds(fn, 'xMax', …)`).
 */
function isMessageName(path) {
  const node = path.node;
  const parent = path.parentPath?.node;
  if (node.type !== 'StringLiteral' || !parent) return false;
  if (parent.type !== 'CallExpression' && parent.type !== 'NewExpression') return false;
  const at = parent.arguments.indexOf(node);
  if (at === 0) return enclosingNames(path).some((name) => node.value === name || node.value.startsWith(`${name}.`));
  const first = parent.arguments[0];
  return at === 1 && first?.type === 'Identifier' && first.name === 'fn';
}

/** @type {import('@stryker-mutator/api/ignore').Ignorer} */
const notNumerical = {
  shouldIgnore(path) {
    const node = path.node;
    if (node.type === 'ThrowStatement') return 'error path (checked by tests/reliability)';
    if (node.type === 'NewExpression' && /Error$/.test(calleeName(node))) return 'error construction';
    if (node.type === 'IfStatement' && onlyThrows(node.consequent) && node.alternate == null) {
      return 'argument guard (checked by tests/reliability)';
    }
    if (node.type === 'CallExpression' && /^(check|assert)[A-Z]|^spikingOption$/.test(calleeName(node))) {
      return 'argument check';
    }
    if (node.type === 'FunctionDeclaration' && /^(check|resolve)[A-Z]/.test(node.id?.name ?? '')) {
      return 'option validation and defaults';
    }
    if (node.type === 'ClassMethod' && node.key.type === 'Identifier' && /^(check|expect)Input$/.test(node.key.name)) {
      return 'input check (the expected shape, for the message)';
    }
    if (isMessageName(path)) return 'a name for messages';
    if (node.type === 'VariableDeclarator' && node.id.type === 'Identifier') {
      if (node.id.name === 'fn') return 'function name for messages';
      if (/_OPTION(S|_KEYS)$/.test(node.id.name)) return 'list of option names';
    }
    const file = path.hub?.file?.opts?.filename ?? '';
    if (/packages[\\/]neurons[\\/]src[\\/]/.test(file) && node.type === 'ClassDeclaration') {
      return 'neuron module plumbing (the pure charge/fire/reset functions are mutated)';
    }
    return undefined;
  },
};

/** Plugins defined here (this file is listed in `plugins`). */
export const strykerPlugins = [{ kind: 'Ignore', name: 'snn-not-numerical', value: notNumerical }];

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'vitest',
  plugins: ['@stryker-mutator/vitest-runner', './stryker.config.mjs'],
  ignorers: ['snn-not-numerical'],
  vitest: { configFile: 'vitest.mutation.config.ts', related: true },
  coverageAnalysis: 'perTest',
  mutate: [
    'packages/core/src/kernels/{neuron-loops,neuron-reference,rate-cross-entropy,adam-reference}.ts',
    'packages/surrogates/src/*.ts',
    '!packages/surrogates/src/*.test.ts',
    '!packages/surrogates/src/{index,options}.ts',
    'packages/encoding/src/{rate,latency,rank-order,weighted-phase,delta,periodic,gaussian-tuning}.ts',
    'packages/learning/src/losses.ts',
    'packages/layers/src/{dense-op,channel-ops,batch-norm}.ts',
    // The models of SpikingJelly and Brian2 that the golden suites cover (the SPAIC models of
    // issue 19 are not in yet).
    'packages/neurons/src/{base-node,step,if,lif,parametric-lif,adaptive-lif,non-spiking-lif,recurrent-if}.ts',
    'packages/neurons/src/{eif,qif,izhikevich,adex,alpha,clif,glif,diehl-cook,hodgkin-huxley}.ts',
  ],
  // Two cores shared with other work: one test runner.
  concurrency: 1,
  // A static mutant (a module-level constant: a lookup table, an option list) needs a fresh
  // module graph and every test related to its file (for core: every test), and Stryker 9.6's
  // vitest runner activates it too late anyway (stryker-js#6144). Reported as Ignored.
  ignoreStatic: true,
  incremental: true,
  incrementalFile: 'reports/mutation/incremental.json',
  reporters: ['clear-text', 'progress', 'html', 'json'],
  htmlReporter: { fileName: 'reports/mutation/index.html' },
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  clearTextReporter: { allowColor: false, logTests: false },
  tempDirName: '.stryker-tmp',
  // Some tests run wasm and cpu with many steps; a mutant that loops forever still times out.
  timeoutMS: 30_000,
  // The initial run (every covering test once, with per-test coverage) takes minutes here.
  dryRunTimeoutMinutes: 30,
  thresholds: { high: 90, low: 85, break: null },
};

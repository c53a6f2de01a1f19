// Regenerates src/testing/neuron-golden.json: the IF, LIF and ParametricLIF cases of
// test/golden/neurons.json and neuron_grads.json (SpikingJelly's numbers, see test/golden) that the
// neuron-kernel contract covers, with only the fields its tests read. `node scripts/extract-neuron-golden.mjs`
import { readFileSync, writeFileSync } from 'node:fs';

const read = (f) => JSON.parse(readFileSync(new URL(`../test/golden/${f}`, import.meta.url), 'utf8'));
const covered = (c) => /^(IFNode|LIFNode|ParametricLIFNode)/.test(c.name) && c.params.step_mode !== 's';
const pick = (c) => ({
  name: c.name,
  params: c.params,
  inputs: c.inputs,
  outputs: Object.fromEntries(Object.entries(c.outputs).filter(([k]) => ['spike_seq', 'v_seq', 'loss'].includes(k))),
  ...(c.grads ? { grads: c.grads } : {}),
});
const out = {
  source:
    'test/golden/neurons.json and neuron_grads.json (SpikingJelly 0.0.0.0.14), extracted by scripts/extract-neuron-golden.mjs',
  forward: read('neurons.json').cases.filter(covered).map(pick),
  backward: read('neuron_grads.json').cases.filter(covered).map(pick),
};
writeFileSync(new URL('../src/testing/neuron-golden.json', import.meta.url), `${JSON.stringify(out)}\n`);
console.log(`${out.forward.length} forward and ${out.backward.length} backward cases`);

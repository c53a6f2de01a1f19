// `pnpm test`: every package's tests once (Node and the real browser), then one line
// `N passed, N failed` with the totals, which CI reads (vitest's own summary is not one it can).
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { ensureChromium } from './ensure-chromium.mjs';

const results = '.vitest-results.json';
rmSync(results, { force: true });

const projects = [];
if (ensureChromium()) projects.push('--project', 'node', '--project', 'browser');
else projects.push('--project', 'node');

const run = spawnSync(
  'pnpm',
  [
    'exec',
    'vitest',
    'run',
    ...projects,
    '--reporter=default',
    '--reporter=json',
    `--outputFile.json=${results}`,
    ...process.argv.slice(2),
  ],
  { stdio: 'inherit', env: { ...process.env, TURBO_TELEMETRY_DISABLED: '1' } },
);

let passed = 0;
let failed = 0;
if (existsSync(results)) {
  const report = JSON.parse(readFileSync(results, 'utf8'));
  passed = report.numPassedTests;
  failed = report.numFailedTests;
  // A test file that fails to load has no tests to count: count it as one failure.
  for (const file of report.testResults) {
    if (file.status === 'failed' && file.assertionResults.length === 0) failed += 1;
  }
} else {
  failed = 1; // vitest did not even write its report
}
const browserSkipped = !projects.includes('browser');
if (browserSkipped) failed += 1; // the browser tests could not run: that is a failure, not a pass
console.log(`${passed} passed, ${failed} failed`);
process.exit(run.status === 0 && failed === 0 ? 0 : 1);

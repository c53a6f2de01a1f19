import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SnnError } from '@snn/core';
import { describe, expect, it } from 'vitest';
import { loadFashionMNISTForCli } from './data.js';
import { EXAMPLE_TIME, USAGE } from './usage.js';

describe('the CLI', () => {
  it('names its --data-dir flag and the Debian package when the data is missing, not the API', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'csnn-no-data-'));
    try {
      const err = await loadFashionMNISTForCli(empty, 'nchw').then(
        () => expect.fail('loaded Fashion-MNIST from an empty folder'),
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(SnnError); // the CLI prints SnnErrors as `error: <message>` plus the usage
      const message = (err as Error).message;
      expect(message).toContain('--data-dir DIR');
      expect(message).toContain('apt-get install dataset-fashion-mnist');
      expect(message).toContain(`'${join(empty, 'train-images-idx3-ubyte')}'`); // where it looked
      expect(message).toContain('t10k-labels-idx1-ubyte');
      expect(message).not.toContain('{ dir }');
    } finally {
      rmSync(empty, { recursive: true });
    }
  });

  it('--help and the README give the example run the same duration, and --help lists --data-dir', () => {
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    const example = 'pnpm start --channels 8 --limit 6000 --epochs 2';
    const readmeLine = readme.split('\n').find((l) => l.startsWith(`${example} `)) ?? '';
    expect(readmeLine).toContain(EXAMPLE_TIME);
    expect(USAGE).toContain(`Example (${EXAMPLE_TIME}): ${example}`);
    expect(USAGE).not.toMatch(/a few minutes/);
    expect(USAGE).toMatch(/^ {2}--data-dir DIR /m);
  });
});

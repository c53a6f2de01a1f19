import { UnknownOptionError, ValueError } from '@snn/core';
import { describe, expect, it } from 'vitest';
import { BATCH_OPTION_KEYS, batchCount, batches } from './batching.js';
import { take } from './dataset.js';
import { embeddedMNISTSplit, loadEmbeddedMNIST, loadEmbeddedMNISTAll } from './embedded-mnist.js';
import { loadFashionMNIST, loadMNIST } from './mnist-files.js';

describe('dataset options are checked', () => {
  it('a misspelt option names the closest valid one', async () => {
    expect(() => batchCount(10, 3, { droplast: true } as never)).toThrow(
      "batchCount: unknown option 'droplast' (did you mean 'dropLast'?)",
    );
    expect(() => embeddedMNISTSplit({ sead: 1 } as never)).toThrow("did you mean 'seed'");
    await expect(loadEmbeddedMNIST({ layuot: 'nchw' } as never)).rejects.toThrow("did you mean 'layout'");
    await expect(loadEmbeddedMNISTAll({ seed: 1 } as never)).rejects.toThrow(UnknownOptionError);
    await expect(loadFashionMNIST({ dri: '/x' } as never)).rejects.toThrow("did you mean 'dir'");
    await expect(loadMNIST({ dir: '/x', layot: 'flat' } as never)).rejects.toThrow("did you mean 'layout'");
  });

  it('batches checks every option name and its booleans', async () => {
    const all = await loadEmbeddedMNISTAll();
    const ds = take(all, 10);
    for (const key of BATCH_OPTION_KEYS) {
      expect(() => batches(ds, 4, { [`${key}_`]: 1 } as never)).toThrow(`did you mean '${key}'`);
    }
    expect(() => batches(ds, 4, { shuffle: 'yes', seed: 1 } as never)).toThrow(
      "batches: 'shuffle' must be a boolean, got 'yes'",
    );
    expect(() => batches(ds, 4, { dropLast: 1 } as never)).toThrow(ValueError);
    expect([...batches(ds, 4, { dropLast: true, as: 'arrays' })].length).toBe(2);
  });
});

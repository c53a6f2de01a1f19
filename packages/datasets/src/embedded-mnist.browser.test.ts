import { describe, expect, it } from 'vitest';
import { classCounts } from './dataset.js';
import { loadEmbeddedMNIST } from './embedded-mnist.js';
import { decodeIDX, encodeIDX } from './idx.js';

// The browser half of the package: the embedded digits come through the bundler's JSON
// imports (no node:fs), and IDX bytes decode without Node.
describe('@snn/datasets in a browser', () => {
  it('loads the embedded MNIST split with the same documented shapes', async () => {
    expect(typeof (globalThis as { process?: { versions?: { node?: string } } }).process?.versions?.node).not.toBe(
      'string',
    );
    const { train, test } = await loadEmbeddedMNIST();
    expect(train.size).toBe(8000);
    expect(test.size).toBe(2000);
    expect(train.images.length).toBe(8000 * 784);
    expect(classCounts(test)).toEqual(new Array(10).fill(200));
    // Same split as in Node (pinned in embedded-mnist.test.ts).
    expect(Array.from(test.sourceIndices!.subarray(0, 5))).toEqual([9911, 5897, 302, 6697, 8339]);
  });

  it('decodes IDX bytes', async () => {
    const bytes = encodeIDX({ shape: [2], dtype: 'uint8', data: Uint8Array.of(3, 7) });
    expect(Array.from((await decodeIDX(bytes)).data)).toEqual([3, 7]);
  });
});

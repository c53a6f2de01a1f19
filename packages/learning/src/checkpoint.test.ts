import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadState, Sequential, StateError } from '@snn/core';
import { LIFNode } from '@snn/neurons';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fromCheckpoint, loadCheckpoint, saveCheckpoint, toCheckpoint } from './checkpoint.js';
import { rateCrossEntropyLoss } from './losses.js';
import { CLASSES, Dense, makeData, makeNet } from './test-fixtures.js';
import { trainStep } from './train-step.js';

const bits = (net: Sequential) => net.parameters().map((p) => new Uint32Array(p.dataSync().slice().buffer));

describe('checkpoints', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'snn-learning-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('round-trips a trained network bit-exactly through a file, with its metadata', async () => {
    const data = makeData();
    const net = makeNet(1);
    const optimizer = tf.train.adam(0.05);
    for (let i = 0; i < 5; i++) {
      trainStep({ net, optimizer, inputs: data.xSeq, labels: data.labels, loss: rateCrossEntropyLoss });
    }
    const path = join(dir, 'nested', 'folder', 'net.json');
    await saveCheckpoint(path, net, { meta: { epoch: 5, accuracy: 0.875, options: { T: 8 } } });
    const other = makeNet(2); // same structure, other weights
    expect(bits(other)).not.toEqual(bits(net));
    const { meta } = await loadCheckpoint(path, other);
    expect(bits(other)).toEqual(bits(net));
    expect(meta).toEqual({ epoch: 5, accuracy: 0.875, options: { T: 8 } });
    // The same outputs.
    const [a, b] = [net, other].map((n) => {
      n.reset();
      const out = Array.from(n.forward(data.xSeq).dataSync());
      n.reset();
      return out;
    });
    expect(b).toEqual(a);
    // The file is core's saveState JSON plus meta: loadState reads it without meta.
    const third = makeNet(3);
    const { meta: _meta, ...saved } = JSON.parse(await readFile(path, 'utf8'));
    loadState(third, saved);
    expect(bits(third)).toEqual(bits(net));
    for (const n of [net, other, third]) n.dispose();
    optimizer.dispose();
    tf.dispose(data);
  });

  it('stores memories on request, and {} as meta when none was given', async () => {
    const data = makeData();
    const net = makeNet(1);
    tf.dispose(net.forward(data.xSeq)); // membrane potentials now [8, 4]
    const path = join(dir, 'with-memories.json');
    await saveCheckpoint(path, net, { memories: true });
    const other = makeNet(1);
    const { meta } = await loadCheckpoint(path, other);
    expect(meta).toEqual({});
    const v = (n: Sequential) => Array.from((n.layers[1] as LIFNode).v.dataSync());
    expect(v(other)).toEqual(v(net));
    expect((other.layers[1] as LIFNode).v.shape).toEqual([8, CLASSES]);
    net.dispose();
    other.dispose();
    tf.dispose(data);
  });

  it('in memory: toCheckpoint / fromCheckpoint', () => {
    const net = makeNet(1);
    const other = makeNet(2);
    const json = JSON.stringify(toCheckpoint(net, { meta: { note: 'x' } }));
    expect(fromCheckpoint(other, JSON.parse(json)).meta).toEqual({ note: 'x' });
    expect(bits(other)).toEqual(bits(net));
    expect(() => toCheckpoint(net, { meta: [1] as never })).toThrow("toCheckpoint: 'meta' must be a plain object");
    expect(() => toCheckpoint(net, { meta: { n: 1n } })).toThrow(/'meta' must be JSON-serialisable/);
    expect(() => fromCheckpoint(net, { format: 'other' })).toThrow(StateError);
    net.dispose();
    other.dispose();
  });

  it('says clearly when the file is missing, is not JSON or does not fit the network; the network is unchanged', async () => {
    const net = makeNet(1);
    const before = bits(net);
    await expect(loadCheckpoint(join(dir, 'nope.json'), net)).rejects.toThrow(
      `loadCheckpoint: no checkpoint file at '${join(dir, 'nope.json')}'`,
    );
    const notJson = join(dir, 'bad.json');
    await writeFile(notJson, '{ truncated', 'utf8');
    await expect(loadCheckpoint(notJson, net)).rejects.toThrow(/is not a checkpoint: not JSON/);
    const foreign = join(dir, 'foreign.json');
    await writeFile(foreign, JSON.stringify({ hello: 1 }), 'utf8');
    await expect(loadCheckpoint(foreign, net)).rejects.toThrow(/not an snn checkpoint/);

    // A network of another shape: 16 → 5 classes.
    const wide = new Sequential(new Dense(tf.zeros([16, 5])), new LIFNode({ stepMode: 'm' }));
    const widePath = join(dir, 'wide.json');
    await saveCheckpoint(widePath, wide);
    const err = await loadCheckpoint(widePath, net).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StateError);
    expect((err as Error).message).toContain(
      "parameter '0.weight' has shape [16, 4] in the module but [16, 5] in the saved state",
    );
    expect((err as Error).message).toContain(widePath);
    // Another structure: an extra layer.
    const deeper = new Sequential(new Dense(tf.zeros([16, 4])), new Dense(tf.zeros([4, 4])), new LIFNode());
    await saveCheckpoint(widePath, deeper);
    await expect(loadCheckpoint(widePath, net)).rejects.toThrow(/saved parameter '1.weight' does not exist/);
    expect(bits(net)).toEqual(before);
    await expect(saveCheckpoint('', net)).rejects.toThrow("saveCheckpoint: 'path' must be a file path");
    for (const n of [net, wide, deeper]) n.dispose();
  });
});

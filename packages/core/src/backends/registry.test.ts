import {
  BackendUnavailableError,
  backendFromEnvironment,
  currentBackend,
  listBackends,
  useBackend,
  ValueError,
} from '@snn/core';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, describe, expect, it } from 'vitest';

describe('useBackend', () => {
  afterAll(async () => {
    await useBackend('cpu');
  });

  it('starts cpu and reports it', async () => {
    expect(await useBackend('cpu')).toBe('cpu');
    expect(currentBackend()).toBe('cpu');
    expect(tf.getBackend()).toBe('cpu');
  });

  it('imports @snn/backend-wasm by itself in Node and starts wasm', async () => {
    expect(await useBackend('wasm')).toBe('wasm');
    expect(tf.getBackend()).toBe('wasm');
    const y = tf.add(tf.tensor([1, 2]), tf.tensor([3, 4]));
    expect(Array.from(await y.data())).toEqual([4, 6]);
    y.dispose();
  });

  it("'auto' takes wasm in Node here (no CUDA) and logs why it skipped cuda", async () => {
    const messages: string[] = [];
    expect(await useBackend('auto', { log: (m) => messages.push(m) })).toBe('wasm');
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatch(/chose 'wasm'/);
    expect(messages[0]).toMatch(/cuda: .*tfjs-node-gpu/);
  });

  it('rejects an unknown name with a ValueError naming the options, backend unchanged', async () => {
    await useBackend('cpu');
    const err = await useBackend('tpu' as never).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ValueError);
    expect(String((err as Error).message)).toBe(
      "useBackend: 'name' must be one of 'cpu', 'wasm', 'webgl', 'webgpu', 'cuda', 'auto', got 'tpu'",
    );
    expect(currentBackend()).toBe('cpu');
  });

  it('fails cuda with a BackendUnavailableError saying what to install and what it needs', async () => {
    await useBackend('cpu');
    const err = await useBackend('cuda').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BackendUnavailableError);
    const message = (err as Error).message;
    expect(message).toMatch(/npm i @tensorflow\/tfjs-node-gpu/);
    expect(message).toMatch(/CUDA/);
    expect(message).toMatch(/cuDNN/);
    expect(currentBackend()).toBe('cpu');
  });

  it('fails webgl in Node with the reason', async () => {
    const err = await useBackend('webgl').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BackendUnavailableError);
    expect((err as Error).message).toMatch(/only in a browser/);
    expect(currentBackend()).toBe('cpu');
  });
});

describe('listBackends', () => {
  it('lists all five with installed / canStart / reason', async () => {
    const rows = await listBackends();
    expect(rows.map((r) => r.name)).toEqual(['cpu', 'wasm', 'webgl', 'webgpu', 'cuda']);
    const byName = Object.fromEntries(rows.map((r) => [r.name, r]));
    expect(byName.cpu).toMatchObject({ installed: true, canStart: true, reason: null });
    expect(byName.wasm).toMatchObject({ installed: true, canStart: true, packageName: '@snn/backend-wasm' });
    expect(byName.webgl).toMatchObject({ installed: true, canStart: false });
    expect(byName.webgpu).toMatchObject({ installed: true, canStart: false });
    expect(byName.cuda?.installed).toBe(true);
    expect(byName.cuda?.canStart).toBe(false);
    expect(byName.cuda?.reason).toMatch(/tfjs-node-gpu/);
  });
});

describe('backendFromEnvironment', () => {
  it('lets SNN_BACKEND override the app default and checks its value', () => {
    const saved = process.env.SNN_BACKEND;
    try {
      delete process.env.SNN_BACKEND;
      expect(backendFromEnvironment('auto')).toBe('auto');
      process.env.SNN_BACKEND = 'cpu';
      expect(backendFromEnvironment('auto')).toBe('cpu');
      process.env.SNN_BACKEND = 'gpu';
      expect(() => backendFromEnvironment()).toThrow(/'SNN_BACKEND' must be one of/);
    } finally {
      if (saved === undefined) delete process.env.SNN_BACKEND;
      else process.env.SNN_BACKEND = saved;
    }
  });
});

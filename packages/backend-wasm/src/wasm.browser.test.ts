// Runs in Chromium (vitest browser mode): tfjs-backend-wasm loads its .wasm from the URLs vite
// serves them at (`?url` imports handed to setWasmPaths), and a small spiking network gives the same
// numbers on wasm as on cpu.
import { setWasmPaths } from '@snn/backend-wasm';
import { currentBackend, listBackends, useBackend } from '@snn/core';
import { expectNoLeakOn, expectSameAsCpu } from '@snn/core/testing';
// @ts-expect-error no `?url` module types here (vite/client is not in this package's tsconfig)
import wasmUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
// @ts-expect-error as above
import wasmSimdUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
// @ts-expect-error as above
import wasmThreadedSimdUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, describe, expect, it } from 'vitest';

describe('@snn/backend-wasm in Chromium', () => {
  const files: Record<string, string> = {
    'tfjs-backend-wasm.wasm': wasmUrl,
    'tfjs-backend-wasm-simd.wasm': wasmSimdUrl,
    'tfjs-backend-wasm-threaded-simd.wasm': wasmThreadedSimdUrl,
  };

  afterAll(async () => {
    await useBackend('cpu');
  });

  it('lists wasm as installed and able to start', async () => {
    const row = (await listBackends()).find((r) => r.name === 'wasm');
    expect(row).toMatchObject({ installed: true, canStart: true, reason: null, packageName: '@snn/backend-wasm' });
  });

  it('serves the three .wasm files at their ?url URLs', async () => {
    for (const [name, url] of Object.entries(files)) {
      const response = await fetch(url);
      expect(response.ok, `${name} at ${url}: HTTP ${response.status}`).toBe(true);
      const magic = new Uint8Array(await response.arrayBuffer()).subarray(0, 4);
      expect(Array.from(magic), `${name} at ${url} is not WebAssembly`).toEqual([0x00, 0x61, 0x73, 0x6d]);
    }
  });

  it('starts wasm after setWasmPaths', async () => {
    setWasmPaths(files);
    await expect(useBackend('wasm')).resolves.toBe('wasm');
    expect(currentBackend()).toBe('wasm');
    expect(tf.getBackend()).toBe('wasm');
    console.info(
      `wasm: SIMD ${tf.env().getBool('WASM_HAS_SIMD_SUPPORT')}, threads ${tf.env().getBool('WASM_HAS_MULTITHREAD_SUPPORT')} (crossOriginIsolated ${globalThis.crossOriginIsolated}); tfjs-backend-wasm-simd.wasm at ${wasmSimdUrl}`,
    );
  });

  it('runs two LIF layers, a matMul and lifMultiStep on wasm with the same results as cpu', async () => {
    await expectSameAsCpu('wasm');
  });

  it('does not leak tensors over repeated runs on wasm', async () => {
    await expectNoLeakOn('wasm');
  });
});

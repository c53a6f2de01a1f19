// Runs in Chromium (vitest browser mode). With --enable-unsafe-webgpu (set by the browser project),
// Chromium without a GPU offers SwiftShader's fallback adapter: webgpu starts, and a small spiking
// network gives the same numbers on webgpu as on cpu.
import { currentBackend, listBackends, NeuronBackward, NeuronForward, useBackend } from '@snn/core';
import {
  describeNeuronKernels,
  expectNoLeakOn,
  expectSameAsCpu,
  expectSameAsLoops,
  LOOP_CASES,
} from '@snn/core/testing';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, describe, expect, it } from 'vitest';
import '@snn/backend-webgpu';

/** The part of navigator.gpu read here (the @webgpu/types that tfjs pulls in predate GPUAdapter.info). */
interface GpuLike {
  requestAdapter(options?: { powerPreference?: string }): Promise<{ readonly info?: AdapterInfo } | null>;
}
interface AdapterInfo {
  readonly vendor?: string;
  readonly architecture?: string;
  readonly device?: string;
  readonly description?: string;
  readonly isFallbackAdapter?: boolean;
}

describe('@snn/backend-webgpu in Chromium', () => {
  afterAll(async () => {
    await useBackend('cpu');
  });

  it('lists webgpu as installed and able to start', async () => {
    const row = (await listBackends()).find((r) => r.name === 'webgpu');
    expect(row).toMatchObject({ installed: true, canStart: true, reason: null, packageName: '@snn/backend-webgpu' });
  });

  it('starts webgpu and names the adapter', async () => {
    const gpu = (navigator as unknown as { gpu?: GpuLike }).gpu;
    expect(gpu, 'navigator.gpu').toBeDefined();
    // The same request tfjs makes when it starts the backend.
    const adapter = await gpu?.requestAdapter({ powerPreference: 'high-performance' });
    expect(adapter, 'navigator.gpu.requestAdapter()').toBeTruthy();
    const info: AdapterInfo = adapter?.info ?? {};
    console.info(
      `webgpu adapter: vendor '${info.vendor}', architecture '${info.architecture}', device '${info.device}', description '${info.description}', isFallbackAdapter ${info.isFallbackAdapter}`,
    );

    await expect(useBackend('webgpu')).resolves.toBe('webgpu');
    expect(currentBackend()).toBe('webgpu');
    expect(tf.getBackend()).toBe('webgpu');
  });

  it('runs two LIF layers, a matMul and lifMultiStep on webgpu with the same results as cpu', async () => {
    await expectSameAsCpu('webgpu');
  });

  it('does not leak tensors over repeated runs on webgpu', async () => {
    await expectNoLeakOn('webgpu');
  });

  it('registers the fused neuron kernels for webgpu on import', () => {
    expect(tf.getKernel(NeuronForward, 'webgpu')).toBeDefined();
    expect(tf.getKernel(NeuronBackward, 'webgpu')).toBeDefined();
  });

  it.each(LOOP_CASES.map((c) => [c.name, c] as const))(
    "fused kernels give the numbers of core's plain loops: %s",
    async (_n, c) => {
      await useBackend('webgpu');
      await expectSameAsLoops(c);
    },
  );
});

// The golden suite of the neuron-kernel contract (SpikingJelly's numbers, fused kernels against
// the tfjs-ops reference on every configuration) on webgpu, with this package's WGSL kernels.
describeNeuronKernels(['webgpu']);

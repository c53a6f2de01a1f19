// Runs in Chromium (vitest browser mode; the browser project forces ANGLE on SwiftShader): webgl
// starts on a WebGL2 context, and a small spiking network gives the same numbers on webgl as on cpu.
import { currentBackend, listBackends, NeuronBackward, NeuronForward, useBackend } from '@snn/core';
import {
  describeNeuronKernels,
  expectNoLeakOn,
  expectSameAsCpu,
  expectSameAsLoops,
  LOOP_CASES,
} from '@snn/core/testing';
import type { MathBackendWebGL } from '@tensorflow/tfjs-backend-webgl';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, describe, expect, it } from 'vitest';
import '@snn/backend-webgl';

describe('@snn/backend-webgl in Chromium', () => {
  afterAll(async () => {
    await useBackend('cpu');
  });

  it('lists webgl as installed and able to start', async () => {
    const row = (await listBackends()).find((r) => r.name === 'webgl');
    expect(row).toMatchObject({ installed: true, canStart: true, reason: null, packageName: '@snn/backend-webgl' });
  });

  it('starts webgl on a WebGL2 float32 context and names the renderer', async () => {
    await expect(useBackend('webgl')).resolves.toBe('webgl');
    expect(currentBackend()).toBe('webgl');
    expect(tf.getBackend()).toBe('webgl');
    expect(tf.env().getNumber('WEBGL_VERSION')).toBe(2);
    expect(tf.env().getBool('WEBGL_RENDER_FLOAT32_ENABLED')).toBe(true);

    const gl = (tf.backend() as MathBackendWebGL).gpgpu.gl;
    const debug = gl.getExtension('WEBGL_debug_renderer_info');
    const renderer = String(gl.getParameter(debug?.UNMASKED_RENDERER_WEBGL ?? gl.RENDERER));
    const vendor = String(gl.getParameter(debug?.UNMASKED_VENDOR_WEBGL ?? gl.VENDOR));
    console.info(`webgl: ${gl.getParameter(gl.VERSION)} | vendor: ${vendor} | renderer: ${renderer}`);
    // The browser project launches Chromium with --use-angle=swiftshader, GPU or not.
    expect(renderer).toMatch(/SwiftShader/i);
  });

  it('runs two LIF layers, a matMul and lifMultiStep on webgl with the same results as cpu', async () => {
    await expectSameAsCpu('webgl');
  });

  it('does not leak tensors over repeated runs on webgl', async () => {
    await expectNoLeakOn('webgl');
  });

  it('registers the fused neuron kernels for webgl on import', () => {
    expect(tf.getKernel(NeuronForward, 'webgl')).toBeDefined();
    expect(tf.getKernel(NeuronBackward, 'webgl')).toBeDefined();
  });

  it.each(LOOP_CASES.map((c) => [c.name, c] as const))(
    "fused kernels give the numbers of core's plain loops: %s",
    async (_n, c) => {
      await useBackend('webgl');
      await expectSameAsLoops(c);
    },
  );
});

// The golden suite of the neuron-kernel contract (SpikingJelly's numbers, fused kernels against
// the tfjs-ops reference on every configuration) on webgl, with this package's GLSL kernels.
describeNeuronKernels(['webgl']);

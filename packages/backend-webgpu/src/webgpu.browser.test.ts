import { currentBackend, listBackends, useBackend } from '@snn/core';
import * as tf from '@tensorflow/tfjs-core';
import { it } from 'vitest';
import '@snn/backend-webgpu';

it('probe', async () => {
  const gpu = (navigator as any).gpu;
  console.log('navigator.gpu', typeof gpu);
  const adapter = await gpu?.requestAdapter({ powerPreference: 'high-performance' });
  console.log('adapter', adapter === null ? 'null' : JSON.stringify({ ...Object.fromEntries(['vendor','architecture','device','description','isFallbackAdapter','subgroupMinSize'].map(k => [k, adapter?.info?.[k]])) , fallback: adapter?.isFallbackAdapter, features: [...(adapter?.features ?? [])] }));
  console.log(JSON.stringify(await listBackends()));
  try { console.log('use', await useBackend('webgpu'), currentBackend(), tf.getBackend()); } catch (e) { console.log('ERR', String(e)); }
  const y = tf.matMul(tf.ones([4, 8]), tf.ones([8, 3]));
  console.log('mm', Array.from(await y.data()), tf.getBackend());
});

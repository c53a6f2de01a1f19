// Test helpers (not built into dist): the golden files, and a way
// to load SpikingJelly's weights into a Tempotron through saveState/loadState's format.
import { readFileSync } from 'node:fs';
import { loadState, type SavedState } from '@snn/core';
import type { Tempotron } from './tempotron.js';

export type Nested = number | Nested[];

export interface TempotronCase {
  name: string;
  params: {
    in_features: number;
    out_features: number;
    T: number;
    tau: number;
    tau_s: number;
    v_threshold: number;
    fc_weight: number[][];
    v0: number;
    t_max: number;
  };
  inputs: {
    in_spikes: number[][];
    labels: number[];
    t_psp: number[];
    t_psp_extra: number[];
    w_spikes_loss: number[][];
  };
  outputs: {
    psp_kernel: number[];
    psp_kernel_extra: number[];
    v: number[][][];
    v_max: number[][];
    spikes: number[][];
    mse_loss: number;
    wrong_mask: number[][];
  };
  grads: { mse_loss_wrt_fc_weight: number[][]; spikes_loss_wrt_fc_weight: number[][] };
}

export interface GaussianTuningCase {
  name: string;
  params: { n: number; m: number; x_min: number[]; x_max: number[]; max_spike_time: number };
  inputs: { x: number[][][] };
  outputs: { spike_times: number[][][][]; mu: number[][]; sigma2: number[][] };
}

export function goldenCases<C>(file: string): C[] {
  return JSON.parse(readFileSync(new URL(`../test/golden/${file}`, import.meta.url), 'utf8')).cases;
}

export function flat(x: Nested): number[] {
  return Array.isArray(x) ? x.flatMap(flat) : [x];
}

/** Loads SpikingJelly's `fc.weight` into `net` as a saved state (parameter `weight`). */
export function loadFcWeight(net: Tempotron, fcWeight: number[][]): void {
  const values = Float32Array.from(flat(fcWeight));
  const state: SavedState = {
    format: 'snn-state',
    version: 1,
    parameters: {
      weight: {
        shape: [fcWeight.length, fcWeight[0]?.length ?? 0],
        dtype: 'float32',
        data: Buffer.from(values.buffer).toString('base64'),
      },
    },
  };
  loadState(net, state);
}

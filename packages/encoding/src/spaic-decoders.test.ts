/**
 * Parity with SPAIC itself (commit e3b6303, torch CPU float32): the decoder cases of
 * test/golden/spaic-decoders.json, a copy of /work/shared/golden/spaic.json's `dec_*` cases.
 * Each record is decoded by the function and by the decoder the registry makes under SPAIC's name.
 * Counts and patterns exactly; floats to 1e-5 relative, the data set's tolerance.
 */
// Importing @snn/core registers its cpu backend, which describeBackends switches to.
import '@snn/core';
import { readFileSync } from 'node:fs';
import { describeBackends, expectClose } from '@snn/core/testing';
import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import {
  type ComplexSpikes,
  decodeComplexCount,
  decodeComplexLatency,
  decodeComplexPhase,
} from './complex-decoders.js';
import { decodeFirstSpikePattern, decodeTimeSpikeCounts } from './decoders.js';
import { createDecoder } from './registry.js';

type Nested = number[][][];
interface DecoderCase {
  name: string;
  module: string;
  params: { coding_method: string; dt: number; time_step: number };
  inputs: { record: Nested | { real: Nested; imag: Nested } };
  outputs: { predict: number[][] };
}

const golden: { spaic_commit: string; cases: DecoderCase[] } = JSON.parse(
  readFileSync(new URL('../test/golden/spaic-decoders.json', import.meta.url), 'utf8'),
);
const byName = (name: string): DecoderCase => {
  const found = golden.cases.find((c) => c.name === name);
  if (found === undefined) throw new Error(`no golden case ${name}`);
  return found;
};

const record = (c: DecoderCase): tf.Tensor => tf.tensor(c.inputs.record as Nested);
const complexRecord = (c: DecoderCase): ComplexSpikes => {
  const r = c.inputs.record as { real: Nested; imag: Nested };
  return { real: tf.tensor(r.real), imag: tf.tensor(r.imag) };
};

describeBackends('SPAIC decoders (golden)', () => {
  it('the golden file is SPAIC e3b6303 and holds the cases tested here', () => {
    expect(golden.spaic_commit.startsWith('e3b630379b04')).toBe(true);
    expect(golden.cases.map((c) => c.params.coding_method).sort()).toEqual([
      'complex_count',
      'complex_latency',
      'complex_phase',
      'first_spike',
      'spike_counts',
      'time_spike_counts',
    ]);
  });

  it("dec_spike_counts_default: 'spike_counts' exactly", () => {
    tf.tidy(() => {
      const c = byName('dec_spike_counts_default');
      const { value } = createDecoder('spike_counts').decode(record(c));
      expect(value.arraySync()).toEqual(c.outputs.predict);
    });
  });

  it("dec_first_spike: decodeFirstSpikePattern and 'first_spike' exactly (the pattern of the first firing step)", () => {
    tf.tidy(() => {
      const c = byName('dec_first_spike');
      expect(decodeFirstSpikePattern(record(c)).value.arraySync()).toEqual(c.outputs.predict);
      expect(createDecoder('first_spike').decode(record(c)).value.arraySync()).toEqual(c.outputs.predict);
    });
  });

  it("dec_time_spike_counts: decodeTimeSpikeCounts and 'time_spike_counts' to 1e-5", () => {
    tf.tidy(() => {
      const c = byName('dec_time_spike_counts');
      expectClose(decodeTimeSpikeCounts(record(c)).value, c.outputs.predict);
      expectClose(createDecoder('time_spike_counts').decode(record(c)).value, c.outputs.predict);
    });
  });

  it("dec_complex_count: decodeComplexCount and 'complex_count' to 1e-5", () => {
    tf.tidy(() => {
      const c = byName('dec_complex_count');
      expectClose(decodeComplexCount(complexRecord(c)).value, c.outputs.predict);
      expectClose(createDecoder('complex_count').decode(complexRecord(c)).value, c.outputs.predict);
    });
  });

  it("dec_complex_phase: decodeComplexPhase and 'complex_phase' to 1e-5 (SPAIC's dt = 0.1)", () => {
    tf.tidy(() => {
      const c = byName('dec_complex_phase');
      const dt = c.params.dt;
      expectClose(decodeComplexPhase(complexRecord(c), { dt }).value, c.outputs.predict);
      expectClose(createDecoder('complex_phase', { dt }).decode(complexRecord(c)).value, c.outputs.predict);
      // dt only scales the value: with the default dt = 1 it is 10 times SPAIC's
      expectClose(
        decodeComplexPhase(complexRecord(c)).value,
        c.outputs.predict.map((row) => row.map((v) => v / dt)),
      );
    });
  });

  it("dec_complex_latency: decodeComplexLatency and 'complex_latency' to 1e-5", () => {
    tf.tidy(() => {
      const c = byName('dec_complex_latency');
      expectClose(decodeComplexLatency(complexRecord(c)).value, c.outputs.predict);
      expectClose(createDecoder('complex_latency').decode(complexRecord(c)).value, c.outputs.predict);
    });
  });
});

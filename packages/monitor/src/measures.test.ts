import { ShapeError, ValueError } from '@snn/core';
import { describe, expect, it } from 'vitest';
import {
  coefficientOfVariation,
  firingRates,
  interSpikeIntervals,
  populationRate,
  spikeCounts,
  spikeEvents,
} from './measures.js';

// [T = 6, B = 1, N = 3]: neuron 0 fires at steps 0, 2, 4; neuron 1 at 0, 1, 5; neuron 2 never.
const spikes = {
  data: [1, 1, 0, 0, 1, 0, 1, 0, 0, 0, 0, 0, 1, 0, 0, 0, 1, 0],
  shape: [6, 1, 3],
};

describe('spikeCounts and firingRates', () => {
  it('counts spikes per element and divides by T · dt', () => {
    expect([...spikeCounts(spikes)]).toEqual([3, 3, 0]);
    expect([...firingRates(spikes)]).toEqual([0.5, 0.5, 0]);
    expect([...firingRates(spikes, { dt: 0.5 })]).toEqual([1, 1, 0]);
  });

  it('rejects T = 0, a bad dt and data that does not fit the shape', () => {
    expect(() => firingRates({ data: [], shape: [0, 3] })).toThrow(/T = 0/);
    expect(() => firingRates(spikes, { dt: -1 })).toThrow(ValueError);
    expect(() => spikeCounts({ data: [1, 2, 3], shape: [2, 2] })).toThrow(ShapeError);
    expect(() => spikeCounts({ data: [1], shape: [] })).toThrow(/rank >= 1/);
    expect(() => spikeCounts(null as never)).toThrow(/'recording' must be an object/);
  });
});

describe('populationRate', () => {
  it('averages over elements per step, then over bins (the last one shorter)', () => {
    expect([...populationRate(spikes)]).toEqual([2 / 3, 1 / 3, 1 / 3, 0, 1 / 3, 1 / 3]);
    expect([...populationRate(spikes, { bin: 4 })]).toEqual([4 / 12, 2 / 6]);
    expect([...populationRate(spikes, { bin: 2, dt: 0.001 })].map((r) => Math.round(r))).toEqual([500, 167, 333]);
    expect(() => populationRate(spikes, { bin: 0 })).toThrow(/'bin' must be an integer >= 1/);
  });
});

describe('interSpikeIntervals and coefficientOfVariation', () => {
  it('gives the intervals per element, in units of dt, using the recorded step indices', () => {
    const isi = interSpikeIntervals(spikes);
    expect(isi.map((a) => [...a])).toEqual([[2, 2], [1, 4], []]);
    expect(interSpikeIntervals(spikes, { dt: 0.5 }).map((a) => [...a])).toEqual([[1, 1], [0.5, 2], []]);
    // a ring buffer that kept steps 100..105: intervals stay right
    const ring = { ...spikes, steps: [100, 101, 102, 103, 104, 105] };
    expect(interSpikeIntervals(ring).map((a) => [...a])).toEqual([[2, 2], [1, 4], []]);
    const sparse = { ...spikes, steps: [0, 10, 20, 30, 40, 50] };
    expect(interSpikeIntervals(sparse).map((a) => [...a])).toEqual([[20, 20], [10, 40], []]);
  });

  it('is 0 for a regular train, σ/μ otherwise, NaN below two intervals', () => {
    const cv = coefficientOfVariation(spikes);
    expect(cv[0]).toBe(0);
    expect(cv[1]).toBeCloseTo(1.5 / 2.5, 12); // intervals 1, 4: mean 2.5, population std 1.5
    expect(cv[2]).toBeNaN();
    expect([...coefficientOfVariation([[1, 1, 1], [2], [1, 3]])].map((x) => (Number.isNaN(x) ? 'NaN' : x))).toEqual([
      0,
      'NaN',
      0.5,
    ]);
  });

  it('is near 1 for a Poisson train', () => {
    let seed = 1;
    const random = (): number => {
      seed = (seed * 16807) % 2147483647;
      return seed / 2147483647;
    };
    const T = 200_000;
    const data = Array.from({ length: T }, () => +(random() < 0.05));
    const [cv] = coefficientOfVariation({ data, shape: [T, 1] });
    expect(cv).toBeGreaterThan(0.95);
    expect(cv).toBeLessThan(1.0);
  });
});

describe('spikeEvents', () => {
  it('lists (time, neuron) pairs ordered by time', () => {
    const ev = spikeEvents(spikes, { dt: 2 });
    expect([...ev.times]).toEqual([0, 0, 2, 4, 8, 10]);
    expect([...ev.neurons]).toEqual([0, 1, 1, 0, 0, 1]);
    expect(ev.size).toBe(3);
  });

  it('selects one sample of a batch', () => {
    // [T = 2, B = 2, N = 2]
    const rec = { data: [1, 0, 0, 1, 0, 1, 1, 1], shape: [2, 2, 2] };
    const b1 = spikeEvents(rec, { batch: 1 });
    expect([...b1.times]).toEqual([0, 1, 1]);
    expect([...b1.neurons]).toEqual([1, 0, 1]);
    expect(b1.size).toBe(2);
    expect(spikeEvents(rec).size).toBe(4);
    expect(() => spikeEvents(rec, { batch: 2 })).toThrow(/an index below the batch size 2/);
  });
});

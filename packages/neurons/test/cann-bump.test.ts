// The CANN example (examples/cann-bump.mjs, the picture in the README): a stimulus moving on the
// ring drags the activity bump of CANNFieldNode along, a little behind it.
import { describeBackends } from '@snn/core/testing';
import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import { ringDistance, simulateCannBump } from '../examples/cann-bump.mjs';

interface Run {
  positions: number[];
  times: number[];
  u: number[][];
  stimulus: number[];
  bump: number[];
  u0: number;
}

describeBackends('CANN bump example', () => {
  it('the bump forms at the stimulus, then follows it half way round the ring, slightly behind', () => {
    const before = tf.memory().numTensors;
    const settle = 10;
    const r: Run = simulateCannBump({ n: 64, speed: 0.04, settle, every: 5 });
    expect(tf.memory().numTensors).toBe(before);
    const lag = r.stimulus.map((z, i) => ringDistance(z, r.bump[i] as number));
    // Formed where the stimulus holds still.
    const atSettle = r.times.findIndex((t) => t >= settle);
    expect(Math.abs(lag[atSettle] as number)).toBeLessThan(0.02);
    // Once moving (after a transient of 10 τ), it trails the stimulus by a small, positive lag.
    r.times.forEach((t, i) => {
      if (t < settle + 10) return;
      expect(lag[i]).toBeGreaterThan(0);
      expect(lag[i]).toBeLessThan(0.2);
    });
    // It travelled with the stimulus: from −π/2 to about π/2.
    expect(r.bump[0]).toBeCloseTo(-Math.PI / 2, 1);
    expect(r.bump.at(-1) as number).toBeGreaterThan(Math.PI / 2 - 0.2);
    // And it is a bump: at the end, under half of the ring is above half the peak.
    const last = r.u.at(-1) as number[];
    const peak = Math.max(...last);
    expect(last.filter((v) => v > peak / 2).length).toBeLessThan(last.length / 2);
    expect(peak).toBeGreaterThan(r.u0 / 2);
  });
});

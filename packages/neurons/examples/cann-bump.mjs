// A bump of activity tracking a moving stimulus on a ring: the CANN mean-field model of Fung,
// Wong & Wu (2010) with CANNFieldNode. N neurons with preferred positions x_i on (−π, π],
// translation-invariant Gaussian weights, divisive global inhibition; a Gaussian stimulus holds
// still while the bump forms, then moves half way round the ring, and the bump follows it.
//
// Run (after `pnpm --filter @snn/neurons build`): node packages/neurons/examples/cann-bump.mjs [out-dir]
// It writes cann-bump-field.png (U over time) and cann-bump-tracking.png (bump and stimulus
// positions) to out-dir (default: out). test/cann-bump.test.ts runs simulateCannBump in CI.
import { pathToFileURL } from 'node:url';
import { useBackend } from '@snn/core';
import { CANNFieldNode } from '@snn/neurons';
import * as tf from '@tensorflow/tfjs-core';

/** The signed distance from a to b on the ring, in (−π, π]. */
export function ringDistance(a, b) {
  const d = (((a - b + Math.PI) % (2 * Math.PI)) + 2 * Math.PI) % (2 * Math.PI);
  return d - Math.PI;
}

/**
 * The ring network of the paper: positions, weights `J(x_i − x_j)·Δx` with
 * `J(d) = J0/(√(2π)a)·exp(−d²/2a²)`, the density ρ = 1/Δx, the inhibition `k` as a fraction of the
 * critical `k_c = ρJ0²/(8√(2π)a)` above which no bump survives, and the bump height U0 the theory
 * gives for that k.
 */
export function ringCann({ n = 128, a = 0.5, j0 = 1, kRelative = 0.5 } = {}) {
  const dx = (2 * Math.PI) / n;
  const positions = Array.from({ length: n }, (_, i) => -Math.PI + i * dx);
  const w = new Float32Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      const d = ringDistance(positions[i], positions[j]);
      w[i * n + j] = (j0 / (Math.sqrt(2 * Math.PI) * a)) * Math.exp(-(d * d) / (2 * a * a)) * dx;
    }
  }
  const rho = 1 / dx;
  const kc = (rho * j0 * j0) / (8 * Math.sqrt(2 * Math.PI) * a);
  const k = kRelative * kc;
  const u0 = ((1 + Math.sqrt(1 - kRelative)) * j0) / (4 * Math.sqrt(Math.PI) * a * k);
  return { positions, weights: tf.tensor2d(w, [n, n]), rho, k, u0, a };
}

/**
 * Runs the ring with a stimulus `A·exp(−d²/4a²)` (A = `strength`·U0) at `start` for `settle`
 * time units, then moving at `speed` rad per time unit until it has covered `distance` rad.
 * Returns every `every`-th step: U (rows of N), the stimulus centre, and the bump's centre (the
 * circular mean of relu(U)).
 */
export function simulateCannBump({
  n = 128,
  a = 0.5,
  kRelative = 0.5,
  strength = 0.5,
  tau = 1,
  dt = 0.1,
  start = -Math.PI / 2,
  settle = 20,
  speed = 0.02,
  distance = Math.PI,
  every = 10,
} = {}) {
  const ring = ringCann({ n, a, kRelative });
  const node = new CANNFieldNode({ tau, dt, rho: ring.rho, k: ring.k });
  const amplitude = strength * ring.u0;
  const settleSteps = Math.round(settle / dt);
  const steps = settleSteps + Math.round(distance / speed / dt);
  const out = { positions: ring.positions, times: [], u: [], stimulus: [], bump: [], u0: ring.u0 };
  let o = tf.zeros([1, n]);
  for (let t = 0; t < steps; t++) {
    const centre = start + (t < settleSteps ? 0 : speed * dt * (t - settleSteps + 1));
    const iExt = tf.tensor2d(
      [ring.positions.map((x) => amplitude * Math.exp(-(ringDistance(x, centre) ** 2) / (4 * a * a)))],
      [1, n],
    );
    const next = tf.tidy(() => node.forwardWithExternal(tf.matMul(o, ring.weights), iExt));
    tf.dispose([o, iExt]);
    o = next;
    if ((t + 1) % every === 0) {
      const u = Array.from(node.u.dataSync());
      let s = 0;
      let c = 0;
      u.forEach((v, i) => {
        s += Math.max(v, 0) * Math.sin(ring.positions[i]);
        c += Math.max(v, 0) * Math.cos(ring.positions[i]);
      });
      out.times.push((t + 1) * dt);
      out.u.push(u);
      out.stimulus.push(centre);
      out.bump.push(Math.atan2(s, c));
    }
  }
  tf.dispose([o, ring.weights]);
  node.dispose();
  return out;
}

async function main() {
  const dir = process.argv[2] ?? 'out';
  await useBackend('cpu');
  const { savePlot } = await import('@snn/plot/node');
  const { renderSpec, weightHeatmap } = await import('@snn/plot');
  const r = simulateCannBump();
  const n = r.positions.length;
  await savePlot(
    `${dir}/cann-bump-field.png`,
    weightHeatmap(
      { data: r.u.flat(), shape: [r.u.length, n] },
      {
        title: 'CANN: U over time (a stimulus moves from −π/2 to π/2)',
        rowTitle: 'time (τ)',
        colTitle: `neuron (position −π … π, ${n} neurons)`,
        legendTitle: 'U',
        scheme: 'viridis',
        width: 480,
        height: 360,
      },
    ),
  );
  const values = r.times.flatMap((t, i) => [
    { t, position: r.stimulus[i], series: 'stimulus centre' },
    { t, position: r.bump[i], series: 'bump centre' },
  ]);
  await savePlot(
    `${dir}/cann-bump-tracking.png`,
    renderSpec({
      title: 'CANN: the bump follows the stimulus',
      width: 600,
      height: 300,
      data: { values },
      encoding: {
        x: { field: 't', type: 'quantitative', title: 'time (τ)' },
        y: { field: 'position', type: 'quantitative', title: 'position on the ring (rad)' },
        color: { field: 'series', type: 'nominal', legend: { orient: 'bottom-right', title: null } },
      },
      // The stimulus dashed on top, so that both lines show where they overlap.
      layer: [
        { transform: [{ filter: "datum.series === 'bump centre'" }], mark: { type: 'line', strokeWidth: 2.5 } },
        {
          transform: [{ filter: "datum.series === 'stimulus centre'" }],
          mark: { type: 'line', strokeWidth: 2, strokeDash: [6, 4] },
        },
      ],
    }),
  );
  const lag = r.stimulus.map((z, i) => ringDistance(z, r.bump[i]));
  console.log(
    `wrote ${dir}/cann-bump-field.png and ${dir}/cann-bump-tracking.png; largest lag ${Math.max(...lag).toFixed(3)} rad`,
  );
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await main();

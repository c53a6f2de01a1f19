import { AdamUpdate, applyGradients } from '@snn/core';
import { describeBackends, expectClose, expectNoLeak } from '@snn/core/testing';
import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';

/** Two variables with the same start and a gradient sequence, for one optimizer. */
function setup(tag: string) {
  const a = tf.variable(tf.tensor2d([0.1, -0.2, 0.3, 0.4, -0.5, 0.6], [2, 3]), true, `adam-${tag}-a`);
  const b = tf.variable(tf.tensor1d([1, 2, -3, 0]), true, `adam-${tag}-b`);
  return { a, b };
}

const grads = (step: number) => ({
  a: tf.tensor2d(
    [0.5, -1, 2, 0, 1e-3, -3].map((g) => g * (step + 1)),
    [2, 3],
  ),
  b: tf.tensor1d([-0.25, 4, 0.125, -2].map((g) => g / (step + 1))),
});

describeBackends('applyGradients (fused Adam)', (backend) => {
  it(`has the fused Adam kernel on ${backend}`, () => {
    expect(tf.getKernel(AdamUpdate, backend)).toBeDefined();
  });

  it("gives tfjs's Adam numbers: values, moments, iterations, saved weights", async () => {
    const plain = setup(`${backend}-plain`);
    const fused = setup(`${backend}-fused`);
    const tfjsAdam = tf.train.adam(0.01, 0.8, 0.95, 1e-6);
    const ourAdam = tf.train.adam(0.01, 0.8, 0.95, 1e-6);
    for (let step = 0; step < 6; step++) {
      const g = grads(step);
      tfjsAdam.applyGradients([
        { name: plain.a.name, tensor: g.a },
        { name: plain.b.name, tensor: g.b },
      ]);
      applyGradients(ourAdam, { [fused.a.name]: g.a, [fused.b.name]: g.b });
      tf.dispose([g.a, g.b]);
    }
    expectClose(fused.a, plain.a, { rtol: 1e-6, atol: 1e-7 });
    expectClose(fused.b, plain.b, { rtol: 1e-6, atol: 1e-7 });
    expect(ourAdam.iterations).toBe(6);
    const [w1, w2] = [await tfjsAdam.getWeights(), await ourAdam.getWeights()];
    expect(w2.map((w) => w.name.replace('fused', 'plain'))).toEqual(w1.map((w) => w.name));
    for (const [i, w] of w2.entries())
      expectClose(w.tensor, (w1[i] as { tensor: tf.Tensor }).tensor, { rtol: 1e-6, atol: 1e-7 });
    // The state stays tfjs's: a later plain applyGradients continues from it.
    const g = grads(6);
    tfjsAdam.applyGradients([
      { name: plain.a.name, tensor: g.a },
      { name: plain.b.name, tensor: g.b },
    ]);
    ourAdam.applyGradients([
      { name: fused.a.name, tensor: g.a },
      { name: fused.b.name, tensor: g.b },
    ]);
    expectClose(fused.a, plain.a, { rtol: 1e-6, atol: 1e-7 });
    tf.dispose([g.a, g.b, plain.a, plain.b, fused.a, fused.b]);
    tfjsAdam.dispose();
    ourAdam.dispose();
  });

  it('passes any other optimizer through and keeps tf.memory() flat', () => {
    const v = setup(`${backend}-sgd`);
    const sgd = tf.train.sgd(0.5);
    const g = grads(0);
    applyGradients(sgd, { [v.a.name]: g.a });
    expectClose(v.a, [
      [-0.15, 0.3, -0.7],
      [0.4, -0.5005, 2.1],
    ]);
    const adam = tf.train.adam(0.01);
    applyGradients(adam, { [v.a.name]: g.a, [v.b.name]: g.b }); // slots made once
    expectNoLeak(() => applyGradients(adam, { [v.a.name]: g.a, [v.b.name]: g.b }), 50);
    tf.dispose([g.a, g.b, v.a, v.b]);
    adam.dispose();
    sgd.dispose();
  });
});

import { runWithGradient } from '@snn/core/internal';
import type { Tensor } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';

/**
 * `y = x·Wᵀ + b` for `x` `[N, in]`, `W` `[out, in]`, `b` `[out]` or null, as one node of the
 * gradient tape whose every product is an untransposed matMul: `x·transpose(W)` (or
 * `transpose(W·transpose(x))` when that transposes less) forward,
 * `dx = dy·W` and `dW = transpose(dy)·x` backward, `db = Σ dy`. tfjs-backend-wasm 4.22 runs a
 * transposed BatchMatMul in a plain loop (10× slower than its XNNPACK path for the quickstart's
 * 64×784×256), and tfjs's own matMul gradient asks for exactly those; explicit transposes cost
 * a copy. Same numbers as `tf.add(tf.matMul(x, W, false, true), b)` to float32 rounding.
 */
export function denseForward(x: Tensor, w: Tensor, b: Tensor | null): Tensor {
  const inputs = b === null ? [x, w] : [x, w, b];
  const [y] = runWithGradient(
    inputs,
    (save) => {
      save([x, w]);
      // x·Wᵀ needs one transpose: of W (out·in values), or of x and of the product (N·(in + out)),
      // whichever moves less (tfjs-wasm's transpose takes ~4 ns a value: 0.9 ms for 256×784).
      const [N, inF] = x.shape as [number, number];
      const outF = w.shape[0] as number;
      const xw =
        N * (inF + outF) < outF * inF ? tf.transpose(tf.matMul(w, tf.transpose(x))) : tf.matMul(x, tf.transpose(w));
      return [b === null ? xw : tf.add(xw, b)];
    },
    ([dy], [xSaved, wSaved]) => {
      const g = dy as Tensor;
      // Functions: tfjs calls only those of inputs on the path (no dx for a first layer's input).
      const grads = [() => tf.matMul(g, wSaved as Tensor), () => tf.matMul(tf.transpose(g), xSaved as Tensor)];
      if (b !== null) grads.push(() => tf.sum(g, 0));
      return grads;
    },
  );
  return y as Tensor;
}

/**
 * How long the example run takes, as the README says it too (a test keeps the two equal).
 * Measured: 37 s at load 4.4 and 59 s at load 10–14 on the project's 2-core machine (wasm).
 */
export const EXAMPLE_TIME = 'under 1 minute on 2 cores';

/** What `--help` prints, and what follows an error in the arguments or the data. */
export const USAGE = `Usage: pnpm start [options]   (in apps/fashion-mnist-csnn, after pnpm build)
  --backend auto|cpu|wasm|webgl|webgpu|cuda   tensor backend (default auto; SNN_BACKEND overrides)
  --channels C       channels of both convolutions (default 128, the tutorial's; on a CPU use 8-16)
  --limit N          use the first N training and N/5 test samples (default: all 60,000 / 10,000)
  --epochs E         passes over the training set (default 2; the tutorial trains 64)
  --batch-size B     training batch size (default 64)
  --lr LR            peak learning rate of Adam, annealed to 0 by a cosine (default 0.005)
  --loss mse|ce      MSE of firing rate vs one-hot (default, the tutorial's) or cross-entropy on counts
  --neuron lif|if    spiking neuron (default lif, tau 2; the tutorial uses if)
  --encoding conv-once|repeat   first conv computed once and repeated T times (default), or the image repeated
  --layout nchw|nhwc feature-map layout (default nchw, PyTorch's; nhwc skips the transposes)
  --time-steps T     simulation steps per image (default 4)
  --seed S           seed of weights and batch order (default 42)
  --data-dir DIR     folder with the four Fashion-MNIST IDX files (default: Debian's /usr/share/datasets/fashion-mnist)
  --out DIR          output folder (default out/fashion-mnist-csnn)
Example (${EXAMPLE_TIME}): pnpm start --channels 8 --limit 6000 --epochs 2`;

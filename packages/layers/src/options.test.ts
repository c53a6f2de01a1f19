import { isSnnError, UnknownOptionError, ValueError } from '@snn/core';
import { describeBackends } from '@snn/core/testing';
import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import { BATCH_NORM_2D_OPTION_KEYS, BATCH_NORM_OPTION_KEYS, BatchNorm1d, BatchNorm2d } from './batch-norm.js';
import { CONV1D_OPTION_KEYS, CONV2D_OPTION_KEYS, Conv1d, Conv2d } from './conv.js';
import { DROPOUT_OPTION_KEYS, Dropout } from './dropout.js';
import { FLATTEN_OPTION_KEYS, Flatten } from './flatten.js';
import { LINEAR_OPTION_KEYS, Linear } from './linear.js';
import {
  ADAPTIVE_AVG_POOL2D_OPTION_KEYS,
  AdaptiveAvgPool2d,
  AVG_POOL2D_OPTION_KEYS,
  AvgPool2d,
  MaxPool2d,
  POOL2D_OPTION_KEYS,
} from './pooling.js';
import { SYNAPSE_FILTER_OPTION_KEYS, SynapseFilter } from './synapse-filter.js';

/** An entry point that takes options: its name in errors, its option names, which are booleans, and a call. */
interface Entry {
  readonly fn: string;
  readonly keys: readonly string[];
  readonly booleans: readonly string[];
  readonly call: (options: never) => { dispose(): void };
}

const ENTRIES: readonly Entry[] = [
  { fn: 'Linear', keys: LINEAR_OPTION_KEYS, booleans: ['bias'], call: (o) => new Linear(4, 3, o) },
  { fn: 'Conv1d', keys: CONV1D_OPTION_KEYS, booleans: ['bias'], call: (o) => new Conv1d(2, 3, 3, o) },
  { fn: 'Conv2d', keys: CONV2D_OPTION_KEYS, booleans: ['bias'], call: (o) => new Conv2d(2, 3, 3, o) },
  {
    fn: 'BatchNorm1d',
    keys: BATCH_NORM_OPTION_KEYS,
    booleans: ['affine', 'trackRunningStats'],
    call: (o) => new BatchNorm1d(3, o),
  },
  {
    fn: 'BatchNorm2d',
    keys: BATCH_NORM_2D_OPTION_KEYS,
    booleans: ['affine', 'trackRunningStats'],
    call: (o) => new BatchNorm2d(3, o),
  },
  { fn: 'Dropout', keys: DROPOUT_OPTION_KEYS, booleans: [], call: (o) => new Dropout(0.5, o) },
  { fn: 'Flatten', keys: FLATTEN_OPTION_KEYS, booleans: [], call: (o) => new Flatten(o) },
  { fn: 'MaxPool2d', keys: POOL2D_OPTION_KEYS, booleans: [], call: (o) => new MaxPool2d(2, o) },
  { fn: 'AvgPool2d', keys: AVG_POOL2D_OPTION_KEYS, booleans: ['countIncludePad'], call: (o) => new AvgPool2d(2, o) },
  {
    fn: 'AdaptiveAvgPool2d',
    keys: ADAPTIVE_AVG_POOL2D_OPTION_KEYS,
    booleans: [],
    call: (o) => new AdaptiveAvgPool2d(1, o),
  },
  { fn: 'SynapseFilter', keys: SYNAPSE_FILTER_OPTION_KEYS, booleans: ['learnable'], call: (o) => new SynapseFilter(o) },
];

/** Runs `call`, expects it to throw, and returns the error; the tensor count must not change. */
function thrown(call: () => unknown): unknown {
  const before = tf.memory().numTensors;
  let error: unknown;
  try {
    call();
  } catch (e) {
    error = e;
  }
  expect(error, 'the call should throw').toBeDefined();
  expect(tf.memory().numTensors, 'tensors after the throw').toBe(before);
  return error;
}

describeBackends('layer options', () => {
  it('every entry point accepts no options and its valid defaults', () => {
    for (const e of ENTRIES) {
      e.call(undefined as never).dispose();
      e.call({} as never).dispose();
    }
  });

  it('a misspelt option is an UnknownOptionError naming the closest key, and creates nothing', () => {
    for (const e of ENTRIES) {
      for (const key of e.keys) {
        const typo = `${key}${key.at(-1)}`; // 'bias' → 'biass'
        const error = thrown(() => e.call({ [typo]: 1 } as never));
        expect(error, `${e.fn} { ${typo} }`).toBeInstanceOf(UnknownOptionError);
        expect(isSnnError(error)).toBe(true);
        const message = (error as Error).message;
        expect(message).toContain(`${e.fn}: unknown option '${typo}' (did you mean '${key}'?)`);
        for (const k of e.keys) expect(message).toContain(`'${k}'`);
      }
      // A wholly unknown name, next to a valid one, is refused too.
      expect(thrown(() => e.call({ stepMode: 's', nonsense: true } as never))).toBeInstanceOf(UnknownOptionError);
    }
  });

  it('a non-boolean for a boolean option is a ValueError, and creates nothing', () => {
    for (const e of ENTRIES) {
      for (const key of e.booleans) {
        for (const value of ['no', 'false', 0, 1, null]) {
          const error = thrown(() => e.call({ [key]: value } as never));
          expect(error, `${e.fn} { ${key}: ${String(value)} }`).toBeInstanceOf(ValueError);
          expect((error as Error).message).toContain(`${e.fn}: '${key}' must be a boolean`);
        }
      }
    }
  });

  it('options that are not an object are a ValueError, and create nothing', () => {
    for (const e of ENTRIES) {
      for (const value of [null, 'bias', 3, [true]]) {
        const error = thrown(() => e.call(value as never));
        expect(error, `${e.fn}(${String(value)})`).toBeInstanceOf(ValueError);
        expect((error as Error).message).toContain(`${e.fn}: 'options' must be an options object`);
      }
    }
  });

  it('Linear(4, 3, { biass: false }) names bias; a bad value after the check still creates nothing', () => {
    expect(() => new Linear(4, 3, { biass: false } as never)).toThrow(
      "Linear: unknown option 'biass' (did you mean 'bias'?); known options: 'seed', 'rng', 'stepMode', 'bias', 'constraint'",
    );
    expect(() => new SynapseFilter({ tua: 5 } as never)).toThrow("(did you mean 'tau'?)");
    expect(() => new BatchNorm2d(3, { dataformat: 'NHWC' } as never)).toThrow("(did you mean 'dataFormat'?)");
    // BatchNorm2d checks dataFormat before the base class registers its parameters and statistics.
    expect(thrown(() => new BatchNorm2d(3, { dataFormat: 'nhwc' as never }))).toBeInstanceOf(ValueError);
    expect(thrown(() => new Linear(4, 3, { constraint: 'positive' as never }))).toBeInstanceOf(ValueError);
  });
});

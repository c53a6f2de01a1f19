import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isSnnError, UnknownOptionError, ValueError } from '@snn/core';
import { describeBackends } from '@snn/core/testing';
import { Linear } from '@snn/layers';
import { IFNode } from '@snn/neurons';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { CHECKPOINT_OPTION_KEYS, saveCheckpoint, toCheckpoint } from './checkpoint.js';
import { CONV2D_GEOMETRY_KEYS, conv2dCorrelate } from './correlate.js';
import { EVALUATE_OPTION_KEYS, evaluate } from './evaluate.js';
import {
  Hebbian,
  MSTDP,
  MSTDP_OPTION_KEYS,
  MSTDPET,
  MSTDPET_OPTION_KEYS,
  POST_PRE_OPTION_KEYS,
  PostPre,
  WeightDependentPostPre,
} from './local-rules.js';
import {
  FIRST_SPIKE_TIME_LOSS_OPTION_KEYS,
  firstSpikeTimeLoss,
  MSE_COUNT_OPTION_KEYS,
  mseCountLoss,
  RATE_CROSS_ENTROPY_OPTION_KEYS,
  rateCrossEntropyLoss,
} from './losses.js';
import { accuracy, DECODE_OPTION_KEYS, predictClasses } from './metrics.js';
import {
  MSTDP_LEARNER_OPTION_KEYS,
  MSTDPET_LEARNER_OPTION_KEYS,
  MSTDPET_PARAM_KEYS,
  MSTDPETLearner,
  MSTDPLearner,
  mstdpetStep,
  mstdpStep,
} from './mstdp.js';
import { COSINE_ANNEALING_OPTION_KEYS, cosineAnnealing } from './schedule.js';
import {
  STDP_LEARNER_OPTION_KEYS,
  STDPLearner,
  TRACE_STDP_PARAM_KEYS,
  traceSTDPMultiStep,
  traceSTDPStep,
} from './stdp.js';
import { makeData, makeNet } from './test-fixtures.js';
import { TRAIN_STEP_OPTION_KEYS, trainStep } from './train-step.js';

/**
 * An entry point that takes an options (or parameter) object: its name in errors, the argument's
 * name, its keys, which are booleans, the valid options the other cases start from, and a call.
 */
interface Entry {
  readonly fn: string;
  readonly arg?: string;
  readonly keys: readonly string[];
  readonly booleans?: readonly string[];
  readonly base?: Record<string, unknown>;
  readonly call: (options: never) => unknown;
}

/** Runs `call` (awaited), expects a throw, and returns the error; the tensor count must not change. */
async function thrown(call: () => unknown): Promise<unknown> {
  const before = tf.memory().numTensors;
  let error: unknown;
  try {
    await call();
  } catch (e) {
    error = e;
  }
  expect(error, 'the call should throw').toBeDefined();
  expect(tf.memory().numTensors, 'tensors after the throw').toBe(before);
  return error;
}

describeBackends('learning options', () => {
  let data: { xSeq: tf.Tensor; labels: tf.Tensor };
  let net: ReturnType<typeof makeNet>;
  let fc: Linear;
  let sn: IFNode;
  let t: Record<string, tf.Tensor>;
  let dir: string;
  const entries: Entry[] = [];

  beforeAll(async () => {
    data = makeData();
    net = makeNet();
    fc = new Linear(3, 2, { bias: false, seed: 0 });
    sn = new IFNode();
    dir = await mkdtemp(join(tmpdir(), 'snn-options-'));
    t = tf.tidy(() => ({
      spikes: tf.tensor3d([[[1, 0, 1]], [[0, 1, 1]]]), // [T 2, B 1, C 3]
      labels: tf.tensor1d([2], 'int32'),
      w: tf.ones([2, 3]),
      pre: tf.ones([1, 3]),
      post: tf.ones([1, 2]),
      preSeq: tf.ones([2, 1, 3]),
      postSeq: tf.ones([2, 1, 2]),
      zero: tf.scalar(0),
      map: tf.ones([1, 1, 2, 2]),
    }));
    const z = t.zero as tf.Tensor;
    const learner = { synapse: fc, node: sn, tauPre: 2, tauPost: 2 };
    const optimizer = tf.train.sgd(0.1);
    const trainBase = { net, optimizer, inputs: data.xSeq, labels: data.labels, loss: rateCrossEntropyLoss };
    entries.push(
      { fn: 'trainStep', keys: TRAIN_STEP_OPTION_KEYS, base: trainBase, call: (o) => trainStep(o) },
      {
        fn: 'evaluate',
        keys: EVALUATE_OPTION_KEYS,
        base: { net, batches: [{ inputs: data.xSeq, labels: data.labels }] },
        call: (o) => evaluate(o),
      },
      { fn: 'toCheckpoint', keys: CHECKPOINT_OPTION_KEYS, booleans: ['memories'], call: (o) => toCheckpoint(net, o) },
      {
        fn: 'saveCheckpoint',
        keys: CHECKPOINT_OPTION_KEYS,
        booleans: ['memories'],
        call: (o) => saveCheckpoint(join(dir, 'never.json'), net, o),
      },
      {
        fn: 'rateCrossEntropyLoss',
        keys: RATE_CROSS_ENTROPY_OPTION_KEYS,
        call: (o) => rateCrossEntropyLoss(t.spikes as tf.Tensor, t.labels as tf.Tensor, o),
      },
      {
        fn: 'mseCountLoss',
        keys: MSE_COUNT_OPTION_KEYS,
        call: (o) => mseCountLoss(t.spikes as tf.Tensor, t.labels as tf.Tensor, o),
      },
      {
        fn: 'firstSpikeTimeLoss',
        keys: FIRST_SPIKE_TIME_LOSS_OPTION_KEYS,
        call: (o) => firstSpikeTimeLoss(t.spikes as tf.Tensor, t.labels as tf.Tensor, o),
      },
      { fn: 'predictClasses', keys: DECODE_OPTION_KEYS, call: (o) => predictClasses(t.spikes as tf.Tensor, o) },
      {
        fn: 'accuracy',
        keys: DECODE_OPTION_KEYS,
        call: (o) => accuracy(t.spikes as tf.Tensor, t.labels as tf.Tensor, o),
      },
      { fn: 'PostPre', keys: POST_PRE_OPTION_KEYS, call: (o) => new PostPre(o) },
      { fn: 'WeightDependentPostPre', keys: POST_PRE_OPTION_KEYS, call: (o) => new WeightDependentPostPre(o) },
      { fn: 'Hebbian', keys: POST_PRE_OPTION_KEYS, call: (o) => new Hebbian(o) },
      { fn: 'MSTDP', keys: MSTDP_OPTION_KEYS, call: (o) => new MSTDP(o) },
      { fn: 'MSTDPET', keys: MSTDPET_OPTION_KEYS, call: (o) => new MSTDPET(o) },
      { fn: 'STDPLearner', keys: STDP_LEARNER_OPTION_KEYS, base: learner, call: (o) => new STDPLearner(o) },
      { fn: 'MSTDPLearner', keys: MSTDP_LEARNER_OPTION_KEYS, base: learner, call: (o) => new MSTDPLearner(o) },
      {
        fn: 'MSTDPETLearner',
        keys: MSTDPET_LEARNER_OPTION_KEYS,
        base: { ...learner, tauTrace: 4 },
        call: (o) => new MSTDPETLearner(o),
      },
      {
        fn: 'cosineAnnealing',
        keys: COSINE_ANNEALING_OPTION_KEYS,
        base: { lrMax: 1, totalSteps: 10 },
        call: (o) => cosineAnnealing(o),
      },
      {
        fn: 'traceSTDPStep',
        arg: 'p',
        keys: TRACE_STDP_PARAM_KEYS,
        base: { tauPre: 2, tauPost: 2 },
        call: (p) =>
          traceSTDPStep(t.w as tf.Tensor, t.pre as tf.Tensor, t.post as tf.Tensor, { trPre: z, trPost: z }, p),
      },
      {
        fn: 'traceSTDPMultiStep',
        arg: 'p',
        keys: TRACE_STDP_PARAM_KEYS,
        base: { tauPre: 2, tauPost: 2 },
        call: (p) =>
          traceSTDPMultiStep(
            t.w as tf.Tensor,
            t.preSeq as tf.Tensor,
            t.postSeq as tf.Tensor,
            { trPre: z, trPost: z },
            p,
          ),
      },
      {
        fn: 'mstdpStep',
        arg: 'p',
        keys: TRACE_STDP_PARAM_KEYS,
        base: { tauPre: 2, tauPost: 2 },
        call: (p) =>
          mstdpStep(
            t.w as tf.Tensor,
            t.pre as tf.Tensor,
            t.post as tf.Tensor,
            1,
            { trPre: z, trPost: z, eligibility: z },
            p,
          ),
      },
      {
        fn: 'mstdpetStep',
        arg: 'p',
        keys: MSTDPET_PARAM_KEYS,
        base: { tauPre: 2, tauPost: 2, tauTrace: 4 },
        call: (p) =>
          mstdpetStep(
            t.w as tf.Tensor,
            t.pre as tf.Tensor,
            t.post as tf.Tensor,
            1,
            { trPre: z, trPost: z, eligibility: z, traceE: z },
            p,
          ),
      },
      {
        fn: 'conv2dCorrelate',
        arg: 'g',
        keys: CONV2D_GEOMETRY_KEYS,
        base: { kernelSize: [1, 1] },
        call: (g) => conv2dCorrelate(t.map as tf.Tensor, t.map as tf.Tensor, g),
      },
    );
  });

  afterAll(async () => {
    tf.dispose([data, t]);
    net.dispose();
    fc.dispose();
    sn.dispose();
    await rm(dir, { recursive: true, force: true });
  });

  it('every entry point works with its valid base options', async () => {
    for (const e of entries) {
      const result = await e.call({ ...e.base } as never);
      // Free what came back: tensors, { deltaW, state }, learners and rules.
      const r = result as { dispose?: () => void; deltaW?: tf.Tensor; state?: Record<string, tf.Tensor> };
      if (r instanceof tf.Tensor) r.dispose();
      else if (r?.deltaW !== undefined) tf.dispose([r.deltaW, ...Object.values(r.state ?? {})]);
      else r?.dispose?.();
    }
  });

  it('a misspelt option is an UnknownOptionError naming the closest key, and changes nothing', async () => {
    const weights = () => net.parameters().map((p) => Array.from(p.dataSync()));
    const before = weights();
    await rm(join(dir, 'never.json'), { force: true }); // written by the valid call above
    for (const e of entries) {
      for (const key of e.keys) {
        const typo = `${key}${key.at(-1)}`; // 'clipNorm' → 'clipNormm'
        const error = await thrown(() => e.call({ ...e.base, [typo]: 1 } as never));
        expect(error, `${e.fn} { ${typo} }`).toBeInstanceOf(UnknownOptionError);
        expect(isSnnError(error)).toBe(true);
        const message = (error as Error).message;
        expect(message).toContain(`${e.fn}: unknown option '${typo}' (did you mean '${key}'?)`);
        for (const k of e.keys) expect(message).toContain(`'${k}'`);
      }
    }
    expect(weights()).toEqual(before);
    // No learner that failed left a hook behind: a forward records nothing.
    const x = tf.ones([1, 3]);
    const step = () => {
      tf.dispose(tf.tidy(() => sn.forward(fc.forward(x))));
      sn.reset();
    };
    step(); // a first forward may create lasting constants
    const count = tf.memory().numTensors;
    step();
    expect(tf.memory().numTensors).toBe(count);
    x.dispose();
    // saveCheckpoint wrote nothing.
    expect(await readdir(dir)).toEqual([]);
  });

  it('a non-boolean for a boolean option is a ValueError, and changes nothing', async () => {
    for (const e of entries) {
      for (const key of e.booleans ?? []) {
        for (const value of ['no', 'false', 0, 1, null]) {
          const error = await thrown(() => e.call({ ...e.base, [key]: value } as never));
          expect(error, `${e.fn} { ${key}: ${String(value)} }`).toBeInstanceOf(ValueError);
          expect((error as Error).message).toContain(`${e.fn}: '${key}' must be a boolean`);
        }
      }
    }
  });

  it('options that are not an object are a ValueError, and change nothing', async () => {
    for (const e of entries) {
      for (const value of [null, 'scale', 3, [1]]) {
        const error = await thrown(() => e.call(value as never));
        expect(error, `${e.fn}(${JSON.stringify(value)})`).toBeInstanceOf(ValueError);
        expect((error as Error).message).toContain(`${e.fn}: '${e.arg ?? 'options'}' must be`);
      }
    }
  });

  it('a bad value found after the name check creates nothing either (no tensor, no hook)', async () => {
    const base = { synapse: fc, node: sn, tauPre: 2, tauPost: 2 };
    for (const make of [
      () => new STDPLearner({ ...base, tauPre: 0 }),
      () => new MSTDPLearner({ ...base, fPost: 'clip' as never }),
      () => new MSTDPETLearner({ ...base, tauTrace: 0 }),
      () => new MSTDPET({ tcETrace: -1 }),
      () => new MSTDP({ tcPlus: 0 }),
      () => toCheckpoint(net, { meta: [] as never }),
    ]) {
      expect(await thrown(make)).toBeInstanceOf(ValueError);
    }
    const x = tf.ones([1, 3]);
    const step = () => {
      tf.dispose(tf.tidy(() => sn.forward(fc.forward(x))));
      sn.reset();
    };
    step();
    const count = tf.memory().numTensors;
    step();
    expect(tf.memory().numTensors, 'a hook left by a failed learner records').toBe(count);
    x.dispose();
  });

  it('trainStep({ clipnorm: 1 }) names clipNorm and trains nothing', async () => {
    const optimizer = tf.train.adam(0.1);
    const before = net.parameters().map((p) => Array.from(p.dataSync()));
    const options = { net, optimizer, inputs: data.xSeq, labels: data.labels, loss: rateCrossEntropyLoss, clipnorm: 1 };
    const error = await thrown(() => trainStep(options as never));
    expect((error as Error).message).toMatch(/^trainStep: unknown option 'clipnorm' \(did you mean 'clipNorm'\?\)/);
    expect(net.parameters().map((p) => Array.from(p.dataSync()))).toEqual(before);
    expect(optimizer.iterations).toBe(0);
    optimizer.dispose();
    expect(() => new MSTDPET({ tcEtrace: 5 } as never)).toThrow("(did you mean 'tcETrace'?)");
    expect(() => rateCrossEntropyLoss(t.spikes as tf.Tensor, t.labels as tf.Tensor, { sacle: 8 } as never)).toThrow(
      "(did you mean 'scale'?)",
    );
  });
});

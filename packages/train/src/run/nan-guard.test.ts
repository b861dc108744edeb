import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { init } from '@th/backend';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { syntheticFrameStore } from '../data/synthetic-store';
import { readMetrics } from './metrics-log';
import { defaultTrainConfig, type TrainConfig } from './train-config';
import { trainRun } from './train-run';

const train = syntheticFrameStore({ resolution: 64, videos: 2, framesPerVideo: 3, seed: 7 });
const holdout = syntheticFrameStore({ resolution: 64, videos: 2, framesPerVideo: 1, seed: 8 });
const stores = { train, holdout };
let parent = '';
const TINY = {
  latentDim: 16,
  encoder: { baseWidth: 2, maxWidth: 16 },
  layoutGenerator: { baseWidth: 2, maxWidth: 16 },
  imageGenerator: { baseWidth: 2, maxWidth: 16, spadeHidden: 4 },
  discriminator: { baseWidth: 2, maxWidth: 16 },
};

function config(overrides: Partial<TrainConfig> = {}): TrainConfig {
  return {
    ...defaultTrainConfig(),
    // lsr-64 topology at 1/4 width: the pure-JS cpu backend needs ~100 s per full-width step.
    model: TINY,
    stage: 1,
    steps: 2,
    batch: 2,
    k: 2,
    vgg19: 'off',
    checkpointEvery: 1,
    sampleEvery: 2,
    keepLast: 1,
    run: { parent, desc: 'test' },
    ...overrides,
  };
}
const quiet = { log: () => {}, progress: false, stores };

describe('NaN/Inf guard in trainRun (narrow lsr-64, wasm)', () => {
  beforeAll(async () => {
    await init({ backend: 'wasm' });
    parent = await mkdtemp(join(tmpdir(), 'th-train-nan-'));
  });
  afterAll(async () => {
    await rm(parent, { recursive: true, force: true });
  });

  it('NaN guard: skips poisoned steps without touching parameters, reloads the checkpoint after 3', async () => {
    const lines: string[] = [];
    let poisoned = false;
    const result = await trainRun(config({ steps: 6, checkpointEvery: 2 }), {
      ...quiet,
      log: (l) => lines.push(l),
      beforeStep: (step, model) => {
        if (step === 2 && !poisoned) {
          poisoned = true;
          const [, p] = model.namedParameters().find(([n]) => n.startsWith('layoutGenerator.'))!;
          p.value.assign(tf.fill(p.value.shape, Number.NaN));
        }
      },
    });
    const skipped = lines.filter((l) => /skipped \(non-finite loss term/.test(l));
    expect(skipped.length).toBe(3);
    expect(skipped[0]).toMatch(/stage1\.layoutCrossEntropy/);
    expect(lines.some((l) => /restored .*step-0000002\.safetensors \(step 2/.test(l))).toBe(true);
    const rows = await readMetrics(join(result.runDir, 'metrics.jsonl'));
    expect(rows.at(-1)!.step).toBe(6);
    expect(Number.isFinite(rows.at(-1)!.losses.total)).toBe(true);
  });
});

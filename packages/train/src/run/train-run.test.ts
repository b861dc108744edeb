import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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

describe('trainRun (lsr-64 topology at narrow width, stage 1, batch 2, K 2, cpu)', () => {
  beforeAll(async () => {
    await init({ backend: 'cpu' });
    parent = await mkdtemp(join(tmpdir(), 'th-train-'));
  });
  afterAll(async () => {
    await rm(parent, { recursive: true, force: true });
  });

  it('resume from the middle reproduces an uninterrupted run exactly; writes the run layout', async () => {
    const full = await trainRun(config(), quiet);
    const half = await trainRun(config({ steps: 1 }), quiet);
    // steps: 2 again, continuing the half run's directory from its step-1 checkpoint
    const resumed = await trainRun(config({ resume: half.runDir }), quiet);
    expect(resumed.runDir).toBe(half.runDir);
    const a = await readMetrics(join(full.runDir, 'metrics.jsonl'));
    const b = await readMetrics(join(half.runDir, 'metrics.jsonl'));
    expect(b.map((r) => r.step)).toEqual([1, 2]);
    expect(b.map((r) => r.losses)).toEqual(a.map((r) => r.losses));
    expect(b.map((r) => r.lr)).toEqual(a.map((r) => r.lr));
    expect(b[1]!.eval).toEqual(a[1]!.eval);
    // layout: config, metrics, log, curves, samples, pruned checkpoints (keep last 1 + best)
    const files = await readdir(full.runDir);
    expect(files).toEqual(
      expect.arrayContaining([
        'config.json',
        'metrics.jsonl',
        'log.txt',
        'curves.html',
        'checkpoints',
        'samples',
      ]),
    );
    expect(full.runDir).toMatch(/\/00000-test$/);
    expect(half.runDir).toMatch(/\/00001-test$/);
    const ckpts = await readdir(join(full.runDir, 'checkpoints'));
    expect(ckpts.length).toBeGreaterThanOrEqual(1);
    expect(ckpts.length).toBeLessThanOrEqual(2);
    expect(ckpts).toContain('step-0000002.safetensors');
    expect(await readdir(join(full.runDir, 'samples'))).toEqual(['step-0000002.png']);
    const html = await readFile(join(full.runDir, 'curves.html'), 'utf8');
    expect(html).toContain('<svg');
    expect(html).toContain('layoutCrossEntropy');
  });
});

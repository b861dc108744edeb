import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { init } from '@th/backend';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tinyStores, tinyTrainConfig } from '../testing/tiny-train-run';
import { readMetrics } from './metrics-log';
import type { TrainConfig } from './train-config';
import { trainRun } from './train-run';

const stores = tinyStores();
let parent = '';
const config = (overrides: Partial<TrainConfig> = {}) => tinyTrainConfig(parent, overrides);
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

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { init } from '@th/backend';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tinyDataset, tinyTrainConfig } from '../testing/tiny-train-run';
import { readMetrics } from './metrics-log';
import type { TrainConfig } from './train-config';
import { trainRun } from './train-run';

let parent = '';
let dataset = '';
const config = (overrides: Partial<TrainConfig> = {}) =>
  tinyTrainConfig(parent, dataset, overrides);
const quiet = { log: () => {}, progress: false };

describe('NaN/Inf guard in trainRun (narrow lsr-64, wasm)', () => {
  beforeAll(async () => {
    await init({ backend: 'wasm' });
    parent = await mkdtemp(join(tmpdir(), 'th-train-nan-'));
    dataset = await tinyDataset();
  });
  afterAll(async () => {
    await rm(parent, { recursive: true, force: true });
    await rm(dataset, { recursive: true, force: true });
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

import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { init } from '@th/backend';
import { encodeCheckpoint } from '@th/models';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tinyDataset, tinyTrainConfig } from '../testing/tiny-train-run';
import { finetuneRun } from './finetune-run';
import { buildModel } from './run-setup';

describe('finetuneRun (narrow lsr-64, wasm, synthetic dataset)', () => {
  let parent = '';
  let dataset = '';
  beforeAll(async () => {
    await init({ backend: 'wasm' });
    parent = await mkdtemp(join(tmpdir(), 'th-finetune-'));
    dataset = await tinyDataset();
  });
  afterAll(async () => {
    await rm(parent, { recursive: true, force: true });
    await rm(dataset, { recursive: true, force: true });
  });

  it('fine-tunes one identity of the dataset and leaves no model behind', async () => {
    const base = tinyTrainConfig(parent, dataset, { k: 2 });
    const model = buildModel(base);
    const init = join(parent, 'meta.safetensors');
    await writeFile(init, await encodeCheckpoint(model.stateDict(), { config: model.config }));
    model.dispose();
    const tensorsBefore = tf.memory().numTensors;
    const lines: string[] = [];
    const result = await finetuneRun(
      {
        ...base,
        init,
        finetune: { ...base.finetune, enabled: true, identity: 'id00002', steps: 1 },
      },
      { log: (l) => lines.push(l) },
    );
    expect(result.identity).toBe('id00002');
    expect(result.steps).toBe(1);
    expect(result.before.frames).toBe(4); // the identity's 'test' utterance
    expect(Number.isFinite(result.after.l1)).toBe(true);
    expect(lines.some((l) => /fine-tuning id00002, K 2/.test(l))).toBe(true);
    // Nothing of the run's model (nor a second model built to read the resolution) stays alive.
    expect(tf.memory().numTensors).toBe(tensorsBefore);
  });
});

import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { init } from '@th/backend';
import { decodeCheckpoint, LsrModel, presetConfig } from '@th/models';
import { beforeAll, describe, expect, it } from 'vitest';
import { Adam } from '../optim/adam';
import { saveTrainingCheckpoint } from './training-checkpoint';

beforeAll(async () => {
  await init({ backend: 'cpu' });
});

describe('saveTrainingCheckpoint', () => {
  it('stores the model config as the checkpoint config (loadable by @th/infer) and the training config in extra', async () => {
    const config = presetConfig('lsr-64', {
      encoder: { baseWidth: 2, maxWidth: 4 },
      layoutGenerator: { baseWidth: 2, maxWidth: 4 },
      imageGenerator: { baseWidth: 2, maxWidth: 4, spadeHidden: 2 },
      discriminator: { baseWidth: 2, maxWidth: 4 },
      latentDim: 4,
    });
    const model = new LsrModel(config).initialize(0);
    const vars = Object.fromEntries(model.namedParameters().map(([n, p]) => [n, p.value]));
    const adam = new Adam(vars);
    const trainConfig = { preset: 'lsr-64', stage: 2, steps: 7 };
    const path = join(mkdtempSync(join(tmpdir(), 'th-ckpt-')), 'c.safetensors');
    await saveTrainingCheckpoint(
      path,
      model,
      { g: adam },
      { step: 3, examplesSeen: 12, source: {}, extra: {} },
      trainConfig,
    );
    const { meta, tensors } = await decodeCheckpoint(new Uint8Array(readFileSync(path)), path);
    expect(meta.config).toEqual(config);
    expect(meta.preset).toBe('lsr-64');
    expect(meta.extra.train).toEqual(trainConfig);
    expect(meta.step).toBe(3);
    expect([...tensors.keys()].some((k) => k.startsWith('optim.g.'))).toBe(true);
    adam.dispose();
    model.dispose();
  });
});

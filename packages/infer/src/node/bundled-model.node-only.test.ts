/**
 * The model @th/infer ships holds the inference weights only: the repository's full trained
 * checkpoint minus its discriminator, every other tensor byte-identical (see
 * scripts/inference-checkpoint.mjs), and it loads for rendering.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { init } from '@th/backend';
import { decodeCheckpoint } from '@th/models';
import { describe, expect, it } from 'vitest';
import { loadModel } from '../model/load-model';
import { bundledModelPath } from './bundled-model.node-only';

const FULL = join(__dirname, '../../assets/lsr-64.full.safetensors');

describe('bundled model', () => {
  it('is the full checkpoint without the discriminator, tensor bytes unchanged', async () => {
    const shipped = await decodeCheckpoint(new Uint8Array(readFileSync(bundledModelPath())));
    const full = await decodeCheckpoint(new Uint8Array(readFileSync(FULL)));
    const inference = [...full.tensors.keys()].filter((n) => !n.startsWith('discriminator.'));
    expect(inference.length).toBeLessThan(full.tensors.size);
    expect([...shipped.tensors.keys()].sort()).toEqual(inference.sort());
    for (const name of inference) {
      expect(
        Buffer.compare(shipped.tensors.get(name)!.bytes, full.tensors.get(name)!.bytes),
        name,
      ).toBe(0);
    }
    expect(shipped.meta.step).toBe(full.meta.step);
    expect(shipped.meta.config).toEqual(full.meta.config);
  });

  it('loads for inference, without a discriminator', async () => {
    await init({ backend: 'cpu' });
    const { model, hasDiscriminator } = await loadModel(bundledModelPath());
    expect(hasDiscriminator).toBe(false);
    expect(model.discriminator).toBeFalsy();
    model.dispose();
  });
});

/**
 * The model @th/infer ships holds the inference weights only: the repository's full trained
 * checkpoint minus its discriminator, every other tensor byte-identical, or its F16 rounding when
 * the file stores half precision (see scripts/inference-checkpoint.mjs), and it loads for
 * rendering. Its name comes from package.json's `bundledModel`.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { floatToHalfBits, init, rawToFloat32 } from '@th/backend';
import { decodeCheckpoint } from '@th/models';
import { describe, expect, it } from 'vitest';
import { loadModel } from '../model/load-model';
import {
  bundledFullCheckpointPath,
  bundledModelName,
  bundledModelPath,
} from './bundled-model.node-only';

describe('bundled model', () => {
  it('is named once, in package.json, and lives in assets/', () => {
    const { bundledModel } = JSON.parse(
      readFileSync(join(__dirname, '../../package.json'), 'utf8'),
    );
    expect(bundledModelName()).toBe(bundledModel);
    expect(bundledModelPath()).toBe(join(__dirname, '../../assets', `${bundledModel}.safetensors`));
    expect(bundledFullCheckpointPath()).toBe(
      join(__dirname, '../../assets', `${bundledModel}.full.safetensors`),
    );
  });

  it('is the full checkpoint without the discriminator, tensor bytes unchanged (or F16)', async () => {
    const shipped = await decodeCheckpoint(new Uint8Array(readFileSync(bundledModelPath())));
    const full = await decodeCheckpoint(new Uint8Array(readFileSync(bundledFullCheckpointPath())));
    const inference = [...full.tensors.keys()].filter((n) => !n.startsWith('discriminator.'));
    expect(inference.length).toBeLessThan(full.tensors.size);
    expect([...shipped.tensors.keys()].sort()).toEqual(inference.sort());
    for (const name of inference) {
      const mine = shipped.tensors.get(name)!;
      const theirs = full.tensors.get(name)!;
      const expected =
        mine.dtype === 'F16' && theirs.dtype === 'F32'
          ? new Uint8Array(floatToHalfBits(rawToFloat32(theirs, name)).buffer)
          : theirs.bytes;
      expect(Buffer.compare(mine.bytes, expected), name).toBe(0);
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

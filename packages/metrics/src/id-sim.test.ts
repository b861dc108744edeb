import { describe, expect, it } from 'vitest';
import { cosineSimilarity, type IdentityEmbedder, idSim } from './id-sim';
import type { HwcImage } from './image';

describe('cosineSimilarity', () => {
  it('matches closed forms: parallel 1, opposite −1, orthogonal 0, 45° → 1/√2', () => {
    expect(cosineSimilarity([1, 2, 3], [2, 4, 6])).toBeCloseTo(1, 15);
    expect(cosineSimilarity([1, 2, 3], [-1, -2, -3])).toBeCloseTo(-1, 15);
    expect(cosineSimilarity([1, 0], [0, 5])).toBe(0);
    expect(cosineSimilarity(Float32Array.from([1, 0]), [1, 1])).toBeCloseTo(Math.SQRT1_2, 15);
  });

  it('rejects length mismatches and zero vectors', () => {
    expect(() => cosineSimilarity([1, 2], [1])).toThrow(/differ in length/);
    expect(() => cosineSimilarity([0, 0], [1, 1])).toThrow(/zero norm/);
  });
});

describe('idSim', () => {
  // A toy embedder: the mean colour of the image. Enough to check pairing and averaging.
  const meanColour: IdentityEmbedder = {
    name: 'mean colour (test)',
    async embed(image: HwcImage) {
      const out = [0, 0, 0];
      for (let i = 0; i < image.data.length; i++) out[i % 3]! += image.data[i]!;
      return out;
    },
  };
  const solid = (r: number, g: number, b: number): HwcImage => ({
    data: Uint8Array.from([r, g, b, r, g, b]),
    height: 1,
    width: 2,
    channels: 3,
  });

  it('averages per-pair cosines and labels the result with the embedder', async () => {
    const fakes = [solid(10, 0, 0), solid(0, 10, 0)];
    const reals = [solid(20, 0, 0), solid(10, 10, 0)];
    const result = await idSim(meanColour, fakes, reals);
    expect(result.perPair[0]).toBeCloseTo(1, 15);
    expect(result.perPair[1]).toBeCloseTo(Math.SQRT1_2, 15);
    expect(result.mean).toBeCloseTo((1 + Math.SQRT1_2) / 2, 15);
    expect(result.label).toBe('ID-SIM (mean colour (test))');
  });

  it('rejects unpaired inputs', async () => {
    await expect(idSim(meanColour, [solid(1, 1, 1)], [])).rejects.toThrow(
      /1 generated images but 0 real/,
    );
  });
});

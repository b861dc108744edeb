import { describe, expect, it } from 'vitest';
import type { HwcImage } from './image';
import type { LandmarkDetector, Point2 } from './nmke';
import { nmkeOverImages, summarizeNmke } from './nmke-images';

// 68 points with the outer eye corners (36, 45) 40 px apart.
const base: Point2[] = Array.from({ length: 68 }, (_, i): Point2 => [i, 2 * i]);
base[36] = [80, 100];
base[45] = [120, 100];
const shifted = (dx: number) => base.map(([x, y]): Point2 => [x + dx, y]);

describe('summarizeNmke', () => {
  it('averages both normalisers over scored pairs and counts failures', () => {
    const r = summarizeNmke([
      { pred: shifted(4), gt: base, imageSize: 200 }, // 4/40 = 0.1, 4/200 = 0.02
      { pred: shifted(2), gt: base, imageSize: 100 }, // 2/40 = 0.05, 2/100 = 0.02
      { pred: null, gt: base, imageSize: 100 },
      { pred: null, gt: null, imageSize: 100 },
    ]);
    expect(r.interocular).toBeCloseTo(0.075, 14);
    expect(r.imageSize).toBeCloseTo(0.02, 14);
    expect([r.pairs, r.scored, r.failedGenerated, r.failedReal]).toEqual([4, 2, 2, 1]);
    expect(r.perPair[2]).toBeNull();
  });
  it('is NaN, not 0, when nothing could be scored', () => {
    expect(summarizeNmke([{ pred: null, gt: base, imageSize: 1 }]).interocular).toBeNaN();
  });
});

describe('nmkeOverImages', () => {
  it('detects on both frames of each pair', async () => {
    // A fake detector that reads the landmark shift from the first pixel; 255 means "no face".
    const detector: LandmarkDetector = {
      name: 'stub',
      detect: async (image) => (image.data[0] === 255 ? null : shifted(image.data[0]!)),
    };
    const img = (v: number): HwcImage => ({
      data: new Uint8Array(12).fill(v),
      height: 2,
      width: 2,
      channels: 3,
    });
    const r = await nmkeOverImages(detector, [img(8), img(255)], [img(0), img(0)]);
    expect(r.interocular).toBeCloseTo(8 / 40, 14);
    expect(r.imageSize).toBeCloseTo(8 / 2, 14);
    expect(r.failedGenerated).toBe(1);
    await expect(nmkeOverImages(detector, [img(1)], [])).rejects.toThrow(
      /1 generated images but 0/,
    );
  });
});

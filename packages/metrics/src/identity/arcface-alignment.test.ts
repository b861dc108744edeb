import { applySimilarityToPoint, invertSimilarity, type Point, type Similarity2D } from '@th/data';
import { describe, expect, it } from 'vitest';
import {
  ARCFACE_CROP_SIZE,
  ARCFACE_TEMPLATE,
  alignArcFace,
  fivePointsFrom68,
} from './arcface-alignment';

// A face seen 2.1x larger than the template, rotated by −0.3 rad and shifted, in a 240² frame.
const faceToCrop: Similarity2D = {
  a: Math.cos(-0.3) / 2.1,
  b: Math.sin(-0.3) / 2.1,
  tx: -20,
  ty: 15,
};
const cropToFace = invertSimilarity(faceToCrop);
const facePoints = ARCFACE_TEMPLATE.map((p) => applySimilarityToPoint(cropToFace, p));
const SIZE = 240;

describe('fivePointsFrom68', () => {
  it('takes eye centres as the mean of 6 points and 30, 48, 54 as they are', () => {
    const landmarks = Array.from({ length: 68 }, (_, i): Point => [i, 2 * i]);
    expect(fivePointsFrom68(landmarks)).toEqual([
      [38.5, 77], // mean of 36..41
      [44.5, 89], // mean of 42..47
      [30, 60],
      [48, 96],
      [54, 108],
    ]);
    expect(() => fivePointsFrom68(landmarks.slice(1))).toThrow(/expected 68 landmarks, got 67/);
  });
});

describe('alignArcFace', () => {
  it('samples each crop pixel at the inverse-mapped image position (coordinate ramps)', () => {
    // Channels hold x and y; bilinear interpolation reproduces linear functions exactly.
    const data = new Float32Array(SIZE * SIZE * 3);
    for (let y = 0; y < SIZE; y++) {
      for (let x = 0; x < SIZE; x++) data.set([x, y, 1], (y * SIZE + x) * 3);
    }
    const { crop, transform } = alignArcFace(
      { data, height: SIZE, width: SIZE, channels: 3 },
      facePoints,
    );
    expect(crop.width).toBe(ARCFACE_CROP_SIZE);
    expect(transform.a).toBeCloseTo(faceToCrop.a, 10);
    expect(transform.b).toBeCloseTo(faceToCrop.b, 10);
    for (const [u, v] of [
      [56, 56],
      [30, 40],
      [20, 111],
      [90, 100],
    ] as const) {
      const [x, y] = applySimilarityToPoint(cropToFace, [u, v]);
      const at = (v * ARCFACE_CROP_SIZE + u) * 3;
      expect(crop.data[at]).toBeCloseTo(x, 3);
      expect(crop.data[at + 1]).toBeCloseTo(y, 3);
    }
    // Crop pixel (0, 0) maps to image y ≈ −17.7, outside the frame: constant 0 border.
    expect(Array.from(crop.data.subarray(0, 3))).toEqual([0, 0, 0]);
  });

  it('puts bright spots at the 5 face points onto the template (centroids within 0.1 px)', () => {
    const data = new Float32Array(SIZE * SIZE);
    for (const [px, py] of facePoints) {
      for (let y = 0; y < SIZE; y++) {
        for (let x = 0; x < SIZE; x++) {
          data[y * SIZE + x]! += 255 * Math.exp(-((x - px) ** 2 + (y - py) ** 2) / (2 * 3 ** 2));
        }
      }
    }
    const { crop } = alignArcFace({ data, height: SIZE, width: SIZE, channels: 1 }, facePoints);
    for (const [tx, ty] of ARCFACE_TEMPLATE) {
      // Intensity-weighted centroid in a 9x9 window around the template point.
      let sum = 0;
      let sx = 0;
      let sy = 0;
      for (let v = Math.round(ty) - 4; v <= Math.round(ty) + 4; v++) {
        for (let u = Math.round(tx) - 4; u <= Math.round(tx) + 4; u++) {
          const w = crop.data[v * ARCFACE_CROP_SIZE + u]!;
          sum += w;
          sx += w * u;
          sy += w * v;
        }
      }
      expect(Math.abs(sx / sum - tx)).toBeLessThan(0.1);
      expect(Math.abs(sy / sum - ty)).toBeLessThan(0.1);
    }
  });

  it('rejects a wrong number of face points', () => {
    const image = { data: new Uint8Array(12), height: 2, width: 2, channels: 3 };
    expect(() => alignArcFace(image, facePoints.slice(0, 4))).toThrow(/expected 5 face points/);
  });
});

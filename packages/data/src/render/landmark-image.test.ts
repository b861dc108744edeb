import { describe, expect, it } from 'vitest';
import type { Point } from '../landmarks/landmarks';
import { LANDMARK_PARTS, renderLandmarkImage, renderLandmarkImageSigned } from './landmark-image';

/** Synthetic 68 points: each part laid out on its own horizontal row, far from the others. */
function rowLandmarks(): Point[] {
  const points: Point[] = [];
  LANDMARK_PARTS.forEach((part, row) => {
    const n = part.to - part.from + 1;
    for (let k = 0; k < n; k++) points[part.from + k] = [20 + (k * 160) / (n - 1), 15 + row * 22];
  });
  return points;
}

const px = (img: { width: number; data: Uint8Array }, x: number, y: number) => {
  const i = (y * img.width + x) * 3;
  return [img.data[i], img.data[i + 1], img.data[i + 2]];
};

describe('renderLandmarkImage', () => {
  const img = renderLandmarkImage(rowLandmarks());

  it('draws every part in its spec colour at full coverage on the line', () => {
    LANDMARK_PARTS.forEach((part, row) => {
      expect(px(img, 100, 15 + row * 22)).toEqual([...part.colour]);
    });
  });

  it('keeps the background black and the line ≈2.78 px wide (anti-aliased edges)', () => {
    expect(px(img, 5, 5)).toEqual([0, 0, 0]);
    expect(px(img, 100, 15 + 11)).toEqual([0, 0, 0]);
    // Column through the jaw row: summed coverage ≈ line width (2 pt at dpi 100).
    let covered = 0;
    for (let y = 5; y < 25; y++) covered += px(img, 100, y)[1]! / 128;
    // 8×8 sub-samples: each of the two edges is off by at most 1/8 of a pixel
    expect(Math.abs(covered - 200 / 72)).toBeLessThan(2 / 8);
    // the pixel centred one row off the line is partly covered: neither black nor full green
    const edge = px(img, 100, 16)[1]!;
    expect(edge).toBeGreaterThan(0);
    expect(edge).toBeLessThan(128);
  });

  it('draws open polylines: the first and last points of an eye are not joined', () => {
    const p: Point[] = rowLandmarks();
    const eye: Point[] = [
      [192, 100],
      [200, 94],
      [208, 94],
      [216, 100],
      [208, 106],
      [200, 106],
    ];
    eye.forEach((q, k) => {
      p[36 + k] = q;
    });
    const out = renderLandmarkImage(p);
    expect(px(out, 196, 103)).toEqual([0, 0, 0]); // midpoint of the missing 41→36 segment
    expect(px(out, 204, 94)).toEqual([255, 0, 0]);
  });

  it('paints later parts over earlier ones and outputs [-1, 1] floats', () => {
    const p: Point[] = rowLandmarks();
    for (let i = 60; i <= 67; i++) p[i] = [20 + (i - 60) * 10, 15 + 7 * 22]; // inner lip on outer lip
    const out = renderLandmarkImage(p);
    expect(px(out, 50, 15 + 7 * 22)).toEqual([255, 192, 203]);
    const signed = renderLandmarkImageSigned(p);
    expect(signed[0]).toBe(-1);
    const i = ((15 + 7 * 22) * 224 + 50) * 3;
    expect(Array.from(signed.subarray(i, i + 3))).toEqual(
      [1, (192 * 2) / 255 - 1, (203 * 2) / 255 - 1].map(Math.fround),
    );
  });

  it('rejects a wrong landmark count', () => {
    expect(() => renderLandmarkImage(rowLandmarks().slice(0, 67))).toThrow(/expected 68 landmarks/);
  });
});

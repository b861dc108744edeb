import { describe, expect, it } from 'vitest';
import { classOverlaps, iou, labelLandmarkColours } from './iou';

describe('classOverlaps / iou', () => {
  it('counts intersection and union per class', () => {
    const a = Uint8Array.from([0, 1, 1, 2, 2, 0]);
    const b = Uint8Array.from([0, 1, 2, 2, 0, 0]);
    const o = classOverlaps(a, b, 4);
    expect(o).toEqual([
      { intersection: 2, union: 3 },
      { intersection: 1, union: 2 },
      { intersection: 1, union: 3 },
      { intersection: 0, union: 0 },
    ]);
    expect(o.map(iou)).toEqual([2 / 3, 1 / 2, 1 / 3, null]);
  });

  it('rejects different sizes and out-of-range labels', () => {
    expect(() => classOverlaps(new Uint8Array(2), new Uint8Array(3), 2)).toThrow(/sizes differ/);
    expect(() => classOverlaps(Uint8Array.from([5]), Uint8Array.from([0]), 2)).toThrow(/label 5/);
  });
});

describe('labelLandmarkColours', () => {
  it('maps each part colour and faint fringes to their labels', () => {
    const data = Uint8Array.from([
      0, 0, 0, 0, 128, 0, 255, 165, 0, 0, 0, 255, 255, 0, 0, 128, 0, 128, 255, 192, 203,
      // a 30 % green fringe is nearer black; a 70 % red is nearer red
      0, 38, 0, 178, 0, 0,
    ]);
    expect(Array.from(labelLandmarkColours({ width: 9, height: 1, data }))).toEqual([
      0, 1, 2, 3, 4, 5, 6, 0, 4,
    ]);
  });
});

import { describe, expect, it } from 'vitest';
import { meanAbsoluteError } from './l1';

const image = (data: number[], width: number, height: number) => ({
  data: Uint8Array.from(data),
  width,
  height,
  channels: 3,
});

describe('meanAbsoluteError (L1 on 0..255)', () => {
  it('is the mean of |a − b| over pixels and channels, symmetric, 0 on equal images', () => {
    const a = image([10, 20, 30, 40, 50, 60], 2, 1);
    const b = image([13, 20, 0, 40, 51, 255], 2, 1);
    // |diffs| = 3, 0, 30, 0, 1, 195 → 229 / 6
    expect(meanAbsoluteError(a, b)).toBeCloseTo(229 / 6, 12);
    expect(meanAbsoluteError(b, a)).toBe(meanAbsoluteError(a, b));
    expect(meanAbsoluteError(a, a)).toBe(0);
  });

  it('rejects images of different shapes', () => {
    expect(() =>
      meanAbsoluteError(image([1, 2, 3], 1, 1), image([1, 2, 3, 4, 5, 6], 2, 1)),
    ).toThrow();
  });
});

import { describe, expect, it } from 'vitest';
import { resizeBilinear, resizeNearest } from './resize';

describe('resizeBilinear', () => {
  it('upsamples 2→4 with half-pixel centres (hand-computed weights)', () => {
    // Output x samples the input at (x + 0.5)/2 − 0.5 = −0.25, 0.25, 0.75, 1.25 → clamped
    // 0, 0.25, 0.75, 1 → values 0, 25, 75, 100 for a 0→100 ramp.
    const out = resizeBilinear(new Uint8Array([0, 100, 0, 100]), 2, 2, 1, 4, 2);
    expect(Array.from(out)).toEqual([0, 25, 75, 100, 0, 25, 75, 100]);
  });

  it('downsamples 4→2 by averaging pixel pairs, per channel', () => {
    // Output x samples at (x + 0.5)·2 − 0.5 = 0.5, 2.5: the mean of pixels (0,1) and (2,3).
    const src = new Uint8Array([10, 1, 20, 3, 30, 5, 50, 7]); // 4×1, 2 channels
    expect(Array.from(resizeBilinear(src, 4, 1, 2, 2, 1))).toEqual([15, 2, 40, 6]);
  });

  it('keeps a constant image constant and copies at equal size', () => {
    const src = new Uint8Array(5 * 3 * 3).fill(77);
    expect(resizeBilinear(src, 5, 3, 3, 8, 7).every((v) => v === 77)).toBe(true);
    const ramp = new Uint8Array(12).map((_, i) => i * 20);
    expect(Array.from(resizeBilinear(ramp, 2, 2, 3, 2, 2))).toEqual(Array.from(ramp));
  });

  it('rejects a size that does not match the data', () => {
    expect(() => resizeBilinear(new Uint8Array(11), 2, 2, 3, 4, 4)).toThrow(/11 values for 2x2x3/);
  });
});

describe('resizeNearest', () => {
  it('never blends class ids', () => {
    const src = new Uint8Array([1, 2, 3, 4]);
    expect(Array.from(resizeNearest(src, 2, 2, 4, 4))).toEqual([
      1, 1, 2, 2, 1, 1, 2, 2, 3, 3, 4, 4, 3, 3, 4, 4,
    ]);
    // 3 → 2: output x samples floor((x + 0.5)·1.5) = 0, 2.
    expect(Array.from(resizeNearest(new Uint8Array([5, 6, 7]), 3, 1, 2, 1))).toEqual([5, 7]);
  });
});

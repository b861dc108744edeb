import { describe, expect, it } from 'vitest';
import { resizeArea } from './resize-area';

const image = (w: number, h: number, f: (x: number, y: number, c: number) => number) => {
  const data = new Uint8Array(w * h * 3);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) for (let c = 0; c < 3; c++) data[(y * w + x) * 3 + c] = f(x, y, c);
  return { width: w, height: h, data };
};

describe('resizeArea', () => {
  it('halving equals the mean of each 2x2 block', () => {
    const src = image(6, 4, (x, y, c) => (x * 37 + y * 11 + c * 50) % 256);
    const out = resizeArea(src, 3, 2);
    for (let y = 0; y < 2; y++)
      for (let x = 0; x < 3; x++)
        for (let c = 0; c < 3; c++) {
          const at = (xx: number, yy: number) => src.data[(yy * 6 + xx) * 3 + c]!;
          const mean =
            (at(2 * x, 2 * y) +
              at(2 * x + 1, 2 * y) +
              at(2 * x, 2 * y + 1) +
              at(2 * x + 1, 2 * y + 1)) /
            4;
          expect(out.data[(y * 3 + x) * 3 + c]).toBe(Math.round(mean));
        }
  });

  it('a non-integer factor (224 → 64) keeps a constant image constant and a ramp monotone', () => {
    expect(
      resizeArea(
        image(224, 224, () => 77),
        64,
        64,
      ).data.every((v) => v === 77),
    ).toBe(true);
    const ramp = resizeArea(
      image(224, 224, (x) => x),
      64,
      64,
    );
    const row = Array.from({ length: 64 }, (_, x) => ramp.data[x * 3]!);
    for (let x = 1; x < 64; x++) expect(row[x]!).toBeGreaterThanOrEqual(row[x - 1]!);
    // Output pixel x covers input [3.5x, 3.5x + 3.5): its mean is 3.5x + 1.5 (up to rounding).
    expect(Math.abs(row[10]! - (35 + 1.5))).toBeLessThanOrEqual(1);
  });

  it('rejects a bad target size', () => {
    expect(() =>
      resizeArea(
        image(4, 4, () => 0),
        0,
        3,
      ),
    ).toThrow(/positive integers/);
  });
});

import { describe, expect, it } from 'vitest';
import { resizeImage, resizeLabels } from './resize-image';

const image = (w: number, h: number, f: (x: number, y: number, c: number) => number) => {
  const data = new Uint8Array(w * h * 3);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) for (let c = 0; c < 3; c++) data[(y * w + x) * 3 + c] = f(x, y, c);
  return { width: w, height: h, data };
};

describe('resizeImage: shrinking is area averaging', () => {
  it('halving equals the mean of each 2x2 block', () => {
    const src = image(6, 4, (x, y, c) => (x * 37 + y * 11 + c * 50) % 256);
    const out = resizeImage(src, 3, 2);
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
      resizeImage(
        image(224, 224, () => 77),
        64,
        64,
      ).data.every((v) => v === 77),
    ).toBe(true);
    const ramp = resizeImage(
      image(224, 224, (x) => x),
      64,
      64,
    );
    const row = Array.from({ length: 64 }, (_, x) => ramp.data[x * 3]!);
    for (let x = 1; x < 64; x++) expect(row[x]!).toBeGreaterThanOrEqual(row[x - 1]!);
    // Output pixel x covers input [3.5x, 3.5x + 3.5): its mean is 3.5x + 1.5 (up to rounding).
    expect(Math.abs(row[10]! - (35 + 1.5))).toBeLessThanOrEqual(1);
  });

  it('preserves the mean of an image whose size divides exactly (no mass lost or gained)', () => {
    const src = image(12, 9, (x, y, c) => (x * 13 + y * 29 + c * 7) % 251);
    const out = resizeImage(src, 4, 3);
    const mean = (d: Uint8Array) => d.reduce((a, b) => a + b, 0) / d.length;
    expect(Math.abs(mean(out.data) - mean(src.data))).toBeLessThan(0.5);
  });
});

describe('resizeImage: enlarging is bilinear with half-pixel centres', () => {
  it('upsamples 2→4 with the hand-computed weights', () => {
    // Output x samples the input at (x + 0.5)/2 − 0.5 = −0.25, 0.25, 0.75, 1.25 → clamped
    // 0, 0.25, 0.75, 1 → values 0, 25, 75, 100 for a 0→100 ramp.
    const out = resizeImage(
      image(2, 2, (x) => x * 100),
      4,
      2,
    );
    expect(Array.from(out.data.filter((_, i) => i % 3 === 0))).toEqual([
      0, 25, 75, 100, 0, 25, 75, 100,
    ]);
  });

  it('shrinks one axis by area and enlarges the other bilinearly', () => {
    // 4×2 → 2×4: x halves (pair means), y doubles (rows 0,1 → 0, .25, .75, 1).
    const src = image(4, 2, (x, y) => (y === 0 ? [0, 20, 40, 60][x]! : [100, 120, 140, 160][x]!));
    const out = resizeImage(src, 2, 4);
    const col0 = [0, 1, 2, 3].map((y) => out.data[y * 2 * 3]!);
    expect(col0).toEqual([10, 35, 85, 110]);
  });

  it('copies at equal size and rejects a bad target', () => {
    const src = image(3, 2, (x, y, c) => x + y * 3 + c * 50);
    const same = resizeImage(src, 3, 2);
    expect(Array.from(same.data)).toEqual(Array.from(src.data));
    expect(same.data).not.toBe(src.data);
    expect(() => resizeImage(src, 0, 3)).toThrow(/positive integers/);
    expect(() => resizeImage({ width: 2, height: 2, data: new Uint8Array(11) }, 4, 4)).toThrow(
      /11 bytes/,
    );
  });
});

describe('resizeLabels', () => {
  it('never blends class ids', () => {
    const src = new Uint8Array([1, 2, 3, 4]);
    expect(Array.from(resizeLabels(src, 2, 2, 4, 4))).toEqual([
      1, 1, 2, 2, 1, 1, 2, 2, 3, 3, 4, 4, 3, 3, 4, 4,
    ]);
    // 3 → 2: output x samples floor((x + 0.5)·1.5) = 0, 2.
    expect(Array.from(resizeLabels(new Uint8Array([5, 6, 7]), 3, 1, 2, 1))).toEqual([5, 7]);
    expect(() => resizeLabels(new Uint8Array(5), 2, 2, 1, 1)).toThrow(/5 values for 2x2/);
  });
});

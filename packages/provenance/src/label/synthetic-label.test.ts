import { describe, expect, it } from 'vitest';
import { drawSyntheticLabel } from './synthetic-label';

function grey(width: number, height: number, channels: 3 | 4, v = 128) {
  return { width, height, data: new Uint8Array(width * height * channels).fill(v) };
}

describe('drawSyntheticLabel', () => {
  it('draws white glyph pixels on a darkened box in the bottom-left corner only', () => {
    const image = grey(64, 64, 3);
    const out = drawSyntheticLabel(image);
    expect(image.data.every((v) => v === 128)).toBe(true); // input untouched
    const at = (x: number, y: number) => out.data[(y * 64 + x) * 3]!;
    // box: 9 glyphs × 6 − 1 = 53 px + 1 px padding each side, 7 + 2 rows, at the bottom
    expect(at(0, 63)).toBe(38); // darkened: round(128·0.3)
    expect(at(54, 55)).toBe(38);
    expect(at(55, 63)).toBe(128); // right of the box
    expect(at(0, 54)).toBe(128); // above the box
    // "S" top row is .###. → pixels 2..4 of the glyph row at y = 56
    expect([at(1, 56), at(2, 56), at(3, 56), at(4, 56), at(5, 56)]).toEqual([
      38, 255, 255, 255, 38,
    ]);
    const white = out.data.filter((v, i) => i % 3 === 0 && v === 255).length;
    // number of '#' cells in SYNTHETIC, counted from the glyph table by hand: S 15, Y 10, N 19,
    // T 11, H 17, E 18, I 11, C 13 → S+Y+N+T+H+E+T+I+C
    expect(white).toBe(15 + 10 + 19 + 11 + 17 + 18 + 11 + 11 + 13);
  });
  it('scales with the frame and keeps alpha', () => {
    const out = drawSyntheticLabel(grey(256, 200, 4), { corner: 'top-right' });
    expect(out.data[3]).toBe(128); // alpha of pixel 0 kept
    const at = (x: number, y: number) => out.data[(y * 256 + x) * 4]!;
    // scale 3: box (53·3 + 6) × (21 + 6) at the top right
    expect(at(255, 0)).toBe(38);
    expect(at(256 - 165, 26)).toBe(38);
    expect(at(256 - 166, 0)).toBe(128);
    expect(at(255, 27)).toBe(128);
  });
});

import type { RgbImage } from '@th/data';
import { describe, expect, it } from 'vitest';
import { imageGrid, sideBySide } from './panels';

/** A w×h image whose pixel (x, y) is [tag, x, y]. */
const tagged = (tag: number, w: number, h: number): RgbImage => ({
  width: w,
  height: h,
  data: Uint8Array.from({ length: w * h * 3 }, (_, i) => {
    const p = Math.floor(i / 3);
    return [tag, p % w, Math.floor(p / w)][i % 3]!;
  }),
});
const pixel = (im: RgbImage, x: number, y: number) =>
  Array.from(im.data.subarray((y * im.width + x) * 3, (y * im.width + x) * 3 + 3));

describe('imageGrid', () => {
  it('places every tile at its row and column, with gaps of the background grey', () => {
    const rows = [
      [tagged(1, 3, 2), tagged(2, 3, 2), tagged(3, 3, 2)],
      [tagged(4, 3, 2), tagged(5, 3, 2)],
    ];
    const grid = imageGrid(rows, 1, 200);
    expect([grid.width, grid.height]).toEqual([3 * 3 + 2, 2 * 2 + 1]);
    for (const [r, row] of rows.entries())
      for (const [c] of row.entries())
        for (let y = 0; y < 2; y++)
          for (let x = 0; x < 3; x++)
            expect(pixel(grid, c * 4 + x, r * 3 + y)).toEqual([r * 3 + c + 1, x, y]);
    expect(pixel(grid, 3, 0)).toEqual([200, 200, 200]); // gap between columns
    expect(pixel(grid, 0, 2)).toEqual([200, 200, 200]); // gap between rows
    expect(pixel(grid, 10, 4)).toEqual([200, 200, 200]); // the short row's missing tile
    // One row without gaps is sideBySide.
    const row = [tagged(7, 2, 2), tagged(8, 2, 2)];
    expect(imageGrid([row])).toEqual(sideBySide(row));
  });

  it('refuses tiles of another size, naming the tile', () => {
    expect(() => imageGrid([[tagged(1, 3, 2)], [tagged(2, 2, 2)]])).toThrow(
      'imageGrid: image 1,0 is 2x2, expected 3x2',
    );
    expect(() => imageGrid([])).toThrow('imageGrid: no images');
  });
});

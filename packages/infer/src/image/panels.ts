/** Side-by-side composition of equally tall images (the `--panels` view). */
import type { RgbImage } from '@th/data';

export function sideBySide(images: readonly RgbImage[]): RgbImage {
  const first = images[0];
  if (!first) throw new Error('sideBySide: no images');
  const height = first.height;
  for (const [i, im] of images.entries()) {
    if (im.height !== height)
      throw new Error(`sideBySide: panel ${i} is ${im.height} px tall, expected ${height}`);
  }
  const width = images.reduce((s, im) => s + im.width, 0);
  const data = new Uint8Array(width * height * 3);
  let x0 = 0;
  for (const im of images) {
    for (let y = 0; y < height; y++) {
      data.set(im.data.subarray(y * im.width * 3, (y + 1) * im.width * 3), (y * width + x0) * 3);
    }
    x0 += im.width;
  }
  return { width, height, data };
}

/**
 * Rows of equally sized images as one picture, `gap` pixels of `background` (0–255 grey) between
 * tiles and around none: e.g. a README strip, driver frames above the outputs they drove.
 */
export function imageGrid(
  rows: readonly (readonly RgbImage[])[],
  gap = 0,
  background = 255,
): RgbImage {
  const tile = rows[0]?.[0];
  if (!tile) throw new Error('imageGrid: no images');
  const { width: w, height: h } = tile;
  const columns = Math.max(...rows.map((r) => r.length));
  for (const [r, row] of rows.entries())
    for (const [c, im] of row.entries())
      if (im.width !== w || im.height !== h)
        throw new Error(
          `imageGrid: image ${r},${c} is ${im.width}x${im.height}, expected ${w}x${h}`,
        );
  const width = columns * w + (columns - 1) * gap;
  const height = rows.length * h + (rows.length - 1) * gap;
  const data = new Uint8Array(width * height * 3).fill(background);
  for (const [r, row] of rows.entries()) {
    for (const [c, im] of row.entries()) {
      const x0 = c * (w + gap);
      const y0 = r * (h + gap);
      for (let y = 0; y < h; y++)
        data.set(im.data.subarray(y * w * 3, (y + 1) * w * 3), ((y0 + y) * width + x0) * 3);
    }
  }
  return { width, height, data };
}

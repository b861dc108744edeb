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

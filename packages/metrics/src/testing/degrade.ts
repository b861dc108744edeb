import type { HwcImage } from '../image';

type Uint8Image = HwcImage & { data: Uint8Array };

/**
 * Integer-exact degradations mirrored from tools/python/make-golden.py, so the golden test can
 * rebuild the degraded images bit for bit instead of storing them.
 */

/** Adds an offset in [−amplitude, amplitude] drawn from a 32-bit hash of each value's index. */
export function hashNoise(image: Uint8Image, amplitude: number, seed: number): Uint8Image {
  const out = new Uint8Array(image.data.length);
  const modulus = 2 * amplitude + 1;
  for (let i = 0; i < out.length; i++) {
    // i·2654435761 < 2^53 for any realistic image, so the double product is exact.
    let h = (i * 2654435761 + seed) % 4294967296;
    h = (h ^ (h >>> 16)) >>> 0;
    h = Math.imul(h, 0x45d9f3b) >>> 0;
    h = (h ^ (h >>> 16)) >>> 0;
    const value = image.data[i]! + (h % modulus) - amplitude;
    out[i] = Math.min(255, Math.max(0, value));
  }
  return { ...image, data: out };
}

/** 3x3 box blur with edge replication and integer rounding ((sum + 4) / 9, floored). */
export function boxBlur3(image: Uint8Image): Uint8Image {
  const { height, width, channels, data } = image;
  const out = new Uint8Array(data.length);
  const clampY = (y: number) => Math.min(height - 1, Math.max(0, y));
  const clampX = (x: number) => Math.min(width - 1, Math.max(0, x));
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      for (let c = 0; c < channels; c++) {
        let sum = 0;
        for (let dy = -1; dy <= 1; dy++) {
          for (let dx = -1; dx <= 1; dx++) {
            sum += data[(clampY(y + dy) * width + clampX(x + dx)) * channels + c]!;
          }
        }
        out[(y * width + x) * channels + c] = Math.floor((sum + 4) / 9);
      }
    }
  }
  return { ...image, data: out };
}

/** Applies the named recipe used in the golden JSON ('none', 'noise20', 'blur3', 'blur3+noise8'). */
export function degrade(image: Uint8Image, recipe: string): Uint8Image {
  switch (recipe) {
    case 'none':
      return image;
    case 'noise20':
      return hashNoise(image, 20, 12345);
    case 'blur3':
      return boxBlur3(image);
    case 'blur3+noise8':
      return hashNoise(boxBlur3(image), 8, 777);
    default:
      throw new Error(`unknown degradation recipe "${recipe}"`);
  }
}

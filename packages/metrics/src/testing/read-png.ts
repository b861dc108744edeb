import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { PNG } from 'pngjs';
import type { HwcImage } from '../image';

/** Absolute path of the repository's VoxCeleb2 frame fixtures (fixtures/voxceleb2/frames). */
export const FRAMES_DIR = fileURLToPath(
  new URL('../../../../fixtures/voxceleb2/frames/', import.meta.url),
);

/** Decodes an 8-bit PNG with pngjs (the one decoder pinned for golden tests) into uint8 RGB HWC. */
export function readRgbPng(path: string): HwcImage & { data: Uint8Array } {
  const png = PNG.sync.read(readFileSync(path));
  const { width, height } = png;
  const rgb = new Uint8Array(width * height * 3);
  // pngjs always expands to RGBA; drop alpha (the fixtures are opaque RGB).
  for (let p = 0; p < width * height; p++) {
    rgb[3 * p] = png.data[4 * p]!;
    rgb[3 * p + 1] = png.data[4 * p + 1]!;
    rgb[3 * p + 2] = png.data[4 * p + 2]!;
  }
  return { data: rgb, height, width, channels: 3 };
}

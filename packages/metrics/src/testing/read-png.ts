import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { decodeImage } from '@th/data/node';
import type { HwcImage } from '../image';

/** Absolute path of the repository's VoxCeleb2 frame fixtures (fixtures/voxceleb2/frames). */
export const FRAMES_DIR = fileURLToPath(
  new URL('../../../../fixtures/voxceleb2/frames/', import.meta.url),
);

/** Decodes an 8-bit PNG (pngjs, the one decoder pinned for golden tests, via @th/data) into uint8 RGB HWC. */
export function readRgbPng(path: string): HwcImage & { data: Uint8Array } {
  return { ...decodeImage(readFileSync(path), path).image, channels: 3 };
}

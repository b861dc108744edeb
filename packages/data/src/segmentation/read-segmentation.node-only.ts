/**
 * Node-only: read a segmentation produced elsewhere (e.g. a real face parser) as a PNG of class
 * ids. Accepts 8-bit grayscale, or RGB/RGBA whose three channels are equal; the map must be
 * width×height with ids 0..18 (CelebAMask-HQ order).
 */
import { readFile } from 'node:fs/promises';
import { PNG } from 'pngjs';
import { validateSegmentation } from './classes';

export async function readSegmentationPng(
  path: string,
  width: number,
  height: number,
): Promise<Uint8Array> {
  let png: PNG;
  try {
    png = PNG.sync.read(await readFile(path));
  } catch (e) {
    throw new Error(`${path}: cannot read segmentation PNG: ${(e as Error).message}`);
  }
  if (png.width !== width || png.height !== height) {
    throw new Error(
      `${path}: segmentation is ${png.width}x${png.height}, expected ${width}x${height}`,
    );
  }
  const labels = new Uint8Array(width * height);
  for (let i = 0; i < labels.length; i++) {
    const r = png.data[i * 4]!;
    if (png.data[i * 4 + 1] !== r || png.data[i * 4 + 2] !== r) {
      throw new Error(
        `${path}: segmentation must hold one class id per pixel (gray), pixel ${i} is coloured`,
      );
    }
    labels[i] = r;
  }
  return validateSegmentation(labels, width, height, path);
}

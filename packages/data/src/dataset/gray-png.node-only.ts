/**
 * Node-only: decode an 8-bit grayscale PNG (stored segmentations) to one byte per pixel.
 */
import { PNG } from 'pngjs';

export interface GrayImage {
  width: number;
  height: number;
  values: Uint8Array;
}

export function decodeGrayPng(bytes: Uint8Array, name: string): GrayImage {
  let png: PNG;
  try {
    png = PNG.sync.read(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  } catch (e) {
    throw new Error(`${name}: cannot decode PNG: ${(e as Error).message}`);
  }
  // pngjs expands to RGBA; a gray image has R = G = B = the stored value.
  const values = new Uint8Array(png.width * png.height);
  for (let i = 0; i < values.length; i++) values[i] = png.data[i * 4]!;
  return { width: png.width, height: png.height, values };
}

/**
 * Browser image plumbing: files and video frames to square RgbImages (centre crop, then scaled to
 * FRAME_SIZE, the size the bundled samples have), and RGBA arrays to canvases.
 */
import type { RgbImage } from '@th/data';

/** Side of the square frames the demo works on (VoxCeleb2 crops are 224²). */
export const FRAME_SIZE = 224;

/** Draw the centre square of `source` onto a FRAME_SIZE² canvas. */
export function squareCanvas(source: CanvasImageSource, width: number, height: number) {
  const canvas = document.createElement('canvas');
  canvas.width = FRAME_SIZE;
  canvas.height = FRAME_SIZE;
  const ctx = canvas.getContext('2d', { willReadFrequently: true });
  if (!ctx) throw new Error('no 2D canvas context');
  const side = Math.min(width, height);
  ctx.drawImage(
    source,
    (width - side) / 2,
    (height - side) / 2,
    side,
    side,
    0,
    0,
    FRAME_SIZE,
    FRAME_SIZE,
  );
  return canvas;
}

/** RGBA pixels of a canvas → RgbImage. */
export function canvasToRgb(canvas: HTMLCanvasElement): RgbImage {
  const ctx = canvas.getContext('2d', { willReadFrequently: true });
  if (!ctx) throw new Error('no 2D canvas context');
  const rgba = ctx.getImageData(0, 0, canvas.width, canvas.height).data;
  const data = new Uint8Array(canvas.width * canvas.height * 3);
  for (let i = 0, j = 0; j < rgba.length; i += 3, j += 4) {
    data[i] = rgba[j]!;
    data[i + 1] = rgba[j + 1]!;
    data[i + 2] = rgba[j + 2]!;
  }
  return { width: canvas.width, height: canvas.height, data };
}

/** Decode an image file; a file that is not a decodable image throws a message naming it. */
export async function fileToCanvas(file: File): Promise<HTMLCanvasElement> {
  if (file.type && !file.type.startsWith('image/')) {
    throw new Error(`"${file.name}" is not an image (its type is ${file.type}); choose a photo`);
  }
  let bitmap: ImageBitmap;
  try {
    bitmap = await createImageBitmap(file, { colorSpaceConversion: 'none' });
  } catch {
    throw new Error(`"${file.name}" could not be decoded as an image; choose a PNG or JPEG photo`);
  }
  const canvas = squareCanvas(bitmap, bitmap.width, bitmap.height);
  bitmap.close();
  return canvas;
}

/** Fetch an image from this origin into a canvas at its own size (no resampling). */
export async function urlToCanvas(url: string): Promise<HTMLCanvasElement> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
  // No colour management, so the pixels equal the PNG's bytes (as Node decodes them).
  const bitmap = await createImageBitmap(await response.blob(), {
    colorSpaceConversion: 'none',
    premultiplyAlpha: 'none',
  });
  const canvas = document.createElement('canvas');
  canvas.width = bitmap.width;
  canvas.height = bitmap.height;
  const ctx = canvas.getContext('2d', { willReadFrequently: true });
  if (!ctx) throw new Error('no 2D canvas context');
  ctx.drawImage(bitmap, 0, 0);
  bitmap.close();
  return canvas;
}

/** Put RGBA pixels of a size² image into a canvas. */
export function drawRgba(canvas: HTMLCanvasElement, rgba: Uint8ClampedArray, size: number): void {
  canvas.width = size;
  canvas.height = size;
  const ctx = canvas.getContext('2d');
  if (!ctx) throw new Error('no 2D canvas context');
  ctx.putImageData(new ImageData(new Uint8ClampedArray(rgba), size, size), 0, 0);
}

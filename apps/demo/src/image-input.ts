/**
 * Browser image plumbing: image files, URLs and video frames to canvases at their own size (no
 * resampling here: @th/infer centre-crops and area-resizes to the model resolution, as training
 * does), canvases to RgbImages, and RgbImages back onto canvases.
 */
import type { RgbImage } from '@th/data';

function canvasOf(source: CanvasImageSource, width: number, height: number): HTMLCanvasElement {
  const canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = height;
  const ctx = canvas.getContext('2d', { willReadFrequently: true });
  if (!ctx) throw new Error('no 2D canvas context');
  ctx.drawImage(source, 0, 0);
  return canvas;
}

/** The current frame of a playing <video>, at its own size. */
export function videoFrameCanvas(video: HTMLVideoElement): HTMLCanvasElement {
  return canvasOf(video, video.videoWidth, video.videoHeight);
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

// No colour management, so the pixels equal the file's bytes (as Node decodes them).
const RAW_PIXELS: ImageBitmapOptions = { colorSpaceConversion: 'none', premultiplyAlpha: 'none' };

async function bitmapToCanvas(bitmap: ImageBitmap): Promise<HTMLCanvasElement> {
  const canvas = canvasOf(bitmap, bitmap.width, bitmap.height);
  bitmap.close();
  return canvas;
}

/** Decode an image file; a file that is not a decodable image throws a message naming it. */
export async function fileToCanvas(file: File): Promise<HTMLCanvasElement> {
  if (file.type && !file.type.startsWith('image/')) {
    throw new Error(`"${file.name}" is not an image (its type is ${file.type}); choose a photo`);
  }
  let bitmap: ImageBitmap;
  try {
    bitmap = await createImageBitmap(file, RAW_PIXELS);
  } catch {
    throw new Error(`"${file.name}" could not be decoded as an image; choose a PNG or JPEG photo`);
  }
  return bitmapToCanvas(bitmap);
}

/** Fetch an image from this origin into a canvas at its own size. */
export async function urlToCanvas(url: string): Promise<HTMLCanvasElement> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
  return bitmapToCanvas(await createImageBitmap(await response.blob(), RAW_PIXELS));
}

/** Show an RgbImage on a canvas (the canvas takes the image's size). */
export function drawRgb(canvas: HTMLCanvasElement, image: RgbImage): void {
  canvas.width = image.width;
  canvas.height = image.height;
  const ctx = canvas.getContext('2d');
  if (!ctx) throw new Error('no 2D canvas context');
  const rgba = new Uint8ClampedArray(image.width * image.height * 4);
  for (let i = 0, j = 0; i < image.data.length; i += 3, j += 4) {
    rgba[j] = image.data[i]!;
    rgba[j + 1] = image.data[i + 1]!;
    rgba[j + 2] = image.data[i + 2]!;
    rgba[j + 3] = 255;
  }
  ctx.putImageData(new ImageData(rgba, image.width, image.height), 0, 0);
}

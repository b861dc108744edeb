/**
 * Bringing an arbitrary frame to the model's square resolution R: centre-crop to a square (the
 * longer side is trimmed equally on both ends), then resize to R×R with `resizeImage`. Landmarks follow the same
 * map. Coordinates are pixel-centre aligned (pixel i is centred on x = i), so a resize by factor
 * f maps x to (x + 0.5)·f − 0.5.
 */
import type { Landmarks68 } from '../landmarks/landmarks';
import { resizeImage } from './resize-image';
import type { RgbImage } from './rgb-image';

/** Where a frame of size w×h lands in the R×R model frame. */
export interface SquareFit {
  /** left/top offset of the centre square in the original frame */
  offsetX: number;
  offsetY: number;
  /** side of that square in original pixels */
  side: number;
  /** model resolution */
  size: number;
}

export function squareFit(width: number, height: number, size: number): SquareFit {
  const side = Math.min(width, height);
  return {
    offsetX: Math.floor((width - side) / 2),
    offsetY: Math.floor((height - side) / 2),
    side,
    size,
  };
}

/** Map landmarks from original-frame pixels to model pixels. */
export function mapLandmarks(landmarks: Landmarks68, fit: SquareFit): Landmarks68 {
  const f = fit.size / fit.side;
  return landmarks.map(
    ([x, y]) => [(x - fit.offsetX + 0.5) * f - 0.5, (y - fit.offsetY + 0.5) * f - 0.5] as const,
  );
}

/** Crop the centre square out of an image. */
export function cropSquare(image: RgbImage, fit: SquareFit): RgbImage {
  if (fit.side === image.width && fit.side === image.height) return image;
  const data = new Uint8Array(fit.side * fit.side * 3);
  for (let y = 0; y < fit.side; y++) {
    const from = ((y + fit.offsetY) * image.width + fit.offsetX) * 3;
    data.set(image.data.subarray(from, from + fit.side * 3), y * fit.side * 3);
  }
  return { width: fit.side, height: fit.side, data };
}

/** Centre-crop and resize an image to size×size. */
export function fitImage(image: RgbImage, size: number): RgbImage {
  const fit = squareFit(image.width, image.height, size);
  return resizeImage(cropSquare(image, fit), size, size);
}

/**
 * The one resampler of @th (training data, evaluation, inference, the demo): `resizeImage` for
 * RGB images and `resizeLabels` for class maps.
 *
 * `resizeImage` is separable, per axis:
 * - shrinking: area averaging, each output pixel the mean of the input footprint it covers, with
 *   fractional weights at the edges (the box filter of the exact footprint). 224 → 64 (×3.5) this
 *   way neither aliases (bilinear would read 2×2 of the ~3.5×3.5 pixels and thin 3 px landmark
 *   lines) nor blurs more than needed;
 * - enlarging: bilinear with half-pixel centres (output pixel i samples the input at
 *   (i + 0.5)·in/out − 0.5, clamped to the edge), the convention of tf.image.resize and PIL;
 * - equal size: a copy.
 * This is OpenCV's INTER_AREA rule. Outputs are rounded to the nearest integer.
 *
 * `resizeLabels` samples the nearest input pixel, floor((i + 0.5)·in/out): class ids are never
 * blended.
 */
import { assertRgbImage, type RgbImage } from './rgb-image';

/** Input cells (and weights) that one output cell reads, along one axis. */
type Taps = Array<[index: number, weight: number]>;

function areaTaps(inSize: number, outSize: number): Taps[] {
  const scale = inSize / outSize;
  return Array.from({ length: outSize }, (_, o) => {
    const start = o * scale;
    const end = start + scale;
    const taps: Taps = [];
    for (let i = Math.floor(start); i < Math.min(inSize, Math.ceil(end)); i++) {
      const w = Math.min(end, i + 1) - Math.max(start, i);
      if (w > 1e-9) taps.push([i, w]);
    }
    return taps;
  });
}

function bilinearTaps(inSize: number, outSize: number): Taps[] {
  const scale = inSize / outSize;
  return Array.from({ length: outSize }, (_, o) => {
    const f = Math.min(Math.max((o + 0.5) * scale - 0.5, 0), inSize - 1);
    const i0 = Math.floor(f);
    const w = f - i0;
    const i1 = Math.min(i0 + 1, inSize - 1);
    return w > 0 && i1 !== i0
      ? [[i0, 1 - w] as [number, number], [i1, w] as [number, number]]
      : [[i0, 1] as [number, number]];
  });
}

function taps(inSize: number, outSize: number): Taps[] {
  if (outSize < inSize) return areaTaps(inSize, outSize);
  if (outSize > inSize) return bilinearTaps(inSize, outSize);
  return Array.from({ length: outSize }, (_, i) => [[i, 1]] as Taps);
}

function checkTarget(where: string, width: number, height: number): void {
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) {
    throw new Error(`${where}: target size must be positive integers, got ${width}x${height}`);
  }
}

/** Resize an RGB image to `width`×`height` (area when shrinking, bilinear when enlarging). */
export function resizeImage(image: RgbImage, width: number, height: number): RgbImage {
  checkTarget('resizeImage', width, height);
  assertRgbImage(image, 'resizeImage');
  if (image.width === width && image.height === height) {
    return { width, height, data: image.data.slice() };
  }
  const xs = taps(image.width, width);
  const ys = taps(image.height, height);
  const data = new Uint8Array(width * height * 3);
  const src = image.data;
  const rowStride = image.width * 3;
  // First pass along x into a float buffer (input rows × output columns), then along y.
  const rows = new Float64Array(image.height * width * 3);
  for (let y = 0; y < image.height; y++) {
    for (let ox = 0; ox < width; ox++) {
      let r = 0;
      let g = 0;
      let b = 0;
      let total = 0;
      for (const [ix, w] of xs[ox]!) {
        const at = y * rowStride + ix * 3;
        r += w * src[at]!;
        g += w * src[at + 1]!;
        b += w * src[at + 2]!;
        total += w;
      }
      const o = (y * width + ox) * 3;
      rows[o] = r / total;
      rows[o + 1] = g / total;
      rows[o + 2] = b / total;
    }
  }
  for (let oy = 0; oy < height; oy++) {
    const ty = ys[oy]!;
    let total = 0;
    for (const [, w] of ty) total += w;
    for (let ox = 0; ox < width; ox++) {
      let r = 0;
      let g = 0;
      let b = 0;
      for (const [iy, w] of ty) {
        const at = (iy * width + ox) * 3;
        r += w * rows[at]!;
        g += w * rows[at + 1]!;
        b += w * rows[at + 2]!;
      }
      const o = (oy * width + ox) * 3;
      data[o] = Math.round(r / total);
      data[o + 1] = Math.round(g / total);
      data[o + 2] = Math.round(b / total);
    }
  }
  return { width, height, data };
}

/** Nearest-neighbour resize of a one-channel class map (ids are never blended). */
export function resizeLabels(
  labels: Uint8Array,
  width: number,
  height: number,
  outWidth: number,
  outHeight: number,
): Uint8Array {
  checkTarget('resizeLabels', outWidth, outHeight);
  if (!(Number.isInteger(width) && width > 0 && Number.isInteger(height) && height > 0))
    throw new Error(`resizeLabels: bad size ${width}x${height}`);
  if (labels.length !== width * height)
    throw new Error(`resizeLabels: ${labels.length} values for ${width}x${height}`);
  const out = new Uint8Array(outWidth * outHeight);
  for (let y = 0; y < outHeight; y++) {
    const sy = Math.min(Math.floor(((y + 0.5) * height) / outHeight), height - 1);
    for (let x = 0; x < outWidth; x++) {
      const sx = Math.min(Math.floor(((x + 0.5) * width) / outWidth), width - 1);
      out[y * outWidth + x] = labels[sy * width + sx]!;
    }
  }
  return out;
}

/**
 * Area resampling of an RGB image (uint8 in, uint8 out). Each output pixel is the mean of the
 * input area it covers, with fractional weights at the edges: the box filter of the exact
 * footprint. Downscaling 224 → 64 (×3.5) this way neither aliases nor blurs more than needed, and
 * @th/train (followed by `toSignedUnit`) and @th/infer both use it, so inference
 * sees the same statistics as training.
 * Upscaling degenerates to nearest-neighbour-like blocks, which is fine for the rare small input.
 */
import { assertRgbImage, type RgbImage } from './rgb-image';

type Span = Array<[index: number, weight: number]>;

/** For each output cell, the input cells it overlaps and the overlap lengths. */
function spans(inSize: number, outSize: number): Span[] {
  const scale = inSize / outSize;
  const out: Span[] = [];
  for (let o = 0; o < outSize; o++) {
    const start = o * scale;
    const end = start + scale;
    const span: Span = [];
    for (let i = Math.floor(start); i < Math.min(inSize, Math.ceil(end)); i++) {
      const w = Math.min(end, i + 1) - Math.max(start, i);
      if (w > 1e-9) span.push([i, w]);
    }
    out.push(span);
  }
  return out;
}

/** Resize `image` to `width`×`height` by area averaging. */
export function resizeArea(image: RgbImage, width: number, height: number): RgbImage {
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) {
    throw new Error(`resizeArea: target size must be positive integers, got ${width}x${height}`);
  }
  assertRgbImage(image, 'resizeArea');
  if (image.width === width && image.height === height) {
    return { width, height, data: image.data.slice() };
  }
  const xs = spans(image.width, width);
  const ys = spans(image.height, height);
  const data = new Uint8Array(width * height * 3);
  const acc = new Float64Array(3);
  for (let oy = 0; oy < height; oy++) {
    for (let ox = 0; ox < width; ox++) {
      acc.fill(0);
      let total = 0;
      for (const [iy, wy] of ys[oy]!) {
        for (const [ix, wx] of xs[ox]!) {
          const w = wy * wx;
          const base = (iy * image.width + ix) * 3;
          acc[0]! += w * image.data[base]!;
          acc[1]! += w * image.data[base + 1]!;
          acc[2]! += w * image.data[base + 2]!;
          total += w;
        }
      }
      const o = (oy * width + ox) * 3;
      for (let c = 0; c < 3; c++) data[o + c] = Math.round(acc[c]! / total);
    }
  }
  return { width, height, data };
}

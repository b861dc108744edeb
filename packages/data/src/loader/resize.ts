/**
 * Resizing to the training resolution. Images: bilinear with half-pixel centres (the convention
 * of tf.image.resize with half_pixel_centers, and of PIL): output pixel i samples the input at
 * (i + 0.5)·in/out − 0.5, clamped to the edge. Segmentations: nearest (class ids must not be
 * blended), sampling the input pixel floor((i + 0.5)·in/out).
 */

function checkSize(name: string, w: number, h: number, channels: number, length: number): void {
  if (!(Number.isInteger(w) && w > 0 && Number.isInteger(h) && h > 0)) {
    throw new Error(`${name}: bad size ${w}x${h}`);
  }
  if (length !== w * h * channels) {
    throw new Error(`${name}: ${length} values for ${w}x${h}x${channels}`);
  }
}

/** Bilinear resize of an HWC uint8 image; returns a new array (rounded to nearest). */
export function resizeBilinear(
  src: Uint8Array,
  width: number,
  height: number,
  channels: number,
  outWidth: number,
  outHeight: number,
): Uint8Array {
  checkSize('resizeBilinear', width, height, channels, src.length);
  checkSize(
    'resizeBilinear output',
    outWidth,
    outHeight,
    channels,
    outWidth * outHeight * channels,
  );
  if (width === outWidth && height === outHeight) return src.slice();
  const out = new Uint8Array(outWidth * outHeight * channels);
  const sx = width / outWidth;
  const sy = height / outHeight;
  for (let y = 0; y < outHeight; y++) {
    const fy = Math.min(Math.max((y + 0.5) * sy - 0.5, 0), height - 1);
    const y0 = Math.floor(fy);
    const y1 = Math.min(y0 + 1, height - 1);
    const wy = fy - y0;
    for (let x = 0; x < outWidth; x++) {
      const fx = Math.min(Math.max((x + 0.5) * sx - 0.5, 0), width - 1);
      const x0 = Math.floor(fx);
      const x1 = Math.min(x0 + 1, width - 1);
      const wx = fx - x0;
      for (let c = 0; c < channels; c++) {
        const a = src[(y0 * width + x0) * channels + c]!;
        const b = src[(y0 * width + x1) * channels + c]!;
        const d = src[(y1 * width + x0) * channels + c]!;
        const e = src[(y1 * width + x1) * channels + c]!;
        const top = a + (b - a) * wx;
        const bottom = d + (e - d) * wx;
        out[(y * outWidth + x) * channels + c] = Math.round(top + (bottom - top) * wy);
      }
    }
  }
  return out;
}

/** Nearest-neighbour resize of a one-channel map (class ids). */
export function resizeNearest(
  src: Uint8Array,
  width: number,
  height: number,
  outWidth: number,
  outHeight: number,
): Uint8Array {
  checkSize('resizeNearest', width, height, 1, src.length);
  checkSize('resizeNearest output', outWidth, outHeight, 1, outWidth * outHeight);
  const out = new Uint8Array(outWidth * outHeight);
  for (let y = 0; y < outHeight; y++) {
    const sy = Math.min(Math.floor(((y + 0.5) * height) / outHeight), height - 1);
    for (let x = 0; x < outWidth; x++) {
      const sx = Math.min(Math.floor(((x + 0.5) * width) / outWidth), width - 1);
      out[y * outWidth + x] = src[sy * width + sx]!;
    }
  }
  return out;
}

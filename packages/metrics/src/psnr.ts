import { assertSameShape, type HwcImage } from './image';

/** Options for {@link psnr}. */
export interface PsnrOptions {
  /**
   * Peak-to-peak range of the pixel values. Default 255: LSR evaluates saved 8-bit PNGs, and
   * skimage infers 255 from the uint8 dtype. Pass 1 (or 2) for float images in [0,1] ([-1,1]).
   */
  readonly dataRange?: number;
}

/**
 * Mean squared error over all pixels and all channels, accumulated in float64:
 * MSE = (1 / (H·W·C)) · Σ (a − b)².
 */
export function meanSquaredError(a: HwcImage, b: HwcImage): number {
  assertSameShape(a, b);
  let sum = 0;
  const n = a.data.length;
  for (let i = 0; i < n; i++) {
    const diff = a.data[i]! - b.data[i]!;
    sum += diff * diff;
  }
  return sum / n;
}

/**
 * Peak signal-to-noise ratio, pinned to the definition LSR evaluates with
 * (`skimage.metrics.peak_signal_noise_ratio(real_uint8, fake_uint8)`, docs/design.md#metric-psnr):
 *
 *   PSNR = 10 · log10(R² / MSE),  R = data range (255 for uint8 RGB),
 *
 * with one MSE over every pixel and channel of the image (not a per-channel average). Identical
 * images have MSE 0 and PSNR = +Infinity (skimage returns `inf` with a divide warning); callers
 * that average over a test set should decide how to treat that case explicitly. Argument order
 * does not matter: the formula is symmetric.
 */
export function psnr(a: HwcImage, b: HwcImage, options: PsnrOptions = {}): number {
  const dataRange = options.dataRange ?? 255;
  if (!(dataRange > 0) || !Number.isFinite(dataRange)) {
    throw new Error(`psnr: dataRange must be a positive finite number, got ${dataRange}`);
  }
  const mse = meanSquaredError(a, b);
  if (mse === 0) return Number.POSITIVE_INFINITY;
  return 10 * Math.log10((dataRange * dataRange) / mse);
}

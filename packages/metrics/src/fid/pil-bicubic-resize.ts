import { assertHwcImage, type HwcImage } from '../image';

/**
 * Pillow's `Image.resize(size)` for 8-bit images with its default filter since Pillow 7
 * (BICUBIC), re-implemented from the algorithm in Pillow's `Resample.c`:
 *
 * - a separable convolution, horizontal pass first, then vertical;
 * - kernel: Keys' cubic with a = −0.5, support 2 input pixels, stretched by the scale factor when
 *   downsampling (antialiasing) and not when upsampling;
 * - output pixel xx samples around centre (xx + 0.5)·in/out in input coordinates, with the taps
 *   clipped to the image and their weights renormalised to sum to 1;
 * - weights are rounded to fixed point (2^22), accumulated in integers starting from 2^21 (round
 *   half up) and clipped to 0..255 after each pass, so the intermediate image is 8-bit too.
 *
 * FID as LSR computes it resizes 224 → 299 this way before Inception (docs/design.md#metric-fid).
 */
const PRECISION_BITS = 22;
const ONE = 2 ** PRECISION_BITS;

/** Keys' cubic convolution kernel with a = −0.5 (Pillow's `bicubic_filter`). */
export function bicubicKernel(x: number): number {
  const a = -0.5;
  const t = Math.abs(x);
  if (t < 1) return ((a + 2) * t - (a + 3)) * t * t + 1;
  if (t < 2) return (((t - 5) * t + 8) * t - 4) * a;
  return 0;
}

/** Per output index: first input index, number of taps, fixed-point weights (stride `size`). */
export interface ResampleTaps {
  readonly first: Int32Array;
  readonly count: Int32Array;
  readonly size: number;
  readonly weights: Int32Array;
}

/** Pillow's `precompute_coeffs` + `normalize_coeffs_8bpc` for one axis. */
export function pillowBicubicTaps(inSize: number, outSize: number): ResampleTaps {
  const scale = inSize / outSize;
  const filterScale = Math.max(scale, 1);
  const support = 2 * filterScale;
  const size = Math.ceil(support) * 2 + 1;
  const first = new Int32Array(outSize);
  const count = new Int32Array(outSize);
  const weights = new Int32Array(outSize * size);
  const w = new Float64Array(size);
  for (let xx = 0; xx < outSize; xx++) {
    const center = (xx + 0.5) * scale;
    // C's (int) cast truncates toward zero; Pillow clamps afterwards.
    const xmin = Math.max(Math.trunc(center - support + 0.5), 0);
    const n = Math.min(Math.trunc(center + support + 0.5), inSize) - xmin;
    let total = 0;
    for (let x = 0; x < n; x++) {
      w[x] = bicubicKernel((x + xmin - center + 0.5) / filterScale);
      total += w[x]!;
    }
    for (let x = 0; x < n; x++) {
      const v = total !== 0 ? w[x]! / total : w[x]!;
      weights[xx * size + x] = Math.trunc(v < 0 ? -0.5 + v * ONE : 0.5 + v * ONE);
    }
    first[xx] = xmin;
    count[xx] = n;
  }
  return { first, count, size, weights };
}

/** Pillow's `clip8`: fixed-point accumulator → 0..255. */
function clip8(acc: number): number {
  if (acc >= ONE * 256) return 255;
  if (acc <= 0) return 0;
  return Math.floor(acc / ONE);
}

/**
 * One 8-bit pass along an axis of an H x W x C image: `outer` lines of `inLen` samples at stride
 * `step`, lines `lineStride` apart in the input; output laid out the same way with `outLen`.
 */
function resamplePass(
  src: ArrayLike<number>,
  dims: { lines: number; channels: number },
  geometry: { inStep: number; inLine: number; outStep: number; outLine: number },
  taps: ResampleTaps,
  out: Uint8Array,
): void {
  const { lines, channels } = dims;
  const outLen = taps.count.length;
  for (let line = 0; line < lines; line++) {
    for (let o = 0; o < outLen; o++) {
      const first = taps.first[o]!;
      const n = taps.count[o]!;
      const k = o * taps.size;
      for (let c = 0; c < channels; c++) {
        let acc = ONE / 2;
        let p = line * geometry.inLine + first * geometry.inStep + c;
        for (let t = 0; t < n; t++, p += geometry.inStep) acc += src[p]! * taps.weights[k + t]!;
        out[line * geometry.outLine + o * geometry.outStep + c] = clip8(acc);
      }
    }
  }
}

/** Resizes an 8-bit HWC image to `outHeight` x `outWidth` exactly as Pillow's BICUBIC does. */
export function resizePilBicubic(image: HwcImage, outHeight: number, outWidth: number): HwcImage {
  assertHwcImage(image, 'resizePilBicubic');
  const { data, height, width, channels } = image;
  for (const [key, v] of [
    ['outHeight', outHeight],
    ['outWidth', outWidth],
  ] as const) {
    if (!Number.isInteger(v) || v <= 0)
      throw new Error(`resizePilBicubic: ${key} must be a positive integer, got ${v}`);
  }
  for (let i = 0; i < data.length; i++) {
    const v = data[i]!;
    if (!(Number.isInteger(v) && v >= 0 && v <= 255)) {
      throw new Error(
        `resizePilBicubic: expects 8-bit pixel values (integers 0..255), found ${v} at index ${i}`,
      );
    }
  }
  // Horizontal pass (Pillow's order): H lines of W pixels → H x outWidth.
  const mid = new Uint8Array(height * outWidth * channels);
  resamplePass(
    data,
    { lines: height, channels },
    { inStep: channels, inLine: width * channels, outStep: channels, outLine: outWidth * channels },
    pillowBicubicTaps(width, outWidth),
    mid,
  );
  // Vertical pass: outWidth columns of H pixels → outHeight x outWidth.
  const out = new Uint8Array(outHeight * outWidth * channels);
  resamplePass(
    mid,
    { lines: outWidth, channels },
    {
      inStep: outWidth * channels,
      inLine: channels,
      outStep: outWidth * channels,
      outLine: channels,
    },
    pillowBicubicTaps(height, outHeight),
    out,
  );
  return { data: out, height: outHeight, width: outWidth, channels };
}

/**
 * Separable "valid" 2-D correlation used by SSIM. skimage filters the whole image (scipy
 * `mode='reflect'`) and then crops (win−1)/2 pixels from every side of the SSIM map; the kernels
 * used here have radius exactly (win−1)/2, so every kept value comes from a window lying fully
 * inside the image and the border mode never matters. Computing only that valid region is
 * therefore identical and cheaper.
 */

/** 1-D box kernel of `size` taps, each 1/size (scipy `uniform_filter`). */
export function boxKernel(size: number): Float64Array {
  if (!Number.isInteger(size) || size < 1 || size % 2 === 0) {
    throw new Error(`boxKernel: size must be a positive odd integer, got ${size}`);
  }
  return new Float64Array(size).fill(1 / size);
}

/**
 * 1-D Gaussian kernel as scipy `gaussian_filter` builds it: radius r = floor(truncate·σ + 0.5),
 * taps exp(−x²/(2σ²)) for x = −r..r, normalised to sum 1. σ = 1.5 with truncate 3.5 gives the
 * 11 taps of Wang et al. 2004.
 */
export function gaussianKernel(sigma: number, truncate: number): Float64Array {
  if (!(sigma > 0) || !(truncate > 0)) {
    throw new Error(`gaussianKernel: sigma and truncate must be positive (${sigma}, ${truncate})`);
  }
  const radius = Math.floor(truncate * sigma + 0.5);
  const taps = new Float64Array(2 * radius + 1);
  let sum = 0;
  for (let x = -radius; x <= radius; x++) {
    const w = Math.exp((-0.5 * x * x) / (sigma * sigma));
    taps[x + radius] = w;
    sum += w;
  }
  for (let i = 0; i < taps.length; i++) taps[i]! /= sum;
  return taps;
}

/**
 * Correlates an H x W plane with kernel ⊗ kernel and keeps only positions whose window lies fully
 * inside: the result is (H−k+1) x (W−k+1), row-major. Horizontal pass first, then vertical.
 */
export function separableValidFilter(
  plane: Float64Array,
  height: number,
  width: number,
  kernel: Float64Array,
): Float64Array {
  const k = kernel.length;
  const outH = height - k + 1;
  const outW = width - k + 1;
  if (outH < 1 || outW < 1) {
    throw new Error(`filter window ${k}x${k} is larger than the ${height}x${width} image`);
  }
  const rows = new Float64Array(height * outW);
  for (let y = 0; y < height; y++) {
    const src = y * width;
    const dst = y * outW;
    for (let x = 0; x < outW; x++) {
      let acc = 0;
      for (let t = 0; t < k; t++) acc += kernel[t]! * plane[src + x + t]!;
      rows[dst + x] = acc;
    }
  }
  const out = new Float64Array(outH * outW);
  for (let y = 0; y < outH; y++) {
    const dst = y * outW;
    for (let t = 0; t < k; t++) {
      const w = kernel[t]!;
      const src = (y + t) * outW;
      for (let x = 0; x < outW; x++) out[dst + x]! += w * rows[src + x]!;
    }
  }
  return out;
}

/**
 * In-place radix-2 complex FFT over split real/imaginary arrays, and its 2-D form for square
 * power-of-two grids (the detector works on 32×32 tiles). Forward uses e^{-2πi·kn/N}; the inverse
 * is unnormalised (callers divide by N where they need to).
 */

function assertPowerOfTwo(n: number, where: string): void {
  if (n < 1 || (n & (n - 1)) !== 0) throw new Error(`${where}: size ${n} is not a power of two`);
}

/** 1-D FFT of `n` values at `re[offset + k·stride]`, `im[...]`. */
function fft1d(
  re: Float64Array,
  im: Float64Array,
  n: number,
  offset: number,
  stride: number,
  inverse: boolean,
): void {
  // bit-reversal permutation
  for (let i = 1, j = 0; i < n; i++) {
    let bit = n >> 1;
    for (; j & bit; bit >>= 1) j ^= bit;
    j ^= bit;
    if (i < j) {
      const a = offset + i * stride;
      const b = offset + j * stride;
      const tr = re[a]!;
      re[a] = re[b]!;
      re[b] = tr;
      const ti = im[a]!;
      im[a] = im[b]!;
      im[b] = ti;
    }
  }
  const sign = inverse ? 1 : -1;
  for (let len = 2; len <= n; len <<= 1) {
    const angle = (sign * 2 * Math.PI) / len;
    const wr = Math.cos(angle);
    const wi = Math.sin(angle);
    for (let start = 0; start < n; start += len) {
      let cr = 1;
      let ci = 0;
      for (let k = 0; k < len / 2; k++) {
        const a = offset + (start + k) * stride;
        const b = offset + (start + k + len / 2) * stride;
        const xr = re[b]! * cr - im[b]! * ci;
        const xi = re[b]! * ci + im[b]! * cr;
        re[b] = re[a]! - xr;
        im[b] = im[a]! - xi;
        re[a] = re[a]! + xr;
        im[a] = im[a]! + xi;
        const nr = cr * wr - ci * wi;
        ci = cr * wi + ci * wr;
        cr = nr;
      }
    }
  }
}

/** In-place 2-D FFT of an n×n grid stored row-major (index y·n + x). */
export function fft2d(re: Float64Array, im: Float64Array, n: number, inverse = false): void {
  assertPowerOfTwo(n, 'fft2d');
  if (re.length !== n * n || im.length !== n * n)
    throw new Error(`fft2d: expected ${n * n} values, got ${re.length} and ${im.length}`);
  for (let y = 0; y < n; y++) fft1d(re, im, n, y * n, 1, inverse);
  for (let x = 0; x < n; x++) fft1d(re, im, n, x, n, inverse);
}

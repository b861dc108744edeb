import { describe, expect, it } from 'vitest';
import { fft2d } from './fft';

/** Direct O(n⁴) DFT: the independent reference. */
function dft2d(re: Float64Array, im: Float64Array, n: number) {
  const outRe = new Float64Array(n * n);
  const outIm = new Float64Array(n * n);
  for (let v = 0; v < n; v++)
    for (let u = 0; u < n; u++) {
      let sr = 0;
      let si = 0;
      for (let y = 0; y < n; y++)
        for (let x = 0; x < n; x++) {
          const a = (-2 * Math.PI * (u * x + v * y)) / n;
          const r = re[y * n + x]!;
          const i = im[y * n + x]!;
          sr += r * Math.cos(a) - i * Math.sin(a);
          si += r * Math.sin(a) + i * Math.cos(a);
        }
      outRe[v * n + u] = sr;
      outIm[v * n + u] = si;
    }
  return { outRe, outIm };
}

describe('fft2d', () => {
  it('matches the direct DFT and inverts (÷n²)', () => {
    const n = 8;
    const re = Float64Array.from({ length: n * n }, (_, i) => Math.sin(i * 1.7) + (i % 5));
    const im = Float64Array.from({ length: n * n }, (_, i) => Math.cos(i * 0.3));
    const { outRe, outIm } = dft2d(re, im, n);
    const fr = re.slice();
    const fi = im.slice();
    fft2d(fr, fi, n);
    for (let k = 0; k < n * n; k++) {
      expect(fr[k]).toBeCloseTo(outRe[k]!, 9);
      expect(fi[k]).toBeCloseTo(outIm[k]!, 9);
    }
    fft2d(fr, fi, n, true);
    for (let k = 0; k < n * n; k++) {
      expect(fr[k]! / (n * n)).toBeCloseTo(re[k]!, 12);
      expect(fi[k]! / (n * n)).toBeCloseTo(im[k]!, 12);
    }
  });
  it('refuses sizes that are not powers of two', () => {
    expect(() => fft2d(new Float64Array(36), new Float64Array(36), 6)).toThrow(
      /not a power of two/,
    );
  });
});

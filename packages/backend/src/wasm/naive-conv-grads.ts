/**
 * Test reference: the two conv2d gradients by their defining sums, in plain loops over NHWC
 * arrays (no tfjs), with strides, dilations and explicit padding. Slow; for small shapes only.
 *
 *   y[n,oh,ow,co] = Σ x[n, oh·sh + kh·dh − top, ow·sw + kw·dw − left, ci] · w[kh,kw,ci,co]
 * so each (output, tap) pair adds dy·w to dx and x·dy to dW.
 */
export interface NaiveConvGeometry {
  x: [number, number, number, number];
  w: [number, number, number, number];
  dy: [number, number, number, number];
  strides: [number, number];
  dilations: [number, number];
  top: number;
  left: number;
}

export function naiveConvGrads(
  g: NaiveConvGeometry,
  x: Float32Array,
  w: Float32Array,
  dy: Float32Array,
): { dx: Float64Array; dw: Float64Array } {
  const [n, h, wd, ci] = g.x;
  const [kh, kw, , co] = g.w;
  const [, oh, ow] = g.dy;
  const dx = new Float64Array(x.length);
  const dw = new Float64Array(w.length);
  for (let b = 0; b < n; b++) {
    for (let i = 0; i < oh; i++) {
      for (let j = 0; j < ow; j++) {
        for (let a = 0; a < kh; a++) {
          const r = i * g.strides[0] + a * g.dilations[0] - g.top;
          if (r < 0 || r >= h) continue;
          for (let c = 0; c < kw; c++) {
            const s = j * g.strides[1] + c * g.dilations[1] - g.left;
            if (s < 0 || s >= wd) continue;
            for (let p = 0; p < ci; p++) {
              const xi = ((b * h + r) * wd + s) * ci + p;
              for (let q = 0; q < co; q++) {
                const d = dy[((b * oh + i) * ow + j) * co + q]!;
                const wi = ((a * kw + c) * ci + p) * co + q;
                dx[xi]! += d * w[wi]!;
                dw[wi]! += d * x[xi]!;
              }
            }
          }
        }
      }
    }
  }
  return { dx, dw };
}

/** max |a − b| / max |b|: the error relative to the reference's scale. */
export function relativeMaxError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length)
    throw new Error(`relativeMaxError: lengths ${a.length} and ${b.length}`);
  let diff = 0;
  let scale = 0;
  for (let i = 0; i < a.length; i++) {
    diff = Math.max(diff, Math.abs(a[i]! - b[i]!));
    scale = Math.max(scale, Math.abs(b[i]!));
  }
  if (Number.isNaN(diff)) return Number.POSITIVE_INFINITY;
  return scale === 0 ? diff : diff / scale;
}

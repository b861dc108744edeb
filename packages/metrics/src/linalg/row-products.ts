/**
 * Z = X Yᵀ for row-major X (rx x d) and Y (ry x d): Z[a, b] = x_a · y_b, every product a dot of
 * two contiguous rows. A 4 x 2 register tile (four rows of X against two rows of Y, eight
 * independent sums) makes each loaded value feed several multiply-adds; at FID size (d = 2048)
 * this keeps covariance and similarity products compute-bound rather than memory-bound in plain
 * JavaScript. With `symmetric` (the result is known to be symmetric, e.g. X = Y, or X = Bᵀ S and
 * Y = Bᵀ for symmetric S) only b ≥ a is computed and mirrored, halving the work.
 */
export function multiplyRowsByRows(
  x: Float64Array,
  rx: number,
  y: Float64Array,
  ry: number,
  d: number,
  symmetric = false,
): Float64Array {
  if (x.length < rx * d || y.length < ry * d) {
    throw new Error(`multiplyRowsByRows: inputs smaller than ${rx}x${d} and ${ry}x${d}`);
  }
  if (symmetric && rx !== ry) throw new Error('multiplyRowsByRows: symmetric needs rx === ry');
  const z = new Float64Array(rx * ry);
  const store = (a: number, b: number, value: number) => {
    if (a >= rx || b >= ry || (symmetric && b < a)) return;
    z[a * ry + b] = value;
    if (symmetric) z[b * ry + a] = value;
  };
  for (let a0 = 0; a0 < rx; a0 += 4) {
    // Rows past the end alias the first row of the tile; their sums are discarded by store().
    const o0 = a0 * d;
    const o1 = a0 + 1 < rx ? o0 + d : o0;
    const o2 = a0 + 2 < rx ? o0 + 2 * d : o0;
    const o3 = a0 + 3 < rx ? o0 + 3 * d : o0;
    const bStart = symmetric ? a0 - (a0 % 2) : 0;
    for (let b = bStart; b < ry; b += 2) {
      const p = b * d;
      const q = b + 1 < ry ? p + d : p;
      let s00 = 0,
        s01 = 0,
        s10 = 0,
        s11 = 0,
        s20 = 0,
        s21 = 0,
        s30 = 0,
        s31 = 0;
      for (let k = 0; k < d; k++) {
        const y0 = y[p + k]!;
        const y1 = y[q + k]!;
        const x0 = x[o0 + k]!;
        const x1 = x[o1 + k]!;
        const x2 = x[o2 + k]!;
        const x3 = x[o3 + k]!;
        s00 += x0 * y0;
        s01 += x0 * y1;
        s10 += x1 * y0;
        s11 += x1 * y1;
        s20 += x2 * y0;
        s21 += x2 * y1;
        s30 += x3 * y0;
        s31 += x3 * y1;
      }
      store(a0, b, s00);
      store(a0, b + 1, s01);
      store(a0 + 1, b, s10);
      store(a0 + 1, b + 1, s11);
      store(a0 + 2, b, s20);
      store(a0 + 2, b + 1, s21);
      store(a0 + 3, b, s30);
      store(a0 + 3, b + 1, s31);
    }
  }
  return z;
}

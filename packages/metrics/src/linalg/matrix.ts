/** Helpers to accept square matrices as flat row-major arrays or arrays of rows. */

/** A d x d matrix: flat row-major (length d²) or d rows of length d. */
export type SquareMatrixInput = ArrayLike<number> | readonly ArrayLike<number>[];

/** Copies `m` into a row-major Float64Array of size d x d, checking shape and finiteness. */
export function toSquareMatrix(m: SquareMatrixInput, d: number, label: string): Float64Array {
  const out = new Float64Array(d * d);
  const first = (m as ArrayLike<unknown>)[0];
  if (d > 0 && typeof first === 'object' && first !== null) {
    const rows = m as readonly ArrayLike<number>[];
    if (rows.length !== d) throw new Error(`${label}: expected ${d} rows, got ${rows.length}`);
    rows.forEach((row, i) => {
      if (row.length !== d) {
        throw new Error(`${label}: row ${i} has ${row.length} entries, expected ${d}`);
      }
      for (let j = 0; j < d; j++) out[i * d + j] = row[j]!;
    });
  } else {
    const flat = m as ArrayLike<number>;
    if (flat.length !== d * d) {
      throw new Error(`${label}: expected ${d}x${d} = ${d * d} values, got ${flat.length}`);
    }
    for (let i = 0; i < d * d; i++) out[i] = flat[i]!;
  }
  for (let i = 0; i < out.length; i++) {
    if (!Number.isFinite(out[i]!)) {
      throw new Error(`${label}: entry (${Math.floor(i / d)}, ${i % d}) is not finite`);
    }
  }
  return out;
}

/**
 * Throws if `m` is not symmetric up to `relTol` times its largest |entry|, then replaces it by
 * (M + Mᵀ)/2 so later steps see exact symmetry (sample covariances are symmetric only up to
 * rounding when accumulated in a different order).
 */
export function symmetrize(m: Float64Array, d: number, label: string, relTol = 1e-8): void {
  let scale = 0;
  for (let i = 0; i < m.length; i++) scale = Math.max(scale, Math.abs(m[i]!));
  for (let i = 0; i < d; i++) {
    for (let j = i + 1; j < d; j++) {
      const a = m[i * d + j]!;
      const b = m[j * d + i]!;
      if (Math.abs(a - b) > relTol * scale) {
        throw new Error(
          `${label} is not symmetric: entry (${i}, ${j}) = ${a} but (${j}, ${i}) = ${b}`,
        );
      }
      const mean = (a + b) / 2;
      m[i * d + j] = mean;
      m[j * d + i] = mean;
    }
  }
}

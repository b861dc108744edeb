/**
 * Eigenvalues (and optionally eigenvectors) of a symmetric tridiagonal matrix by the implicit QL
 * algorithm with Wilkinson-style shifts (Bowdler, Martin, Reinsch & Wilkinson 1968, the EISPACK
 * tql1/tql2 scheme). Each sweep chases a bulge from the bottom of an unreduced block to its top
 * with Givens rotations. An off-diagonal is treated as zero once |e_m| ≤ ε‖T‖∞ (ε = 2⁻⁵²), the
 * EISPACK-style test relative to the whole matrix. The purely local test ε(|d_m| + |d_{m+1}|)
 * stalls on clusters of eigenvalues at rounding level (singular covariances: FID with fewer images
 * than the 2048 feature dimensions), because there the local diagonal is itself noise.
 */

const EPS = 2 ** -52;
const MAX_SWEEPS_PER_VALUE = 64;

/**
 * Diagonalises T in place: on return `diag` holds the eigenvalues (unsorted) and `offDiag` is
 * destroyed. If `rows` (n x n row-major) is given, the rotations are applied to its rows i, i+1,
 * so passing Qᵀ from the Householder step returns the eigenvectors of A as rows.
 */
export function tridiagonalQl(
  diag: Float64Array,
  offDiag: Float64Array,
  rows?: Float64Array,
): void {
  const n = diag.length;
  const d = diag;
  const e = offDiag;
  let normT = 0;
  for (let i = 0; i < n; i++) {
    const row = Math.abs(d[i]!) + Math.abs(e[i]!) + (i > 0 ? Math.abs(e[i - 1]!) : 0);
    normT = Math.max(normT, row);
  }
  const negligible = EPS * normT;
  for (let l = 0; l < n; l++) {
    let sweeps = 0;
    for (;;) {
      let m = l;
      while (m < n - 1 && Math.abs(e[m]!) > negligible) m++;
      if (m === l) break;
      if (++sweeps > MAX_SWEEPS_PER_VALUE) {
        throw new Error(`tridiagonalQl: no convergence for eigenvalue ${l} of ${n}`);
      }
      // Shift: eigenvalue of the leading 2x2 block closer to d_l.
      let g = (d[l + 1]! - d[l]!) / (2 * e[l]!);
      let r = Math.hypot(g, 1);
      g = d[m]! - d[l]! + e[l]! / (g + (g >= 0 ? r : -r));
      let s = 1;
      let c = 1;
      let p = 0;
      let deflatedEarly = false;
      for (let i = m - 1; i >= l; i--) {
        const f = s * e[i]!;
        const b = c * e[i]!;
        r = Math.hypot(f, g);
        e[i + 1] = r;
        if (r === 0) {
          // The rotation vanished: the block split at i+1; restart the search.
          d[i + 1]! -= p;
          e[m] = 0;
          deflatedEarly = true;
          break;
        }
        s = f / r;
        c = g / r;
        g = d[i + 1]! - p;
        r = (d[i]! - g) * s + 2 * c * b;
        p = s * r;
        d[i + 1] = g + p;
        g = c * r - b;
        if (rows) rotateRows(rows, n, i, c, s);
      }
      if (deflatedEarly) continue;
      d[l]! -= p;
      e[l] = g;
      e[m] = 0;
    }
  }
}

/**
 * rows[i] ← c·rows[i] − s·rows[i+1]; rows[i+1] ← s·rows[i] + c·rows[i+1]. Applied per rotation
 * over whole rows: blocking a sweep's rotations by columns was measured slower at n = 2048
 * (power-of-two row strides make the blocks collide in cache).
 */
function rotateRows(rows: Float64Array, n: number, i: number, c: number, s: number): void {
  const a = i * n;
  const b = a + n;
  for (let k = 0; k < n; k++) {
    const lower = rows[b + k]!;
    const upper = rows[a + k]!;
    rows[b + k] = s * upper + c * lower;
    rows[a + k] = c * upper - s * lower;
  }
}

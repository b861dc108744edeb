/**
 * Householder reduction of a real symmetric matrix to tridiagonal form, A = Q T Qᵀ
 * (Golub & Van Loan, "Matrix Computations", §8.3.1). Step k builds a reflector
 * H_k = I − β v vᵀ that zeroes column k below the sub-diagonal and applies it from both sides to
 * the trailing block as one symmetric rank-2 update (B ← B − v wᵀ − w vᵀ, w = p − (β vᵀp / 2) v,
 * p = β B v), so each step costs O(m²) and the whole reduction (4/3)n³ flops. Q = H_0 … H_{n−3} is
 * accumulated backwards, which touches only the shrinking trailing block. Everything is float64,
 * row-major, with row-contiguous inner loops; only the lower triangle is read, so an input whose
 * upper triangle differs slightly (rounding) is treated as its lower triangle mirrored.
 */

export interface Tridiagonal {
  /** Diagonal of T, length n. */
  readonly diag: Float64Array;
  /** Sub-diagonal of T: offDiag[i] couples i and i+1; length n, last entry 0. */
  readonly offDiag: Float64Array;
  /** Qᵀ row-major (row i = column i of Q) when requested, else undefined. */
  readonly qTransposed: Float64Array | undefined;
}

/** Reduces the symmetric n x n row-major matrix `a` (not modified) to tridiagonal form. */
export function householderTridiagonalize(a: Float64Array, n: number, wantQ: boolean): Tridiagonal {
  // Only the lower triangle of w is kept up to date (half the memory traffic of a full update);
  // the strictly upper part of row k stores the reflector v_k for the Q accumulation.
  const w = Float64Array.from(a);
  const diag = new Float64Array(n);
  const offDiag = new Float64Array(n);
  const betas = new Float64Array(n);
  const v = new Float64Array(n);
  const p = new Float64Array(n);
  for (let k = 0; k + 2 < n; k++) {
    const row = k * n;
    const start = k + 1;
    diag[k] = w[row + k]!;
    // x = column k below the diagonal (lower triangle).
    const x0 = w[start * n + k]!;
    let tailNorm2 = 0;
    for (let j = k + 2; j < n; j++) tailNorm2 += w[j * n + k]! * w[j * n + k]!;
    if (tailNorm2 === 0) {
      // Already tridiagonal in this column: identity reflector.
      offDiag[k] = x0;
      betas[k] = 0;
      continue;
    }
    const norm = Math.sqrt(x0 * x0 + tailNorm2);
    const alpha = x0 >= 0 ? -norm : norm; // sign chosen so v0 = x0 − alpha never cancels
    v[start] = x0 - alpha;
    for (let j = k + 2; j < n; j++) v[j] = w[j * n + k]!;
    for (let j = start; j < n; j++) w[row + j] = v[j]!;
    const beta = 1 / (norm * Math.abs(v[start]!)); // 2 / (vᵀv), since vᵀv = 2·norm·|v0|
    betas[k] = beta;
    offDiag[k] = alpha;
    // p = B v from the lower triangle: row i contributes B_ij v_j to p_i and B_ij v_i to p_j.
    p.fill(0, start, n);
    for (let i = start; i < n; i++) {
      const bi = i * n;
      const vi = v[i]!;
      let acc = w[bi + i]! * vi;
      for (let j = start; j < i; j++) {
        const b = w[bi + j]!;
        acc += b * v[j]!;
        p[j]! += b * vi;
      }
      p[i]! += acc;
    }
    let vp = 0;
    for (let i = start; i < n; i++) {
      p[i]! *= beta;
      vp += v[i]! * p[i]!;
    }
    const kScale = (beta * vp) / 2;
    for (let i = start; i < n; i++) p[i]! -= kScale * v[i]!; // p now holds w = p − K v
    for (let i = start; i < n; i++) {
      const bi = i * n;
      const vi = v[i]!;
      const wi = p[i]!;
      for (let j = start; j <= i; j++) w[bi + j]! -= vi * p[j]! + wi * v[j]!;
    }
  }
  if (n >= 2) {
    diag[n - 2] = w[(n - 2) * n + n - 2]!;
    offDiag[n - 2] = w[(n - 1) * n + n - 2]!;
  }
  diag[n - 1] = w[(n - 1) * n + n - 1]!;
  offDiag[n - 1] = 0;
  return { diag, offDiag, qTransposed: wantQ ? accumulateQTransposed(w, betas, n) : undefined };
}

/**
 * Forms Q = H_0 … H_{n−3} backwards (Q ← H_k Q), then returns Qᵀ for row-wise rotations.
 * Reflectors are applied two at a time: with u = v_{k−1}, v = v_k,
 * H_{k−1} H_k Q = Q − β_k v r_vᵀ − β_{k−1} u (r_u − β_k (uᵀv) r_v)ᵀ, r_v = Qᵀv, r_u = Qᵀu,
 * so one read pass and one update pass over the block serve two reflectors (half the traffic).
 */
function accumulateQTransposed(w: Float64Array, betas: Float64Array, n: number): Float64Array {
  const q = new Float64Array(n * n);
  for (let i = 0; i < n; i++) q[i * n + i] = 1;
  const rv = new Float64Array(n);
  const ru = new Float64Array(n);
  for (let k = n - 3; k >= 0; k -= 2) {
    // v = v_k lives in row k from column k+1; u = v_{k−1} in row k−1 from column k (if k ≥ 1).
    const hasPair = k >= 1;
    const start = hasPair ? k : k + 1;
    const bv = betas[k]!;
    const bu = hasPair ? betas[k - 1]! : 0;
    if (bv === 0 && bu === 0) continue;
    const vRow = k * n;
    const uRow = (k - 1) * n;
    const vAt = (i: number) => (i > k && bv !== 0 ? w[vRow + i]! : 0);
    const uAt = (i: number) => (hasPair && bu !== 0 ? w[uRow + i]! : 0);
    rv.fill(0, start, n);
    ru.fill(0, start, n);
    let uv = 0;
    for (let i = start; i < n; i++) {
      const vi = vAt(i);
      const ui = uAt(i);
      uv += ui * vi;
      const qi = i * n;
      for (let j = start; j < n; j++) {
        const qij = q[qi + j]!;
        rv[j]! += vi * qij;
        ru[j]! += ui * qij;
      }
    }
    for (let j = start; j < n; j++) ru[j] = bu * (ru[j]! - bv * uv * rv[j]!);
    for (let i = start; i < n; i++) {
      const vi = bv * vAt(i);
      const ui = uAt(i);
      const qi = i * n;
      for (let j = start; j < n; j++) q[qi + j]! -= vi * rv[j]! + ui * ru[j]!;
    }
  }
  const qt = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) qt[j * n + i] = q[i * n + j]!;
  return qt;
}

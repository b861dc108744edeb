import { type SquareMatrixInput, symmetrize, toSquareMatrix } from './linalg/matrix';
import { multiplyRowsByRows } from './linalg/row-products';
import { symmetricEigen } from './linalg/symmetric-eigen';

/**
 * Fréchet distance between N(μ1, Σ1) and N(μ2, Σ2) (Dowson & Landau 1982; FID, Heusel et al. 2017):
 *
 *   d² = ‖μ1 − μ2‖² + Tr(Σ1) + Tr(Σ2) − 2 Tr((Σ1 Σ2)^{1/2}).
 *
 * The trace term is computed the way TF-GAN does, stably and in float64: with A = Σ1^{1/2},
 * Σ1 Σ2 is similar to A Σ2 A, which is symmetric positive semi-definite, so
 * Tr((Σ1 Σ2)^{1/2}) = Σ_i sqrt(λ_i(A Σ2 A)). Here Σ1 = V Λ Vᵀ by a symmetric eigen-decomposition
 * and, with B = V Λ^{1/2}, Bᵀ Σ2 B = Vᵀ (A Σ2 A) V has the same eigenvalues, saving a product.
 * Eigenvalues of Σ1 and of Bᵀ Σ2 B within rounding noise of zero (|λ| ≤ n·ε·λ_max, which covers
 * the slightly negative ones of singular covariances, e.g. fewer samples than dimensions) are
 * set to exactly 0. Unlike scipy's general
 * `sqrtm`, this never produces complex parts. Returns the squared distance, as FID reports it.
 */
export function frechetDistance(
  mu1: ArrayLike<number>,
  sigma1: SquareMatrixInput,
  mu2: ArrayLike<number>,
  sigma2: SquareMatrixInput,
): number {
  const d = mu1.length;
  if (d < 1) throw new Error('frechetDistance: mean vectors are empty');
  if (mu2.length !== d) {
    throw new Error(`frechetDistance: mean dimensions differ (${d} vs ${mu2.length})`);
  }
  const s1 = toSquareMatrix(sigma1, d, 'sigma1');
  const s2 = toSquareMatrix(sigma2, d, 'sigma2');
  symmetrize(s1, d, 'sigma1');
  symmetrize(s2, d, 'sigma2');
  let meanTerm = 0;
  let traces = 0;
  for (let i = 0; i < d; i++) {
    const diff = mu1[i]! - mu2[i]!;
    meanTerm += diff * diff;
    traces += s1[i * d + i]! + s2[i * d + i]!;
  }
  if (!Number.isFinite(meanTerm)) throw new Error('frechetDistance: mean vectors are not finite');
  return meanTerm + traces - 2 * traceSqrtProduct(s1, s2, d);
}

/** Tr((Σ1 Σ2)^{1/2}) via the eigenvalues of Bᵀ Σ2 B, B = V Λ^{1/2} from Σ1 = V Λ Vᵀ. */
export function traceSqrtProduct(s1: Float64Array, s2: Float64Array, d: number): number {
  const { values, vectors } = symmetricEigen(s1, d, { vectors: true });
  // Row i of bt is column i of B: sqrt(max(λ_i, 0)) · v_i. Zero rows are skipped below.
  const bt = vectors!;
  const active: number[] = [];
  const floor1 = noiseFloor(values, d);
  for (let i = 0; i < d; i++) {
    if (values[i]! <= floor1) continue;
    const scale = Math.sqrt(values[i]!);
    active.push(i);
    for (let k = 0; k < d; k++) bt[i * d + k]! *= scale;
  }
  const r = active.length;
  if (r === 0) return 0;
  const bActive = new Float64Array(r * d);
  active.forEach((i, a) => {
    bActive.set(bt.subarray(i * d, i * d + d), a * d);
  });
  // P = Bᵀ Σ2 (r x d): P[a, j] = b_a · (row j of Σ2), using Σ2's symmetry to read rows.
  const p = multiplyRowsByRows(bActive, r, s2, d, d);
  // M = P B = Bᵀ Σ2 B (r x r, symmetric): M[a, b] = p_a · b_b.
  const m = multiplyRowsByRows(p, r, bActive, r, d, true);
  const eig = symmetricEigen(m, r, { vectors: false });
  const floor2 = noiseFloor(eig.values, r);
  let trace = 0;
  for (let i = 0; i < r; i++) if (eig.values[i]! > floor2) trace += Math.sqrt(eig.values[i]!);
  return trace;
}

/**
 * Eigenvalues at or below n·ε·λ_max are indistinguishable from rounding noise (a backward-stable
 * eigensolver perturbs every eigenvalue by about that much). Treating them as exact zeros keeps
 * their square roots, ~sqrt(ε) times larger than the noise itself, out of the trace.
 */
function noiseFloor(values: Float64Array, n: number): number {
  let largest = 0;
  for (let i = 0; i < values.length; i++) largest = Math.max(largest, Math.abs(values[i]!));
  return n * Number.EPSILON * largest;
}

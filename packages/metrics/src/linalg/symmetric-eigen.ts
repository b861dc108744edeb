import { householderTridiagonalize } from './householder';
import { tridiagonalQl } from './tridiagonal-ql';

/** Eigen-decomposition A = V diag(values) Vᵀ of a real symmetric matrix. */
export interface SymmetricEigen {
  /** Eigenvalues in ascending order. */
  readonly values: Float64Array;
  /** n x n row-major; row j is the unit eigenvector of values[j]. Absent if not requested. */
  readonly vectors: Float64Array | undefined;
}

/**
 * Symmetric eigen-decomposition in float64: Householder tridiagonalisation followed by implicit
 * QL (see householder.ts and tridiagonal-ql.ts). Eigenvalues only costs ≈ (4/3)n³ flops; with
 * vectors roughly 3× more. Only the lower/upper symmetry of `a` is assumed, not checked here.
 */
export function symmetricEigen(
  a: Float64Array,
  n: number,
  options: { vectors: boolean },
): SymmetricEigen {
  if (!Number.isInteger(n) || n < 1 || a.length !== n * n) {
    throw new Error(
      `symmetricEigen: need an n x n matrix with n ≥ 1, got ${a.length} values, n=${n}`,
    );
  }
  const { diag, offDiag, qTransposed } = householderTridiagonalize(a, n, options.vectors);
  tridiagonalQl(diag, offDiag, qTransposed);
  const order = Array.from({ length: n }, (_, i) => i).sort((i, j) => diag[i]! - diag[j]!);
  const values = Float64Array.from(order, (i) => diag[i]!);
  if (!qTransposed) return { values, vectors: undefined };
  const vectors = new Float64Array(n * n);
  order.forEach((from, to) => {
    vectors.set(qTransposed.subarray(from * n, from * n + n), to * n);
  });
  return { values, vectors };
}

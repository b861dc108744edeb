import { multiplyRowsByRows } from './linalg/row-products';

/** Mean and covariance of a feature set, the sufficient statistics FID compares. */
export interface GaussianStats {
  /** Feature dimension d. */
  readonly dim: number;
  /** Number of samples n the statistics were computed from. */
  readonly count: number;
  readonly mean: Float64Array;
  /** d x d row-major unbiased covariance. */
  readonly covariance: Float64Array;
}

/** n samples of dimension d as a flat row-major array. */
export interface FeatureMatrix {
  readonly data: ArrayLike<number>;
  readonly rows: number;
  readonly cols: number;
}

/**
 * Sample mean μ = (1/n) Σ x_k and unbiased covariance Σ = (1/(n−1)) Σ (x_k − μ)(x_k − μ)ᵀ
 * (numpy `np.cov(features, rowvar=False)`, as in TF-GAN and pytorch-fid), accumulated in float64
 * after centring (two passes, so large feature means do not cancel). Accepts one array per
 * sample or an n x d matrix. Costs n·d²/2 multiply-adds (only the upper triangle is summed) and
 * a d x n float64 copy of the centred data.
 */
export function gaussianStats(
  features: readonly ArrayLike<number>[] | FeatureMatrix,
): GaussianStats {
  const { rows: n, cols: d, row } = featureAccessor(features);
  if (n < 2) throw new Error(`gaussianStats: need at least 2 samples for a covariance, got ${n}`);
  if (d < 1) throw new Error('gaussianStats: features have dimension 0');
  const mean = new Float64Array(d);
  for (let k = 0; k < n; k++) {
    const x = row(k);
    for (let j = 0; j < d; j++) mean[j]! += x(j);
  }
  for (let j = 0; j < d; j++) mean[j]! /= n;
  // Centred data transposed to d x n, so covariance entry (i, j) is a dot product of two
  // contiguous rows (see row-products.ts for why that layout matters at d = 2048).
  const centredT = new Float64Array(d * n);
  for (let k = 0; k < n; k++) {
    const x = row(k);
    for (let j = 0; j < d; j++) {
      const v = x(j);
      if (!Number.isFinite(v)) throw new Error(`gaussianStats: sample ${k}, feature ${j} is ${v}`);
      centredT[j * n + k] = v - mean[j]!;
    }
  }
  const covariance = multiplyRowsByRows(centredT, d, centredT, d, n, true);
  for (let i = 0; i < covariance.length; i++) covariance[i]! /= n - 1;
  return { dim: d, count: n, mean, covariance };
}

function featureAccessor(features: readonly ArrayLike<number>[] | FeatureMatrix): {
  rows: number;
  cols: number;
  row: (k: number) => (j: number) => number;
} {
  if ('rows' in features && 'cols' in features && 'data' in features) {
    const { data, rows, cols } = features;
    if (data.length !== rows * cols) {
      throw new Error(
        `gaussianStats: matrix data has ${data.length} values, ${rows}x${cols} needs ${rows * cols}`,
      );
    }
    return { rows, cols, row: (k) => (j) => data[k * cols + j]! };
  }
  const list = features as readonly ArrayLike<number>[];
  const cols = list[0]?.length ?? 0;
  list.forEach((f, k) => {
    if (f.length !== cols)
      throw new Error(`gaussianStats: sample ${k} has ${f.length} features, sample 0 has ${cols}`);
  });
  return { rows: list.length, cols, row: (k) => (j) => list[k]![j]! };
}

import { describe, expect, it } from 'vitest';
import { symmetricEigen } from './symmetric-eigen';

function randomSymmetric(n: number, seed: number): Float64Array {
  let s = seed;
  const next = () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32 - 0.5;
  };
  const a = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = i; j < n; j++) {
      const v = next();
      a[i * n + j] = v;
      a[j * n + i] = v;
    }
  }
  return a;
}

/** max |A v − λ v| over all pairs, and max |VᵀV − I|, for a decomposition with vectors as rows. */
function residuals(a: Float64Array, n: number, values: Float64Array, vectors: Float64Array) {
  let eigen = 0;
  let ortho = 0;
  for (let p = 0; p < n; p++) {
    for (let i = 0; i < n; i++) {
      let av = 0;
      for (let k = 0; k < n; k++) av += a[i * n + k]! * vectors[p * n + k]!;
      eigen = Math.max(eigen, Math.abs(av - values[p]! * vectors[p * n + i]!));
    }
    for (let q = 0; q < n; q++) {
      let dot = 0;
      for (let k = 0; k < n; k++) dot += vectors[p * n + k]! * vectors[q * n + k]!;
      ortho = Math.max(ortho, Math.abs(dot - (p === q ? 1 : 0)));
    }
  }
  return { eigen, ortho };
}

describe('symmetricEigen', () => {
  it('finds the closed-form spectrum 2 − 2cos(kπ/(n+1)) of the 1-D Laplacian', () => {
    const n = 30;
    const a = new Float64Array(n * n);
    for (let i = 0; i < n; i++) {
      a[i * n + i] = 2;
      if (i + 1 < n) {
        a[i * n + i + 1] = -1;
        a[(i + 1) * n + i] = -1;
      }
    }
    const { values } = symmetricEigen(a, n, { vectors: false });
    for (let k = 1; k <= n; k++) {
      expect(values[k - 1]).toBeCloseTo(2 - 2 * Math.cos((k * Math.PI) / (n + 1)), 13);
    }
  });

  for (const n of [1, 2, 3, 7, 64]) {
    it(`decomposes a random symmetric ${n}x${n} matrix to rounding accuracy`, () => {
      const a = randomSymmetric(n, n * 31 + 1);
      const { values, vectors } = symmetricEigen(a, n, { vectors: true });
      const { eigen, ortho } = residuals(a, n, values, vectors!);
      expect(eigen).toBeLessThan(1e-12 * n);
      expect(ortho).toBeLessThan(1e-12 * n);
      let trace = 0;
      for (let i = 0; i < n; i++) trace += a[i * n + i]!;
      expect(values.reduce((s, v) => s + v, 0)).toBeCloseTo(trace, 11);
      for (let i = 1; i < n; i++) expect(values[i]).toBeGreaterThanOrEqual(values[i - 1]!);
      const valuesOnly = symmetricEigen(a, n, { vectors: false }).values;
      for (let i = 0; i < n; i++) expect(valuesOnly[i]).toBeCloseTo(values[i]!, 12);
    });
  }

  it('handles diagonal input and repeated eigenvalues (rank-deficient projector)', () => {
    const diag = Float64Array.from([3, 0, 0, 5]);
    const d = new Float64Array(16);
    diag.forEach((v, i) => {
      d[i * 4 + i] = v;
    });
    expect(Array.from(symmetricEigen(d, 4, { vectors: false }).values)).toEqual([0, 0, 3, 5]);
    // P = u uᵀ + w wᵀ for orthonormal u, w in R^5: eigenvalues {0, 0, 0, 1, 1}.
    const u = [1, 1, 1, 1, 0].map((x) => x / 2);
    const w = [1, -1, 1, -1, 0].map((x) => x / 2);
    const p = new Float64Array(25);
    for (let i = 0; i < 5; i++)
      for (let j = 0; j < 5; j++) p[i * 5 + j] = u[i]! * u[j]! + w[i]! * w[j]!;
    const { values, vectors } = symmetricEigen(p, 5, { vectors: true });
    for (const [i, v] of [0, 0, 0, 1, 1].entries()) expect(values[i]).toBeCloseTo(v, 14);
    expect(residuals(p, 5, values, vectors!).ortho).toBeLessThan(1e-14);
  });

  it('rejects a wrongly sized matrix', () => {
    expect(() => symmetricEigen(new Float64Array(5), 2, { vectors: false })).toThrow(/n x n/);
  });
});

describe('symmetricEigen on a singular Gram matrix (the FID case n < d)', () => {
  it('converges and resolves the zero cluster to rounding level', () => {
    // Σ = XᵀX / (n−1) with n = 300 samples of d = 384 non-negative features: rank ≤ 300, and a
    // cluster of 84 eigenvalues at rounding level (a purely local deflation test stalled here).
    const n = 300;
    const d = 384;
    let s = 99;
    const x = Float64Array.from({ length: n * d }, () => {
      s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
      return Math.max(0, s / 2 ** 32 - 0.4);
    });
    const a = new Float64Array(d * d);
    for (let k = 0; k < n; k++) {
      for (let i = 0; i < d; i++)
        for (let j = 0; j < d; j++) a[i * d + j]! += (x[k * d + i]! * x[k * d + j]!) / (n - 1);
    }
    const { values, vectors } = symmetricEigen(a, d, { vectors: true });
    const largest = values[d - 1]!;
    const nearZero = values.filter((v) => Math.abs(v) < 1e-12 * largest).length;
    expect(nearZero).toBe(d - n);
    const { eigen, ortho } = residuals(a, d, values, vectors!);
    expect(eigen).toBeLessThan(1e-13 * d * largest);
    expect(ortho).toBeLessThan(1e-12 * d);
  });
});

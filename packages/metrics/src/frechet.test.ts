import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { frechetDistance } from './frechet';
import { gaussianStats } from './gaussian-stats';

interface FrechetCase {
  name: string;
  d: number;
  features1: number[][];
  features2: number[][];
  frechet_scipy_sqrtm: number;
  frechet_numpy_eigh: number;
  frechet_mpmath_40_digits: number;
  trace_cov1: number;
  cov1_00: number;
  cov1_01: number;
  mean1_0: number;
}

const golden = JSON.parse(
  readFileSync(new URL('./__fixtures__/golden-frechet.json', import.meta.url), 'utf8'),
) as { versions: Record<string, string>; cases: FrechetCase[] };

const diagonal = (values: number[]) =>
  values.map((v, i) => values.map((_, j) => (i === j ? v : 0)));

/** Rotates diag(values) by a Givens rotation in the (0, 1) plane: R D Rᵀ. */
function rotated(values: number[], angle: number): number[][] {
  const m = diagonal(values);
  const c = Math.cos(angle);
  const s = Math.sin(angle);
  const [a, b] = [values[0]!, values[1]!];
  m[0]![0] = c * c * a + s * s * b;
  m[1]![1] = s * s * a + c * c * b;
  m[0]![1] = c * s * (a - b);
  m[1]![0] = c * s * (a - b);
  return m;
}

describe('frechetDistance', () => {
  it('is 0 for identical Gaussians, including singular ones', () => {
    const sigma = rotated([4, 0, 1], 0.3);
    expect(Math.abs(frechetDistance([1, 2, 3], sigma, [1, 2, 3], sigma))).toBeLessThan(1e-12);
  });

  it('reduces to (μ1−μ2)² + (σ1−σ2)² in one dimension', () => {
    expect(frechetDistance([1], [[4]], [3], [[9]])).toBeCloseTo(4 + (2 - 3) ** 2, 12);
  });

  it('equals ‖Δμ‖² + Σ(√a_i − √b_i)² for covariances sharing eigenvectors', () => {
    const a = [4, 1, 0.25];
    const b = [1, 9, 0];
    const expected = 1 + a.reduce((s, ai, i) => s + (Math.sqrt(ai) - Math.sqrt(b[i]!)) ** 2, 0);
    // Same rotation applied to both: the commuting case, closed form still holds.
    const got = frechetDistance([1, 0, 0], rotated(a, 0.7), [0, 0, 0], rotated(b, 0.7));
    expect(got).toBeCloseTo(expected, 12);
  });

  it('accepts flat row-major covariances and rejects malformed input by name', () => {
    expect(frechetDistance([0, 0], [1, 0, 0, 1], [0, 0], [4, 0, 0, 4])).toBeCloseTo(2, 12);
    expect(() => frechetDistance([0, 0], [1, 0, 0, 1], [0], [1])).toThrow(/mean dimensions differ/);
    expect(() => frechetDistance([0, 0], [1, 2, 0, 1], [0, 0], [1, 0, 0, 1])).toThrow(
      /sigma1 is not symmetric/,
    );
    expect(() => frechetDistance([0, 0], [1, 0, 0], [0, 0], [1, 0, 0, 1])).toThrow(
      /sigma1: expected 2x2/,
    );
    expect(() => frechetDistance([0, 0], [1, 0, 0, 1], [0, 0], [1, 0, 0, Number.NaN])).toThrow(
      /sigma2: entry \(1, 1\) is not finite/,
    );
  });
});

describe(`Fréchet distance against scipy ${golden.versions.scipy} (golden)`, () => {
  for (const c of golden.cases) {
    it(`${c.name}: d=${c.d}, n=${c.features1.length}/${c.features2.length}`, () => {
      const g1 = gaussianStats(c.features1);
      const g2 = gaussianStats(c.features2);
      // gaussianStats reproduces numpy's mean and np.cov (unbiased).
      expect(g1.mean[0]).toBeCloseTo(c.mean1_0, 12);
      expect(g1.covariance[0]).toBeCloseTo(c.cov1_00, 11);
      expect(g1.covariance[1]).toBeCloseTo(c.cov1_01, 11);
      let trace = 0;
      for (let i = 0; i < c.d; i++) trace += g1.covariance[i * c.d + i]!;
      expect(Math.abs(trace - c.trace_cov1) / c.trace_cov1).toBeLessThan(1e-12);

      const fd = frechetDistance(g1.mean, g1.covariance, g2.mean, g2.covariance);
      // On singular covariances scipy's sqrtm (and numpy's eigh route) are off by ~1e-8
      // relative from the 40-digit value: sqrt amplifies rounding noise in the zero eigenvalues.
      // Hence 1e-6 against scipy (the brief's bound) and a tighter bound against the exact value,
      // which our noise-floor truncation tracks to ~1e-9 or better (full rank: ~1e-13).
      const exact = c.frechet_mpmath_40_digits;
      expect(Math.abs(fd - c.frechet_scipy_sqrtm) / c.frechet_scipy_sqrtm).toBeLessThan(1e-6);
      expect(Math.abs(fd - exact) / exact).toBeLessThan(2e-9);
    });
  }
});

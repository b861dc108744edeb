import { describe, expect, it } from 'vitest';
import { gaussianStats } from './gaussian-stats';

describe('gaussianStats', () => {
  it('computes the mean and the unbiased (n−1) covariance by hand on 3 samples', () => {
    const s = gaussianStats([
      [1, 2],
      [3, 6],
      [5, 4],
    ]);
    expect(Array.from(s.mean)).toEqual([3, 4]);
    // Centred: (−2,−2), (0,2), (2,0) → Σ = [[8, 4], [4, 8]] / 2.
    expect(Array.from(s.covariance)).toEqual([4, 2, 2, 4]);
    expect([s.dim, s.count]).toEqual([2, 3]);
  });

  it('gives the same result for rows and for a flat n x d matrix, without cancellation', () => {
    // A large common offset must not destroy the covariance (two-pass centring).
    const rows = [
      [1e9 + 1, 0.5],
      [1e9 + 2, 0.25],
      [1e9 + 4, 1],
    ];
    const a = gaussianStats(rows.map((r) => Float64Array.from(r)));
    const b = gaussianStats({ data: rows.flat(), rows: 3, cols: 2 });
    expect(Array.from(a.covariance)).toEqual(Array.from(b.covariance));
    // var of {1, 2, 4} = ((−4/3)² + (−1/3)² + (5/3)²) / 2 = 7/3.
    expect(a.covariance[0]).toBeCloseTo(7 / 3, 6);
  });

  it('rejects too few samples, ragged rows and bad matrix sizes', () => {
    expect(() => gaussianStats([[1, 2]])).toThrow(/at least 2 samples/);
    expect(() => gaussianStats([[1, 2], [3]])).toThrow(/sample 1 has 1 features/);
    expect(() => gaussianStats({ data: [1, 2, 3], rows: 2, cols: 2 })).toThrow(/needs 4/);
    expect(() => gaussianStats([[1], [Number.NaN]])).toThrow(/sample 1, feature 0 is NaN/);
  });
});

import { describe, expect, it } from 'vitest';
import { deriveSeed, mulberry32, shuffleInPlace } from './seeded-random';

describe('seeded randomness', () => {
  it('repeats for a seed and differs between seeds', () => {
    const a = mulberry32(42);
    const b = mulberry32(42);
    const c = mulberry32(43);
    const seqA = Array.from({ length: 5 }, a);
    expect(Array.from({ length: 5 }, b)).toEqual(seqA);
    expect(Array.from({ length: 5 }, c)).not.toEqual(seqA);
    expect(deriveSeed(1, 0)).not.toBe(deriveSeed(1, 1));
  });

  it('is uniform on [0, 1): 10 bins of 20k draws pass a chi-square test', () => {
    const r = mulberry32(7);
    const bins = new Array(10).fill(0);
    for (let i = 0; i < 20_000; i++) bins[Math.floor(r() * 10)]++;
    const chi2 = bins.reduce((s, n) => s + (n - 2000) ** 2 / 2000, 0);
    expect(chi2).toBeLessThan(27.9); // 99.9th percentile of chi-square with 9 dof
  });

  it('shuffles into a permutation, each position uniform over items', () => {
    const r = mulberry32(3);
    const firstCounts = new Array(4).fill(0);
    for (let t = 0; t < 8000; t++) {
      const p = shuffleInPlace([0, 1, 2, 3], r);
      expect([...p].sort()).toEqual([0, 1, 2, 3]);
      firstCounts[p[0]!]++;
    }
    for (const n of firstCounts) expect(Math.abs(n - 2000)).toBeLessThan(150); // ~4 sd
  });
});

import { describe, expect, it } from 'vitest';
import { identitySeparation } from './separation';
import { summaryStats } from './summary-stats';

describe('summaryStats', () => {
  it('matches the closed form for 1..4', () => {
    const s = summaryStats([1, 2, 3, 4]);
    expect(s.mean).toBe(2.5);
    expect(s.std).toBeCloseTo(Math.sqrt(5 / 3), 14); // Σ(x−2.5)² = 5, ÷(n−1)
    expect([s.min, s.max, s.count]).toEqual([1, 4, 4]);
  });
  it('rejects empty and non-finite samples', () => {
    expect(() => summaryStats([])).toThrow(/no values/);
    expect(() => summaryStats([1, Number.NaN])).toThrow(/not finite/);
  });
});

describe('identitySeparation', () => {
  it('groups pair cosines by identity', () => {
    // Unit vectors at angles: A at 0 and 60 degrees, B at 90 degrees.
    const at = (deg: number) => [Math.cos((deg * Math.PI) / 180), Math.sin((deg * Math.PI) / 180)];
    const r = identitySeparation([
      { identity: 'A', source: 'a0', vector: at(0) },
      { identity: 'A', source: 'a1', vector: at(60) },
      { identity: 'B', source: 'b0', vector: at(90) },
    ]);
    expect(r.sameScores).toHaveLength(1);
    expect(r.same.mean).toBeCloseTo(0.5, 14); // cos 60°
    expect(r.differentScores.sort()).toHaveLength(2);
    expect(r.different.mean).toBeCloseTo((0 + Math.cos(Math.PI / 6)) / 2, 14); // cos 90°, cos 30°
    expect(r.meanGap).toBeCloseTo(0.5 - Math.cos(Math.PI / 6) / 2, 14);
    expect(r.worstCaseGap).toBeCloseTo(0.5 - Math.cos(Math.PI / 6), 14);
  });
  it('needs two identities and a repeated identity', () => {
    expect(() =>
      identitySeparation([
        { identity: 'A', source: 'a', vector: [1, 0] },
        { identity: 'A', source: 'b', vector: [0, 1] },
      ]),
    ).toThrow(/different-identity/);
    expect(() =>
      identitySeparation([
        { identity: 'A', source: 'a', vector: [1, 0] },
        { identity: 'B', source: 'b', vector: [0, 1] },
      ]),
    ).toThrow(/same-identity/);
  });
});

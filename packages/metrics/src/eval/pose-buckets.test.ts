import { describe, expect, it } from 'vitest';
import { meanPerBucket, poseVarianceBuckets } from './pose-buckets';

describe('poseVarianceBuckets', () => {
  it('splits by rank into terciles', () => {
    const r = poseVarianceBuckets([0.9, 0.1, 0.5, 0.3, 0.7, 0.2]);
    expect(r.buckets).toEqual(['high', 'low', 'medium', 'medium', 'high', 'low']);
    expect(r.upperBounds).toEqual([0.2, 0.5]);
  });
  it('keeps sizes within one for n not divisible by 3', () => {
    const r = poseVarianceBuckets([1, 2, 3, 4, 5, 6, 7]);
    const count = (b: string) => r.buckets.filter((x) => x === b).length;
    expect([count('low'), count('medium'), count('high')]).toEqual([3, 2, 2]);
  });
  it('rejects too few or invalid values', () => {
    expect(() => poseVarianceBuckets([1, 2])).toThrow(/at least 3/);
    expect(() => poseVarianceBuckets([1, Number.NaN, 2])).toThrow(/item 1/);
  });
});

describe('meanPerBucket', () => {
  it('averages per bucket, skipping nulls', () => {
    const r = meanPerBucket(['low', 'low', 'high', null], [1, 3, 5, 100]);
    expect(r.low).toEqual({ mean: 2, count: 2 });
    expect(r.high).toEqual({ mean: 5, count: 1 });
    expect(r.medium.count).toBe(0);
    expect(r.medium.mean).toBeNaN();
  });
});

/** The three source–target pose-variance clusters of the LSR supplement's Figure 1. */
export const POSE_BUCKETS = ['low', 'medium', 'high'] as const;
export type PoseBucket = (typeof POSE_BUCKETS)[number];

/** Result of {@link poseVarianceBuckets}. */
export interface PoseBuckets {
  /** bucket per input item, same order */
  readonly buckets: PoseBucket[];
  /** largest pose NMKE in the low and in the medium bucket */
  readonly upperBounds: readonly [number, number];
}

/**
 * Splits test pairs into terciles of pose variance, measured as the NMKE between the source
 * (shot) and target ground-truth landmarks (supplement §A, Fig. 1). Items are ranked by that
 * value (ties by input order) and rank r of n goes to bucket ⌊3r/n⌋, so bucket sizes differ by at
 * most one. Items whose pose NMKE is null (landmarks missing) get no bucket and must be reported.
 */
export function poseVarianceBuckets(poseNmke: readonly number[]): PoseBuckets {
  if (poseNmke.length < 3) {
    throw new Error(
      `poseVarianceBuckets: need at least 3 pairs for terciles, got ${poseNmke.length}`,
    );
  }
  poseNmke.forEach((v, i) => {
    if (!Number.isFinite(v) || v < 0) throw new Error(`poseVarianceBuckets: item ${i} is ${v}`);
  });
  const order = poseNmke.map((v, i) => ({ v, i })).sort((a, b) => a.v - b.v || a.i - b.i);
  const buckets = new Array<PoseBucket>(poseNmke.length);
  const upper = [Number.NEGATIVE_INFINITY, Number.NEGATIVE_INFINITY];
  order.forEach(({ v, i }, rank) => {
    const b = Math.floor((3 * rank) / order.length);
    buckets[i] = POSE_BUCKETS[b]!;
    if (b < 2) upper[b] = Math.max(upper[b]!, v);
  });
  return { buckets, upperBounds: [upper[0]!, upper[1]!] };
}

/** Mean of `values` per bucket (NaN for an empty bucket), skipping null values. */
export function meanPerBucket(
  buckets: readonly (PoseBucket | null)[],
  values: readonly (number | null)[],
): Record<PoseBucket, { mean: number; count: number }> {
  if (buckets.length !== values.length) {
    throw new Error(`meanPerBucket: ${buckets.length} buckets but ${values.length} values`);
  }
  const sums = { low: 0, medium: 0, high: 0 };
  const counts = { low: 0, medium: 0, high: 0 };
  buckets.forEach((b, i) => {
    const v = values[i];
    if (b === null || v === null || v === undefined) return;
    sums[b] += v;
    counts[b]++;
  });
  const out = {} as Record<PoseBucket, { mean: number; count: number }>;
  for (const b of POSE_BUCKETS) {
    out[b] = { mean: counts[b] > 0 ? sums[b] / counts[b] : Number.NaN, count: counts[b] };
  }
  return out;
}

/** Mean, sample standard deviation (÷(n−1); 0 for one value), min and max of a sample. */
export interface SummaryStats {
  readonly count: number;
  readonly mean: number;
  readonly std: number;
  readonly min: number;
  readonly max: number;
}

/** Summary of a non-empty list of finite numbers, accumulated in float64. */
export function summaryStats(values: readonly number[]): SummaryStats {
  if (values.length === 0) throw new Error('summaryStats: no values');
  let sum = 0;
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (const v of values) {
    if (!Number.isFinite(v)) throw new Error(`summaryStats: value ${v} is not finite`);
    sum += v;
    min = Math.min(min, v);
    max = Math.max(max, v);
  }
  const mean = sum / values.length;
  let squares = 0;
  for (const v of values) squares += (v - mean) ** 2;
  const std = values.length > 1 ? Math.sqrt(squares / (values.length - 1)) : 0;
  return { count: values.length, mean, std, min, max };
}

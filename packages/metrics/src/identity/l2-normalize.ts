/** Divides a vector by its Euclidean norm (float64 accumulation); a zero vector is an error. */
export function l2Normalize(v: ArrayLike<number>): Float32Array {
  let sum = 0;
  for (let i = 0; i < v.length; i++) sum += v[i]! * v[i]!;
  if (!(sum > 0) || !Number.isFinite(sum)) {
    throw new Error(`l2Normalize: embedding has norm ${Math.sqrt(sum)}`);
  }
  const norm = Math.sqrt(sum);
  return Float32Array.from({ length: v.length }, (_, i) => v[i]! / norm);
}

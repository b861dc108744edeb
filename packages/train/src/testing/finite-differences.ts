/**
 * Test support (not exported): central finite differences of a scalar function of a flat
 * parameter vector, computed in float64 on the JS side (the function itself may run in float32).
 *
 *   ∂f/∂x_i ≈ (f(x + h e_i) − f(x − h e_i)) / 2h,   D_d f ≈ (f(x + h d) − f(x − h d)) / 2h
 */
export function numericGradient(
  f: (x: Float64Array) => number,
  x: ArrayLike<number>,
  h: number,
): Float64Array {
  const base = Float64Array.from(x);
  const out = new Float64Array(base.length);
  for (let i = 0; i < base.length; i++) {
    const keep = base[i]!;
    base[i] = keep + h;
    const plus = f(base);
    base[i] = keep - h;
    const minus = f(base);
    base[i] = keep;
    out[i] = (plus - minus) / (2 * h);
  }
  return out;
}

/** Directional derivative along `d` by central differences. */
export function numericDirectional(
  f: (x: Float64Array) => number,
  x: ArrayLike<number>,
  d: ArrayLike<number>,
  h: number,
): number {
  const shifted = (s: number) => Float64Array.from(x, (v, i) => v + s * h * d[i]!);
  return (f(shifted(1)) - f(shifted(-1))) / (2 * h);
}

/** |a − b| / max(|a|, |b|, floor). */
export function relativeError(a: number, b: number, floor = 1e-12): number {
  return Math.abs(a - b) / Math.max(Math.abs(a), Math.abs(b), floor);
}

/**
 * The frequency band of scheme v1 on the TILE×TILE grid: every (u, v) with BAND_MIN ≤ |(u, v)| ≤
 * BAND_MAX cycles per tile, listed once per conjugate pair (v > 0, or v = 0 and u > 0). A real
 * pattern is determined by its values on these "half-band" bins.
 */
import { BAND_MAX, BAND_MIN, TILE } from './scheme';

export interface Band {
  /** Signed frequencies of each half-band bin. */
  u: Int32Array;
  v: Int32Array;
  /** Index into a row-major TILE×TILE spectrum, and of the conjugate bin. */
  index: Int32Array;
  conjugate: Int32Array;
  size: number;
}

let cached: Band | undefined;

export function band(): Band {
  if (cached) return cached;
  const u: number[] = [];
  const v: number[] = [];
  const half = TILE / 2;
  for (let fv = 0; fv < half; fv++)
    for (let fu = -half + 1; fu < half; fu++) {
      if (fv === 0 && fu <= 0) continue;
      const r = Math.hypot(fu, fv);
      if (r < BAND_MIN || r > BAND_MAX) continue;
      u.push(fu);
      v.push(fv);
    }
  const wrap = (f: number) => (f + TILE) % TILE;
  cached = {
    u: Int32Array.from(u),
    v: Int32Array.from(v),
    index: Int32Array.from(u, (fu, i) => wrap(v[i]!) * TILE + wrap(fu)),
    conjugate: Int32Array.from(u, (fu, i) => wrap(-v[i]!) * TILE + wrap(-fu)),
    size: u.length,
  };
  return cached;
}

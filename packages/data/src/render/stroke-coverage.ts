/**
 * Anti-aliased thick open polyline → per-pixel coverage in [0, 1], platform-neutral.
 *
 * The stroke is the union of: one rectangle per segment (half-width h around the segment), a disc
 * of radius h at every interior vertex (round joins, matplotlib's default `solid_joinstyle`), and
 * the end caps: 'projecting' (matplotlib's default `solid_capstyle`: the first and last segments
 * are extended by h), 'round' (discs) or 'butt' (none). Coverage of a pixel is the fraction of its
 * S×S sub-pixel samples that fall inside this union, so overlapping parts of one polyline are
 * never counted twice (as in Agg, which fills the stroke outline once).
 *
 * Coordinates are pixel-centre aligned: pixel (i, j) is the unit square centred on (x=i, y=j).
 */

export type LineCap = 'butt' | 'projecting' | 'round';

export interface StrokeStyle {
  /** full line width in pixels (matplotlib: points · dpi / 72) */
  width: number;
  cap: LineCap;
  /** sub-samples per pixel side (coverage resolution 1/S²) */
  samples: number;
}

interface Segment {
  ax: number;
  ay: number;
  ux: number;
  uy: number;
  /** along-segment extent: t ∈ [t0, t1] with t measured from (ax, ay) along u */
  t0: number;
  t1: number;
}

function buildSegments(xs: ArrayLike<number>, ys: ArrayLike<number>, h: number, cap: LineCap) {
  const segments: Segment[] = [];
  const n = xs.length;
  for (let i = 0; i + 1 < n; i++) {
    const dx = xs[i + 1]! - xs[i]!;
    const dy = ys[i + 1]! - ys[i]!;
    const len = Math.hypot(dx, dy);
    if (len === 0) continue; // a repeated point adds nothing; its neighbours carry the join disc
    const extendStart = cap === 'projecting' && i === 0 ? h : 0;
    const extendEnd = cap === 'projecting' && i === n - 2 ? h : 0;
    segments.push({
      ax: xs[i]!,
      ay: ys[i]!,
      ux: dx / len,
      uy: dy / len,
      t0: -extendStart,
      t1: len + extendEnd,
    });
  }
  return segments;
}

/**
 * Add the coverage of one polyline to `out` (length width·height) as max(out, coverage), i.e.
 * returns the coverage map of this polyline when `out` starts at zero. Returns the bounding box
 * of touched pixels so callers can composite only that region.
 */
export function strokePolylineCoverage(
  xs: ArrayLike<number>,
  ys: ArrayLike<number>,
  style: StrokeStyle,
  out: Float32Array,
  width: number,
  height: number,
): { x0: number; y0: number; x1: number; y1: number } | null {
  if (xs.length !== ys.length) throw new Error('strokePolylineCoverage: xs and ys lengths differ');
  if (!(style.width > 0)) throw new Error(`strokePolylineCoverage: bad line width ${style.width}`);
  if (!Number.isInteger(style.samples) || style.samples < 1) {
    throw new Error(
      `strokePolylineCoverage: samples must be a positive integer, got ${style.samples}`,
    );
  }
  if (xs.length === 0) return null;
  const h = style.width / 2;
  const segments = buildSegments(xs, ys, h, style.cap);
  const discs: number[] = [];
  for (let i = 0; i < xs.length; i++) {
    const isEnd = i === 0 || i === xs.length - 1;
    if (!isEnd || style.cap === 'round') discs.push(xs[i]!, ys[i]!);
  }
  // Bounding box of the stroke (h·√2 covers projecting corners), clipped to the image.
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  for (let i = 0; i < xs.length; i++) {
    minX = Math.min(minX, xs[i]!);
    maxX = Math.max(maxX, xs[i]!);
    minY = Math.min(minY, ys[i]!);
    maxY = Math.max(maxY, ys[i]!);
  }
  const r = h * Math.SQRT2 + 1;
  const x0 = Math.max(0, Math.floor(minX - r));
  const y0 = Math.max(0, Math.floor(minY - r));
  const x1 = Math.min(width - 1, Math.ceil(maxX + r));
  const y1 = Math.min(height - 1, Math.ceil(maxY + r));
  if (x0 > x1 || y0 > y1) return null;

  const S = style.samples;
  const h2 = h * h;
  const inside = (px: number, py: number): boolean => {
    for (const s of segments) {
      const rx = px - s.ax;
      const ry = py - s.ay;
      const t = rx * s.ux + ry * s.uy;
      if (t < s.t0 || t > s.t1) continue;
      const d = rx * s.uy - ry * s.ux;
      if (d * d <= h2) return true;
    }
    for (let k = 0; k < discs.length; k += 2) {
      const dx = px - discs[k]!;
      const dy = py - discs[k + 1]!;
      if (dx * dx + dy * dy <= h2) return true;
    }
    return false;
  };
  for (let y = y0; y <= y1; y++) {
    for (let x = x0; x <= x1; x++) {
      let hits = 0;
      for (let sy = 0; sy < S; sy++) {
        const py = y - 0.5 + (sy + 0.5) / S;
        for (let sx = 0; sx < S; sx++) {
          if (inside(x - 0.5 + (sx + 0.5) / S, py)) hits++;
        }
      }
      const c = hits / (S * S);
      const idx = y * width + x;
      if (c > out[idx]!) out[idx] = c;
    }
  }
  return { x0, y0, x1, y1 };
}

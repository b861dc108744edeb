/** A 2-D point [x, y] in pixels. */
export type Point = readonly [number, number];

/**
 * A 2-D similarity transform (uniform scale s, rotation θ, translation t) as the 2x3 matrix
 * [[a, −b, tx], [b, a, ty]] with a = s·cos θ, b = s·sin θ: it maps (x, y) to
 * (a·x − b·y + tx, b·x + a·y + ty).
 */
export interface Similarity2D {
  readonly a: number;
  readonly b: number;
  readonly tx: number;
  readonly ty: number;
}

/**
 * Least-squares similarity fit (Umeyama 1991, "Least-squares estimation of transformation
 * parameters between two point patterns", without reflection): the s, R, t minimising
 * Σ ‖dst_i − (s R src_i + t)‖². In 2-D the answer has a closed form: with centred points
 * p_i = src_i − mean(src), q_i = dst_i − mean(dst),
 *   a = Σ (p_x q_x + p_y q_y) / Σ ‖p‖²,   b = Σ (p_x q_y − p_y q_x) / Σ ‖p‖²,
 *   t = mean(dst) − [[a, −b], [b, a]] mean(src).
 * (Treating points as complex numbers, a + ib = Σ conj(p) q / Σ |p|², the least-squares complex
 * scale-rotation; it equals Umeyama's SVD solution, whose reflection correction never applies
 * because a complex multiplication is always a proper rotation.) This is the fit insightface's
 * `norm_crop` uses (skimage `SimilarityTransform.estimate`) to align a face to the ArcFace template.
 */
export function fitSimilarity(src: readonly Point[], dst: readonly Point[]): Similarity2D {
  if (src.length !== dst.length) {
    throw new Error(`fitSimilarity: ${src.length} source points but ${dst.length} target points`);
  }
  if (src.length < 2) throw new Error(`fitSimilarity: needs at least 2 points, got ${src.length}`);
  for (const [x, y] of [...src, ...dst]) {
    if (!Number.isFinite(x) || !Number.isFinite(y)) {
      throw new Error(`fitSimilarity: point (${x}, ${y}) is not finite`);
    }
  }
  const n = src.length;
  const mean = (pts: readonly Point[], c: 0 | 1) => pts.reduce((s, p) => s + p[c], 0) / n;
  const [sx, sy, dx, dy] = [mean(src, 0), mean(src, 1), mean(dst, 0), mean(dst, 1)];
  let dot = 0;
  let cross = 0;
  let spread = 0;
  for (let i = 0; i < n; i++) {
    const px = src[i]![0] - sx;
    const py = src[i]![1] - sy;
    const qx = dst[i]![0] - dx;
    const qy = dst[i]![1] - dy;
    dot += px * qx + py * qy;
    cross += px * qy - py * qx;
    spread += px * px + py * py;
  }
  if (!(spread > 0)) throw new Error('fitSimilarity: all source points coincide');
  const a = dot / spread;
  const b = cross / spread;
  return { a, b, tx: dx - (a * sx - b * sy), ty: dy - (b * sx + a * sy) };
}

/** Applies a similarity transform to a point. */
export function applySimilarity(m: Similarity2D, [x, y]: Point): [number, number] {
  return [m.a * x - m.b * y + m.tx, m.b * x + m.a * y + m.ty];
}

/**
 * The inverse transform: with z ↦ (a + ib) z + t, the inverse is z ↦ (z − t) / (a + ib), i.e.
 * coefficients (a, −b) / (a² + b²) and translation −that · t.
 */
export function invertSimilarity(m: Similarity2D): Similarity2D {
  const norm = m.a * m.a + m.b * m.b;
  if (!(norm > 0)) throw new Error('invertSimilarity: the transform has zero scale');
  const a = m.a / norm;
  const b = -m.b / norm;
  return { a, b, tx: -(a * m.tx - b * m.ty), ty: -(b * m.tx + a * m.ty) };
}

/**
 * 2-D similarity transforms (uniform scale s, rotation θ, translation t) and their least-squares
 * fit between two point sets. Shared by face-shape adaptation (@th/infer) and ArcFace alignment
 * (@th/metrics). A transform is stored as the 2x3 matrix [[a, −b, tx], [b, a, ty]] with
 * a = s·cos θ, b = s·sin θ, so it maps (x, y) to (a·x − b·y + tx, b·x + a·y + ty). Reading a point
 * as the complex number x + iy, that is z ↦ (a + ib)·z + (tx + i·ty).
 */
import type { Point } from './landmarks';

export interface Similarity2D {
  readonly a: number;
  readonly b: number;
  readonly tx: number;
  readonly ty: number;
}

/** Mean of a non-empty point list. */
export function centroid(points: readonly Point[]): Point {
  if (points.length === 0) throw new Error('centroid: no points');
  let x = 0;
  let y = 0;
  for (const p of points) {
    x += p[0];
    y += p[1];
  }
  return [x / points.length, y / points.length];
}

/**
 * Least-squares similarity fit (Umeyama 1991, "Least-squares estimation of transformation
 * parameters between two point patterns", without reflection): the s, R, t minimising
 * Σ ‖dst_i − (s R src_i + t)‖². In 2-D the answer has a closed form: with centred points
 * p_i = src_i − mean(src), q_i = dst_i − mean(dst),
 *   a = Σ (p_x q_x + p_y q_y) / Σ ‖p‖²,   b = Σ (p_x q_y − p_y q_x) / Σ ‖p‖²,
 *   t = mean(dst) − [[a, −b], [b, a]] mean(src).
 * (As complex numbers, a + ib = Σ conj(p) q / Σ |p|², the least-squares complex scale-rotation; it
 * equals Umeyama's SVD solution, whose reflection correction never applies because a complex
 * multiplication is always a proper rotation, so a mirrored face is not "explained" as a
 * similarity.) This is also the fit insightface's `norm_crop` uses (skimage
 * `SimilarityTransform.estimate`) to align a face to the ArcFace template.
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
  const [sx, sy] = centroid(src);
  const [dx, dy] = centroid(dst);
  let dot = 0;
  let cross = 0;
  let spread = 0;
  for (let i = 0; i < src.length; i++) {
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

/** Applies a similarity transform to one point. */
export function applySimilarityToPoint(m: Similarity2D, [x, y]: Point): [number, number] {
  return [m.a * x - m.b * y + m.tx, m.b * x + m.a * y + m.ty];
}

/** Applies a similarity transform to every point of a list (e.g. 68 landmarks). */
export function applySimilarityToPoints(m: Similarity2D, points: readonly Point[]): Point[] {
  return points.map((p) => applySimilarityToPoint(m, p));
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

/** Scale s = √(a² + b²) and rotation θ = atan2(b, a) (radians) of a similarity. */
export function similarityParts(m: Similarity2D): { scale: number; rotation: number } {
  return { scale: Math.hypot(m.a, m.b), rotation: Math.atan2(m.b, m.a) };
}

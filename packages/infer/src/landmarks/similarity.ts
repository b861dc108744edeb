/**
 * Least-squares 2-D similarity transform (scale, rotation, translation) between two point sets,
 * the closed form of Umeyama (1991) specialised to 2-D: with both sets centred,
 *   a = Σ (p·q),  b = Σ (p × q),  θ = atan2(b, a),  s = √(a² + b²) / Σ|p|²,  t = q̄ − sR·p̄.
 * Stored as x' = a·x − b·y + tx, y' = b·x + a·y + ty with (a, b) = s·(cos θ, sin θ).
 * No reflection is allowed, so a mirrored face is not "explained" as a similarity.
 */
import type { Landmarks68, Point } from '@th/data';

export interface Similarity {
  a: number;
  b: number;
  tx: number;
  ty: number;
}

export function centroid(points: readonly Point[]): Point {
  let x = 0;
  let y = 0;
  for (const p of points) {
    x += p[0];
    y += p[1];
  }
  return [x / points.length, y / points.length];
}

/** The similarity T minimising Σ |T(from_i) − to_i|². */
export function fitSimilarity(from: readonly Point[], to: readonly Point[]): Similarity {
  if (from.length !== to.length || from.length < 2) {
    throw new Error(
      `fitSimilarity: need two equally long point sets with >= 2 points, got ${from.length} and ${to.length}`,
    );
  }
  const [px, py] = centroid(from);
  const [qx, qy] = centroid(to);
  let a = 0;
  let b = 0;
  let norm = 0;
  for (let i = 0; i < from.length; i++) {
    const x = from[i]![0] - px;
    const y = from[i]![1] - py;
    const u = to[i]![0] - qx;
    const v = to[i]![1] - qy;
    a += x * u + y * v;
    b += x * v - y * u;
    norm += x * x + y * y;
  }
  if (norm === 0) throw new Error('fitSimilarity: all source points coincide');
  a /= norm;
  b /= norm;
  return { a, b, tx: qx - (a * px - b * py), ty: qy - (b * px + a * py) };
}

export function applySimilarity(t: Similarity, points: readonly Point[]): Landmarks68 {
  return points.map(([x, y]) => [t.a * x - t.b * y + t.tx, t.b * x + t.a * y + t.ty] as const);
}

/** Scale s and rotation θ (radians) of a similarity. */
export function similarityParts(t: Similarity): { scale: number; rotation: number } {
  return { scale: Math.hypot(t.a, t.b), rotation: Math.atan2(t.b, t.a) };
}
